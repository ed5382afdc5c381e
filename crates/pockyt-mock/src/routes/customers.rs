//! Customers (and v3 payees, which share their shape): the profile fields received are kept and
//! echoed back; a `customerCode` is unique per store of a merchant; a customer is visible only to the
//! store (of the merchant) that created it.

use super::prelude::*;
use crate::state::CustomerRecord;

/// This group's handler for `path`, if it has one.
pub(super) fn route(ctx: &Ctx<'_>, path: &str) -> Option<Result<Value, GatewayError>> {
    Some(match path {
        CustomerCreateRequest::PATH => run(ctx, "create success", |c, _: CustomerCreateRequest| {
            create_customer(c)
        }),
        CustomerRetrieveRequest::PATH => {
            run(ctx, "retrieve success", |c, r: CustomerRetrieveRequest| {
                find_customer(c, r.customer_no.as_deref(), r.customer_code.as_deref())
            })
        }
        CustomerUpdateRequest::PATH => run(ctx, "update success", |c, r: CustomerUpdateRequest| {
            let number = r
                .customer_no
                .ok_or_else(|| GatewayError::missing("customerNo is required"))?;
            update_customer(c, &number)
        }),
        _ => return None,
    })
}

/// Customers and v3 payees: the received profile fields are kept and echoed back.
pub(super) fn create_customer(ctx: &Ctx<'_>) -> Result<Payload, GatewayError> {
    let mut store = ctx.sim.store.lock();
    if let Some(code) = ctx.params.get("customerCode") {
        let taken = store.customers.values().any(|c| {
            ctx.merchant.owns(&c.merchant_no, &c.store_no)
                && c.profile.get("customerCode") == Some(code)
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
    profile.insert("updatedTime".into(), "2024-01-01T00:00:00Z".into());
    store.customers.insert(
        number,
        CustomerRecord {
            merchant_no: ctx.merchant.merchant_no.clone(),
            store_no: ctx.merchant.store_no.clone(),
            profile: profile.clone(),
        },
    );
    Ok(profile
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect())
}

pub(super) fn find_customer(
    ctx: &Ctx<'_>,
    customer_no: Option<&str>,
    customer_code: Option<&str>,
) -> Result<Payload, GatewayError> {
    let store = ctx.sim.store.lock();
    let CustomerRecord { profile, .. } = store
        .customers
        .iter()
        .find(|(number, c)| {
            ctx.merchant.owns(&c.merchant_no, &c.store_no)
                && (customer_no == Some(number.as_str())
                    || (customer_code.is_some()
                        && c.profile.get("customerCode").map(String::as_str) == customer_code))
        })
        .map(|(_, entry)| entry)
        .ok_or_else(|| GatewayError::no_record("customer does not exist"))?;
    Ok(profile
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect())
}

pub(super) fn update_customer(ctx: &Ctx<'_>, customer_no: &str) -> Result<Payload, GatewayError> {
    let mut store = ctx.sim.store.lock();
    let CustomerRecord { profile, .. } = store
        .customers
        .get_mut(customer_no)
        .filter(|c| ctx.merchant.owns(&c.merchant_no, &c.store_no))
        .ok_or_else(|| GatewayError::no_record("customer does not exist"))?;
    profile.extend(profile_fields(ctx));
    profile.insert("updatedTime".into(), "2024-01-02T00:00:00Z".into());
    Ok(profile
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect())
}

/// The received parameters minus identity, signature and request-only fields.
pub(super) fn profile_fields(ctx: &Ctx<'_>) -> HashMap<String, String> {
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

/// A customer's profile, if it belongs to the calling merchant.
pub(super) fn profile_of(
    store: &crate::state::Records,
    ctx: &Ctx<'_>,
    customer_no: &str,
) -> Result<HashMap<String, String>, GatewayError> {
    store
        .customers
        .get(customer_no)
        .filter(|c| ctx.merchant.owns(&c.merchant_no, &c.store_no))
        .map(|c| c.profile.clone())
        .ok_or_else(|| GatewayError::no_record("customerNo does not exist"))
}
