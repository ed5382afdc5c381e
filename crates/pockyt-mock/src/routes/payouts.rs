//! Payees and payouts:
//! - a funding account belongs to one customer of one merchant and is addressed by its
//!   `accountToken`; only its owner can read or delete it;
//! - a payout needs an account of the named customer, an `invoiceId` unique per store of a merchant, and a
//!   balance that covers it; the balance (an opening balance per currency, less every payout) is
//!   read and spent under one lock, so two payouts cannot spend it twice;
//! - a payout with an `ipnUrl` is followed by its webhook.

use super::prelude::*;
use crate::routes::customers::{create_customer, find_customer, profile_of, update_customer};
use crate::state::{PayeeAccount, PayoutKey, Records};

/// This group's handler for `path`, if it has one.
pub(super) fn route(ctx: &Ctx<'_>, path: &str) -> Option<Result<Value, GatewayError>> {
    Some(match path {
        PayeeRegisterRequest::PATH => run(ctx, "register success", |c, _: PayeeRegisterRequest| {
            let mut payload = create_customer(c)?;
            // The simulator approves payees at once, so payouts can be tried end to end.
            payload.insert("payeeStatus".into(), json!("Activated"));
            payload
                .entry("profileType")
                .or_insert_with(|| json!("INDIVIDUAL"));
            Ok(payload)
        }),
        PayeeBankAccountCreateRequest::PATH => {
            run(ctx, "create success", payee_bank_account_create)
        }
        PayeeFundingAccountsRequest::PATH => run(ctx, "query success", payee_funding_accounts),
        PayeeAccountDeleteRequest::PATH => run(ctx, "delete success", payee_account_delete),
        PayeeRetrieveRequest::PATH => run(ctx, "retrieve success", |c, r: PayeeRetrieveRequest| {
            find_customer(c, Some(&r.customer_no), None)
        }),
        PayeeUpdateRequest::PATH => run(ctx, "update success", |c, r: PayeeUpdateRequest| {
            update_customer(c, &r.customer_no)
        }),
        PayeeAccountCreateRequest::PATH => run(ctx, "create success", payee_account_create),
        PayeeAccountRetrieveRequest::PATH => run(
            ctx,
            "retrieve success",
            |c, r: PayeeAccountRetrieveRequest| {
                let store = c.sim.store.lock();
                let (
                    token,
                    PayeeAccount {
                        customer_no,
                        fields: account,
                        ..
                    },
                ) = store
                    .payee_accounts
                    .iter()
                    .find(|(token, a)| {
                        a.is_owned_by(c.merchant, &r.customer_no)
                            && (r.account_token.as_deref() == Some(token.as_str())
                                || r.account_tag.as_deref()
                                    == a.fields.get("accountTag").map(String::as_str))
                    })
                    .ok_or_else(|| GatewayError::no_record("payee account does not exist"))?;
                let mut payload = fields([
                    ("accountToken", token.clone()),
                    ("customerNo", customer_no.clone()),
                    ("status", "active".to_owned()),
                ]);
                if let Some(tag) = account.get("accountTag") {
                    payload.insert("accountTag".into(), json!(tag));
                }
                // docs.yuansfer's retrieve table: when it was added, its country and currency, and
                // whose it is.
                for (name, from) in [
                    ("createdAt", "createdAt"),
                    ("country", "accountCountry"),
                    ("currency", "accountCurrency"),
                ] {
                    if let Some(value) = account.get(from) {
                        payload.insert(name.into(), json!(value));
                    }
                }
                for (name, value) in payee_profile(&store, customer_no) {
                    payload.entry(name).or_insert(Value::String(value));
                }
                Ok(payload)
            },
        ),
        PayoutPayRequest::PATH => run(ctx, "pay success", payout_pay),
        PayoutInquiryRequest::PATH => run(ctx, "query success ", |c, r: PayoutInquiryRequest| {
            let store = c.sim.store.lock();
            let payout = store
                .payouts
                .get(&PayoutKey::new(c.merchant, r.invoice_id))
                .ok_or_else(|| GatewayError::no_record("invoiceId does not exist"))?;
            Ok(payout_payload(payout))
        }),
        PayoutBalanceRequest::PATH => run(ctx, "query success ", |c, r: PayoutBalanceRequest| {
            let balance = c.sim.balance(c.merchant, &r.currency);
            let mut payload = Payload::new();
            payload.insert(
                "balance".into(),
                json!([{ "amount": balance.as_str(), "currency": r.currency.as_str() }]),
            );
            Ok(payload)
        }),
        _ => return None,
    })
}

