//! What every group module uses: the handler kit, payment creation, the payload shapes and the
//! shared rules, in one `use super::prelude::*`.

pub(super) use std::collections::HashMap;

pub(super) use pockyt_types::*;
pub(super) use serde_json::{Value, json};

pub(super) use super::kit::*;
pub(super) use super::new_payment::*;
pub(super) use super::payloads::*;
pub(super) use crate::gateway::{Ctx, GatewayError, Payload, run};
pub(super) use crate::state::{Agreement, Authorization, Payment, Payout, Refund};
