//! A custom transport: wrap the default one to log each attempt's status and latency.
//!
//! Timeouts, retries, signing and decoding still come from the client; the transport makes one
//! attempt per call.
//!
//! ```sh
//! POCKYT_MERCHANT_NO=… POCKYT_STORE_NO=… POCKYT_TOKEN=… cargo run -p pockyt --example custom_transport -- REFERENCE
//! ```

use std::time::Instant;

use bytes::Bytes;
use pockyt::transport::{BoxFuture, HyperTransport};
use pockyt::{Client, Config, Transport, TransportError};

struct Logging<T>(T);

impl<T: Transport> Transport for Logging<T> {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            let path = request.uri().path().to_owned();
            let started = Instant::now();
            let result = self.0.send(request).await;
            match &result {
                Ok(response) => {
                    eprintln!("{path} -> {} in {:?}", response.status(), started.elapsed())
                }
                Err(error) => eprintln!(
                    "{path} failed in {:?}: {}",
                    started.elapsed(),
                    pockyt::DisplayChain(error)
                ),
            }
            result
        })
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let reference = std::env::args()
        .nth(1)
        .ok_or("usage: custom_transport REFERENCE")?;
    let client = Client::builder(Config::from_env()?)
        .transport(Logging(HyperTransport::new()?))
        .build()?;
    let found = client.find_by_reference(&reference).await?;
    println!("found: {}", found.is_some());
    Ok(())
}
