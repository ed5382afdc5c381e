//! The `--ledger` file: a CSV of the merchant's payments, read by hand (RFC 4180 quoting, a
//! header naming the columns) so that a bad row is named by its line, never a panic.

use pockyt::reconcile::LedgerRecord;
use pockyt::types::{Amount, Currency, GatewayTime, TransactionStatus};

/// The columns, by header name: the first [`REQUIRED`] must be there, the others may.
const COLUMNS: [&str; 7] = [
    "reference",
    "amount",
    "currency",
    "time",
    "status",
    "refunded",
    "transaction_no",
];
const REQUIRED: usize = 4;

/// Reads the ledger's `text`: a header line, then one payment per line.
pub(crate) fn parse(text: &str) -> Result<Vec<LedgerRecord>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = rows(text)?.into_iter();
    let Some((line, header)) = rows.next() else {
        return Err(format!(
            "the ledger is empty: its first line names the columns ({})",
            COLUMNS[..REQUIRED].join(",")
        ));
    };
    let columns = Columns::new(line, &header)?;
    rows.map(|(line, fields)| columns.record(line, &fields))
        .collect()
}

/// Where each known column is.
struct Columns {
    width: usize,
    at: [Option<usize>; 7],
}

impl Columns {
    fn new(line: usize, header: &[String]) -> Result<Self, String> {
        let mut at = [None; 7];
        for (i, name) in header.iter().enumerate() {
            let name = name.trim();
            let slot = COLUMNS
                .iter()
                .position(|known| known.eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    format!(
                        "line {line}: unknown column `{name}` (columns: {}, and optionally {})",
                        COLUMNS[..REQUIRED].join(","),
                        COLUMNS[REQUIRED..].join(",")
                    )
                })?;
            if at[slot].replace(i).is_some() {
                return Err(format!("line {line}: column `{name}` is named twice"));
            }
        }
        if let Some(missing) = COLUMNS[..REQUIRED]
            .iter()
            .zip(at)
            .find(|(_, i)| i.is_none())
        {
            return Err(format!(
                "line {line}: the header has no `{}` column",
                missing.0
            ));
        }
        Ok(Self {
            width: header.len(),
            at,
        })
    }

    fn record(&self, line: usize, fields: &[String]) -> Result<LedgerRecord, String> {
        if fields.len() != self.width {
            return Err(format!(
                "line {line}: {} fields where the header has {}",
                fields.len(),
                self.width
            ));
        }
        let get = |slot: usize| {
            self.at[slot]
                .and_then(|i| fields.get(i))
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
        };
        let need = |slot: usize| {
            get(slot).ok_or_else(|| format!("line {line}: `{}` is empty", column_name(slot)))
        };
        let amount = |slot: usize, text: &str| {
            Amount::parse(text)
                .map_err(|e| format!("line {line}: `{}` is not an amount: {e}", column_name(slot)))
        };
        let at = GatewayTime::new(need(3)?)
            .to_utc()
            .map_err(|e| format!("line {line}: {e}"))?;
        let mut record = LedgerRecord::new(
            need(0)?,
            amount(1, need(1)?)?,
            currency(line, need(2)?)?,
            at,
        );
        if let Some(status) = get(4) {
            record = record.status(status_of(line, status)?);
        }
        if let Some(refunded) = get(5) {
            record = record.refunded(amount(5, refunded)?);
        }
        if let Some(number) = get(6) {
            record = record.transaction_no(number);
        }
        Ok(record)
    }
}

/// An ISO 4217 code, in either case: `usd` is `USD` (a code the gateway may add later is kept).
fn currency(line: usize, text: &str) -> Result<Currency, String> {
    if text.len() != 3 || !text.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(format!(
            "line {line}: `{text}` is not a currency code (three letters, such as USD)"
        ));
    }
    Ok(Currency::from(text.to_ascii_uppercase().as_str()))
}

/// One of the gateway's statuses, in either case; another word would differ on every row.
fn status_of(line: usize, text: &str) -> Result<TransactionStatus, String> {
    match TransactionStatus::from(text.to_ascii_lowercase().as_str()) {
        TransactionStatus::Unknown(_) => {
            let known: Vec<&str> = TransactionStatus::KNOWN
                .iter()
                .map(|s| s.as_str())
                .collect();
            Err(format!(
                "line {line}: `{text}` is not a status the gateway uses ({})",
                known.join(", ")
            ))
        }
        status => Ok(status),
    }
}

