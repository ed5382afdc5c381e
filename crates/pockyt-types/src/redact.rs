//! Masking what must never reach a log: anything that looks like a key, a signature or a card number.
//!
//! Used on every piece of gateway text that ends up in an error message (body snippets, decoder
//! messages, which quote the offending value).

/// Replaces runs that look like secrets with `<redacted>`: 32 or more hex characters (md5 keys,
/// signatures), and 13 to 19 digits, possibly grouped by spaces or dashes, that pass the Luhn check
/// (card numbers). Transaction numbers, dates and amounts are kept.
///
/// ```
/// let masked = pockyt_types::redact::mask("card 4111 1111 1111 1111, key 186abea4b8610d7ff03768255588597a.");
/// assert_eq!(masked, "card <redacted>, key <redacted>.");
/// ```
pub fn mask(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let joins_digits = (c == ' ' || c == '-')
            && run.chars().last().is_some_and(|p| p.is_ascii_digit())
            && run
                .chars()
                .all(|p| p.is_ascii_digit() || p == ' ' || p == '-')
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c.is_ascii_alphanumeric() || joins_digits {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

fn flush(run: &mut String, out: &mut String) {
    if looks_secret(run) {
        out.push_str("<redacted>");
    } else {
        out.push_str(run);
    }
    run.clear();
}

fn looks_secret(run: &str) -> bool {
    let hex = run.len() >= 32 && run.bytes().all(|b| b.is_ascii_hexdigit());
    let digits: Vec<u8> = run
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    let only_digits = run
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b' ' || b == b'-');
    hex || (only_digits && (13..=19).contains(&digits.len()) && luhn(&digits))
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_ordinary_text() {
        assert_eq!(
            mask("invalid amount `twelve` at line 1"),
            "invalid amount `twelve` at line 1"
        );
        assert_eq!(
            mask("12.50 USD, order-20240101, 2024-01-01 12:30:45"),
            "12.50 USD, order-20240101, 2024-01-01 12:30:45"
        );
        // A transaction number that fails the Luhn check stays readable.
        assert_eq!(
            mask("transactionNo 297553638300708562"),
            "transactionNo 297553638300708562"
        );
    }

    #[test]
    fn masks_cards_keys_and_signatures() {
        assert_eq!(mask("4111111111111111"), "<redacted>");
        assert_eq!(mask("pan 4111-1111-1111-1111 ok"), "pan <redacted> ok");
        assert_eq!(mask("B87DBBD26654229E60E94095833D70E5"), "<redacted>");
        assert_eq!(
            mask("`4111111111111111186abea4b8610d7ff03768255588597a`"),
            "`<redacted>`"
        );
    }
}
