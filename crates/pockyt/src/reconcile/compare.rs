//! The comparison itself, on lists already fetched: no I/O, so it can be tested on any input.

use std::collections::HashMap;

use pockyt_types::{Amount, Transaction, TransactionType};

use super::{Difference, LedgerRecord, Window};

/// Compares the gateway's `transactions` (as trans-list returns them, margins included) with your
/// `records`, in both directions, for the days of `window`.
///
/// - A gateway payment is in the window when its `paymentTime` (or, unpaid, its `createTime`)
///   is; one in the window that no record matches is [`Difference::MissingInLedger`].
/// - A record is in the window when its `at` is; one in the window that no gateway payment
///   matches is [`Difference::MissingAtGateway`].
/// - A pair is matched by `reference` (or, for a gateway record without one, by the record's
///   `transaction_no`) wherever in the asked-for days the gateway filed it, and compared when
///   either side is in the window: amount, currency, status (if your record has one) and refund
///   total.
/// - Refund and void records (`transactionType` other than `payment`, or an
///   `originalTransactionNo`) are not payments: they add to their payment's refund total when
///   the payment carries no `refundAmount` of its own.
///
/// The differences come in the gateway's order, then your records' order.
pub fn compare(
    window: &Window,
    transactions: &[Transaction],
    records: &[LedgerRecord],
) -> Vec<Difference> {
    let mut differences = duplicates(window, records);
    let (payments, refunds) = split_refunds(transactions);
    let by_reference = first_by(records, |r| Some(r.reference.as_str()));
    let by_number = first_by(records, |r| r.transaction_no.as_deref());
    let mut matched = vec![false; records.len()];
    for payment in payments {
        let time = payment
            .payment_time
            .as_ref()
            .or(payment.create_time.as_ref())
            .map(|t| t.to_utc());
        let in_window = match time {
            Some(Ok(at)) => window.contains(at),
            Some(Err(error)) => {
                differences.push(Difference::TimeUnreadable {
                    transaction: Box::new(payment.clone()),
                    error,
                });
                continue;
            }
            // A record with no time at all came from the asked-for days: judge it as in them.
            None => true,
        };
        let found = match &payment.reference {
            Some(reference) => by_reference.get(reference.as_str()),
            None => payment
                .transaction_no
                .as_deref()
                .and_then(|number| by_number.get(number)),
        };
        match found.and_then(|&i| Some((i, records.get(i)?))) {
            Some((i, record)) => {
                if let Some(seen) = matched.get_mut(i) {
                    *seen = true;
                }
                if in_window || window.contains(record.at) {
                    differences.extend(differ(payment, record, &refunds));
                }
            }
            None if in_window => {
                differences.push(Difference::MissingInLedger(Box::new(payment.clone())))
            }
            None => {}
        }
    }
    differences.extend(
        records
            .iter()
            .zip(matched)
            .enumerate()
            // A second row of a reference is told as a duplicate, not as missing once more.
            .filter(|(i, (r, seen))| {
                !seen && window.contains(r.at) && by_reference.get(r.reference.as_str()) == Some(i)
            })
            .map(|(_, (r, _))| Difference::MissingAtGateway(Box::new(r.clone()))),
    );
    differences
}

/// The index of the first record of each key (the others are [`Difference::DuplicateInLedger`]).
fn first_by<'a>(
    records: &'a [LedgerRecord],
    key: impl Fn(&'a LedgerRecord) -> Option<&'a str>,
) -> HashMap<&'a str, usize> {
    let mut map = HashMap::new();
    for (i, record) in records.iter().enumerate() {
        if let Some(k) = key(record) {
            map.entry(k).or_insert(i);
        }
    }
    map
}

/// References held by more than one record, one of them in the window.
fn duplicates(window: &Window, records: &[LedgerRecord]) -> Vec<Difference> {
    let mut rows: HashMap<&str, (usize, bool)> = HashMap::new();
    let mut order = Vec::new();
    for record in records {
        let entry = rows.entry(record.reference.as_str()).or_insert_with(|| {
            order.push(record.reference.as_str());
            (0, false)
        });
        entry.0 += 1;
        entry.1 |= window.contains(record.at);
    }
    order
        .into_iter()
        .filter_map(|reference| match rows.get(reference) {
            Some(&(count, true)) if count > 1 => Some(Difference::DuplicateInLedger {
                reference: reference.to_owned(),
                rows: count,
            }),
            _ => None,
        })
        .collect()
}

/// The payments, and the refunds and voids summed per original transaction number.
fn split_refunds(transactions: &[Transaction]) -> (Vec<&Transaction>, HashMap<&str, Amount>) {
    let mut payments = Vec::new();
    let mut refunds: HashMap<&str, Amount> = HashMap::new();
    for t in transactions {
        let is_payment = matches!(t.transaction_type, None | Some(TransactionType::Payment))
            && t.original_transaction_no.is_none();
        match (&t.original_transaction_no, is_payment) {
            (_, true) => payments.push(t),
            (Some(original), false) => {
                let amount = t.amount.clone().unwrap_or_else(Amount::zero);
                let total = refunds
                    .entry(original.as_str())
                    .or_insert_with(Amount::zero);
                // Amounts are bounded far below where a sum could overflow; keep the larger
                // rather than lose a refund if one ever did.
                *total = total.checked_add(&amount).unwrap_or(amount);
            }
            // A refund that names no payment cannot be placed: it is kept as a payment-like
            // record so it is not silently dropped (it will not match a row of yours).
            (None, false) => payments.push(t),
        }
    }
    (payments, refunds)
}

/// The differences between a matched pair.
fn differ(
    payment: &Transaction,
    record: &LedgerRecord,
    refunds: &HashMap<&str, Amount>,
) -> Vec<Difference> {
    let reference = || record.reference.clone();
    let mut found = Vec::new();
    if payment.amount.as_ref() != Some(&record.amount) {
        found.push(Difference::AmountDiffers {
            reference: reference(),
            ledger: record.amount.clone(),
            gateway: payment.amount.clone(),
        });
    }
    if payment.currency.as_ref() != Some(&record.currency) {
        found.push(Difference::CurrencyDiffers {
            reference: reference(),
            ledger: record.currency.clone(),
            gateway: payment.currency.clone(),
        });
    }
    if let Some(status) = &record.status
        && payment.transaction_status.as_ref() != Some(status)
    {
        found.push(Difference::StatusDiffers {
            reference: reference(),
            ledger: status.clone(),
            gateway: payment.transaction_status.clone(),
        });
    }
    let refunded = payment.refund_amount.clone().unwrap_or_else(|| {
        payment
            .transaction_no
            .as_deref()
            .and_then(|number| refunds.get(number).cloned())
            .unwrap_or_else(Amount::zero)
    });
    if refunded != record.refunded {
        found.push(Difference::RefundTotalDiffers {
            reference: reference(),
            ledger: record.refunded.clone(),
            gateway: refunded,
        });
    }
    found
}
