//! What each added merchant costs when many share one transport, measured as resident memory.
//!
//! ```text
//! cargo run --release -p pockyt-bench --bin merchants [N]
//! ```
//! Builds N clients (default 10,000) over one shared `HyperTransport` (one pool, one TLS
//! configuration), then 100 clients with a transport each, and prints the growth of the
//! process's resident memory (`VmRSS`) per client for both. No network: building a client opens
//! no connection.

use std::process::ExitCode;
use std::sync::Arc;

use pockyt::{Client, Config, Transport};
use pockyt_transport::HyperTransport;

fn main() -> ExitCode {
    let count = match std::env::args().nth(1).map(|n| n.parse::<usize>()) {
        None => 10_000,
        Some(Ok(n)) if n > 0 => n,
        _ => {
            eprintln!("usage: merchants [N]");
            return ExitCode::from(2);
        }
    };
    match measure(count) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("merchants: {message}");
            ExitCode::FAILURE
        }
    }
}

fn measure(count: usize) -> Result<(), String> {
    let config = |i: usize| {
        Config::new(
            format!("6{i:05}"),
            format!("7{i:05}"),
            &format!("token-{i}"),
        )
        .map(|c| c.with_base_url("https://mapi.yuansferdev.com"))
        .map_err(|e| e.to_string())
    };
    let transport: Arc<dyn Transport> = Arc::new(
        HyperTransport::builder()
            .build()
            .map_err(|e| e.to_string())?,
    );
    let before = resident_bytes()?;
    let shared: Vec<Client> = (0..count)
        .map(|i| {
            Client::builder(config(i)?)
                .shared_transport(transport.clone())
                .build()
                .map_err(|e| e.to_string())
        })
        .collect::<Result<_, _>>()?;
    let after = resident_bytes()?;
    println!(
        "{count} clients over one shared transport: {} bytes resident per merchant",
        after.saturating_sub(before) / count as u64
    );
    const OWN: usize = 100;
    let before = resident_bytes()?;
    let own: Vec<Client> = (0..OWN)
        .map(|i| Client::new(config(i)?).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let after = resident_bytes()?;
    println!(
        "{OWN} clients with a transport each: {} bytes resident per merchant",
        after.saturating_sub(before) / OWN as u64
    );
    drop((shared, own));
    Ok(())
}

/// The process's resident memory (Linux `VmRSS`), in bytes.
fn resident_bytes() -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| e.to_string())?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
        .map(|kib| kib * 1024)
        .ok_or_else(|| "no VmRSS in /proc/self/status".to_owned())
}
