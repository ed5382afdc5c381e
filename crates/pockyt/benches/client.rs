//! The client's own costs, without sockets:
//! `encode/secure_pay`, `decode/tran_query`, `send/mock_transport`, `ipn/verify_form`, and how
//! encoding grows with the number of parameters (`encode_params/N`).

use std::hint::black_box;
use std::sync::Arc;

use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use pockyt::transport::BoxFuture;
use pockyt::types::*;
use pockyt::{Client, Config, SigningKey};
use pockyt::{Transport, TransportError};

const TOKEN: &str = "my-test-token-001";

/// The V1 secure-pay request of the API reference (§3.4).
fn secure_pay() -> SecurePayRequest {
    SecurePayRequest::new(
        Amount::parse("12.50").unwrap_or_else(|_| Amount::zero()),
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
    .description("Test order")
}

const TRAN_QUERY_BODY: &[u8] = br#"{"ret_code":"000100","ret_msg":"query success ","result":{"transactionNo":"297553638300708562","reference":"order-20240101-0001","amount":"12.50","status":"success","currency":"USD","settleCurrency":"USD","transactionType":"payment","refundInfo":[{"refundTransactionId":"297553638301777927","refundReference":"r1","refundAmount":"2.50","currency":"USD","settleCurrency":"USD"}]}}"#;

/// Answers every request with the same prepared response, as cheaply as a transport can.
struct Canned(http::Response<Bytes>);

impl Transport for Canned {
    fn send(
        &self,
        _request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let mut response = http::Response::new(self.0.body().clone());
        *response.status_mut() = self.0.status();
        Box::pin(async move { Ok(response) })
    }
}

fn client(body: &'static [u8]) -> Client {
    let config = Config::new("200043", "300014", TOKEN)
        .map(|c| c.with_base_url("https://gateway.bench"))
        .unwrap_or_else(|e| panic!("bench config: {e}"));
    Client::builder(config)
        .shared_transport(Arc::new(Canned(http::Response::new(Bytes::from_static(
            body,
        )))))
        .build()
        .unwrap_or_else(|e| panic!("bench client: {e}"))
}

fn encode(c: &mut Criterion) {
    let client = client(TRAN_QUERY_BODY);
    let request = secure_pay();
    c.benchmark_group("encode")
        .bench_function("secure_pay", |b| {
            b.iter(|| client.encode(black_box(&request)))
        });

    // Growth with the number of parameters: a PayPal plan request carries up to 13 fields; a
    // customer update up to 20. Here the same request grows by filling optional fields.
    let mut group = c.benchmark_group("encode_params");
    for filled in [0usize, 4, 8, 16] {
        let mut update = CustomerUpdateRequest::new()
            .customer_no("1000000000000000000001")
            .timestamp(UtcTimestamp::parse("2024-01-01T00:00:00Z").unwrap());
        let setters: [fn(CustomerUpdateRequest) -> CustomerUpdateRequest; 16] = [
            |r| r.first_name("Ada"),
            |r| r.last_name("Lovelace"),
            |r| r.email("ada@example.com"),
            |r| r.phone("+44 20 0000 0000"),
            |r| r.city("London"),
            |r| r.country("GB"),
            |r| r.country_code("GB"),
            |r| r.street("12 St James's Square"),
            |r| r.street2("Flat 1"),
            |r| r.zip("SW1Y 4JH"),
            |r| r.state("London"),
            |r| r.lang("en"),
            |r| r.company("Analytical Engines Ltd"),
            |r| r.customer_code("cust-0001"),
            |r| r.mobile_number("+44 7700 900000"),
            |r| r.date_of_birth("1815-12-10"),
        ];
        for set in setters.iter().take(filled) {
            update = set(update);
        }
        let pairs = update.wire_pairs().len() + 3;
        group.bench_with_input(BenchmarkId::from_parameter(pairs), &update, |b, update| {
            b.iter(|| client.encode(black_box(update)))
        });
    }
    group.finish();
}

fn decode(c: &mut Criterion) {
    c.benchmark_group("decode")
        .bench_function("tran_query", |b| {
            b.iter(|| {
                let envelope = RawEnvelope::parse(black_box(TRAN_QUERY_BODY)).ok()?;
                envelope.ret_code().ok()?;
                envelope
                    .payload::<TranQueryResponse>(TranQueryRequest::RESPONSE_KEYS)
                    .ok()?
            })
        });
}

fn send(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"));
    let client = client(TRAN_QUERY_BODY);
    let request = TranQueryRequest::new().transaction_no("297553638300708562");
    c.benchmark_group("send")
        .bench_function("mock_transport", |b| {
            b.iter(|| runtime.block_on(client.send(black_box(&request))))
        });
}

fn ipn(c: &mut Criterion) {
    let key = SigningKey::from_token(TOKEN);
    let body = b"transactionNo=305680500880311999&status=success&amount=12.50&currency=USD&settleCurrency=USD&reference=order-20240101-0001&time=20240101123045&note=gift+%26+wrap&verifySign=483259834717a8229294aece8041a8e3";
    c.benchmark_group("ipn").bench_function("verify_form", |b| {
        b.iter(|| pockyt::ipn::verify_form(black_box(body), &key))
    });
}

criterion_group!(benches, encode, decode, send, ipn);
criterion_main!(benches);
