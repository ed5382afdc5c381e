//! Secret hygiene in `tracing` output: calls are traced, secrets never. In its own test binary
//! because tracing caches callsite interest process-wide, and tests running on other threads without
//! a subscriber would race with this one's.

use std::io::Write;
use std::sync::{Arc, Mutex};

use pockyt::types::*;
use pockyt_e2e::World;
use pockyt_mock::Merchant;

const TOKEN: &str = Merchant::DEMO_TOKEN;
const TOKEN_MD5: &str = "186abea4b8610d7ff03768255588597a";
const CARD: &str = "4111111111111111";

fn express() -> ExpressPayRequest {
    ExpressPayRequest::new(
        CARD,
        "2030",
        "12",
        "737",
        Amount::parse("5.00").unwrap(),
        Currency::Usd,
        SettleCurrency::Usd,
        "card-1",
        "203.0.113.7",
    )
}

fn assert_clean(text: &str) {
    for secret in [TOKEN, TOKEN_MD5, CARD] {
        assert!(!text.contains(secret), "secret {secret} leaked in:\n{text}");
    }
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn tracing_output_has_calls_but_no_secrets() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let world = World::start().await;
    world
        .client
        .secure_pay(&world.payment("1.00", "traced"))
        .await
        .unwrap();
    let _ = world.client.express_pay(&express()).await;
    let _ = world
        .client
        .tran_query(&TranQueryRequest::new().reference("missing"))
        .await;

    let text =
        String::from_utf8_lossy(&capture.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned();
    assert!(
        text.contains("pockyt.call") && text.contains("secure_pay") && text.contains("000021"),
        "{text}"
    );
    assert_clean(&text);
}
