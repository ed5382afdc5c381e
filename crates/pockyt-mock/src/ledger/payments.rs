//! Payments, their refunds and saved payment methods:
//! - a payment is created `init` with a `reference` unique per store, and leaves `init` once;
//! - only a `success` payment can be refunded, in its own `currency` and `settleCurrency`, by a
//!   positive amount at the currency's precision; refunds add up to at most the amount paid, and
//!   a total that cannot be represented is refused, never read as zero;
//! - a `refundReference`, when given, is unique per store of a merchant;
//! - a cancel closes an open payment; a paid one is refunded for what is left and closed, and
//!   the merchant is notified of the change like of any other;
//! - a payment that asked to save its method (`creditType` `cit` or `hosted`, or a v4 capture)
//!   gets a vault id when `process` completes it, the same ever after; a later payment with that
//!   id is charged at once, by the store that saved it only.
//!
//! Amounts are kept at the currency's precision (`0.5` USD becomes `0.50`), as the gateway
//! answers them.

use std::time::SystemTime;

use pockyt_types::{Amount, Currency, SettleCurrency, TransactionStatus, Vendor};

use super::books::{Actor, Ledger, normalized};
use super::records::{Records, own_key};
use super::refusal::Refusal;
use crate::config::Merchant;
use crate::state::{Payment, Refund, Vault};

/// What a new payment needs.
#[derive(Debug)]
pub(crate) struct NewPayment {
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
    store_admin_no: Option<String>,
    vaulting: bool,
}

impl NewPayment {
    /// A payment of `amount` made by the endpoint `created_by` (e.g. `secure_pay`), open for
    /// 120 minutes unless [`NewPayment::timeout`] says otherwise.
    pub(crate) fn new(
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
            store_admin_no: None,
            vaulting: false,
        }
    }

    /// The shopper asked to save the payment method; `process` will issue a vault id.
    pub(crate) fn vaulting(mut self, vaulting: bool) -> Self {
        self.vaulting = vaulting;
        self
    }

    /// What the cashier page shows the shopper: the description and the goods.
    pub(crate) fn shown(mut self, description: Option<String>, goods_info: Option<String>) -> Self {
        self.description = description;
        self.goods_info = goods_info;
        self
    }

    /// Where notifications go and where the shopper's browser returns.
    pub(crate) fn urls(mut self, ipn_url: Option<String>, callback_url: Option<String>) -> Self {
        self.ipn_url = ipn_url;
        self.callback_url = callback_url;
        self
    }

    /// The merchant's note, echoed in notifications.
    pub(crate) fn note(mut self, note: Option<String>) -> Self {
        self.note = note;
        self
    }

    /// The customer the payment is for.
    pub(crate) fn customer(mut self, customer_no: Option<String>) -> Self {
        self.customer_no = customer_no;
        self
    }

    /// Minutes until an open payment closes by itself (120 when absent).
    pub(crate) fn timeout(mut self, minutes: Option<u32>) -> Self {
        self.timeout_minutes = minutes.unwrap_or(120);
        self
    }

    /// The cashier or clerk the request named (`storeAdminNo`).
    pub(crate) fn store_admin(mut self, store_admin_no: Option<String>) -> Self {
        self.store_admin_no = store_admin_no;
        self
    }
}

/// A refund asked for, by the API or a page.
#[derive(Debug)]
pub(crate) struct RefundOrder {
    /// The payment, by number or (for a store) by reference.
    pub(crate) transaction_no: Option<String>,
    /// The payment's reference.
    pub(crate) reference: Option<String>,
    /// How much to refund.
    pub(crate) amount: Amount,
    /// The currencies the request names, which must be the payment's; `None`: the payment's own
    /// (a page's refund names none).
    pub(crate) currencies: Option<(Currency, SettleCurrency)>,
    /// The merchant's own id for the refund.
    pub(crate) refund_reference: Option<String>,
}

/// A payment `process` completed, and the vault id it issued if it saves its method.
#[derive(Debug)]
pub(crate) struct Processed {
    pub(crate) payment: Payment,
    pub(crate) vault_id: Option<String>,
}

/// Moves an open payment to `status` at `now` (under the lock; the caller announces it once
/// released).
fn decide(
    payment: &mut Payment,
    status: TransactionStatus,
    now: SystemTime,
) -> Result<Payment, Refusal> {
    if !payment.is_open() {
        return Err(Refusal::NotOpen(payment.status.clone()));
    }
    if status == TransactionStatus::Success {
        payment.paid_at = Some(now);
    }
    payment.status = status;
    Ok(payment.clone())
}

