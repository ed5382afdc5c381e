//! A faithful local Pockyt gateway for tests and demos, on 127.0.0.1.
//!
//! Every endpoint of the API description at its real path; JSON and form bodies (the official SDKs
//! send both); `verifySign` checked with each configured merchant's token; the real envelope and
//! return codes; payments with the status machine `init → pending → success / failed / closed`,
//! partial refunds that never exceed what was paid, unique references; a hosted cashier page at
//! `cashierUrl`; signed IPNs delivered to `ipnUrl` with retries until the receiver answers `success`;
//! transaction and settlement lists on a clock a test sets and moves ([`SimClock`]); and fault
//! injection per route. Nothing leaves the machine unless an `ipnUrl` points elsewhere.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use pockyt::types::*;
//! use pockyt::{Client, Config};
//! use pockyt_mock::{Merchant, MockGateway};
//!
//! let gateway = MockGateway::builder().merchant(Merchant::demo()).start().await?;
//! let config = Config::new("200043", "300014", Merchant::DEMO_TOKEN)?.with_base_url(gateway.base_url());
//! let client = Client::new(config)?;
//!
//! let payment = client
//!     .secure_pay(&SecurePayRequest::new(
//!         Amount::parse("12.50")?, Currency::Usd, SettleCurrency::Usd, Vendor::Alipay,
//!         "order-1", Terminal::Online,
//!     )
//!     .ipn_url("https://merchant.example.com/ipn")
//!     .callback_url("https://merchant.example.com/back"))
//!     .await?;
//! let number = payment.transaction_no.unwrap_or_default();
//! gateway.pay(&number)?; // what the shopper does on the cashier page
//!
//! let found = client.tran_query(&TranQueryRequest::new().transaction_no(number)).await?;
//! assert_eq!(found.status, Some(TransactionStatus::Success));
//! gateway.shutdown().await;
//! # Ok(()) }
//! ```

mod clock;
mod config;
mod error;
mod expiry;
mod ipn;
mod ipn_view;
mod ledger;
mod pages;
mod params;
mod respond;
mod routes;
mod rules;
mod same_origin;
mod server;
mod sim;
mod sim_clock;
mod state;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pockyt_types::{Amount, TransactionStatus};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use config::{Fault, FaultKind, FaultParseError, IpnSchedule, Merchant};
pub use error::MockError;
pub use ipn::IpnAttempt;
pub use ipn_view::{Ipn, Until};
pub use sim_clock::SimClock;
pub use state::{Payment, Refund};

use config::SettlementTerms;
use error::refused;
use ledger::{Actor, Ledger};
use sim::{Settings, Simulator};

/// Reads a request body the way the simulator does: a JSON object of scalar values (Java, C#, Go,
/// Python SDKs) or a form (PHP, JS), each name once. Exposed for fuzzing and for tools that need the
/// gateway's reading of a body.
#[doc(hidden)]
pub fn parse_request_body(
    content_type: Option<&str>,
    body: &[u8],
) -> Result<pockyt_types::Params, String> {
    params::parse(content_type, body).map_err(|e| e.0)
}

/// Settings of a simulator.
#[derive(Debug)]
pub struct MockGatewayBuilder {
    addr: SocketAddr,
    merchants: Vec<Merchant>,
    schedule: IpnSchedule,
    faults: HashMap<String, Fault>,
    opening_balance: Amount,
    minute: Duration,
    body_timeout: Duration,
    actions: bool,
    delivery_limits: ipn::DeliveryLimits,
    hosts: Vec<String>,
    page_size: usize,
    clock: SimClock,
    settlement: SettlementTerms,
}

impl MockGatewayBuilder {
    /// How many IPN attempts [`Ipn::attempts`] keeps (default 10,000): the latest ones. The
    /// counts ([`Ipn::made`], [`Ipn::acknowledged`]) cover every attempt, so a long run's memory
    /// stays flat.
    pub fn ipn_log_limit(mut self, attempts: usize) -> Self {
        self.delivery_limits.logged = attempts;
        self
    }

