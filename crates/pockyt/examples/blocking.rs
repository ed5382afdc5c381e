//! The blocking client in synchronous code: query a payment by reference.
//!
//! ```sh
//! POCKYT_MERCHANT_NO=… POCKYT_STORE_NO=… POCKYT_TOKEN=… \
//!     cargo run -p pockyt --features blocking --example blocking -- order-20240101-0001
//! ```

use pockyt::Config;
use pockyt::blocking::Client;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let reference = std::env::args().nth(1).ok_or("usage: blocking REFERENCE")?;
    let client = Client::new(Config::from_env()?)?;
    match client.find_by_reference(&reference)? {
        Some(payment) => println!("{reference}: {:?}, {:?}", payment.status, payment.amount),
        None => println!("{reference}: no such payment"),
    }
    Ok(())
}
