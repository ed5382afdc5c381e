//! Customers (group `customers`): the profile fields received are kept and echoed back; a
//! `customerCode` is unique per store of a merchant; a customer is visible only to the store (of
//! the merchant) that created it (the ledger's rules).

use super::prelude::*;

/// This group's handler for `path`, if it has one.
pub(super) fn handler(path: &str) -> Option<Handler> {
    let handler: Handler = match path {
        CustomerCreateRequest::PATH => |c| run(c, "create success", create),
        CustomerRetrieveRequest::PATH => |c| run(c, "retrieve success", retrieve),
        CustomerUpdateRequest::PATH => |c| run(c, "update success", update),
        _ => return None,
    };
    Some(handler)
}

fn create(c: &Ctx<'_>, _: CustomerCreateRequest) -> Result<Payload, GatewayError> {
    let profile = c.ledger().add_customer(c.merchant, profile_fields(c))?;
    Ok(profile_payload(profile))
}

fn retrieve(c: &Ctx<'_>, r: CustomerRetrieveRequest) -> Result<Payload, GatewayError> {
    let profile = c.ledger().customer(
        c.merchant,
        r.customer_no.as_deref(),
        r.customer_code.as_deref(),
    )?;
    Ok(profile_payload(profile))
}

fn update(c: &Ctx<'_>, r: CustomerUpdateRequest) -> Result<Payload, GatewayError> {
    let number = r
        .customer_no
        .ok_or_else(|| GatewayError::missing("customerNo is required"))?;
    let profile = c
        .ledger()
        .update_customer(c.merchant, &number, profile_fields(c))?;
    Ok(profile_payload(profile))
}
