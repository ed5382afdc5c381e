//! What a shopper allows in advance:
//! - an auto-debit agreement is created by `consult` (its `autoReference` unique per store of a
//!   merchant) and must be authorized by the shopper before a token can be applied for or a
//!   payment made; a revoked agreement takes no more payments and cannot be authorized again; the
//!   first authorization notifies the merchant's `autoIpnUrl`;
//! - a pre-authorization holds an amount (its `outAuthInfoNo` unique per store of a merchant);
//!   `unfreeze` releases part of what is held, never more than is left; `capture` charges at most
//!   what is held, creates a paid payment, and releases what it captured, all in one step.

use pockyt_types::{Amount, Currency, Vendor};

use super::books::{Actor, Ledger};
use super::payments::NewPayment;
use super::records::Records;
use super::refusal::Refusal;
use crate::config::Merchant;
use crate::state::{Agreement, Authorization, Payment};

/// What `consult` asks for.
#[derive(Debug)]
pub(crate) struct AgreementTerms {
    pub(crate) auto_reference: String,
    pub(crate) vendor: Vendor,
    pub(crate) redirect_url: String,
    pub(crate) auto_ipn_url: Option<String>,
    pub(crate) note: Option<String>,
}

/// A pre-authorization of `owner`'s, by the gateway's number or the merchant's.
fn authorization<'r>(
    records: &'r mut Records,
    owner: &Merchant,
    auth_info_no: Option<&str>,
    out_auth_info_no: Option<&str>,
) -> Result<&'r mut Authorization, Refusal> {
    records
        .authorizations
        .values_mut()
        .find(|a| {
            owner.owns(&a.merchant_no, &a.store_no)
                && (auth_info_no == Some(a.auth_info_no.as_str())
                    || out_auth_info_no == Some(a.out_auth_info_no.as_str()))
        })
        .ok_or(Refusal::NoAuthorization)
}

impl Ledger {
    /// Records a new auto-debit agreement, waiting for the shopper's authorization.
    pub(crate) fn consult(
        &self,
        owner: &Merchant,
        terms: AgreementTerms,
    ) -> Result<Agreement, Refusal> {
        let mut records = self.lock();
        if records.agreements.values().any(|a| {
            owner.owns(&a.merchant_no, &a.store_no) && a.auto_reference == terms.auto_reference
        }) {
            return Err(Refusal::Taken {
                field: "autoReference",
                value: terms.auto_reference,
            });
        }
        let number = records.next_number();
        let agreement = Agreement {
            auto_debit_no: number.clone(),
            auto_reference: terms.auto_reference,
            merchant_no: owner.merchant_no.clone(),
            store_no: owner.store_no.clone(),
            vendor: terms.vendor,
            redirect_url: terms.redirect_url,
            auto_ipn_url: terms.auto_ipn_url,
            note: terms.note,
            authorized: false,
            revoked: false,
        };
        records.agreements.insert(number, agreement.clone());
        Ok(agreement)
    }

    /// The shopper authorizes an agreement (its page, or `MockGateway::authorize_auto_debit`);
    /// the first authorization notifies the merchant.
    pub(crate) fn authorize(&self, auto_debit_no: &str) -> Result<Agreement, Refusal> {
        let (first, agreement) = {
            let mut records = self.lock();
            let agreement = records
                .agreements
                .get_mut(auto_debit_no)
                .ok_or(Refusal::NoAgreement)?;
            if agreement.revoked {
                return Err(Refusal::AgreementInactive);
            }
            let first = !agreement.authorized;
            agreement.authorized = true;
            (first, agreement.clone())
        };
        if first {
            self.notify_authorized(&agreement);
        }
        Ok(agreement)
    }

    /// Tells the merchant that the shopper authorized an auto-debit agreement, at its
    /// `autoIpnUrl` (docs.yuansfer `recurring-payments/consult`).
    fn notify_authorized(&self, agreement: &Agreement) {
        let (Some(url), Some(owner)) = (
            &agreement.auto_ipn_url,
            self.merchant(&agreement.merchant_no, &agreement.store_no),
        ) else {
            return;
        };
        let time = crate::clock::gateway_time(self.now());
        let mut pairs = vec![
            ("autoDebitNo", agreement.auto_debit_no.as_str()),
            ("autoReference", agreement.auto_reference.as_str()),
            ("vendor", agreement.vendor.as_str()),
            ("time", time.as_str()),
        ];
        if let Some(note) = agreement.note.as_deref() {
            pairs.push(("note", note));
        }
        self.notify_other(owner, url, (&agreement.auto_debit_no, "authorized"), pairs);
    }

