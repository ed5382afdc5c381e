//! One handler per endpoint: the gateway's business rules, as far as the documentation tells them.

use std::collections::HashMap;

use pockyt_types::*;
use serde_json::{Value, json};

use crate::clock::readable;
use crate::gateway::{Ctx, GatewayError, Payload, run};
use crate::state::{Agreement, Authorization, Payment, Payout, Refund};

/// Routes a path to its handler; an unknown path is the gateway's "no such API" answer.
pub(crate) fn dispatch(ctx: &Ctx<'_>, path: &str) -> Result<Value, GatewayError> {
    match path {
        SecurePayRequest::PATH => run(ctx, "prepay success", |c, r: SecurePayRequest| {
            let spec = Spec::new(
                r.reference,
                r.amount,
                r.currency,
                r.settle_currency,
                r.vendor,
                "secure_pay",
            )
            .urls(r.ipn_url, r.callback_url)
            .note(r.note)
            .timeout(r.timeout);
            hosted(c, spec, matches!(r.terminal, Terminal::Yip | Terminal::App))
        }),
        SecurePayV4Request::PATH => run(ctx, "prepay success", |c, r: SecurePayV4Request| {
            let spec = Spec::new(
                r.reference,
                r.amount,
                r.currency,
                r.settle_currency,
                r.vendor,
                "secure_pay_v4",
            )
            .urls(Some(r.ipn_url), r.callback_url)
            .note(r.note)
            .timeout(r.timeout);
            hosted(c, spec, false)
        }),
        CreditPayProcessRequest::PATH => {
            run(ctx, "process success", |c, r: CreditPayProcessRequest| {
                settle(c, &r.transaction_no, TransactionStatus::Success)
            })
        }
        OrderProcessV4Request::PATH => {
            run(ctx, "process success", |c, r: OrderProcessV4Request| {
                settle(c, &r.transaction_no, TransactionStatus::Success)
            })
        }
        OrderCaptureV4Request::PATH => {
            run(ctx, "capture success", |c, r: OrderCaptureV4Request| {
                let spec = Spec::new(
                    r.reference,
                    r.amount,
                    r.currency,
                    r.settle_currency,
                    r.vendor,
                    "order_capture_v4",
                )
                .urls(r.ipn_url, None)
                .note(r.note)
                .customer(r.customer_no);
                paid_at_once(c, spec)
            })
        }
        AcquireCreateRequest::PATH => run(ctx, "success", |c, r: AcquireCreateRequest| {
            let amount = r
                .amount
                .or(r.rmb_amount)
                .ok_or_else(|| GatewayError::missing("amount is required"))?;
            let spec = Spec::new(
                r.reference,
                amount,
                r.currency,
                r.settle_currency,
                r.vendor,
                "acquire_create",
            )
            .urls(r.ipn_url, None)
            .note(r.note)
            .timeout(r.timeout);
            created(c, spec)
        }),
        InstoreAddRequest::PATH => run(ctx, "add success", |c, r: InstoreAddRequest| {
            let spec = Spec::new(
                r.reference,
                r.amount,
                r.currency,
                r.settle_currency,
                Vendor::Unknown(String::new()),
                "instore_add",
            )
            .urls(r.ipn_url, None)
            .timeout(r.timeout);
            let payment = create(c, spec)?;
            Ok(transaction_payload(&payment))
        }),
        InstorePayRequest::PATH => run(ctx, "pay success", |c, r: InstorePayRequest| {
            scan_barcode(
                c,
                r.transaction_no.as_deref(),
                r.reference.as_deref(),
                r.vendor,
            )
        }),
        InstorePrepayRequest::PATH => run(ctx, "prepay success", |c, r: InstorePrepayRequest| {
            scan_barcode(
                c,
                r.transaction_no.as_deref(),
                r.reference.as_deref(),
                r.vendor,
            )
        }),
        CreateTransQrcodeRequest::PATH => {
            run(ctx, "create success", |c, r: CreateTransQrcodeRequest| {
                let payment = match r.transaction_no {
                    // A code for a transaction `/app-instore/v3/add` made (PHP's `transactionNo`).
                    Some(number) => open_payment(c, &number)?,
                    None => {
                        let spec = Spec::new(
                            r.reference,
                            r.amount,
                            r.currency,
                            r.settle_currency,
                            r.vendor.unwrap_or(Vendor::Unknown(String::new())),
                            "create_trans_qrcode",
                        )
                        .urls(r.ipn_url, None)
                        .timeout(r.timeout);
                        create(c, spec)?
                    }
                };
                let link = c.shared.cashier_url(&payment.transaction_no);
                let mut payload = payment_payload(&payment);
                payload.insert("timeout".into(), json!(r.timeout.unwrap_or(120)));
                payload.insert("deepLink".into(), json!(link));
                // Both docs give `needQrcode` the default false (audit M11).
                if r.need_qrcode == Some(true) {
                    payload.insert("qrcodeUrl".into(), json!(format!("{link}/qrcode")));
                }
                Ok(payload)
            })
        }
        MixedQrcodeRequest::PATH => run(ctx, "create success", |c, r: MixedQrcodeRequest| {
            let spec = Spec::new(
                r.reference,
                r.sale_amount,
                r.currency,
                r.settle_currency,
                // The wallet is known only once the shopper pays.
                Vendor::Unknown(String::new()),
                "mixed_qrcode",
            )
            .urls(r.ipn_url, None)
            .note(r.note)
            .timeout(r.timeout);
            let payment = create(c, spec)?;
            let mut payload = mixed_payload(c, &payment);
            payload.insert("timeout".into(), json!(r.timeout.unwrap_or(120)));
            if r.need_qrcode == Some(true) {
                let link = c.shared.cashier_url(&payment.transaction_no);
                payload.insert("qrcodeUrl".into(), json!(format!("{link}/qrcode")));
            }
            Ok(payload)
        }),
        MixedQueryRequest::PATH => run(ctx, "query success ", |c, r: MixedQueryRequest| {
            let payment = mixed_record(c, r.record_no.as_deref(), r.reference.as_deref())?;
            Ok(mixed_payload(c, &payment))
        }),
        MixedCancelRequest::PATH => run(ctx, "cancel success", |c, r: MixedCancelRequest| {
            let payment = mixed_record(c, r.record_no.as_deref(), r.reference.as_deref())?;
            settle(c, &payment.transaction_no, TransactionStatus::Closed)?;
            let closed = open_or_any(c, &payment.transaction_no)?;
            Ok(mixed_payload(c, &closed))
        }),
        CashierAddRequest::PATH => run(ctx, "add success", |c, r: CashierAddRequest| {
            let spec = Spec::new(
                r.reference,
                r.amount,
                r.currency,
                r.settle_currency,
                Vendor::Unknown(String::new()),
                "cashier_add",
            )
            .urls(Some(r.ipn_url), None);
            created(c, spec)
        }),
        #[allow(deprecated)]
        DataReverseRequest::PATH => run(ctx, "reverse success", |c, r: DataReverseRequest| {
            cancel(c, r.transaction_no.as_deref(), r.reference.as_deref())
        }),
        InstoreReverseRequest::PATH => {
            run(ctx, "reverse success", |c, r: InstoreReverseRequest| {
                cancel(c, r.transaction_no.as_deref(), r.reference.as_deref())
            })
        }
        PrepayRequest::PATH => run(ctx, "prepay success", |c, r: PrepayRequest| {
            let spec = Spec::new(
                r.reference,
                r.amount,
                r.currency,
                r.settle_currency,
                r.vendor.clone(),
                "prepay",
            )
            .urls(r.ipn_url, r.callback_url)
            .note(r.note)
            .timeout(r.timeout);
            let payment = create(c, spec)?;
            let mut payload = payment_payload(&payment);
            payload.insert("merchantNo".into(), json!(payment.merchant_no));
            match r.vendor {
                Vendor::WechatPay if r.terminal == Terminal::MiniProgram => {
                    // The mini-program object names differ in case from the app's (audit M5).
                    for (field, value) in [
                        ("timeStamp", "1700000000"),
                        ("nonceStr", "simulator"),
                        ("signType", "MD5"),
                        ("paySign", "simulator-sign"),
                    ] {
                        payload.insert(field.into(), json!(value));
                    }
                    payload.insert(
                        "package".into(),
                        json!(format!("prepay_id=wx{}", payment.transaction_no)),
                    );
                }
                Vendor::WechatPay => {
                    for (field, value) in [
                        ("appid", "wx-sandbox"),
                        ("partnerid", "1900000109"),
                        ("package", "Sign=WXPay"),
                        ("noncestr", "simulator"),
                        ("sign", "simulator-sign"),
                    ] {
                        payload.insert(field.into(), json!(value));
                    }
                    payload.insert(
                        "prepayid".into(),
                        json!(format!("wx{}", payment.transaction_no)),
                    );
                }
                _ => {
                    payload.insert(
                        "payInfo".into(),
                        json!(c.shared.cashier_url(&payment.transaction_no)),
                    );
                }
            }
            Ok(payload)
        }),
        ExpressPayRequest::PATH => run(ctx, "pay success", |c, r: ExpressPayRequest| {
            let spec = Spec::new(
                r.reference,
                r.amount,
                r.currency,
                r.settle_currency,
                Vendor::CreditCard,
                "express_pay",
            );
            paid_at_once(c, spec)
        }),
        UpdateRecurringRequest::PATH => {
            run(ctx, "update success", |_, r: UpdateRecurringRequest| {
                let mut payload = Payload::new();
                if let Some(schedule) = r.schedule_no {
                    payload.insert("scheduleNo".into(), json!(schedule));
                }
                if let Some(count) = r.payment_count {
                    payload.insert("paymentCount".into(), json!(count));
                }
                if let Some(status) = r.status {
                    payload.insert("status".into(), json!(status.as_str()));
                }
                Ok(payload)
            })
        }
        PaypalCreatePlanRequest::PATH => run(ctx, "success", |c, _: PaypalCreatePlanRequest| {
            let number = c.shared.store.lock().next_number();
            Ok(fields([
                ("productId", format!("PROD-{number}")),
                ("planId", format!("P-{number}")),
            ]))
        }),
        AutoDebitConsultRequest::PATH => run(ctx, "consult success", auto_debit_consult),
        AutoDebitApplyTokenRequest::PATH => {
            run(ctx, "apply success", |c, r: AutoDebitApplyTokenRequest| {
                let agreement = agreement(c, &r.auto_debit_no, true)?;
                let mut payload = fields([
                    ("autoDebitNo", agreement.auto_debit_no),
                    ("autoReference", agreement.auto_reference),
                ]);
                payload.insert(
                    "accessTokenExpiryTime".into(),
                    json!("2099-12-31T00:00:00Z"),
                );
                payload.insert(
                    "refreshTokenExpiryTime".into(),
                    json!("2099-12-31T00:00:00Z"),
                );
                Ok(payload)
            })
        }
        AutoDebitPayRequest::PATH => run(ctx, "pay success", |c, r: AutoDebitPayRequest| {
            let agreement = agreement(c, &r.auto_debit_no, true)?;
            let spec = Spec::new(
                r.reference,
                r.amount,
                r.currency,
                r.settle_currency,
                agreement.vendor,
                "auto_debit_pay",
            )
            .urls(r.ipn_url, None);
            let mut payload = paid_at_once(c, spec)?;
            payload.insert("autoDebitNo".into(), json!(agreement.auto_debit_no));
            Ok(payload)
        }),
        AutoDebitRevokeRequest::PATH => {
            run(ctx, "revoke success", |c, r: AutoDebitRevokeRequest| {
                let mut store = c.shared.store.lock();
                let agreement = store
                    .agreements
                    .get_mut(&r.auto_debit_no)
                    .filter(|a| a.merchant_no == c.merchant.merchant_no)
                    .ok_or_else(|| GatewayError::no_record("autoDebitNo does not exist"))?;
                agreement.revoked = true;
                Ok(fields([
                    ("autoDebitNo", agreement.auto_debit_no.clone()),
                    ("autoReference", agreement.auto_reference.clone()),
                ]))
            })
        }
        VoucherCreateRequest::PATH => run(ctx, "create success", |c, r: VoucherCreateRequest| {
            freeze(
                c,
                r.out_auth_info_no,
                r.out_auth_detail_no,
                r.amount,
                r.currency,
            )
        }),
        AuthFreezeRequest::PATH => run(ctx, "freeze success", |c, r: AuthFreezeRequest| {
            freeze(
                c,
                r.out_auth_info_no,
                r.out_auth_detail_no,
                r.amount,
                Some(r.currency),
            )
        }),
        AuthUnfreezeRequest::PATH => run(ctx, "unfreeze success", |c, r: AuthUnfreezeRequest| {
            let mut store = c.shared.store.lock();
            let auth = authorization(
                &mut store.authorizations,
                c,
                r.auth_info_no.as_deref(),
                r.out_auth_info_no.as_deref(),
            )?;
            auth.frozen = auth
                .frozen
                .checked_sub(&r.unfreeze_amount)
                .filter(|rest| !rest.is_negative())
                .ok_or_else(|| GatewayError::invalid("unfreezeAmount exceeds the frozen amount"))?;
            let mut payload = auth_payload(auth, &r.out_auth_detail_no);
            payload.insert("unfreezeAmount".into(), json!(r.unfreeze_amount.as_str()));
            Ok(payload)
        }),
        AuthCaptureRequest::PATH => run(ctx, "capture success", |c, r: AuthCaptureRequest| {
            {
                let mut store = c.shared.store.lock();
                let auth = authorization(
                    &mut store.authorizations,
                    c,
                    r.auth_info_no.as_deref(),
                    r.out_auth_info_no.as_deref(),
                )?;
                if r.amount > auth.frozen {
                    return Err(GatewayError::invalid("amount exceeds the frozen amount"));
                }
            }
            let (info, out_info, amount) = (
                r.auth_info_no.clone(),
                r.out_auth_info_no.clone(),
                r.amount.clone(),
            );
            let spec = Spec::new(
                r.reference,
                r.amount,
                r.currency,
                r.settle_currency,
                Vendor::Alipay,
                "auth_capture",
            )
            .urls(r.ipn_url, None);
            // Release the frozen funds only once the capture exists (a duplicate reference fails first).
            let payload = paid_at_once(c, spec)?;
            let mut store = c.shared.store.lock();
            let auth = authorization(
                &mut store.authorizations,
                c,
                info.as_deref(),
                out_info.as_deref(),
            )?;
            auth.frozen = auth
                .frozen
                .checked_sub(&amount)
                .unwrap_or_else(Amount::zero);
            Ok(payload)
        }),
        AuthDetailQueryRequest::PATH => {
            run(ctx, "query success ", |c, r: AuthDetailQueryRequest| {
                let mut store = c.shared.store.lock();
                let auth = authorization(
                    &mut store.authorizations,
                    c,
                    r.auth_info_no.as_deref(),
                    r.out_auth_info_no.as_deref(),
                )?;
                let detail = r
                    .out_auth_detail_no
                    .or(r.auth_detail_no)
                    .unwrap_or_default();
                Ok(auth_payload(auth, &detail))
            })
        }
        RefundRequest::PATH => run(ctx, "refund success ", refund),
        CancelRequest::PATH => run(ctx, "cancel success ", |c, r: CancelRequest| {
            cancel(c, r.transaction_no.as_deref(), r.reference.as_deref())
        }),
        TranQueryRequest::PATH => run(ctx, "query success ", |c, r: TranQueryRequest| {
            let mut store = c.shared.store.lock();
            let payment = store
                .find(
                    &c.merchant.merchant_no,
                    r.transaction_no.as_deref(),
                    r.reference.as_deref(),
                )
                .ok_or_else(|| GatewayError::no_record("transaction does not exist"))?;
            Ok(query_payload(payment))
        }),
        TransListRequest::PATH => run(ctx, "query success ", |c, r: TransListRequest| {
            date_range(&r.start_date, &r.end_date)?;
            let store = c.shared.store.lock();
            let within = |p: &Payment| {
                let day = p.created.get(..8).unwrap_or_default();
                r.start_date.as_str() <= day && day <= r.end_date.as_str()
            };
            let mut list: Vec<Value> = store
                .payments
                .values()
                .filter(|p| p.merchant_no == c.merchant.merchant_no && within(p))
                .map(|p| Value::Object(transaction_payload(p)))
                .collect();
            list.sort_by(|a, b| {
                a["transactionNo"]
                    .as_str()
                    .cmp(&b["transactionNo"].as_str())
            });
            let mut payload = Payload::new();
            payload.insert("size".into(), json!(list.len()));
            payload.insert("transactions".into(), Value::Array(list));
            Ok(payload)
        }),
        SettleListRequest::PATH => run(ctx, "query success ", |_, r: SettleListRequest| {
            date_range(&r.start_date, &r.end_date)?;
            Ok(empty_list("settlements"))
        }),
        WithdrawalListRequest::PATH => run(ctx, "query success ", |_, r: WithdrawalListRequest| {
            date_range(&r.start_date, &r.end_date)?;
            Ok(empty_list("withdrawals"))
        }),
        DataStatusRequest::PATH => run(ctx, "query success ", |_, r: DataStatusRequest| {
            Ok(fields([
                ("paymentDate", r.payment_date),
                ("status", "unsettled".to_owned()),
            ]))
        }),
        CustomerCreateRequest::PATH => run(ctx, "create success", |c, _: CustomerCreateRequest| {
            create_customer(c)
        }),
        CustomerRetrieveRequest::PATH => {
            run(ctx, "retrieve success", |c, r: CustomerRetrieveRequest| {
                find_customer(c, r.customer_no.as_deref(), r.customer_code.as_deref())
            })
        }
        CustomerUpdateRequest::PATH => run(ctx, "update success", |c, r: CustomerUpdateRequest| {
            update_customer(c, &r.customer_no)
        }),
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
                let store = c.shared.store.lock();
                let (token, (_, customer_no, account)) = store
                    .payee_accounts
                    .iter()
                    .find(|(token, (merchant, customer, account))| {
                        *merchant == c.merchant.merchant_no
                            && *customer == r.customer_no
                            && (r.account_token.as_deref() == Some(token.as_str())
                                || r.account_tag.as_deref()
                                    == account.get("accountTag").map(String::as_str))
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
                Ok(payload)
            },
        ),
        PayoutPayRequest::PATH => run(ctx, "pay success", payout_pay),
        PayoutInquiryRequest::PATH => run(ctx, "query success ", |c, r: PayoutInquiryRequest| {
            let store = c.shared.store.lock();
            let payout = store
                .payouts
                .get(&(c.merchant.merchant_no.clone(), r.invoice_id))
                .ok_or_else(|| GatewayError::no_record("invoiceId does not exist"))?;
            Ok(payout_payload(payout))
        }),
        PayoutBalanceRequest::PATH => run(ctx, "query success ", |c, r: PayoutBalanceRequest| {
            let balance = c.shared.balance(&c.merchant.merchant_no, &r.currency);
            let mut payload = Payload::new();
            payload.insert(
                "balance".into(),
                json!([{ "amount": balance.as_str(), "currency": r.currency.as_str() }]),
            );
            Ok(payload)
        }),
        _ => Err(GatewayError::new(
            RetCode::UnsupportedVersion,
            format!("no such API: {path}"),
        )),
    }
}

