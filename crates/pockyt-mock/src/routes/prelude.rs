//! What every group module uses: the handler kit, the payload shapes, the ledger's operations'
//! types and the shared rules, in one `use super::prelude::*`.

pub(super) use std::collections::HashMap;

pub(super) use pockyt_types::*;
pub(super) use serde_json::{Value, json};

pub(super) use super::gateway::{Ctx, GatewayError, Handler, Payload, run};
pub(super) use super::kit::*;
pub(super) use super::payloads::*;
pub(super) use crate::ledger::{Actor, NewPayment};
pub(super) use crate::state::Payment;
