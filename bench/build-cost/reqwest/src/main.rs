//! The same signed secure-pay request, hand-rolled: sort, sign with MD5, post JSON, read JSON.

use std::collections::BTreeMap;

use md5::{Digest, Md5};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let token = "5cbfb079f15b150122261c8537086d77a";
    let mut params = BTreeMap::from([
        ("merchantNo", "200043"),
        ("storeNo", "300014"),
        ("amount", "12.50"),
        ("currency", "USD"),
        ("settleCurrency", "USD"),
        ("vendor", "alipay"),
        ("reference", "order-1"),
        ("terminal", "ONLINE"),
        ("ipnUrl", "https://merchant.example.com/ipn"),
        ("callbackUrl", "https://merchant.example.com/back"),
    ]);
    let token_md5 = hex(&Md5::digest(token.as_bytes()));
    let mut text: String = params.iter().map(|(k, v)| format!("{k}={v}&")).collect();
    text.push_str(&token_md5);
    let signature = hex(&Md5::digest(text.as_bytes()));
    params.insert("verifySign", &signature);
    let body = serde_json::to_vec(&params)?;
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{base_url}/online/v3/secure-pay"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await
        .map(|b| serde_json::from_slice(&b))??;
    if answer["ret_code"] != "000100" {
        return Err(format!("refused: {answer}").into());
    }
    println!("{}", answer["result"]["cashierUrl"].as_str().unwrap_or_default());
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