/// What a new payment needs.
struct Spec {
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
}

impl Spec {
    fn new(
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
        }
    }

    fn urls(mut self, ipn_url: Option<String>, callback_url: Option<String>) -> Self {
        self.ipn_url = ipn_url;
        self.callback_url = callback_url;
        self
    }

    fn note(mut self, note: Option<String>) -> Self {
        self.note = note;
        self
    }

    fn customer(mut self, customer_no: Option<String>) -> Self {
        self.customer_no = customer_no;
        self
    }

    fn timeout(mut self, minutes: Option<u32>) -> Self {
        self.timeout_minutes = minutes.unwrap_or(120);
        self
    }
}

/// Creates a payment in `init`; a `reference` may be used once per merchant.
fn create(ctx: &Ctx<'_>, spec: Spec) -> Result<Payment, GatewayError> {
    let mut store = ctx.shared.store.lock();
    let key = spec
        .reference
        .as_ref()
        .map(|reference| (ctx.merchant.merchant_no.clone(), reference.clone()));
    if let Some((_, reference)) = key.as_ref().filter(|k| store.references.contains_key(k)) {
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
        created_by: spec.created_by,
        customer_no: spec.customer_no,
        refunds: Vec::new(),
        created: crate::clock::gateway_time(std::time::SystemTime::now()),
        expires_at: ctx
            .shared
            .expiries
            .schedule(transaction_no.clone(), spec.timeout_minutes),
    };
    if let Some(key) = key {
        store.references.insert(key, transaction_no.clone());
    }
    store.payments.insert(transaction_no, payment.clone());
    Ok(payment)
}