    /// How many IPN notifications may be under way at once (default 10,000): sending, or waiting
    /// for a slot or for their next retry. One more is not sent; its attempt is recorded with the
    /// reason. This keeps memory bounded whatever the receivers do.
    pub fn ipn_max_in_flight(mut self, notifications: usize) -> Self {
        self.delivery_limits.in_flight = notifications;
        self
    }

    /// How many IPN attempts may talk to one receiver (one `host:port` of `ipnUrl`) at once
    /// (default 16, of the 64 in all): a receiver that never answers holds only its share, so
    /// other merchants' notifications are not stuck behind its timeouts. At least 1.
    pub fn ipn_attempts_per_receiver(mut self, attempts: usize) -> Self {
        self.delivery_limits.per_receiver = attempts.max(1);
        self
    }

    /// How long one IPN delivery attempt may take (default 10 s). At most 64 attempts talk to
    /// receivers at once, 16 of them to any one receiver; the others wait for a slot.
    pub fn ipn_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.delivery_limits.timeout = timeout;
        self
    }

    /// How long a request's body may take to arrive once its headers are in (default 10 s; the
    /// headers have 10 s of their own). A slower body is answered 408 and the connection closed.
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_timeout = timeout;
        self
    }

    /// Lets the dashboard's payment pages act: pay, fail, expire, refund part, re-send the IPN
    /// (default: off, so a test's simulator is read-only in a browser; `pockyt mock` turns it on).
    pub fn workbench_actions(mut self, enabled: bool) -> Self {
        self.actions = enabled;
        self
    }

    /// Lets the pages answer to this `Host` too (`name` or `name:port`, as a browser sends it;
    /// call again for more). By default they answer only to the bound address and to 127.0.0.1,
    /// localhost and `[::1]` with its port; any other `Host` gets 421, so a page of another site
    /// whose name was re-bound to this address (DNS rebinding) cannot use them. The API answers to
    /// any name.
    pub fn allow_host(mut self, name: impl Into<String>) -> Self {
        self.hosts.push(name.into());
        self
    }

    /// How many rows a page of the workbench's lists shows (default 100): the dashboard `/`,
    /// `/customers`, `/payouts`, `/_mock/payments` and `/_mock/ipn-attempts`, each paged with
    /// `?page=N`. At least 1.
    pub fn page_size(mut self, rows: usize) -> Self {
        self.page_size = rows.max(1);
        self
    }

    /// Accepts this merchant (call again for more). With none, the demo merchant is accepted.
    pub fn merchant(mut self, merchant: Merchant) -> Self {
        self.merchants.push(merchant);
        self
    }

    /// Listens here (default `127.0.0.1:0`, a free port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// The waits before each IPN delivery attempt (default: 8 attempts, 20 ms apart).
    pub fn ipn_schedule(mut self, schedule: IpnSchedule) -> Self {
        self.schedule = schedule;
        self
    }

    /// Injects a fault on `path` (an API path such as `/app-data-search/v3/tran-query`, or `*` for
    /// every path without its own fault).
    pub fn fault(mut self, path: impl Into<String>, fault: Fault) -> Self {
        self.faults.insert(path.into(), fault);
        self
    }

    /// The payout balance each merchant starts with, per currency (default 10000.00).
    pub fn opening_balance(mut self, amount: Amount) -> Self {
        self.opening_balance = amount;
        self
    }

    /// How long one minute of a payment's `timeout` lasts (default: a minute). An open payment
    /// closes on its own when its timeout elapses, and its IPN (`closed`) is sent; shorten the
    /// minute to see that happen in a test without waiting.
    pub fn payment_minute(mut self, minute: Duration) -> Self {
        self.minute = minute;
        self
    }

    /// The clock the simulator stamps its records and notifications with, and settles by
    /// (default: [`SimClock::real`]). Keep a clone to move it forward from the test, or reach it
    /// later with [`MockGateway::clock`].
    pub fn clock(mut self, clock: SimClock) -> Self {
        self.clock = clock;
        self
    }

    /// How many of the gateway's days after a payment's day it is settled (default 1): a payment
    /// paid on day P, in UTC+8, is in the `settle-list` item of day P + `days`, and a refund
    /// made on day R is deducted in the item of day R + `days`; `data-status` says `settled`
    /// for a day once its settlement day has come. These are the simulator's terms, not
    /// Pockyt's: the gateway documents neither its settlement delay nor its items.
    pub fn settle_after_days(mut self, days: u32) -> Self {
        self.settlement.after_days = days;
        self
    }

    /// The fee a settlement keeps of each payment, in basis points of its amount (default 290,
    /// 2.90 %; at most 10,000, the whole payment), rounded half up to the settle currency's minor
    /// unit payment by payment; a refund does not give the fee back. The simulator's terms, not
    /// Pockyt's published pricing.
    pub fn fee_basis_points(mut self, basis_points: u32) -> Self {
        self.settlement.fee_basis_points = basis_points.min(10_000);
        self
    }

    /// Binds and starts serving. Needs a Tokio runtime.
    pub async fn start(self) -> Result<MockGateway, MockError> {
        let listener = TcpListener::bind(self.addr)
            .await
            .map_err(|source| MockError::Bind {
                addr: self.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| MockError::Bind {
            addr: self.addr,
            source,
        })?;
        let merchants = if self.merchants.is_empty() {
            vec![Merchant::demo()]
        } else {
            self.merchants
        };
        let deliveries = Arc::new(ipn::Deliveries::new(
            self.schedule,
            self.delivery_limits,
            addr,
            self.clock.clone(),
        ));
        let ledger = Ledger::new(
            merchants,
            deliveries.clone(),
            self.opening_balance,
            self.minute,
            self.clock,
            self.settlement,
        );
        let sim = Arc::new(Simulator::new(
            ledger,
            Settings {
                base_url: format!("http://{addr}"),
                deliveries,
                faults: self.faults,
                body_timeout: self.body_timeout,
                actions: self.actions,
                page_size: self.page_size,
                hosts: same_origin::Hosts::for_listener(addr, &self.hosts),
            },
        ));
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(sim::close_when_due(sim.clone(), stopped.clone()));
        let task = tokio::spawn(server::accept_loop(listener, sim.clone(), stopped));
        Ok(MockGateway {
            addr,
            sim,
            stop,
            task: Mutex::new(Some(task)),
        })
    }
}

