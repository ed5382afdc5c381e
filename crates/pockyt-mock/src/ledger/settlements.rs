//! Settlements: what the gateway pays a store for its payments, day by day, in each settle
//! currency. The terms are the simulator's (Pockyt documents neither its settlement delay, its
//! fees nor the fields of a `settle-list` item), so a reconciliation can be tested locally:
//! - a payment paid on the gateway's day P (UTC+8) settles on day P + `after_days`, less its fee,
//!   `fee_basis_points` of its amount rounded half up to the settle currency's minor unit;
//! - a refund made on day R is deducted on day R + `after_days`; the fee is not given back;
//! - a day's item exists once the simulated today has reached it, and only if it has something.
//!
//! Nothing is stored: the items are read from the payments and refunds as they are, so they can
//! never disagree with `trans-list`. The simulator converts nothing: a payment settles only when
//! its currency is its settle currency, at that currency's precision; a payment in another
//! currency, or whose settle currency has no known precision, is not settled.

use std::collections::BTreeMap;

use pockyt_types::{Amount, Currency, GatewayDate, SettleCurrency, currency_decimals};

use super::books::Ledger;
use super::refusal::Refusal;
use crate::clock::gateway_day;
use crate::config::Merchant;

/// One settlement: a day's payments and refunds in one settle currency.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SettlementItem {
    /// The settlement day, `YYYYMMDD`.
    pub(crate) date: String,
    /// The day whose payments it settles, `YYYYMMDD`.
    pub(crate) payment_date: String,
    pub(crate) currency: SettleCurrency,
    /// The payments settled, before fees and refunds.
    pub(crate) gross: Amount,
    pub(crate) fee: Amount,
    /// The refunds deducted.
    pub(crate) refunds: Amount,
    /// What is paid out: gross − fee − refunds (negative when refunds outweigh the payments).
    pub(crate) net: Amount,
    /// How many payments `gross` counts.
    pub(crate) count: u64,
}

/// One (day, currency)'s running sums, in the currency's minor units.
#[derive(Default)]
struct Tally {
    gross: i128,
    fee: i128,
    refunds: i128,
    count: u64,
}

impl Tally {
    fn payment(&mut self, gross: i128, fee: i128) -> Result<(), Refusal> {
        self.gross = self
            .gross
            .checked_add(gross)
            .ok_or(Refusal::SettlementOverflow)?;
        self.fee = self
            .fee
            .checked_add(fee)
            .ok_or(Refusal::SettlementOverflow)?;
        self.count = self.count.saturating_add(1);
        Ok(())
    }

    fn refund(&mut self, amount: i128) -> Result<(), Refusal> {
        self.refunds = self
            .refunds
            .checked_add(amount)
            .ok_or(Refusal::SettlementOverflow)?;
        Ok(())
    }
}

/// The tallies of the settlements that have come, by (settlement day, settle currency's code):
/// a `SettleCurrency` has no order of its own.
struct Tallies {
    by_day: BTreeMap<(GatewayDate, String), (SettleCurrency, Tally)>,
    after_days: i64,
    today: GatewayDate,
}

impl Tallies {
    /// The tally that settles what happened on `day` in `currency`, if its day has come.
    fn due(&mut self, day: GatewayDate, currency: &SettleCurrency) -> Option<&mut Tally> {
        // A settlement day past the calendar's end never comes.
        let settles = day.add_days(self.after_days).ok()?;
        if settles > self.today {
            return None;
        }
        let (_, tally) = self
            .by_day
            .entry((settles, currency.as_str().to_owned()))
            .or_insert_with(|| (currency.clone(), Tally::default()));
        Some(tally)
    }
}