impl Ledger {
    /// Records a new payment of `owner`'s in `init`; its `reference` may be used once per store.
    pub(super) fn insert(
        &self,
        records: &mut Records,
        owner: &Merchant,
        spec: NewPayment,
    ) -> Result<Payment, Refusal> {
        let key = spec
            .reference
            .as_ref()
            .map(|reference| own_key(owner, reference));
        if let Some((_, _, reference)) = key.as_ref().filter(|k| records.references.contains_key(k))
        {
            return Err(Refusal::Taken {
                field: "reference",
                value: reference.clone(),
            });
        }
        let transaction_no = records.next_number();
        let payment = Payment {
            transaction_no: transaction_no.clone(),
            reference: spec.reference,
            merchant_no: owner.merchant_no.clone(),
            store_no: owner.store_no.clone(),
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
            created: crate::clock::gateway_time(self.now()),
            paid_at: None,
            store_admin_no: spec.store_admin_no,
            expires_at: self
                .expiries
                .schedule(transaction_no.clone(), spec.timeout_minutes),
            vaulting: spec.vaulting,
            vault_id: None,
        };
        if let Some(key) = key {
            records.references.insert(key, transaction_no.clone());
        }
        records.payments.insert(transaction_no, payment.clone());
        Ok(payment)
    }

    /// After a payment was decided: its deadline is dropped and its merchant notified.
    pub(super) fn announce(&self, payment: &Payment) {
        if let Some(at) = payment.expires_at {
            self.expiries.forget(at, &payment.transaction_no);
        }
        self.notify(payment);
    }

    /// Creates a payment in `init`, waiting for the shopper (a cashier page, a QR code, an app).
    pub(crate) fn create(&self, owner: &Merchant, spec: NewPayment) -> Result<Payment, Refusal> {
        let mut records = self.lock();
        self.insert(&mut records, owner, spec)
    }

    /// A server-side payment that succeeds in the same call (cards, auto-debit, captures).
    pub(crate) fn pay_at_once(
        &self,
        owner: &Merchant,
        spec: NewPayment,
    ) -> Result<Payment, Refusal> {
        let paid = {
            let mut records = self.lock();
            let mut payment = self.insert(&mut records, owner, spec)?;
            let number = payment.transaction_no.clone();
            if let Some(stored) = records.payments.get_mut(&number) {
                payment = decide(stored, TransactionStatus::Success, self.now())?;
            }
            payment
        };
        self.announce(&paid);
        Ok(paid)
    }

    /// Moves an open payment to a final `status` and notifies the merchant.
    pub(crate) fn finish(
        &self,
        actor: Actor<'_>,
        transaction_no: &str,
        status: TransactionStatus,
    ) -> Result<Payment, Refusal> {
        let payment = {
            let mut records = self.lock();
            let payment = records
                .find(actor.store(), Some(transaction_no), None)
                .ok_or(Refusal::NoPayment)?;
            decide(payment, status, self.now())?
        };
        self.announce(&payment);
        Ok(payment)
    }

    /// The shopper's barcode was scanned: an open in-store order is paid at once, with the wallet
    /// the scan names.
    pub(crate) fn scan(
        &self,
        owner: &Merchant,
        transaction_no: Option<&str>,
        reference: Option<&str>,
        vendor: Option<Vendor>,
    ) -> Result<Payment, Refusal> {
        let paid = {
            let mut records = self.lock();
            let payment = records
                .find(Some(owner), transaction_no, reference)
                .ok_or(Refusal::NoPayment)?;
            if !payment.is_open() {
                return Err(Refusal::NotOpen(payment.status.clone()));
            }
            if let Some(vendor) = vendor {
                payment.vendor = vendor;
            }
            decide(payment, TransactionStatus::Success, self.now())?
        };
        self.announce(&paid);
        Ok(paid)
    }

