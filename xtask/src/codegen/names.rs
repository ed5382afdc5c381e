//! Turning wire names into Rust names.

/// `transactionNo` → `transaction_no`, `street2` → `street2`; keywords get a raw prefix.
pub fn snake(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len() + 4);
    let mut prev_lower = false;
    for c in wire.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else {
            out.push(c);
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        }
    }
    if is_keyword(&out) {
        format!("r#{out}")
    } else {
        out
    }
}

/// The wire name serde's `rename_all = "camelCase"` gives a field named `ident`.
pub fn camel(ident: &str) -> String {
    let mut out = String::with_capacity(ident.len());
    let mut upper_next = false;
    for c in ident.trim_start_matches("r#").chars() {
        if c == '_' {
            upper_next = true;
        } else if upper_next {
            out.push(c.to_ascii_uppercase());
            upper_next = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn is_keyword(word: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod",
        "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait",
        "true", "try", "type", "unsafe", "use", "where", "while", "abstract", "become", "box",
        "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield",
    ];
    KEYWORDS.contains(&word)
}

/// Escapes text for a `///` doc comment line.
pub fn doc(text: &str) -> String {
    text.lines()
        .map(|line| format!("/// {line}\n"))
        .collect::<String>()
        .replace("///  ", "/// ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_cases_wire_names() {
        assert_eq!(snake("transactionNo"), "transaction_no");
        assert_eq!(snake("cardExpYear"), "card_exp_year");
        assert_eq!(snake("street2"), "street2");
        assert_eq!(snake("openid"), "openid");
        assert_eq!(snake("type"), "r#type");
    }

    #[test]
    fn camel_is_serdes_reading_of_a_snake_name() {
        for wire in ["transactionNo", "street2", "openid", "type", "cardExpYear"] {
            assert_eq!(camel(&snake(wire)), wire);
        }
        assert_eq!(camel("ret_code"), "retCode");
    }
}
