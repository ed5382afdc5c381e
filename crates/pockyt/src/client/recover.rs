//! Settling an unknown outcome: after a call that moves money failed ambiguously (its answer lost
//! to a timeout, a reset, a 5xx), ask the gateway what happened before sending it again. There is
//! no idempotency key; these are built on the queries the API has, one per kind of call.

use pockyt_types::{
    PayoutInquiryRequest, PayoutInquiryResponse, RefundInfo, RetCode, TranQueryRequest,
    TranQueryResponse,
};

use super::Client;
use crate::Error;

/// What happened to a call whose answer was lost.
#[derive(Debug)]
#[non_exhaustive]
pub enum Resolution<T> {
    /// The gateway has it (here is what it holds): do not send it again.
    Happened(T),
    /// The gateway has no record of it: send it again, with the same reference.
    DidNotHappen,
    /// The query itself failed, so the outcome is still unknown: ask again later, and do not send
    /// the call again until it is settled.
    StillUnknown(Error),
}

impl<T> Resolution<T> {
    /// Whether the call is known to have happened.
    pub fn happened(&self) -> bool {
        matches!(self, Resolution::Happened(_))
    }

    /// Whether sending the call again is safe (it is known not to have happened).
    pub fn safe_to_send_again(&self) -> bool {
        matches!(self, Resolution::DidNotHappen)
    }
}

/// `000021` (no such record) is the answer "it did not happen"; any other error leaves it unknown.
fn settle<T>(answer: Result<T, Error>) -> Resolution<T> {
    match answer {
        Ok(found) => Resolution::Happened(found),
        Err(Error::Api {
            ret_code: RetCode::NoRecord,
            ..
        }) => Resolution::DidNotHappen,
        Err(other) => Resolution::StillUnknown(other),
    }
}

impl Client {
    /// What happened to a payment (secure-pay, prepay, in-store, express-pay, capture) sent with
    /// `reference`: [`Resolution::Happened`] with the transaction as the gateway holds it.
    pub async fn resolve_payment(&self, reference: &str) -> Resolution<TranQueryResponse> {
        settle(
            self.send(&TranQueryRequest::new().reference(reference))
                .await,
        )
    }

    /// What happened to an auto-debit charge (`auto_debit_pay`) sent with `reference`: it is a
    /// payment of that reference, so this is [`Client::resolve_payment`].
    pub async fn resolve_auto_debit_charge(
        &self,
        reference: &str,
    ) -> Resolution<TranQueryResponse> {
        self.resolve_payment(reference).await
    }

    /// What happened to a refund sent with `refund_reference` against the payment
    /// `transaction_no`: [`Resolution::Happened`] with the refund as the payment's query lists it.
    ///
    /// Only a refund sent with a `refundReference` can be told from the payment's other refunds:
    /// give every refund one (the API leaves it optional).
    pub async fn resolve_refund(
        &self,
        transaction_no: &str,
        refund_reference: &str,
    ) -> Resolution<RefundInfo> {
        let payment = self
            .send(&TranQueryRequest::new().transaction_no(transaction_no))
            .await;
        match settle(payment) {
            Resolution::Happened(payment) => payment
                .refund_info
                .into_iter()
                .find(|r| r.refund_reference.as_deref() == Some(refund_reference))
                .map_or(Resolution::DidNotHappen, Resolution::Happened),
            // Without the payment there is nothing the refund could have been made against.
            Resolution::DidNotHappen => Resolution::DidNotHappen,
            Resolution::StillUnknown(error) => Resolution::StillUnknown(error),
        }
    }

    /// What happened to a payout sent with `invoice_id`: [`Resolution::Happened`] with the payout
    /// as the gateway holds it.
    pub async fn resolve_payout(&self, invoice_id: &str) -> Resolution<PayoutInquiryResponse> {
        settle(self.send(&PayoutInquiryRequest::new(invoice_id)).await)
    }
}
