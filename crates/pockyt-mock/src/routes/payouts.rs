//! Payees and payouts (group `payouts`): v3 payees are customers approved at once; a funding
//! account (PayPal, Venmo, bank) belongs to one customer and is addressed by its `accountToken`;
//! a payout spends the store's balance (an opening balance per currency, less every payout) on
//! an account of the named customer, its `invoiceId` unique per store. A bank account or payout
//! with an `ipnUrl` is followed by its webhook. The rules are the ledger's; this module reads the
//! requests and shapes the answers.

use super::prelude::*;
use crate::ledger::{BankAccount, PayeeAccountSpec, PayoutOrder};
use crate::state::Payout;

/// This group's handler for `path`, if it has one.
pub(super) fn handler(path: &str) -> Option<Handler> {
    let handler: Handler = match path {
        PayeeAccountCreateRequest::PATH => |c| run(c, "create success", account_create),
        PayeeAccountRetrieveRequest::PATH => |c| run(c, "retrieve success", account_retrieve),
        PayoutPayRequest::PATH => |c| run(c, "pay success", payout_pay),
        PayoutInquiryRequest::PATH => |c| run(c, "query success ", payout_inquiry),
        PayoutBalanceRequest::PATH => |c| run(c, "query success ", payout_balance),
        PayeeRegisterRequest::PATH => |c| run(c, "register success", payee_register),
        PayeeRetrieveRequest::PATH => |c| run(c, "retrieve success", payee_retrieve),
        PayeeUpdateRequest::PATH => |c| run(c, "update success", payee_update),
        PayeeBankAccountCreateRequest::PATH => |c| run(c, "create success", bank_account_create),
        PayeeFundingAccountsRequest::PATH => |c| run(c, "query success", funding_accounts),
        PayeeAccountDeleteRequest::PATH => |c| run(c, "delete success", account_delete),
        _ => return None,
    };
    Some(handler)
}

fn payee_register(c: &Ctx<'_>, _: PayeeRegisterRequest) -> Result<Payload, GatewayError> {
    let profile = c.ledger().add_customer(c.merchant, profile_fields(c))?;
    let mut payload = profile_payload(profile);
    // The simulator approves payees at once, so payouts can be tried end to end.
    payload.insert("payeeStatus".into(), json!("Activated"));
    payload
        .entry("profileType")
        .or_insert_with(|| json!("INDIVIDUAL"));
    Ok(payload)
}

fn payee_retrieve(c: &Ctx<'_>, r: PayeeRetrieveRequest) -> Result<Payload, GatewayError> {
    let profile = c
        .ledger()
        .customer(c.merchant, Some(&r.customer_no), None)?;
    Ok(profile_payload(profile))
}

fn payee_update(c: &Ctx<'_>, r: PayeeUpdateRequest) -> Result<Payload, GatewayError> {
    let profile = c
        .ledger()
        .update_customer(c.merchant, &r.customer_no, profile_fields(c))?;
    Ok(profile_payload(profile))
}

fn account_create(c: &Ctx<'_>, r: PayeeAccountCreateRequest) -> Result<Payload, GatewayError> {
    let mut account = HashMap::new();
    account.insert("accountTag".to_owned(), r.account_tag.clone());
    account.insert("accountType".to_owned(), r.account_type.to_string());
    account.insert("createdAt".to_owned(), "2024-01-01T00:00:00Z".to_owned());
    for (name, value) in [
        ("accountCountry", r.account_country.clone()),
        (
            "accountCurrency",
            r.account_currency.as_ref().map(ToString::to_string),
        ),
        (
            "profileType",
            r.profile_type.as_ref().map(ToString::to_string),
        ),
    ] {
        if let Some(value) = value {
            account.insert(name.to_owned(), value);
        }
    }
    let spec = PayeeAccountSpec {
        customer_no: r.customer_no.clone(),
        fields: account,
    };
    let added = c.ledger().add_payee_account(c.merchant, spec)?;
    let (token, account, profile) = (added.token, added.fields, added.payee);
    let mut payload = fields([
        ("accountToken", token.clone()),
        ("customerNo", r.customer_no),
        (
            "timestamp",
            r.timestamp.map(String::from).unwrap_or_default(),
        ),
        (
            "link",
            format!("{}/v1/customers/user-account/{token}", c.sim.base_url()),
        ),
    ]);
    // The answer shows the payee as well (docs.yuansfer's example): the customer's profile.
    let shown = ["accountCountry", "accountCurrency", "profileType"]
        .into_iter()
        .filter_map(|name| Some((name.to_owned(), account.get(name)?.clone())));
    for (name, value) in profile.into_iter().chain(shown) {
        payload.entry(name).or_insert(Value::String(value));
    }
    Ok(payload)
}

fn account_retrieve(c: &Ctx<'_>, r: PayeeAccountRetrieveRequest) -> Result<Payload, GatewayError> {
    let found = c.ledger().payee_account(
        c.merchant,
        &r.customer_no,
        r.account_token.as_deref(),
        r.account_tag.as_deref(),
    )?;
    let (account, profile) = (found.fields, found.payee);
    let mut payload = fields([
        ("accountToken", found.token),
        ("customerNo", r.customer_no),
        ("status", "active".to_owned()),
    ]);
    if let Some(tag) = account.get("accountTag") {
        payload.insert("accountTag".into(), json!(tag));
    }
    // docs.yuansfer's retrieve table: when it was added, its country and currency, and whose it is.
    for (name, from) in [
        ("createdAt", "createdAt"),
        ("country", "accountCountry"),
        ("currency", "accountCurrency"),
    ] {
        if let Some(value) = account.get(from) {
            payload.insert(name.into(), json!(value));
        }
    }
    for (name, value) in profile {
        payload.entry(name).or_insert(Value::String(value));
    }
    Ok(payload)
}