/// A running simulator: its address, the shopper's actions, the IPN record, and shutdown. Start
/// one with [`MockGateway::builder`]; dropping it stops the server.
pub struct MockGateway {
    addr: SocketAddr,
    sim: Arc<Simulator>,
    stop: watch::Sender<bool>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl std::fmt::Debug for MockGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockGateway")
            .field("addr", &self.addr)
            .field("merchants", &self.sim.ledger().merchants())
            .finish_non_exhaustive()
    }
}

impl MockGateway {
    /// A builder: no merchants yet, 127.0.0.1 on a free port, fast IPN retries, no faults, the
    /// system clock, settlement a day after payment at 2.90 %.
    pub fn builder() -> MockGatewayBuilder {
        MockGatewayBuilder {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            merchants: Vec::new(),
            schedule: IpnSchedule::default(),
            faults: HashMap::new(),
            opening_balance: Amount::parse("10000.00").unwrap_or_else(|_| Amount::zero()),
            minute: Duration::from_secs(60),
            body_timeout: server::BODY_READ_TIMEOUT,
            actions: false,
            delivery_limits: ipn::DeliveryLimits::default(),
            hosts: Vec::new(),
            page_size: pages::workbench::PAGE_SIZE,
            clock: SimClock::real(),
            settlement: SettlementTerms::default(),
        }
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, the base URL to give the client.
    pub fn base_url(&self) -> String {
        self.sim.base_url().to_owned()
    }

    /// The simulator's clock (a clone: advancing it advances the simulator's).
    pub fn clock(&self) -> SimClock {
        self.sim.ledger().clock().clone()
    }

    /// The merchants accepted.
    pub fn merchants(&self) -> &[Merchant] {
        self.sim.ledger().merchants()
    }

    /// The shopper pays: the payment becomes `success` and the IPN is sent.
    pub fn pay(&self, transaction_no: &str) -> Result<Payment, MockError> {
        self.finish(transaction_no, TransactionStatus::Success)
    }

    /// The wallet declines: the payment becomes `failed` and the IPN is sent.
    pub fn fail(&self, transaction_no: &str) -> Result<Payment, MockError> {
        self.finish(transaction_no, TransactionStatus::Failed)
    }

    /// The payment window elapses: the payment becomes `closed` and the IPN is sent.
    pub fn expire(&self, transaction_no: &str) -> Result<Payment, MockError> {
        self.finish(transaction_no, TransactionStatus::Closed)
    }

    fn finish(
        &self,
        transaction_no: &str,
        status: TransactionStatus,
    ) -> Result<Payment, MockError> {
        self.sim
            .ledger()
            .finish(Actor::Simulator, transaction_no, status)
            .map_err(|refusal| refused(transaction_no, refusal))
    }

    /// The shopper approves an auto-debit agreement (what its `authUrl` page does).
    pub fn authorize_auto_debit(&self, auto_debit_no: &str) -> Result<(), MockError> {
        self.sim
            .ledger()
            .authorize(auto_debit_no)
            .map(|_| ())
            .map_err(|refusal| refused(auto_debit_no, refusal))
    }

    /// A payment as it is now.
    pub fn payment(&self, transaction_no: &str) -> Option<Payment> {
        self.sim.ledger().payment(transaction_no)
    }

    /// Every payment, in transaction-number order.
    pub fn payments(&self) -> Vec<Payment> {
        self.sim.ledger().payments()
    }

    /// How many TCP connections the simulator has accepted: clients that share a connection pool
    /// open few, however many calls and merchants they serve.
    pub fn connections_accepted(&self) -> usize {
        self.sim.accepted()
    }

    /// The IPN deliveries: the attempts made, the acknowledgements, what is under way, and
    /// waiting for any of them.
    pub fn ipn(&self) -> Ipn<'_> {
        Ipn::new(self.sim.deliveries())
    }

    /// Sets (or replaces) the fault on `path` (`*` for all paths).
    pub fn set_fault(&self, path: impl Into<String>, fault: Fault) {
        self.sim.set_fault(path.into(), fault);
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.sim.clear_faults();
    }

    /// Stops accepting, closes open connections, and waits for the server task to end.
    pub async fn shutdown(&self) {
        let _ = self.stop.send(true);
        let task = self.task.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(task) = task {
            let _ = task.await;
        }
    }
}

impl Drop for MockGateway {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// The testing guide: testing an integration against the simulator, from the first test to fault
/// injection, the workbench and conformance with the real sandbox. Its examples run as doctests,
/// from the package too, so the guide cannot drift from the code.
#[doc = include_str!("../guide/testing.md")]
pub mod guide {
    /// Recurring payments step by step: a wallet agreement from consult to revoke, run against the
    /// simulator, and how saved cards recur.
    #[doc = include_str!("../guide/recurring.md")]
    pub mod recurring {}

    /// A nightly reconciliation across the gateway's midnight: `pockyt::Client::reconcile` against
    /// the simulator, its clock set and moved, its settlements with fees.
    #[doc = include_str!("../guide/reconciliation.md")]
    pub mod reconciliation {}
}