    /// An agreement of `owner`'s; with `must_be_active`, only an authorized one not revoked.
    pub(crate) fn agreement(
        &self,
        owner: &Merchant,
        auto_debit_no: &str,
        must_be_active: bool,
    ) -> Result<Agreement, Refusal> {
        let records = self.lock();
        let agreement = records
            .agreements
            .get(auto_debit_no)
            .filter(|a| owner.owns(&a.merchant_no, &a.store_no))
            .ok_or(Refusal::NoAgreement)?;
        if must_be_active && (!agreement.authorized || agreement.revoked) {
            return Err(Refusal::AgreementInactive);
        }
        Ok(agreement.clone())
    }

    /// Charges an active agreement at once.
    pub(crate) fn debit(
        &self,
        owner: &Merchant,
        auto_debit_no: &str,
        spec: impl FnOnce(&Agreement) -> NewPayment,
    ) -> Result<(Agreement, Payment), Refusal> {
        let agreement = self.agreement(owner, auto_debit_no, true)?;
        let payment = self.pay_at_once(owner, spec(&agreement))?;
        Ok((agreement, payment))
    }

    /// Revokes an agreement: it takes no more payments.
    pub(crate) fn revoke(
        &self,
        owner: &Merchant,
        auto_debit_no: &str,
    ) -> Result<Agreement, Refusal> {
        let mut records = self.lock();
        let agreement = records
            .agreements
            .get_mut(auto_debit_no)
            .filter(|a| owner.owns(&a.merchant_no, &a.store_no))
            .ok_or(Refusal::NoAgreement)?;
        agreement.revoked = true;
        Ok(agreement.clone())
    }

    /// Holds `amount` (a voucher or a freeze) under the merchant's `out_auth_info_no`.
    pub(crate) fn freeze(
        &self,
        owner: &Merchant,
        out_auth_info_no: String,
        amount: Amount,
        currency: Option<Currency>,
    ) -> Result<Authorization, Refusal> {
        let mut records = self.lock();
        if records.authorizations.values().any(|a| {
            owner.owns(&a.merchant_no, &a.store_no) && a.out_auth_info_no == out_auth_info_no
        }) {
            return Err(Refusal::Taken {
                field: "outAuthInfoNo",
                value: out_auth_info_no,
            });
        }
        let number = records.next_number();
        let auth = Authorization {
            auth_info_no: number.clone(),
            out_auth_info_no,
            merchant_no: owner.merchant_no.clone(),
            store_no: owner.store_no.clone(),
            frozen: amount,
            currency,
        };
        records.authorizations.insert(number, auth.clone());
        Ok(auth)
    }

    /// Releases `amount` of what a pre-authorization holds.
    pub(crate) fn unfreeze(
        &self,
        owner: &Merchant,
        (auth_info_no, out_auth_info_no): (Option<&str>, Option<&str>),
        amount: &Amount,
    ) -> Result<Authorization, Refusal> {
        let mut records = self.lock();
        let auth = authorization(&mut records, owner, auth_info_no, out_auth_info_no)?;
        auth.frozen = auth
            .frozen
            .checked_sub(amount)
            .filter(|rest| !rest.is_negative())
            .ok_or(Refusal::ExceedsFrozen("unfreezeAmount"))?;
        Ok(auth.clone())
    }

    /// Charges at most what a pre-authorization holds: a paid payment, and the captured amount
    /// released, in one step (a refused payment, e.g. a used reference, releases nothing).
    pub(crate) fn capture(
        &self,
        owner: &Merchant,
        (auth_info_no, out_auth_info_no): (Option<&str>, Option<&str>),
        spec: NewPayment,
        amount: &Amount,
    ) -> Result<Payment, Refusal> {
        let paid = {
            let mut records = self.lock();
            let frozen = authorization(&mut records, owner, auth_info_no, out_auth_info_no)?
                .frozen
                .clone();
            if *amount > frozen {
                return Err(Refusal::ExceedsFrozen("amount"));
            }
            let payment = self.insert(&mut records, owner, spec)?;
            let auth = authorization(&mut records, owner, auth_info_no, out_auth_info_no)?;
            auth.frozen = auth.frozen.checked_sub(amount).unwrap_or_else(Amount::zero);
            payment
        };
        // Created and released under one lock; paid (and announced) as any server-side charge.
        self.finish(
            Actor::Store(owner),
            &paid.transaction_no,
            pockyt_types::TransactionStatus::Success,
        )
    }

    /// A pre-authorization of `owner`'s.
    pub(crate) fn authorization(
        &self,
        owner: &Merchant,
        (auth_info_no, out_auth_info_no): (Option<&str>, Option<&str>),
    ) -> Result<Authorization, Refusal> {
        let mut records = self.lock();
        authorization(&mut records, owner, auth_info_no, out_auth_info_no).map(|a| a.clone())
    }
}