/// Refund totals that cannot be represented: a simulator bug, never a silent zero.
fn overflow() -> GatewayError {
    GatewayError::new(RetCode::SystemError, "refund total overflows")
}

/// `"0.5"` USD is answered as `"0.50"`, as the gateway does.
fn normalized(amount: Amount, currency: &Currency) -> Amount {
    amount
        .to_minor(currency)
        .and_then(|minor| Amount::from_minor(minor, currency))
        .unwrap_or(amount)
}

fn created(ctx: &Ctx<'_>, spec: Spec) -> Result<Payload, GatewayError> {
    Ok(payment_payload(&create(ctx, spec)?))
}

/// A hosted checkout: the shopper pays on the simulator's cashier page.
fn hosted(ctx: &Ctx<'_>, spec: Spec, client_token: bool) -> Result<Payload, GatewayError> {
    let payment = create(ctx, spec)?;
    let mut payload = payment_payload(&payment);
    payload.remove("status");
    payload.insert(
        "cashierUrl".into(),
        json!(ctx.shared.cashier_url(&payment.transaction_no)),
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
fn paid_at_once(ctx: &Ctx<'_>, spec: Spec) -> Result<Payload, GatewayError> {
    let payment = create(ctx, spec)?;
    settle(ctx, &payment.transaction_no, TransactionStatus::Success)
}

/// Moves an open payment to a final status and notifies the merchant.
fn settle(
    ctx: &Ctx<'_>,
    transaction_no: &str,
    status: TransactionStatus,
) -> Result<Payload, GatewayError> {
    let payment = ctx
        .shared
        .finish(transaction_no, Some(&ctx.merchant.merchant_no), status)
        .map_err(|e| match e {
            crate::FinishError::NotFound => GatewayError::no_record("transaction does not exist"),
            crate::FinishError::NotOpen(status) => {
                GatewayError::status(format!("transaction is already {status}"))
            }
        })?;
    Ok(payment_payload(&payment))
}

fn scan_barcode(
    ctx: &Ctx<'_>,
    transaction_no: Option<&str>,
    reference: Option<&str>,
    vendor: Option<Vendor>,
) -> Result<Payload, GatewayError> {
    let number = {
        let mut store = ctx.shared.store.lock();
        let payment = store
            .find(&ctx.merchant.merchant_no, transaction_no, reference)
            .ok_or_else(|| GatewayError::no_record("transaction does not exist"))?;
        if let Some(vendor) = vendor {
            payment.vendor = vendor;
        }
        payment.transaction_no.clone()
    };
    settle(ctx, &number, TransactionStatus::Success)?;
    let store = ctx.shared.store.lock();
    let payment = store
        .payments
        .get(&number)
        .ok_or_else(|| GatewayError::no_record("transaction does not exist"))?;
    Ok(transaction_payload(payment))
}

fn refund(ctx: &Ctx<'_>, r: RefundRequest) -> Result<Payload, GatewayError> {
    let mut store = ctx.shared.store.lock();
    let merchant = ctx.merchant.merchant_no.clone();
    let refund_key = r
        .refund_reference
        .as_ref()
        .map(|reference| (merchant.clone(), reference.clone()));
    if let Some((_, reference)) = refund_key
        .as_ref()
        .filter(|k| store.refund_references.contains_key(k))
    {
        return Err(GatewayError::invalid(format!(
            "refundReference `{reference}` has already been used"
        )));
    }
    let refund_no = store.next_number();
    let payment = store
        .find(
            &merchant,
            r.transaction_no.as_deref(),
            r.reference.as_deref(),
        )
        .ok_or_else(|| GatewayError::no_record("transaction does not exist"))?;
    if payment.status != TransactionStatus::Success {
        return Err(GatewayError::status(format!(
            "a {} transaction cannot be refunded",
            payment.status
        )));
    }
    if payment.currency != r.currency {
        return Err(GatewayError::new(
            RetCode::InconsistentParameters,
            "currency differs from the payment's",
        ));
    }
    if payment.settle_currency != r.settle_currency {
        return Err(GatewayError::new(
            RetCode::InconsistentParameters,
            "settleCurrency differs from the payment's",
        ));
    }
    let refundable = payment.refundable().ok_or_else(overflow)?;
    if r.refund_amount > refundable {
        return Err(GatewayError::invalid(format!(
            "refundAmount {} exceeds the refundable amount {refundable}",
            r.refund_amount,
        )));
    }
    let amount = normalized(r.refund_amount, &payment.currency);
    payment.refunds.push(Refund {
        refund_transaction_no: refund_no.clone(),
        refund_reference: r.refund_reference.clone(),
        amount: amount.clone(),
    });
    let mut payload = payment_payload(payment);
    let transaction_no = payment.transaction_no.clone();
    payload.insert("refundAmount".into(), json!(amount.as_str()));
    if let Some(reference) = &r.refund_reference {
        payload.insert("refundReference".into(), json!(reference));
    }
    payload.insert("refundTransactionNo".into(), json!(refund_no));
    payload.insert("status".into(), json!("success"));
    if let Some(key) = refund_key {
        store.refund_references.insert(key, transaction_no);
    }
    Ok(payload)
}

/// Closes an unpaid payment; a paid one is refunded in full and closed.
fn cancel(
    ctx: &Ctx<'_>,
    transaction_no: Option<&str>,
    reference: Option<&str>,
) -> Result<Payload, GatewayError> {
    // `Ok(payment)`: a paid payment, refunded and closed here; `Err(number)`: an open one.
    let closed_or_open = {
        let mut store = ctx.shared.store.lock();
        let refund_no = store.next_number();
        let payment = store
            .find(&ctx.merchant.merchant_no, transaction_no, reference)
            .ok_or_else(|| GatewayError::no_record("transaction does not exist"))?;
        match payment.status {
            TransactionStatus::Success => {
                let rest = payment.refundable().ok_or_else(overflow)?;
                if rest.is_positive() {
                    payment.refunds.push(Refund {
                        refund_transaction_no: refund_no.clone(),
                        refund_reference: None,
                        amount: rest,
                    });
                }
                payment.status = TransactionStatus::Closed;
                // Cloned under the same lock, so the IPN describes exactly this change.
                Ok(payment.clone())
            }
            _ if payment.is_open() => Err(payment.transaction_no.clone()),
            ref status => {
                return Err(GatewayError::status(format!(
                    "a {status} transaction cannot be cancelled"
                )));
            }
        }
    };
    match closed_or_open {
        Ok(payment) => {
            // The paid order is now closed and refunded: the merchant hears of it as of any other
            // change.
            ctx.shared.notify(&payment);
            Ok(payment_payload(&payment))
        }
        Err(number) => settle(ctx, &number, TransactionStatus::Closed),
    }
}

fn auto_debit_consult(ctx: &Ctx<'_>, r: AutoDebitConsultRequest) -> Result<Payload, GatewayError> {
    let mut store = ctx.shared.store.lock();
    if store
        .agreements
        .values()
        .any(|a| a.merchant_no == ctx.merchant.merchant_no && a.auto_reference == r.auto_reference)
    {
        return Err(GatewayError::invalid(format!(
            "autoReference `{}` has already been used",
            r.auto_reference
        )));
    }
    let number = store.next_number();
    store.agreements.insert(
        number.clone(),
        Agreement {
            auto_debit_no: number.clone(),
            auto_reference: r.auto_reference.clone(),
            merchant_no: ctx.merchant.merchant_no.clone(),
            vendor: r.vendor,
            redirect_url: r.auto_redirect_url,
            auto_ipn_url: r.auto_ipn_url,
            note: r.note,
            authorized: false,
            revoked: false,
        },
    );
    Ok(fields([
        (
            "authUrl",
            format!("{}/auto-debit/authorize/{number}", ctx.shared.base_url),
        ),
        ("autoDebitNo", number),
        ("autoReference", r.auto_reference),
    ]))
}

fn agreement(
    ctx: &Ctx<'_>,
    auto_debit_no: &str,
    must_be_active: bool,
) -> Result<Agreement, GatewayError> {
    let store = ctx.shared.store.lock();
    let agreement = store
        .agreements
        .get(auto_debit_no)
        .filter(|a| a.merchant_no == ctx.merchant.merchant_no)
        .ok_or_else(|| GatewayError::no_record("autoDebitNo does not exist"))?;
    if must_be_active && (!agreement.authorized || agreement.revoked) {
        return Err(GatewayError::status(
            "the auto-debit agreement is not authorized or was revoked",
        ));
    }
    Ok(agreement.clone())
}

fn freeze(
    ctx: &Ctx<'_>,
    out_info: String,
    out_detail: String,
    amount: Amount,
    currency: Option<Currency>,
) -> Result<Payload, GatewayError> {
    let mut store = ctx.shared.store.lock();
    if store
        .authorizations
        .values()
        .any(|a| a.merchant_no == ctx.merchant.merchant_no && a.out_auth_info_no == out_info)
    {
        return Err(GatewayError::invalid(format!(
            "outAuthInfoNo `{out_info}` has already been used"
        )));
    }
    let number = store.next_number();
    let auth = Authorization {
        auth_info_no: number.clone(),
        out_auth_info_no: out_info,
        merchant_no: ctx.merchant.merchant_no.clone(),
        frozen: amount,
        currency,
    };
    let payload = auth_payload(&auth, &out_detail);
    store.authorizations.insert(number, auth);
    Ok(payload)
}

fn authorization<'s>(
    auths: &'s mut HashMap<String, Authorization>,
    ctx: &Ctx<'_>,
    auth_info_no: Option<&str>,
    out_auth_info_no: Option<&str>,
) -> Result<&'s mut Authorization, GatewayError> {
    auths
        .values_mut()
        .find(|a| {
            a.merchant_no == ctx.merchant.merchant_no
                && (auth_info_no == Some(a.auth_info_no.as_str())
                    || out_auth_info_no == Some(a.out_auth_info_no.as_str()))
        })
        .ok_or_else(|| GatewayError::no_record("authorization does not exist"))
}

