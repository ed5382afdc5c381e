//! The simulator's pages, beside the API's routes on the same floor: the shopper's (`cashier`:
//! the hosted cashier and the auto-debit authorization) and the developer's (`workbench`: the
//! dashboard, a payment's page and its actions, and the JSON documents). They render what the
//! ledger holds and act only through its operations.

pub(crate) mod cashier;
pub(crate) mod workbench;
