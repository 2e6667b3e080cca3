//! Orders over REST: opening a table or a takeaway, adding lines, payments, voids,
//! and the pickup board.

use crate::domain::orders::NewLine;
use crate::domain::{OrderId, TableId};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpenTableRequest {
    /// Client-made UUID v7 for the new order; the server makes one if absent.
    #[serde(default)]
    pub order_id: Option<OrderId>,
    pub table_id: TableId,
    /// How many sit down (1 to 99), if known.
    #[serde(default)]
    pub guests: Option<i64>,
}

/// Void a line: a reason from the venue's list, an optional note, and a manager's PIN
/// where the venue's rules ask for one (above its threshold, or once the kitchen started).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VoidRequest {
    /// The id of a reason in `Snapshot::void_reasons`.
    pub reason_id: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub manager_pin: Option<String>,
}

/// A payment taken online, with a manager's PIN where the tip is above the venue's limit.
/// (The outbox's `take_payment` op is the same payment without a PIN.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TakePaymentRequest {
    pub payment: crate::domain::payments::NewPayment,
    #[serde(default)]
    pub manager_pin: Option<String>,
}

/// A takeaway (pickup) order for a customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpenTakeawayRequest {
    /// Client-made UUID v7 for the new order; the same id again returns that order.
    #[serde(default)]
    pub order_id: Option<OrderId>,
    pub customer_name: String,
    /// In international form (`+39 333 123 4567`); stored as E.164.
    #[serde(default)]
    pub phone: Option<String>,
    /// The customer agreed to a text when the order is ready.
    #[serde(default)]
    pub sms_consent: bool,
    /// Two-letter code choosing the message template; `en` if absent.
    #[serde(default)]
    pub language: Option<String>,
}

/// What the wall screen at the pickup counter shows: order numbers only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PickupBoard {
    pub venue_name: String,
    /// Takeaway orders at a station, oldest first.
    pub preparing: Vec<i64>,
    /// Takeaway orders ready to collect, oldest first.
    pub ready: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AddLinesRequest {
    /// 1 to 100 lines.
    pub lines: Vec<NewLine>,
}