fn auth_payload(auth: &Authorization, out_detail: &str) -> Payload {
    let mut payload = fields([
        ("authInfoNo", auth.auth_info_no.clone()),
        ("outAuthInfoNo", auth.out_auth_info_no.clone()),
        ("outAuthDetailNo", out_detail.to_owned()),
        ("amount", auth.frozen.to_string()),
    ]);
    if let Some(currency) = &auth.currency {
        payload.insert("currency".into(), json!(currency.as_str()));
    }
    payload.insert("status".into(), json!("frozen"));
    payload
}

/// Customers and v3 payees: the received profile fields are kept and echoed back.
fn create_customer(ctx: &Ctx<'_>) -> Result<Payload, GatewayError> {
    let mut store = ctx.shared.store.lock();
    if let Some(code) = ctx.params.get("customerCode") {
        let taken = store.customers.values().any(|(merchant, f)| {
            *merchant == ctx.merchant.merchant_no && f.get("customerCode") == Some(code)
        });
        if taken {
            return Err(GatewayError::invalid(format!(
                "customerCode `{code}` has already been used"
            )));
        }
    }
    let number = store.next_customer_no();
    let mut profile = profile_fields(ctx);
    profile.insert("customerNo".into(), number.clone());
    profile.insert("createdTime".into(), "2024-01-01T00:00:00Z".into());
    store
        .customers
        .insert(number, (ctx.merchant.merchant_no.clone(), profile.clone()));
    Ok(profile
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect())
}