    /// Refunds part of a paid payment; returns the payment with the refund recorded, and the
    /// refund.
    pub(crate) fn refund(
        &self,
        actor: Actor<'_>,
        order: RefundOrder,
    ) -> Result<(Payment, Refund), Refusal> {
        let mut records = self.lock();
        let refund_key = match (actor, &order.refund_reference) {
            (Actor::Store(owner), Some(reference)) => Some(own_key(owner, reference)),
            _ => None,
        };
        if let Some((_, _, reference)) = refund_key
            .as_ref()
            .filter(|k| records.refund_references.contains_key(k))
        {
            return Err(Refusal::Taken {
                field: "refundReference",
                value: reference.clone(),
            });
        }
        let refund_no = records.next_number();
        let payment = records
            .find(
                actor.store(),
                order.transaction_no.as_deref(),
                order.reference.as_deref(),
            )
            .ok_or(Refusal::NoPayment)?;
        if payment.status != TransactionStatus::Success {
            return Err(Refusal::NotRefundable(payment.status.clone()));
        }
        if let Some((currency, settle_currency)) = &order.currencies {
            if payment.currency != *currency {
                return Err(Refusal::CurrencyDiffers("currency"));
            }
            if payment.settle_currency != *settle_currency {
                return Err(Refusal::CurrencyDiffers("settleCurrency"));
            }
        }
        // The API's rules checked this already; a page's form has only the ledger to check it,
        // and without it could refund -100 and raise what is left to refund.
        crate::rules::check_amount(
            "refundAmount",
            order.amount.as_str(),
            Some(payment.currency.as_str()),
        )
        .map_err(|refusal| Refusal::BadAmount(refusal.message))?;
        let left = payment.refundable().ok_or(Refusal::Overflow)?;
        if order.amount > left {
            return Err(Refusal::ExceedsRefundable {
                asked: order.amount,
                left,
            });
        }
        let refund = Refund {
            refund_transaction_no: refund_no,
            refund_reference: order.refund_reference,
            amount: normalized(order.amount, &payment.currency),
            refunded_at: self.now(),
        };
        payment.refunds.push(refund.clone());
        let payment = payment.clone();
        if let Some(key) = refund_key {
            records
                .refund_references
                .insert(key, payment.transaction_no.clone());
        }
        Ok((payment, refund))
    }

    /// Closes an unpaid payment; a paid one is refunded for what is left and closed. Either way
    /// the merchant is notified.
    pub(crate) fn cancel(
        &self,
        owner: &Merchant,
        transaction_no: Option<&str>,
        reference: Option<&str>,
    ) -> Result<Payment, Refusal> {
        let closed = {
            let mut records = self.lock();
            let refund_no = records.next_number();
            let payment = records
                .find(Some(owner), transaction_no, reference)
                .ok_or(Refusal::NoPayment)?;
            match payment.status {
                TransactionStatus::Success => {
                    let rest = payment.refundable().ok_or(Refusal::Overflow)?;
                    if rest.is_positive() {
                        payment.refunds.push(Refund {
                            refund_transaction_no: refund_no,
                            refund_reference: None,
                            amount: rest,
                            refunded_at: self.now(),
                        });
                    }
                    payment.status = TransactionStatus::Closed;
                    // Cloned under the same lock, so the IPN describes exactly this change.
                    payment.clone()
                }
                _ if payment.is_open() => decide(payment, TransactionStatus::Closed, self.now())?,
                ref status => return Err(Refusal::NotCancellable(status.clone())),
            }
        };
        self.announce(&closed);
        Ok(closed)
    }

    /// A payment of `owner`'s by number or reference, whatever its status.
    pub(crate) fn find(
        &self,
        owner: &Merchant,
        transaction_no: Option<&str>,
        reference: Option<&str>,
    ) -> Result<Payment, Refusal> {
        self.lock()
            .find(Some(owner), transaction_no, reference)
            .map(|p| p.clone())
            .ok_or(Refusal::NoPayment)
    }

    /// A payment of `owner`'s that is still open (unpaid), by number.
    pub(crate) fn open_payment(&self, owner: &Merchant, number: &str) -> Result<Payment, Refusal> {
        let payment = self.find(owner, Some(number), None)?;
        if !payment.is_open() {
            return Err(Refusal::NotOpen(payment.status));
        }
        Ok(payment)
    }

    /// `owner`'s payments created from day `start` to day `end` (`YYYYMMDD`, both included), in
    /// number order.
    pub(crate) fn payments_within(&self, owner: &Merchant, start: &str, end: &str) -> Vec<Payment> {
        self.lock()
            .payments
            .values()
            .filter(|p| owner.owns(&p.merchant_no, &p.store_no))
            .filter(|p| {
                let day = p.created.get(..8).unwrap_or_default();
                start <= day && day <= end
            })
            .cloned()
            .collect()
    }

