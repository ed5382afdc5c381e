//! The cross-crate flows, one test binary (each binary links the whole stack, so one is
//! cheaper to build than many). The two exceptions need a process of their own:
//! `tests/memory.rs` reads the process's peak memory, and `tests/traces.rs` installs a `tracing`
//! subscriber, whose callsite interest cache other tests' threads would race with.

/// Evaluates `$body` with `$t` naming the request type whose path is `$path`: `Some(body)`, or
/// `None` when no request type has that path. Every endpoint of the description is listed.
macro_rules! by_path {
    ($path:expr, $t:ident => $body:expr) => {
        by_path!(@types $path, $t => $body;
            SecurePayRequest, SecurePayV4Request, CreditPayProcessRequest, OrderProcessV4Request,
            OrderCaptureV4Request, AcquireCreateRequest, InstoreAddRequest, InstorePayRequest,
            InstorePrepayRequest, CreateTransQrcodeRequest, CashierAddRequest,
            InstoreReverseRequest, MixedQrcodeRequest, MixedQueryRequest, MixedCancelRequest,
            PrepayRequest, ExpressPayRequest, UpdateRecurringRequest, PaypalCreatePlanRequest,
            AutoDebitConsultRequest, AutoDebitApplyTokenRequest, AutoDebitPayRequest,
            AutoDebitRevokeRequest, VoucherCreateRequest, AuthFreezeRequest, AuthUnfreezeRequest,
            AuthCaptureRequest, AuthDetailQueryRequest, RefundRequest, CancelRequest,
            DataReverseRequest, TranQueryRequest, TransListRequest, SettleListRequest,
            WithdrawalListRequest, DataStatusRequest, CustomerCreateRequest,
            CustomerRetrieveRequest, CustomerUpdateRequest, PayeeAccountCreateRequest,
            PayeeAccountRetrieveRequest, PayoutPayRequest, PayoutInquiryRequest,
            PayoutBalanceRequest, PayeeRegisterRequest, PayeeRetrieveRequest, PayeeUpdateRequest,
            PayeeBankAccountCreateRequest, PayeeFundingAccountsRequest, PayeeAccountDeleteRequest)
    };
    (@types $path:expr, $t:ident => $body:expr; $($ty:ty),*) => {{
        #[allow(deprecated)]
        match $path {
            $(p if p == <$ty as pockyt_types::Endpoint>::PATH => {
                type $t = $ty;
                Some($body)
            })*
            _ => None,
        }
    }};
}

mod answers;
mod blocking;
#[cfg(feature = "browser")]
mod browser;
mod concurrency;
mod conformance;
mod custom_stack;
mod defects;
mod faults;
mod fidelity;
mod flows;
mod formats;
mod fuzz_regressions;
mod many_merchants;
mod proxy;
mod recovery;
#[rustfmt::skip]
mod response_fields;
mod responses;
mod secrets;
mod seeded;
mod server;
#[cfg(feature = "tinyproxy")]
mod tinyproxy;
mod tls;
mod vaults;