fn find_customer(
    ctx: &Ctx<'_>,
    customer_no: Option<&str>,
    customer_code: Option<&str>,
) -> Result<Payload, GatewayError> {
    let store = ctx.shared.store.lock();
    let (_, profile) = store
        .customers
        .iter()
        .find(|(number, (merchant, profile))| {
            *merchant == ctx.merchant.merchant_no
                && (customer_no == Some(number.as_str())
                    || (customer_code.is_some()
                        && profile.get("customerCode").map(String::as_str) == customer_code))
        })
        .map(|(_, entry)| entry)
        .ok_or_else(|| GatewayError::no_record("customer does not exist"))?;
    Ok(profile
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect())
}

fn update_customer(ctx: &Ctx<'_>, customer_no: &str) -> Result<Payload, GatewayError> {
    let mut store = ctx.shared.store.lock();
    let (_, profile) = store
        .customers
        .get_mut(customer_no)
        .filter(|(merchant, _)| *merchant == ctx.merchant.merchant_no)
        .ok_or_else(|| GatewayError::no_record("customer does not exist"))?;
    profile.extend(profile_fields(ctx));
    profile.insert("updatedTime".into(), "2024-01-02T00:00:00Z".into());
    Ok(profile
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect())
}

/// The received parameters minus identity, signature and request-only fields.
fn profile_fields(ctx: &Ctx<'_>) -> HashMap<String, String> {
    const NOT_PROFILE: &[&str] = &[
        "merchantNo",
        "storeNo",
        "merGroupNo",
        "storeAdminNo",
        "verifySign",
        "timestamp",
        "customerNo",
    ];
    ctx.params
        .iter()
        .filter(|(k, _)| !NOT_PROFILE.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn payee_account_create(
    ctx: &Ctx<'_>,
    r: PayeeAccountCreateRequest,
) -> Result<Payload, GatewayError> {
    let mut store = ctx.shared.store.lock();
    let known = store
        .customers
        .get(&r.customer_no)
        .is_some_and(|(merchant, _)| *merchant == ctx.merchant.merchant_no);
    if !known {
        return Err(GatewayError::no_record("customerNo does not exist"));
    }
    let token = format!("acct_{}", store.next_number());
    let mut account = HashMap::new();
    account.insert("accountTag".to_owned(), r.account_tag.clone());
    account.insert("accountType".to_owned(), r.account_type.to_string());
    store.payee_accounts.insert(
        token.clone(),
        (
            ctx.merchant.merchant_no.clone(),
            r.customer_no.clone(),
            account,
        ),
    );
    Ok(fields([
        ("accountToken", token.clone()),
        ("customerNo", r.customer_no),
        ("timestamp", r.timestamp),
        (
            "link",
            format!("{}/v1/customers/user-account/{token}", ctx.shared.base_url),
        ),
    ]))
}

/// A customer's profile, if it belongs to the calling merchant.
fn profile_of(
    store: &crate::state::Inner,
    ctx: &Ctx<'_>,
    customer_no: &str,
) -> Result<HashMap<String, String>, GatewayError> {
    store
        .customers
        .get(customer_no)
        .filter(|(merchant, _)| *merchant == ctx.merchant.merchant_no)
        .map(|(_, profile)| profile.clone())
        .ok_or_else(|| GatewayError::no_record("customerNo does not exist"))
}

fn payee_bank_account_create(
    ctx: &Ctx<'_>,
    r: PayeeBankAccountCreateRequest,
) -> Result<Payload, GatewayError> {
    let mut store = ctx.shared.store.lock();
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
        (
            ctx.merchant.merchant_no.clone(),
            r.customer_no.clone(),
            account.clone(),
        ),
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
        ctx.shared
            .notify_other(&ctx.merchant.merchant_no, url, (&token, "ACTIVATED"), pairs);
    }
    Ok(payload)
}

fn payee_funding_accounts(
    ctx: &Ctx<'_>,
    r: PayeeFundingAccountsRequest,
) -> Result<Payload, GatewayError> {
    let store = ctx.shared.store.lock();
    let profile = profile_of(&store, ctx, &r.customer_no)?;
    let mut accounts: Vec<(&String, &HashMap<String, String>)> = store
        .payee_accounts
        .iter()
        .filter(|(token, (merchant, customer, account))| {
            *merchant == ctx.merchant.merchant_no
                && *customer == r.customer_no
                && r.account_token.as_ref().is_none_or(|t| t == *token)
                && r.account_tag
                    .as_ref()
                    .is_none_or(|t| account.get("accountTag") == Some(t))
        })
        .map(|(token, (_, _, account))| (token, account))
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

fn payee_account_delete(
    ctx: &Ctx<'_>,
    r: PayeeAccountDeleteRequest,
) -> Result<Payload, GatewayError> {
    // Optional in the docs, but without it there is no telling which account is meant.
    let token = r
        .account_token
        .ok_or_else(|| GatewayError::missing("accountToken is required to delete an account"))?;
    let mut store = ctx.shared.store.lock();
    let owned = store
        .payee_accounts
        .get(&token)
        .is_some_and(|(merchant, customer, _)| {
            *merchant == ctx.merchant.merchant_no && *customer == r.customer_no
        });
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

/// A payment that is still open (unpaid), by transaction number.
fn open_payment(ctx: &Ctx<'_>, number: &str) -> Result<Payment, GatewayError> {
    let payment = open_or_any(ctx, number)?;
    if !payment.is_open() {
        return Err(GatewayError::status(format!(
            "transaction is already {}",
            payment.status
        )));
    }
    Ok(payment)
}

/// A payment of the calling merchant, whatever its status.
fn open_or_any(ctx: &Ctx<'_>, number: &str) -> Result<Payment, GatewayError> {
    let mut store = ctx.shared.store.lock();
    store
        .find(&ctx.merchant.merchant_no, Some(number), None)
        .map(|p| p.clone())
        .ok_or_else(|| GatewayError::no_record("transaction does not exist"))
}

/// A mixed QR code record; the simulator numbers a record as its payment.
fn mixed_record(
    ctx: &Ctx<'_>,
    record_no: Option<&str>,
    reference: Option<&str>,
) -> Result<Payment, GatewayError> {
    let mut store = ctx.shared.store.lock();
    let reference = if record_no.is_some() { None } else { reference };
    store
        .find(&ctx.merchant.merchant_no, record_no, reference)
        .filter(|p| p.created_by == "mixed_qrcode")
        .map(|p| p.clone())
        .ok_or_else(|| GatewayError::no_record("mixed QR code record does not exist"))
}

fn mixed_payload(ctx: &Ctx<'_>, payment: &Payment) -> Payload {
    let mut payload = payment_payload(payment);
    if let Some(amount) = payload.remove("amount") {
        payload.insert("saleAmount".into(), amount);
    }
    payload.insert("recordNo".into(), json!(payment.transaction_no));
    payload.insert(
        "qrcode".into(),
        json!(ctx.shared.cashier_url(&payment.transaction_no)),
    );
    if !payment.vendor.as_str().is_empty() {
        payload.insert("vendor".into(), json!(payment.vendor.as_str()));
    }
    payload
}

fn payout_pay(ctx: &Ctx<'_>, r: PayoutPayRequest) -> Result<Payload, GatewayError> {
    let mut store = ctx.shared.store.lock();
    // Read under the same lock as the insert, so two payouts cannot both spend one balance.
    let balance = ctx
        .shared
        .balance_in(&store, &ctx.merchant.merchant_no, &r.currency);
    let key = (ctx.merchant.merchant_no.clone(), r.invoice_id.clone());
    if store.payouts.contains_key(&key) {
        return Err(GatewayError::invalid(format!(
            "invoiceId `{}` has already been used",
            r.invoice_id
        )));
    }
    let account_ok =
        store
            .payee_accounts
            .get(&r.account_token)
            .is_some_and(|(merchant, customer, _)| {
                *merchant == ctx.merchant.merchant_no && *customer == r.customer_no
            });
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
        invoice_id: r.invoice_id,
        customer_no: r.customer_no,
        account_token: r.account_token,
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
        ctx.shared.notify_other(
            &ctx.merchant.merchant_no,
            url,
            (&payout.transaction_no, "success"),
            pairs,
        );
    }
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
        ("createdTime", "2024-01-01T00:00:00Z".to_owned()),
    ]);
    payload.insert("status".into(), json!("success"));
    payload
}