    /// A mixed QR code record of `owner`'s (the simulator numbers a record as its payment), by
    /// its number or, without one, its reference.
    pub(crate) fn mixed_record(
        &self,
        owner: &Merchant,
        record_no: Option<&str>,
        reference: Option<&str>,
    ) -> Result<Payment, Refusal> {
        let reference = if record_no.is_some() { None } else { reference };
        self.lock()
            .find(Some(owner), record_no, reference)
            .filter(|p| p.created_by == "mixed_qrcode")
            .map(|p| p.clone())
            .ok_or(Refusal::NoMixedRecord)
    }

    /// Closes an open mixed QR code record.
    pub(crate) fn cancel_mixed(
        &self,
        owner: &Merchant,
        record_no: Option<&str>,
        reference: Option<&str>,
    ) -> Result<Payment, Refusal> {
        let record = self.mixed_record(owner, record_no, reference)?;
        self.finish(
            Actor::Store(owner),
            &record.transaction_no,
            TransactionStatus::Closed,
        )
    }

    /// `process` (v3 or v4): completes an open payment, takes one the shopper already completed
    /// (a capture whose 3-D Secure check passed) as it is, and issues the vault id of a payment
    /// that asked to save its method.
    pub(crate) fn process(
        &self,
        owner: &Merchant,
        transaction_no: &str,
    ) -> Result<Processed, Refusal> {
        let (payment, opened, vault_id) = {
            let mut records = self.lock();
            let payment = records
                .find(Some(owner), Some(transaction_no), None)
                .ok_or(Refusal::NoPayment)?;
            let completed = payment.status == TransactionStatus::Success && payment.vaulting;
            let opened = payment.is_open();
            let mut current = if opened {
                decide(payment, TransactionStatus::Success, self.now())?
            } else if completed {
                payment.clone()
            } else {
                return Err(Refusal::NotOpen(payment.status.clone()));
            };
            let vault_id = if current.vaulting {
                let id = issue_vault(&mut records, transaction_no)?;
                current.vault_id = Some(id.clone());
                Some(id)
            } else {
                None
            };
            (current, opened, vault_id)
        };
        if opened {
            self.announce(&payment);
        }
        Ok(Processed { payment, vault_id })
    }

    /// A payment charged to a saved method at once, without the shopper.
    pub(crate) fn charge_vault(
        &self,
        owner: &Merchant,
        spec: NewPayment,
        vault_id: &str,
    ) -> Result<Payment, Refusal> {
        let known = self
            .lock()
            .vaults
            .get(vault_id)
            .is_some_and(|v| owner.owns(&v.merchant_no, &v.store_no));
        if !known {
            return Err(Refusal::NoVault(vault_id.to_owned()));
        }
        self.pay_at_once(owner, spec)
    }

    /// Sends a decided payment's IPN again (the workbench's button).
    pub(crate) fn notify_again(&self, transaction_no: &str) -> Result<Payment, Refusal> {
        let payment = self.payment(transaction_no).ok_or(Refusal::NoPayment)?;
        if payment.is_open() {
            return Err(Refusal::StillOpen(payment.status));
        }
        if payment.ipn_url.is_none() {
            return Err(Refusal::NoIpnUrl);
        }
        self.notify(&payment);
        Ok(payment)
    }
}

/// The payment's vault id, issued on its first completion and the same ever after.
fn issue_vault(records: &mut Records, transaction_no: &str) -> Result<String, Refusal> {
    let existing = records
        .payments
        .get(transaction_no)
        .ok_or(Refusal::NoPayment)?
        .vault_id
        .clone();
    if let Some(id) = existing {
        return Ok(id);
    }
    let id = format!("vault{}", records.next_number());
    let payment = records
        .payments
        .get_mut(transaction_no)
        .ok_or(Refusal::NoPayment)?;
    payment.vault_id = Some(id.clone());
    let vault = Vault {
        merchant_no: payment.merchant_no.clone(),
        store_no: payment.store_no.clone(),
        vendor: payment.vendor.clone(),
        customer_no: payment.customer_no.clone(),
    };
    records.vaults.insert(id.clone(), vault);
    Ok(id)
}
