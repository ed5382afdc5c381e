//! Four ways to create a payment, named for what the shopper sees:
//! - [`hosted`]: a checkout on the cashier page; the payment waits in `init` with a `cashierUrl`;
//! - [`created`]: an order waiting to be paid by other means (in-store `add`, QR codes);
//! - [`paid_at_once`]: a server-side charge that succeeds in the same call (cards, captures,
//!   auto-debit);
//! - [`settle`]: moves an existing open payment to a final status.
//!
//! Amounts are stored with the currency's precision (`0.5` USD becomes `0.50`), as the gateway
//! answers them.

use pockyt_types::*;
use serde_json::json;

use super::payloads::payment_payload;
use crate::gateway::{Ctx, GatewayError, Payload};
use crate::sim::FinishError;
use crate::state::Payment;

/// What a new payment needs.
pub(super) struct NewPayment {
    reference: Option<String>,
    amount: Amount,
    currency: Currency,
    settle_currency: SettleCurrency,
    vendor: Vendor,
    created_by: &'static str,
    ipn_url: Option<String>,
    callback_url: Option<String>,
    note: Option<String>,
    customer_no: Option<String>,
    timeout_minutes: u32,
    description: Option<String>,
    goods_info: Option<String>,
    vaulting: bool,
}

impl NewPayment {
    pub(super) fn new(
        reference: impl Into<Option<String>>,
        amount: Amount,
        currency: Currency,
        settle_currency: SettleCurrency,
        vendor: Vendor,
        created_by: &'static str,
    ) -> Self {
        Self {
            reference: reference.into(),
            amount,
            currency,
            settle_currency,
            vendor,
            created_by,
            ipn_url: None,
            callback_url: None,
            note: None,
            customer_no: None,
            timeout_minutes: 120,
            description: None,
            goods_info: None,
            vaulting: false,
        }
    }

    /// The shopper asked to save the payment method; `process` will issue a vault id.
    pub(super) fn vaulting(mut self, vaulting: bool) -> Self {
        self.vaulting = vaulting;
        self
    }

    /// What the cashier page shows the shopper: the description and the goods.
    pub(super) fn shown(mut self, description: Option<String>, goods_info: Option<String>) -> Self {
        self.description = description;
        self.goods_info = goods_info;
        self
    }

    pub(super) fn urls(mut self, ipn_url: Option<String>, callback_url: Option<String>) -> Self {
        self.ipn_url = ipn_url;
        self.callback_url = callback_url;
        self
    }

    pub(super) fn note(mut self, note: Option<String>) -> Self {
        self.note = note;
        self
    }

    pub(super) fn customer(mut self, customer_no: Option<String>) -> Self {
        self.customer_no = customer_no;
        self
    }

    pub(super) fn timeout(mut self, minutes: Option<u32>) -> Self {
        self.timeout_minutes = minutes.unwrap_or(120);
        self
    }
}

/// Creates a payment in `init`; a `reference` may be used once per store of a merchant.
pub(super) fn create(ctx: &Ctx<'_>, spec: NewPayment) -> Result<Payment, GatewayError> {
    let mut store = ctx.sim.store.lock();
    let key = spec
        .reference
        .as_ref()
        .map(|reference| crate::state::own_key(ctx.merchant, reference));
    if let Some((_, _, reference)) = key.as_ref().filter(|k| store.references.contains_key(k)) {
        return Err(GatewayError::invalid(format!(
            "reference `{reference}` has already been used"
        )));
    }
    let transaction_no = store.next_number();
    let payment = Payment {
        transaction_no: transaction_no.clone(),
        reference: spec.reference,
        merchant_no: ctx.merchant.merchant_no.clone(),
        store_no: ctx.merchant.store_no.clone(),
        status: TransactionStatus::Init,
        amount: normalized(spec.amount, &spec.currency),
        currency: spec.currency,
        settle_currency: spec.settle_currency,
        vendor: spec.vendor,
        ipn_url: spec.ipn_url,
        callback_url: spec.callback_url,
        note: spec.note,
        description: spec.description,
        goods_info: spec.goods_info,
        created_by: spec.created_by,
        customer_no: spec.customer_no,
        refunds: Vec::new(),
        created: crate::clock::gateway_time(std::time::SystemTime::now()),
        paid_at: None,
        store_admin_no: ctx
            .params
            .get("storeAdminNo")
            .filter(|v| !v.is_empty())
            .cloned(),
        expires_at: ctx
            .sim
            .expiries
            .schedule(transaction_no.clone(), spec.timeout_minutes),
        vaulting: spec.vaulting,
        vault_id: None,
    };
    if let Some(key) = key {
        store.references.insert(key, transaction_no.clone());
    }
    store.payments.insert(transaction_no, payment.clone());
    Ok(payment)
}

/// `"0.5"` USD is answered as `"0.50"`, as the gateway does.
pub(super) fn normalized(amount: Amount, currency: &Currency) -> Amount {
    amount
        .to_minor(currency)
        .and_then(|minor| Amount::from_minor(minor, currency))
        .unwrap_or(amount)
}

pub(super) fn created(ctx: &Ctx<'_>, spec: NewPayment) -> Result<Payload, GatewayError> {
    Ok(payment_payload(&create(ctx, spec)?))
}

/// A hosted checkout: the shopper pays on the simulator's cashier page.
pub(super) fn hosted(
    ctx: &Ctx<'_>,
    spec: NewPayment,
    client_token: bool,
) -> Result<Payload, GatewayError> {
    let payment = create(ctx, spec)?;
    let mut payload = payment_payload(&payment);
    payload.remove("status");
    payload.insert(
        "cashierUrl".into(),
        json!(ctx.sim.cashier_url(&payment.transaction_no)),
    );
    if client_token {
        payload.insert(
            "clientToken".into(),
            json!(format!("sandbox-client-token-{}", payment.transaction_no)),
        );
        payload.insert(
            "authorization".into(),
            json!(format!("sandbox-client-token-{}", payment.transaction_no)),
        );
    }
    Ok(payload)
}

/// A server-side payment that succeeds at once (cards, auto-debit, captures).
pub(super) fn paid_at_once(ctx: &Ctx<'_>, spec: NewPayment) -> Result<Payload, GatewayError> {
    let payment = create(ctx, spec)?;
    settle(ctx, &payment.transaction_no, TransactionStatus::Success)
}

/// Moves an open payment to a final status and notifies the merchant.
pub(super) fn settle(
    ctx: &Ctx<'_>,
    transaction_no: &str,
    status: TransactionStatus,
) -> Result<Payload, GatewayError> {
    let payment = ctx
        .sim
        .finish(transaction_no, Some(ctx.merchant), status)
        .map_err(|e| match e {
            FinishError::NotFound => GatewayError::no_record("transaction does not exist"),
            FinishError::NotOpen(status) => {
                GatewayError::status(format!("transaction is already {status}"))
            }
        })?;
    Ok(payment_payload(&payment))
}
