//! Record the gateway's answers and replay them offline (feature `test-util`).
//!
//! [`RecordingTransport`] wraps any [`Transport`](crate::Transport) and keeps every exchange
//! (request path and pairs, response status, the headers that matter, body) in a [`Cassette`],
//! with secrets and personal data redacted before anything is kept: `verifySign`, card data,
//! names, addresses, e-mail and phone, and any text you name (the API token). A cassette is
//! stable JSON, meant to be reviewed and committed. [`ReplayTransport`] answers from a cassette:
//! a request matches an exchange by path and pairs, ignoring the signature, timestamps and the
//! values that were redacted; a request nothing matches fails with a message that names the
//! closest exchange and the fields that differ.
//!
//! ```
//! use pockyt::testing::{Cassette, RecordingTransport, ReplayTransport};
//! use pockyt::transport::MockTransport;
//! use pockyt::types::TranQueryRequest;
//! use pockyt::{Client, Config};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // Record (here against a scripted gateway; in real use, the sandbox).
//! let gateway = MockTransport::new();
//! gateway.push_json(200, r#"{"ret_code":"000100","ret_msg":"query success","result":{"status":"success"}}"#);
//! let recorder = RecordingTransport::new(gateway).redact_text("my-api-token");
//! let config = Config::new("200043", "300014", "my-api-token")?.with_base_url("https://gateway.test");
//! let client = Client::builder(config.clone()).transport(recorder.clone()).build()?;
//! client.tran_query(&TranQueryRequest::new().reference("order-1")).await?;
//! let cassette: Cassette = recorder.cassette();
//! let json = cassette.to_json()?; // commit this file
//!
//! // Replay offline.
//! let replay = ReplayTransport::new(Cassette::from_json(&json)?);
//! let client = Client::builder(config).transport(replay.clone()).build()?;
//! let found = client.tran_query(&TranQueryRequest::new().reference("order-1")).await?;
//! assert_eq!(found.status, Some(pockyt::types::TransactionStatus::Success));
//! replay.all_played()?;
//! # Ok(())
//! # }
//! ```

mod cassette;
mod record;
mod redact;
mod replay;

pub use cassette::{Cassette, CassetteError, Exchange, RecordedRequest, RecordedResponse};
pub use record::RecordingTransport;
pub use redact::{REDACTED, REDACTED_FIELDS};
pub use replay::{ReplayError, ReplayTransport};
