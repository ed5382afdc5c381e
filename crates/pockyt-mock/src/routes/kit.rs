//! Small rules several groups share: a date range, whether a card payment saves its method, and
//! the profile fields a customer or payee request carries.

use std::collections::HashMap;

use pockyt_types::{CreditType, GatewayDate, RetCode};

use super::gateway::{Ctx, GatewayError};

/// The start of a date range may not be after its end.
pub(super) fn date_range(start: GatewayDate, end: GatewayDate) -> Result<(), GatewayError> {
    if end < start {
        return Err(GatewayError::new(
            RetCode::InconsistentParameters,
            "endDate is before startDate",
        ));
    }
    Ok(())
}

/// Whether a card payment's `creditType` asks to save the method (`cit` or `hosted`).
pub(super) fn saves_method(credit_type: Option<&CreditType>) -> bool {
    matches!(credit_type, Some(CreditType::Cit | CreditType::Hosted))
}

/// The received parameters minus identity, signature and request-only fields: what a customer's
/// or payee's profile keeps.
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