fn date_range(start: &str, end: &str) -> Result<(), GatewayError> {
    if end < start {
        return Err(GatewayError::new(
            RetCode::InconsistentParameters,
            "endDate is before startDate",
        ));
    }
    Ok(())
}

fn empty_list(key: &str) -> Payload {
    let mut payload = Payload::new();
    payload.insert(key.into(), json!([]));
    payload.insert("size".into(), json!(0));
    payload
}

fn fields<const N: usize>(pairs: [(&str, String); N]) -> Payload {
    pairs
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Value::String(v)))
        .collect()
}

pub(crate) fn payment_payload(payment: &Payment) -> Payload {
    let mut payload = fields([
        ("transactionNo", payment.transaction_no.clone()),
        ("amount", payment.amount.to_string()),
        ("currency", payment.currency.to_string()),
        ("settleCurrency", payment.settle_currency.to_string()),
        ("status", payment.status.to_string()),
    ]);
    payload.insert("merchantNo".into(), json!(payment.merchant_no));
    if let Some(reference) = &payment.reference {
        payload.insert("reference".into(), json!(reference));
    }
    payload
}

fn transaction_payload(payment: &Payment) -> Payload {
    let mut payload = payment_payload(payment);
    if let Some(status) = payload.remove("status") {
        payload.insert("transactionStatus".into(), status);
    }
    payload.insert("storeNo".into(), json!(payment.store_no));
    payload.insert("transactionType".into(), json!("payment"));
    payload.insert("createTime".into(), json!(readable(&payment.created)));
    if let Some(refunded) = payment.refunded() {
        payload.insert("refundAmount".into(), json!(refunded.as_str()));
    }
    if !payment.vendor.as_str().is_empty() {
        payload.insert("vendor".into(), json!(payment.vendor.as_str()));
    }
    payload
}

fn query_payload(payment: &Payment) -> Payload {
    let mut payload = payment_payload(payment);
    payload.insert("transactionType".into(), json!("payment"));
    let refunds: Vec<Value> = payment
        .refunds
        .iter()
        .map(|r| {
            json!({
                "refundTransactionId": r.refund_transaction_no,
                "refundReference": r.refund_reference,
                "refundAmount": r.amount.as_str(),
                "currency": payment.currency.as_str(),
                "settleCurrency": payment.settle_currency.as_str(),
            })
        })
        .collect();
    payload.insert("refundInfo".into(), Value::Array(refunds));
    payload
}
