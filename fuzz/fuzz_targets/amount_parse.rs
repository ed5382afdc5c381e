//! Any text as an amount: parse, format, convert, compare and add never panic, and what parses
//! prints back as itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pockyt_types::{Amount, Currency};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(amount) = Amount::parse(text) {
            assert_eq!(amount.as_str(), text);
            let _ = amount.to_minor(&Currency::Usd);
            let _ = amount.to_minor(&Currency::Jpy);
            let _ = amount.checked_add(&amount);
            let _ = amount.checked_sub(&amount);
            assert_eq!(Amount::parse(&amount.to_string()).ok(), Some(amount));
        }
    }
    let _ = serde_json::from_slice::<Amount>(data);
});