pub(super) fn payee_account_create(
    ctx: &Ctx<'_>,
    r: PayeeAccountCreateRequest,
) -> Result<Payload, GatewayError> {
    let mut store = ctx.sim.store.lock();
    let known = store
        .customers
        .get(&r.customer_no)
        .is_some_and(|c| ctx.merchant.owns(&c.merchant_no, &c.store_no));
    if !known {
        return Err(GatewayError::no_record("customerNo does not exist"));
    }
    let token = format!("acct_{}", store.next_number());
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
    // The answer shows the payee as well (docs.yuansfer's example): the customer's profile.
    let profile = payee_profile(&store, &r.customer_no);
    store.payee_accounts.insert(
        token.clone(),
        PayeeAccount {
            merchant_no: ctx.merchant.merchant_no.clone(),
            store_no: ctx.merchant.store_no.clone(),
            customer_no: r.customer_no.clone(),
            fields: account,
        },
    );
    let mut payload = fields([
        ("accountToken", token.clone()),
        ("customerNo", r.customer_no),
        ("timestamp", r.timestamp.unwrap_or_default()),
        (
            "link",
            format!("{}/v1/customers/user-account/{token}", ctx.sim.base_url),
        ),
    ]);
    for (name, value) in profile.into_iter().chain(
        ["accountCountry", "accountCurrency", "profileType"]
            .into_iter()
            .filter_map(|name| Some((name.to_owned(), account_field(&store, &token, name)?))),
    ) {
        payload.entry(name).or_insert(Value::String(value));
    }
    Ok(payload)
}

/// The payee's name, e-mail and code, as an account's answers show them.
fn payee_profile(store: &Records, customer_no: &str) -> Vec<(String, String)> {
    let Some(customer) = store.customers.get(customer_no) else {
        return Vec::new();
    };
    [
        "firstName",
        "lastName",
        "email",
        "customerCode",
        "profileType",
    ]
    .into_iter()
    .filter_map(|name| Some((name.to_owned(), customer.profile.get(name)?.clone())))
    .collect()
}

fn account_field(store: &Records, token: &str, name: &str) -> Option<String> {
    store.payee_accounts.get(token)?.fields.get(name).cloned()
}

pub(super) fn payee_bank_account_create(
    ctx: &Ctx<'_>,
    r: PayeeBankAccountCreateRequest,
) -> Result<Payload, GatewayError> {
    let mut store = ctx.sim.store.lock();
    let profile = profile_of(&store, ctx, &r.customer_no)?;
    let token = format!("acct_{}", store.next_number());
    let mut account = HashMap::new();
    if let Some(tag) = &r.account_tag {
        account.insert("accountTag".to_owned(), tag.clone());
    }
    account.insert("accountType".to_owned(), r.account_type.to_string());
    account.insert("country".to_owned(), r.account_country.clone());
    account.insert("currency".to_owned(), r.account_currency.to_string());
    account.insert("status".to_owned(), "ACTIVATED".to_owned());
    account.insert("createdAt".to_owned(), "2024-01-01T00:00:00Z".to_owned());
    store.payee_accounts.insert(
        token.clone(),
        PayeeAccount {
            merchant_no: ctx.merchant.merchant_no.clone(),
            store_no: ctx.merchant.store_no.clone(),
            customer_no: r.customer_no.clone(),
            fields: account.clone(),
        },
    );
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
    payload.insert("timestamp".into(), json!(r.timestamp));
    payload.insert("status".into(), json!("success"));
    drop(store);
    if let Some(url) = &r.ipn_url {
        let masked = r
            .bank_account_id
            .as_deref()
            .map(|id| format!("****{}", id.get(id.len().saturating_sub(4)..).unwrap_or("")))
            .unwrap_or_default();
        let (kind, currency) = (r.account_type.to_string(), r.account_currency.to_string());
        let mut pairs = vec![
            ("accountStatus", "ACTIVATED"),
            ("accountToken", token.as_str()),
            ("accountType", kind.as_str()),
            ("country", r.account_country.as_str()),
            ("customerNo", r.customer_no.as_str()),
            ("currency", currency.as_str()),
        ];
        if let Some(tag) = r.account_tag.as_deref() {
            pairs.push(("accountTag", tag));
        }
        if !masked.is_empty() {
            pairs.push(("payeeAccount", masked.as_str()));
        }
        ctx.sim
            .notify_other(owner(ctx), url, (&token, "ACTIVATED"), pairs);
    }
    Ok(payload)
}

