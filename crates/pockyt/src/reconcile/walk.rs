//! Walking the date-range lists: split into ranges the gateway serves, and split again where an
//! answer says it was cut.

use pockyt_types::{
    Endpoint, GatewayDate, SettleListRequest, Settlement, TransListRequest, Transaction,
};

use super::{LedgerRecord, Progress, ReconcileError, Report, Window, compare};
use crate::Client;

/// A list the reconciliation walks by date range.
trait DateList: Endpoint {
    type Item;
    const LIST: &'static str;
    fn range(from: GatewayDate, to: GatewayDate) -> Self;
    /// The answer's `size`, and its records.
    fn items(answer: Self::Response) -> (Option<i64>, Vec<Self::Item>);
}

impl DateList for TransListRequest {
    type Item = Transaction;
    const LIST: &'static str = "trans-list";
    fn range(from: GatewayDate, to: GatewayDate) -> Self {
        TransListRequest::new(from, to)
    }
    fn items(answer: Self::Response) -> (Option<i64>, Vec<Transaction>) {
        (answer.size, answer.transactions)
    }
}

impl DateList for SettleListRequest {
    type Item = Settlement;
    const LIST: &'static str = "settle-list";
    fn range(from: GatewayDate, to: GatewayDate) -> Self {
        SettleListRequest::new(from, to)
    }
    fn items(answer: Self::Response) -> (Option<i64>, Vec<Settlement>) {
        (answer.size, answer.settlements)
    }
}

/// Days from `from` to `to`, both included.
fn span(from: GatewayDate, to: GatewayDate) -> u32 {
    u32::try_from(from.days_until(to) + 1).unwrap_or(u32::MAX)
}

impl Client {
    /// Compares the gateway's payments in `window` with your `records`, both ways, and lists
    /// the window's settlements. `progress` is told after each list call that returned a whole
    /// range (for a progress line on long ranges).
    ///
    /// The transaction list is asked for the window and its margins (see [`Window`]), in
    /// ranges of at most [`Window::days_per_call`] days; a range whose answer says it holds more
    /// records than it carried is asked for again in halves. The comparison is
    /// [`compare`](super::compare). Every call is a read, so a failed run can simply be run again.
    pub async fn reconcile(
        &self,
        window: &Window,
        records: impl IntoIterator<Item = LedgerRecord>,
        mut progress: impl FnMut(&Progress),
    ) -> Result<Report, ReconcileError> {
        let records: Vec<LedgerRecord> = records.into_iter().collect();
        let (from, to) = window.asked();
        let mut calls = 0;
        let transactions: Vec<Transaction> = self
            .walk::<TransListRequest>(window, from, to, &mut calls, &mut progress)
            .await?;
        let settlements: Vec<Settlement> = self
            .walk::<SettleListRequest>(
                window,
                window.from(),
                window.to(),
                &mut calls,
                &mut progress,
            )
            .await?;
        Ok(Report {
            window: *window,
            differences: compare(window, &transactions, &records),
            transactions: transactions.len(),
            records: records.len(),
            settlements,
            calls,
        })
    }

    /// The gateway's transactions created in `window`'s asked-for days (margins included), as
    /// [`Client::reconcile`] fetches them.
    pub async fn transactions_in(
        &self,
        window: &Window,
        mut progress: impl FnMut(&Progress),
    ) -> Result<Vec<Transaction>, ReconcileError> {
        let (from, to) = window.asked();
        self.walk::<TransListRequest>(window, from, to, &mut 0, &mut progress)
            .await
    }

    /// The settlements dated in `window`'s days.
    pub async fn settlements_in(
        &self,
        window: &Window,
        mut progress: impl FnMut(&Progress),
    ) -> Result<Vec<Settlement>, ReconcileError> {
        self.walk::<SettleListRequest>(window, window.from(), window.to(), &mut 0, &mut progress)
            .await
    }

    async fn walk<L: DateList>(
        &self,
        window: &Window,
        from: GatewayDate,
        to: GatewayDate,
        calls: &mut u32,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<Vec<L::Item>, ReconcileError> {
        // A stack, newest range at the bottom, so the ranges are asked for oldest first and a
        // cut range's halves go before the rest.
        let mut pending = window.calls(from, to);
        pending.reverse();
        let mut told = Progress {
            list: L::LIST,
            days_done: 0,
            days_total: span(from, to),
            calls: *calls,
            records: 0,
        };
        let mut items = Vec::new();
        while let Some((start, end)) = pending.pop() {
            let answer = self.send(&L::range(start, end)).await.map_err(|source| {
                ReconcileError::Gateway {
                    list: L::LIST,
                    from: start,
                    to: end,
                    source,
                }
            })?;
            *calls += 1;
            let (size, got) = L::items(answer);
            let cut = size.is_some_and(|n| usize::try_from(n).is_ok_and(|n| n > got.len()));
            if cut {
                let half = start.days_until(end) / 2;
                match start.add_days(half).ok().zip(start.add_days(half + 1).ok()) {
                    Some((mid, next)) if start < end => {
                        pending.push((next, end));
                        pending.push((start, mid));
                        continue;
                    }
                    _ => {
                        return Err(ReconcileError::Truncated {
                            list: L::LIST,
                            day: start,
                            size: size.unwrap_or_default(),
                            carried: got.len(),
                        });
                    }
                }
            }
            told.days_done += span(start, end);
            told.calls = *calls;
            told.records += got.len();
            items.extend(got);
            progress(&told);
        }
        Ok(items)
    }
}
