//! `sign/secure_pay` vs `sign/raw_md5`: the signer's overhead over hashing the same bytes directly.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use md5::{Digest, Md5};
use pockyt_sign::{SigningKey, canonical_string, sign};

const TOKEN: &str = "my-test-token-001";

/// The V1 secure-pay parameters of the API reference (§3.4).
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

fn bench_sign(c: &mut Criterion) {
    let key = SigningKey::from_token(TOKEN);
    let key_hex = hex::encode(Md5::digest(TOKEN.as_bytes()));
    let canonical_bytes = match canonical_string(SECURE_PAY) {
        Ok(s) => format!("{s}&{key_hex}").into_bytes(),
        Err(e) => panic!("benchmark input is invalid: {e}"),
    };

    let mut group = c.benchmark_group("sign");
    group.bench_function("secure_pay", |b| {
        b.iter(|| sign(black_box(SECURE_PAY), black_box(&key)))
    });
    group.bench_function("raw_md5", |b| {
        b.iter(|| Md5::digest(black_box(canonical_bytes.as_slice())))
    });
    group.finish();

    // Growth with the number of parameters (20-byte values, names like real ones).
    let mut growth = c.benchmark_group("sign_params");
    for count in [2usize, 4, 8, 16, 32, 64] {
        let names: Vec<String> = (0..count)
            .rev()
            .map(|i| format!("param{i:02}Name"))
            .collect();
        let value = "v".repeat(20);
        let pairs: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), value.as_str())).collect();
        growth.bench_with_input(
            criterion::BenchmarkId::from_parameter(count),
            &pairs,
            |b, pairs| b.iter(|| sign(black_box(pairs.iter().copied()), black_box(&key))),
        );
    }
    growth.finish();
}

criterion_group!(benches, bench_sign);
criterion_main!(benches);
