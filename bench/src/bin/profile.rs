//! A fixed loop over one piece of the client's work, to count its instructions with callgrind
//! (repeatable on a noisy machine, unlike wall time). No I/O.
//!
//! ```text
//! cargo build --release -p pockyt-bench --bin profile
//! valgrind --tool=callgrind target/release/profile sign|raw-md5|encode [ITERATIONS]
//! ```
//! `sign`: `pockyt::sign::sign` over the V1 secure-pay parameters, in the API reference's order.
//! `raw-md5`: MD5 of the same bytes, contiguous, as `sign/raw_md5` measures it.
//! `encode`: `Client::encode` of the same secure-pay request (validate, identity, sign, JSON body).
//! Divide the total by ITERATIONS (default 10,000); the setup is a few thousand instructions.

use std::hint::black_box;
use std::process::ExitCode;

use md5::{Digest, Md5};
use pockyt::transport::MockTransport;
use pockyt::types::*;
use pockyt::{Client, Config, SigningKey};

const TOKEN: &str = "my-test-token-001";

const SECURE_PAY: [(&str, &str); 13] = [
    ("merchantNo", "200043"),
    ("storeNo", "300014"),
    ("amount", "12.50"),
    ("currency", "USD"),
    ("settleCurrency", "USD"),
    ("vendor", "alipay"),
    ("terminal", "ONLINE"),
    ("reference", "order-20240101-0001"),
    ("ipnUrl", "https://merchant.example.com/pockyt/ipn"),
    (
        "callbackUrl",
        "https://merchant.example.com/return?status={status}&amount={amount}&reference={reference}",
    ),
    ("timeout", "120"),
    ("goodsInfo", r#"[{"goods_name":"T-Shirt","quantity":"2"}]"#),
    ("description", "Test order"),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let iterations = match args.get(1).map(|n| n.parse::<u32>()) {
        None => 10_000,
        Some(Ok(n)) => n,
        Some(Err(_)) => return usage(),
    };
    let result = match args.first().map(String::as_str) {
        Some("sign") => sign(iterations),
        Some("raw-md5") => raw_md5(iterations),
        Some("encode") => encode(iterations),
        _ => return usage(),
    };
    match result {
        Ok(checksum) => {
            println!("{checksum}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("profile: {message}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: profile sign|raw-md5|encode [ITERATIONS]");
    ExitCode::from(2)
}

fn sign(iterations: u32) -> Result<u64, String> {
    let key = SigningKey::from_token(TOKEN);
    let mut checksum = 0u64;
    for _ in 0..iterations {
        let signature = pockyt::sign::sign(black_box(SECURE_PAY), black_box(&key))
            .map_err(|e| e.to_string())?;
        checksum += u64::from(signature.as_bytes()[0]);
    }
    Ok(checksum)
}

fn raw_md5(iterations: u32) -> Result<u64, String> {
    let canonical = pockyt::sign::canonical_string(SECURE_PAY).map_err(|e| e.to_string())?;
    let token_md5 = hex::encode(Md5::digest(TOKEN.as_bytes()));
    let bytes = format!("{canonical}&{token_md5}").into_bytes();
    let mut checksum = 0u64;
    for _ in 0..iterations {
        checksum += u64::from(Md5::digest(black_box(bytes.as_slice()))[0]);
    }
    Ok(checksum)
}

fn encode(iterations: u32) -> Result<u64, String> {
    let config = Config::new("200043", "300014", TOKEN)
        .map_err(|e| e.to_string())?
        .with_base_url("https://gateway.profile");
    let client = Client::builder(config)
        .transport(MockTransport::new())
        .build()
        .map_err(|e| e.to_string())?;
    let amount = Amount::parse("12.50").map_err(|e| e.to_string())?;
    let request = SecurePayRequest::new(
        amount,
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        "order-20240101-0001",
        Terminal::Online,
    )
    .ipn_url("https://merchant.example.com/pockyt/ipn")
    .callback_url(
        "https://merchant.example.com/return?status={status}&amount={amount}&reference={reference}",
    )
    .timeout(120)
    .goods_info(r#"[{"goods_name":"T-Shirt","quantity":"2"}]"#)
    .description("Test order");
    let mut checksum = 0u64;
    for _ in 0..iterations {
        let encoded = client
            .encode(black_box(&request))
            .map_err(|e| e.to_string())?;
        checksum += encoded.body().len() as u64;
    }
    Ok(checksum)
}
