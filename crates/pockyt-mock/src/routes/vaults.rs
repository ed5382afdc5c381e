//! Saved payment methods. A payment that asks to save its method (`creditType` `cit` or `hosted`,
//! or a v4 capture) gets a `vaultId` when `process` completes it; a later secure-pay with that
//! `vaultId` is charged at once. A vault belongs to the store that made it: another store, or an
//! id the simulator never issued, is refused.

use super::prelude::*;
use crate::state::Vault;

/// Whether a card payment's `creditType` asks to save the method.
pub(super) fn saves_method(credit_type: Option<&CreditType>) -> bool {
    matches!(credit_type, Some(CreditType::Cit | CreditType::Hosted))
}

/// `process` (v3 or v4): completes an open payment, answers one the shopper already completed
/// (a capture whose 3-D Secure check passed) as it is, and hands out the vault id of a payment
/// that asked to save its method.
pub(super) fn process(ctx: &Ctx<'_>, transaction_no: &str) -> Result<Payload, GatewayError> {
    let (open, vaulting) = {
        let mut store = ctx.sim.store.lock();
        let payment = store
            .find(ctx.merchant, Some(transaction_no), None)
            .ok_or_else(|| GatewayError::no_record("transaction does not exist"))?;
        let completed = payment.status == TransactionStatus::Success && payment.vaulting;
        if !payment.is_open() && !completed {
            return Err(GatewayError::status(format!(
                "transaction is already {}",
                payment.status
            )));
        }
        (payment.is_open(), payment.vaulting)
    };
    let mut payload = if open {
        settle(ctx, transaction_no, TransactionStatus::Success)?
    } else {
        let mut store = ctx.sim.store.lock();
        let payment = store
            .payment_mut(transaction_no)
            .ok_or_else(|| GatewayError::no_record("transaction does not exist"))?;
        payment_payload(payment)
    };
    if vaulting {
        payload.insert("vaultId".into(), json!(issue(ctx, transaction_no)?));
    }
    Ok(payload)
}

/// The payment's vault id, issued on its first completion and the same ever after.
fn issue(ctx: &Ctx<'_>, transaction_no: &str) -> Result<String, GatewayError> {
    let mut store = ctx.sim.store.lock();
    let existing = store
        .payment_mut(transaction_no)
        .ok_or_else(|| GatewayError::no_record("transaction does not exist"))?
        .vault_id
        .clone();
    if let Some(id) = existing {
        return Ok(id);
    }
    let id = format!("vault{}", store.next_number());
    let payment = store
        .payment_mut(transaction_no)
        .ok_or_else(|| GatewayError::no_record("transaction does not exist"))?;
    payment.vault_id = Some(id.clone());
    let vault = Vault {
        merchant_no: payment.merchant_no.clone(),
        store_no: payment.store_no.clone(),
        vendor: payment.vendor.clone(),
        customer_no: payment.customer_no.clone(),
    };
    store.vaults.insert(id.clone(), vault);
    Ok(id)
}

/// A payment charged to a saved method at once, without the shopper. It answers in secure-pay's
/// documented shape (no status, no cashier): the IPN and tran-query tell the outcome.
pub(super) fn charge(
    ctx: &Ctx<'_>,
    spec: NewPayment,
    vault_id: &str,
) -> Result<Payload, GatewayError> {
    let known = ctx
        .sim
        .store
        .lock()
        .vaults
        .get(vault_id)
        .is_some_and(|v| ctx.merchant.owns(&v.merchant_no, &v.store_no));
    if !known {
        return Err(GatewayError::no_record(format!(
            "vaultId `{vault_id}` does not exist"
        )));
    }
    let mut payload = paid_at_once(ctx, spec)?;
    payload.remove("status");
    Ok(payload)
}