fn column_name(slot: usize) -> &'static str {
    COLUMNS.get(slot).copied().unwrap_or("?")
}

/// The non-blank lines' fields, each with its (first) line number.
fn rows(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let mut rows = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while chars.peek().is_some() {
        let start = line;
        let mut fields = vec![String::new()];
        let mut quoted = false;
        let mut opened = false;
        loop {
            let Some(c) = chars.next() else {
                if quoted {
                    return Err(format!("line {start}: a quoted field is never closed"));
                }
                break;
            };
            let field = fields
                .last_mut()
                .ok_or_else(|| format!("line {line}: no field"))?;
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                ('"', true) => {
                    quoted = false;
                    // After a closing quote only a separator or the line's end may follow.
                    if !matches!(chars.peek(), None | Some(',' | '\n' | '\r')) {
                        return Err(format!("line {line}: text after a closing quote"));
                    }
                }
                ('"', false) if field.is_empty() && !opened => {
                    quoted = true;
                    opened = true;
                }
                ('"', false) => {
                    return Err(format!("line {line}: a quote inside an unquoted field"));
                }
                (',', false) => {
                    fields.push(String::new());
                    opened = false;
                }
                ('\n', false) => {
                    line += 1;
                    break;
                }
                ('\r', false) if chars.peek() == Some(&'\n') => {}
                (c, _) => {
                    if c == '\n' {
                        line += 1;
                    }
                    field.push(c);
                }
            }
        }
        let blank = fields.len() == 1 && fields[0].trim().is_empty() && !opened;
        if !blank {
            rows.push((start, fields));
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ledger_reads_with_quotes_crlf_any_column_order_and_blank_lines() {
        let text = "\u{feff}time,Reference,amount,currency,refunded,status\r\n\
                    2026-12-07 00:00:10,\"order, \"\"1\"\"\",10.00,usd,,Success\r\n\
                    \r\n\
                    2026-12-07T01:00:00Z,order-2,25.00,USD,5.00,\n";
        let records = parse(text).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].reference, "order, \"1\"");
        assert_eq!(records[0].status, Some(TransactionStatus::Success));
        assert_eq!(records[0].at.unix_timestamp(), 1_796_572_810);
        assert_eq!(records[1].refunded, Amount::parse("5.00").unwrap());
        assert_eq!(records[1].status, None);
    }

    #[test]
    fn every_bad_input_is_named_by_its_line() {
        let header = "reference,amount,currency,time\n";
        let cases = [
            ("", "the ledger is empty"),
            (
                "reference,amount,currency\n",
                "line 1: the header has no `time` column",
            ),
            (
                "reference,amount,currency,time,colour\n",
                "line 1: unknown column `colour`",
            ),
            (
                "reference,amount,amount,time,currency\n",
                "line 1: column `amount` is named twice",
            ),
            ("x,1.00,USD\n", "line 2: 3 fields where the header has 4"),
            (
                "x,ten,USD,2026-12-07 00:00:00\n",
                "line 2: `amount` is not an amount",
            ),
            ("x,1.00,USD,tomorrow\n", "line 2: `tomorrow` is not a time"),
            (
                ",1.00,USD,2026-12-07 00:00:00\n",
                "line 2: `reference` is empty",
            ),
            (
                "\"x,1.00,USD,2026-12-07 00:00:00\n",
                "line 2: a quoted field is never closed",
            ),
            (
                "x\"y,1.00,USD,2026-12-07 00:00:00\n",
                "line 2: a quote inside an unquoted field",
            ),
            (
                "\"ab\"c,1.00,USD,2026-12-07 00:00:00\n",
                "line 2: text after a closing quote",
            ),
            (
                "x,1.00,US,2026-12-07 00:00:00\n",
                "line 2: `US` is not a currency code",
            ),
            (
                "reference,amount,currency,time,status\nx,1.00,USD,2026-12-07 00:00:00,paid\n",
                "line 2: `paid` is not a status",
            ),
        ];
        for (body, expected) in cases {
            let text = if body.starts_with("reference") || body.is_empty() {
                body.to_owned()
            } else {
                format!("{header}{body}")
            };
            let err = parse(&text).unwrap_err();
            assert!(err.starts_with(expected), "{text:?}: {err}");
        }
    }

    proptest::proptest! {
        #[test]
        fn no_text_panics_the_reader(text in "[a-z0-9,\"\r\n. :-]{0,80}") {
            let _ = parse(&text);
        }
    }
}