pub(super) fn payee_funding_accounts(
    ctx: &Ctx<'_>,
    r: PayeeFundingAccountsRequest,
) -> Result<Payload, GatewayError> {
    let store = ctx.sim.store.lock();
    let profile = profile_of(&store, ctx, &r.customer_no)?;
    let mut accounts: Vec<(&String, &HashMap<String, String>)> = store
        .payee_accounts
        .iter()
        .filter(|(token, a)| {
            a.is_owned_by(ctx.merchant, &r.customer_no)
                && r.account_token.as_ref().is_none_or(|t| t == *token)
                && r.account_tag
                    .as_ref()
                    .is_none_or(|t| a.fields.get("accountTag") == Some(t))
        })
        .map(|(token, a)| (token, &a.fields))
        .collect();
    accounts.sort_by(|a, b| a.0.cmp(b.0));
    let list: Vec<Value> = accounts
        .into_iter()
        .map(|(token, account)| {
            let mut item: Payload = account
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
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

pub(super) fn payee_account_delete(
    ctx: &Ctx<'_>,
    r: PayeeAccountDeleteRequest,
) -> Result<Payload, GatewayError> {
    // Optional in the docs, but without it there is no telling which account is meant.
    let token = r
        .account_token
        .ok_or_else(|| GatewayError::missing("accountToken is required to delete an account"))?;
    let mut store = ctx.sim.store.lock();
    let owned = store
        .payee_accounts
        .get(&token)
        .is_some_and(|a| a.is_owned_by(ctx.merchant, &r.customer_no));
    if !owned {
        return Err(GatewayError::no_record(
            "accountToken does not exist for this customerNo",
        ));
    }
    store.payee_accounts.remove(&token);
    Ok(fields([
        ("accountToken", token),
        ("customerNo", r.customer_no),
    ]))
}

pub(super) fn payout_pay(ctx: &Ctx<'_>, r: PayoutPayRequest) -> Result<Payload, GatewayError> {
    let invoice_id = r
        .invoice_id
        .ok_or_else(|| GatewayError::missing("invoiceId is required"))?;
    // Java's older form pays a `receiver`; the simulator keeps payees' accounts only.
    let (Some(customer_no), Some(account_token)) = (r.customer_no, r.account_token) else {
        return Err(GatewayError::no_record(
            "the simulator pays a payee's accountToken (with its customerNo); payouts to a receiver are not simulated",
        ));
    };
    let mut store = ctx.sim.store.lock();
    // Read under the same lock as the insert, so two payouts cannot both spend one balance.
    let balance = ctx.sim.balance_in(&store, ctx.merchant, &r.currency);
    let key = PayoutKey::new(ctx.merchant, invoice_id.clone());
    if store.payouts.contains_key(&key) {
        return Err(GatewayError::invalid(format!(
            "invoiceId `{invoice_id}` has already been used"
        )));
    }
    let account_ok = store
        .payee_accounts
        .get(&account_token)
        .is_some_and(|a| a.is_owned_by(ctx.merchant, &customer_no));
    if !account_ok {
        return Err(GatewayError::no_record(
            "accountToken does not exist for this customerNo",
        ));
    }
    if r.amount > balance {
        return Err(GatewayError::status("insufficient balance"));
    }
    let payout = Payout {
        transaction_no: store.next_number(),
        invoice_id,
        customer_no,
        account_token,
        amount: normalized(r.amount, &r.currency),
        currency: r.currency,
    };
    let payload = payout_payload(&payout);
    store.payouts.insert(key, payout.clone());
    drop(store);
    if let Some(url) = &r.ipn_url {
        // The payout webhook (docs.pockyt `payouts-apis/errors-and-status-codes`).
        let (amount, currency) = (payout.amount.to_string(), payout.currency.to_string());
        let time = crate::clock::iso_utc(std::time::SystemTime::now());
        let pairs = vec![
            ("accountToken", payout.account_token.as_str()),
            ("amount", amount.as_str()),
            ("currency", currency.as_str()),
            ("invoiceId", payout.invoice_id.as_str()),
            ("paymentTime", time.as_str()),
            ("status", "success"),
            ("transactionNo", payout.transaction_no.as_str()),
        ];
        ctx.sim
            .notify_other(owner(ctx), url, (&payout.transaction_no, "success"), pairs);
    }
    Ok(payload)
}

/// The calling store, as `notify_other` names whose key signs.
fn owner<'a>(ctx: &'a Ctx<'_>) -> (&'a str, &'a str) {
    (&ctx.merchant.merchant_no, &ctx.merchant.store_no)
}

pub(super) fn payout_payload(payout: &Payout) -> Payload {
    let mut payload = fields([
        ("invoiceId", payout.invoice_id.clone()),
        ("transactionNo", payout.transaction_no.clone()),
        ("customerNo", payout.customer_no.clone()),
        ("accountToken", payout.account_token.clone()),
        ("amount", payout.amount.to_string()),
        ("currency", payout.currency.to_string()),
        ("createdTime", "2024-01-01T00:00:00Z".to_owned()),
    ]);
    payload.insert("status".into(), json!("success"));
    payload
}
