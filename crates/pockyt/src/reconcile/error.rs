//! Why a reconciliation could not finish.

use pockyt_types::GatewayDate;

use crate::Error;

/// Why a reconciliation could not finish (a difference it found is not an error: see
/// [`Report::differences`](super::Report::differences)).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReconcileError {
    /// The window's last day comes before its first.
    #[error("the window ends on {to}, before it starts on {from}")]
    Backwards {
        /// The first day asked for.
        from: GatewayDate,
        /// The last day asked for.
        to: GatewayDate,
    },
    /// A list call failed; nothing was compared. The call is a read, so running the
    /// reconciliation again is safe.
    #[error("{list} from {from} to {to} failed")]
    Gateway {
        /// `trans-list` or `settle-list`.
        list: &'static str,
        /// The call's first day.
        from: GatewayDate,
        /// The call's last day.
        to: GatewayDate,
        /// What went wrong.
        #[source]
        source: Error,
    },
    /// A list for a single day said it holds more records than it carried: the gateway cut it,
    /// and a day cannot be asked for in smaller parts. Longer ranges are split until each part
    /// is whole, so this names a day the list cannot serve whole.
    #[error(
        "{list} for {day} says it holds {size} records but carried {carried}: the gateway cut the \
         list, and a day cannot be asked for in smaller parts"
    )]
    Truncated {
        /// `trans-list` or `settle-list`.
        list: &'static str,
        /// The day.
        day: GatewayDate,
        /// The `size` the answer gave.
        size: i64,
        /// The records it carried.
        carried: usize,
    },
    /// The client could not run the calls (e.g. a blocking client called inside a runtime).
    #[error("the client could not run the list calls")]
    Client(#[source] Error),
}

/// A client that could not run at all (the blocking client inside a runtime).
impl From<Error> for ReconcileError {
    fn from(error: Error) -> Self {
        ReconcileError::Client(error)
    }
}
