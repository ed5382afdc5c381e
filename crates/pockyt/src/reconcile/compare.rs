//! The comparison itself, on lists already fetched: no I/O, so it can be tested on any input.

use std::collections::HashMap;

use pockyt_types::time::OffsetDateTime;
use pockyt_types::{Amount, TimeError, Transaction, TransactionStatus, TransactionType};

use super::{Difference, LedgerRecord, Window};

/// Compares the gateway's `transactions` (as trans-list returns them, margins included) with your
/// `records`, in both directions, for the days of `window`.
///
/// - A gateway payment is in the window when its `paymentTime` (or, unpaid or unreadable, its
///   `createTime`) is. One in the window that no record matches is
///   [`Difference::MissingInLedger`], unless no money moved: a payment left `init`, `dealing`,
///   `pending`, `failed`, `fail` or `closed` with no row of yours is an abandoned checkout, not a
///   difference.
/// - A record is in the window when its `at` is; one in the window that no gateway payment
///   matches is [`Difference::MissingAtGateway`].
/// - A pair is matched by `reference` (or, for a gateway record without one, by the record's
///   `transaction_no`) wherever in the asked-for days the gateway filed it, and compared when
///   either side is in the window: amount, currency, status (if your record has one) and refund
///   total.
/// - The gateway's refund total is the payment's `refundAmount`. When the payment carries none,
///   it is the sum of the successful refund records (`transactionType` `refund`, or another
///   record naming it by `originalTransactionNo`) in the asked-for days: a refund made after
///   them is not seen. Voids are not refunds, and change no total.
/// - A gateway payment whose time cannot be read, and that no record matches, is
///   [`Difference::TimeUnreadable`] (whether it is in the window is unknown).
///
/// The differences come in this order: references your books hold twice, then the gateway's
/// records in its order, then your records in theirs.
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
        let time = when(payment);
        let found = match &payment.reference {
            Some(reference) => by_reference.get(reference.as_str()),
            None => payment
                .transaction_no
                .as_deref()
                .and_then(|number| by_number.get(number)),
        };
        match (found.and_then(|&i| Some((i, records.get(i)?))), time) {
            (Some((i, record)), time) => {
                if let Some(seen) = matched.get_mut(i) {
                    *seen = true;
                }
                let in_window = time.as_ref().is_ok_and(|at| window.contains(*at));
                if in_window || window.contains(record.at) {
                    differences.extend(differ(payment, record, &refunds));
                }
            }
            (None, Ok(at)) if window.contains(at) && moved_money(payment) => {
                differences.push(Difference::MissingInLedger(Box::new(payment.clone())));
            }
            (None, Err(error)) if moved_money(payment) => {
                differences.push(Difference::TimeUnreadable {
                    transaction: Box::new(payment.clone()),
                    error,
                });
            }
            (None, _) => {}
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

/// When a gateway payment happened: its `paymentTime`, else (unpaid, or a payment time that
/// cannot be read) its `createTime`; the error of the time it carries when none can be read, and
/// `None` when it carries none.
fn when(payment: &Transaction) -> Result<OffsetDateTime, Option<TimeError>> {
    let paid = payment.payment_time.as_ref().map(|t| t.to_utc());
    let created = payment.create_time.as_ref().map(|t| t.to_utc());
    match (paid, created) {
        (Some(Ok(at)), _) | (_, Some(Ok(at))) => Ok(at),
        (Some(Err(error)), _) | (None, Some(Err(error))) => Err(Some(error)),
        (None, None) => Err(None),
    }
}

/// Whether money may have moved: a payment that is not known to have stayed unpaid.
fn moved_money(payment: &Transaction) -> bool {
    !matches!(
        payment.transaction_status,
        Some(
            TransactionStatus::Init
                | TransactionStatus::Dealing
                | TransactionStatus::Pending
                | TransactionStatus::Failed
                | TransactionStatus::Fail
                | TransactionStatus::Closed
        )
    )
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

/// Per original transaction number, the sum of its successful refunds (`None`: too large to add
/// up in 18 digits).
type RefundSums<'a> = HashMap<&'a str, Option<Amount>>;

/// The payments, and the successful refunds summed per original transaction number. Voids and
/// refunds that did not succeed are neither payments nor refunds.
fn split_refunds(transactions: &[Transaction]) -> (Vec<&Transaction>, RefundSums<'_>) {
    let mut payments = Vec::new();
    let mut refunds: RefundSums<'_> = HashMap::new();
    for t in transactions {
        let kind = t.transaction_type.as_ref();
        let is_payment = matches!(kind, None | Some(TransactionType::Payment))
            && t.original_transaction_no.is_none();
        if is_payment {
            payments.push(t);
            continue;
        }
        let counts = !matches!(kind, Some(TransactionType::Void))
            && matches!(
                t.transaction_status,
                None | Some(TransactionStatus::Success)
            );
        match (&t.original_transaction_no, counts) {
            (Some(original), true) => {
                let amount = t.amount.clone().unwrap_or_else(Amount::zero);
                let total = refunds
                    .entry(original.as_str())
                    .or_insert_with(|| Some(Amount::zero()));
                *total = total.as_ref().and_then(|sum| sum.checked_add(&amount));
            }
            (Some(_), false) => {}
            // A refund that names no payment cannot be placed: it is kept as a payment-like
            // record so it is reported rather than silently dropped.
            (None, _) => payments.push(t),
        }
    }
    (payments, refunds)
}

/// The differences between a matched pair.
fn differ(
    payment: &Transaction,
    record: &LedgerRecord,
    refunds: &RefundSums<'_>,
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
    let refunded = match &payment.refund_amount {
        Some(amount) => Some(amount.clone()),
        None => payment
            .transaction_no
            .as_deref()
            .and_then(|number| refunds.get(number).cloned())
            .unwrap_or_else(|| Some(Amount::zero())),
    };
    if refunded.as_ref() != Some(&record.refunded) {
        found.push(Difference::RefundTotalDiffers {
            reference: reference(),
            ledger: record.refunded.clone(),
            gateway: refunded,
        });
    }
    found
}