impl Ledger {
    /// `owner`'s settlement items whose day is from `start` to `end` (both included)
    /// and not after the simulated today, by day, then currency.
    pub(crate) fn settlements(
        &self,
        owner: &Merchant,
        start: GatewayDate,
        end: GatewayDate,
    ) -> Result<Vec<SettlementItem>, Refusal> {
        let terms = self.settlement;
        let after = i64::from(terms.after_days);
        let mut tallies = Tallies {
            by_day: BTreeMap::new(),
            after_days: after,
            today: gateway_day(self.now()),
        };
        let records = self.lock();
        for payment in records
            .payments
            .values()
            .filter(|p| owner.owns(&p.merchant_no, &p.store_no))
        {
            let currency = &payment.settle_currency;
            // Converting nothing, the simulator settles a payment only in its own currency: a
            // face-value sum of yen into dollars would be a figure no gateway pays.
            if payment.currency.as_str() != currency.as_str() {
                continue;
            }
            let in_currency = Currency::from(currency.as_str());
            if currency_decimals(&in_currency).is_none() {
                continue;
            }
            // Exact: the rules refuse an amount with more decimals than its currency has, so
            // only its size can fail here.
            let minor = |amount: &Amount| {
                amount
                    .to_minor(&in_currency)
                    .map(i128::from)
                    .map_err(|_| Refusal::SettlementOverflow)
            };
            if let Some(paid_at) = payment.paid_at
                && let Some(tally) = tallies.due(gateway_day(paid_at), currency)
            {
                let gross = minor(&payment.amount)?;
                tally.payment(gross, fee_minor(gross, terms.fee_basis_points))?;
            }
            for refund in &payment.refunds {
                if let Some(tally) = tallies.due(gateway_day(refund.refunded_at), currency) {
                    tally.refund(minor(&refund.amount)?)?;
                }
            }
        }
        drop(records);
        let mut items = Vec::new();
        for ((day, _), (currency, tally)) in tallies.by_day {
            if day < start || end < day {
                continue;
            }
            let date = day.to_string();
            let as_currency = Currency::from(currency.as_str());
            let money = |minor: i128| {
                i64::try_from(minor)
                    .ok()
                    .and_then(|units| Amount::from_minor(units, &as_currency).ok())
                    .ok_or(Refusal::SettlementOverflow)
            };
            let net = tally
                .gross
                .checked_sub(tally.fee)
                .and_then(|rest| rest.checked_sub(tally.refunds))
                .ok_or(Refusal::SettlementOverflow)?;
            items.push(SettlementItem {
                date,
                payment_date: day.add_days(-after).unwrap_or(day).to_string(),
                gross: money(tally.gross)?,
                fee: money(tally.fee)?,
                refunds: money(tally.refunds)?,
                net: money(net)?,
                count: tally.count,
                currency,
            });
        }
        Ok(items)
    }

    /// Whether the payments of `payment_date` are settled: their settlement day has come on the
    /// simulated today.
    pub(crate) fn is_settled(&self, payment_date: GatewayDate) -> bool {
        let after = i64::from(self.settlement.after_days);
        // Nothing is settled before the calendar's first day plus the delay.
        gateway_day(self.now())
            .add_days(-after)
            .is_ok_and(|last_settled| payment_date <= last_settled)
    }
}

/// The fee on `gross` minor units at `basis_points`, rounded half up to a minor unit.
fn fee_minor(gross: i128, basis_points: u32) -> i128 {
    // Integer arithmetic all the way: 10,000 basis points make the whole.
    (gross * i128::from(basis_points) + 5_000).div_euclid(10_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fee_is_rounded_half_up_to_the_minor_unit() {
        // 100.00 at 2.90 %: exactly 2.90.
        assert_eq!(fee_minor(10_000, 290), 290);
        // 0.50 at 5 %: 2.5 cents, up to 3 (banker's rounding would give 2).
        assert_eq!(fee_minor(50, 500), 3);
        // 1.25 at 2 %: 2.5 cents, up to 3.
        assert_eq!(fee_minor(125, 200), 3);
        // 0.15 at 2.90 %: 0.435 cents, down to 0; 0.17: 0.493, down; 0.18: 0.522, up.
        assert_eq!(fee_minor(15, 290), 0);
        assert_eq!(fee_minor(17, 290), 0);
        assert_eq!(fee_minor(18, 290), 1);
        // 12.34 at 2.90 %: 35.786 cents, up to 36; 99.99: 289.971, up to 290.
        assert_eq!(fee_minor(1_234, 290), 36);
        assert_eq!(fee_minor(9_999, 290), 290);
        // 100 JPY at 2.90 %: 2.9 yen, up to 3.
        assert_eq!(fee_minor(100, 290), 3);
        assert_eq!(fee_minor(10_000, 0), 0);
    }
}