fn bank_account_create(
    c: &Ctx<'_>,
    r: PayeeBankAccountCreateRequest,
) -> Result<Payload, GatewayError> {
    let mut account = HashMap::new();
    if let Some(tag) = &r.account_tag {
        account.insert("accountTag".to_owned(), tag.clone());
    }
    account.insert("accountType".to_owned(), r.account_type.to_string());
    account.insert("country".to_owned(), r.account_country.clone());
    account.insert("currency".to_owned(), r.account_currency.to_string());
    account.insert("status".to_owned(), "ACTIVATED".to_owned());
    account.insert("createdAt".to_owned(), "2024-01-01T00:00:00Z".to_owned());
    let bank = BankAccount {
        customer_no: r.customer_no.clone(),
        fields: account.clone(),
        ipn_url: r.ipn_url,
        bank_account_id: r.bank_account_id,
    };
    let (token, profile) = c.ledger().add_bank_account(c.merchant, bank)?;
    let mut payload: Payload = account
        .into_iter()
        .filter(|(k, _)| k != "status" && k != "createdAt")
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    for name in ["firstName", "lastName", "email"] {
        if let Some(value) = profile.get(name) {
            payload.insert(name.into(), json!(value));
        }
    }
    payload.insert("accountToken".into(), json!(token));
    payload.insert("accountStatus".into(), json!("ACTIVATED"));
    payload.insert("customerNo".into(), json!(r.customer_no));
    payload.insert("timestamp".into(), json!(r.timestamp.as_str()));
    payload.insert("status".into(), json!("success"));
    Ok(payload)
}

fn funding_accounts(c: &Ctx<'_>, r: PayeeFundingAccountsRequest) -> Result<Payload, GatewayError> {
    let found = c.ledger().payee_accounts(
        c.merchant,
        &r.customer_no,
        r.account_token.as_deref(),
        r.account_tag.as_deref(),
    )?;
    let (accounts, profile) = (found.accounts, found.profile);
    let list: Vec<Value> = accounts
        .into_iter()
        .map(|(token, account)| {
            let mut item = profile_payload(account);
            item.insert("accountToken".into(), json!(token));
            Value::Object(item)
        })
        .collect();
    let mut user = Payload::new();
    user.insert("customerNo".into(), json!(r.customer_no));
    for name in ["firstName", "lastName", "email"] {
        if let Some(value) = profile.get(name) {
            user.insert(name.into(), json!(value));
        }
    }
    let mut payload = Payload::new();
    payload.insert("accounts".into(), Value::Array(list));
    payload.insert("user".into(), Value::Object(user));
    Ok(payload)
}

fn account_delete(c: &Ctx<'_>, r: PayeeAccountDeleteRequest) -> Result<Payload, GatewayError> {
    // Optional in the docs, but without it there is no telling which account is meant.
    let token = r
        .account_token
        .ok_or_else(|| GatewayError::missing("accountToken is required to delete an account"))?;
    c.ledger()
        .delete_payee_account(c.merchant, &r.customer_no, &token)?;
    Ok(fields([
        ("accountToken", token),
        ("customerNo", r.customer_no),
    ]))
}

fn payout_pay(c: &Ctx<'_>, r: PayoutPayRequest) -> Result<Payload, GatewayError> {
    let invoice_id = r
        .invoice_id
        .ok_or_else(|| GatewayError::missing("invoiceId is required"))?;
    // Java's older form pays a `receiver`; the simulator keeps payees' accounts only.
    let (Some(customer_no), Some(account_token)) = (r.customer_no, r.account_token) else {
        return Err(GatewayError::no_record(
            "the simulator pays a payee's accountToken (with its customerNo); payouts to a receiver are not simulated",
        ));
    };
    let order = PayoutOrder {
        invoice_id,
        customer_no,
        account_token,
        amount: r.amount,
        currency: r.currency,
        ipn_url: r.ipn_url,
    };
    let payout = c.ledger().pay_out(c.merchant, order)?;
    Ok(payout_payload(&payout))
}

fn payout_inquiry(c: &Ctx<'_>, r: PayoutInquiryRequest) -> Result<Payload, GatewayError> {
    let payout = c.ledger().payout(c.merchant, r.invoice_id)?;
    Ok(payout_payload(&payout))
}

fn payout_balance(c: &Ctx<'_>, r: PayoutBalanceRequest) -> Result<Payload, GatewayError> {
    let balance = c.ledger().balance(c.merchant, &r.currency);
    let mut payload = Payload::new();
    payload.insert(
        "balance".into(),
        json!([{ "amount": balance.as_str(), "currency": r.currency.as_str() }]),
    );
    Ok(payload)
}

fn payout_payload(payout: &Payout) -> Payload {
    let mut payload = fields([
        ("invoiceId", payout.invoice_id.clone()),
        ("transactionNo", payout.transaction_no.clone()),
        ("customerNo", payout.customer_no.clone()),
        ("accountToken", payout.account_token.clone()),
        ("amount", payout.amount.to_string()),
        ("currency", payout.currency.to_string()),
        ("createdTime", crate::clock::iso_utc(payout.created_at)),
    ]);
    payload.insert("status".into(), json!("success"));
    payload
}
