//! The cash day: shifts, X and Z reports, refunds and write-offs, closed orders.

use crate::domain::orders::Order;
use serde::{Deserialize, Serialize};

/// Open a shift with the cash float in the drawer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpenShiftRequest {
    pub float_minor: i64,
}

/// Close the shift with the cash counted: by denomination (minor units of the coin or
/// note to how many), or as a total.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CloseShiftRequest {
    #[serde(default)]
    pub counts: Option<std::collections::BTreeMap<i64, i64>>,
    #[serde(default)]
    pub counted_minor: Option<i64>,
    /// Why the count differs from the cash expected; needed when it does (kept in the
    /// audit log).
    #[serde(default)]
    pub reason: Option<String>,
}

/// What stops the Z report now: the shift still open, and the orders still open (with
/// something on them). The Z report waits until both are empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ZBlockers {
    /// Who opened the shift that is still open.
    pub open_shift_by: Option<String>,
    /// The open orders, as "Table 4" or "Takeaway Zoe".
    pub open_orders: Vec<String>,
    /// Whether anything happened since the last Z report (a Z of nothing is refused).
    pub anything_to_report: bool,
}

/// Refund a closed order: some of its lines (their share of the bill), an amount, or
/// with `all`, all that is left to refund; to a method it was paid with, or cash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RefundRequest {
    pub method: crate::domain::payments::PaymentMethod,
    #[serde(default)]
    pub amount_minor: Option<i64>,
    #[serde(default)]
    pub line_ids: Vec<crate::domain::LineId>,
    /// Refund all that is left: an explicit choice, never what an empty request means.
    #[serde(default)]
    pub all: bool,
    pub reason: String,
    /// Needed unless a manager is signed in.
    #[serde(default)]
    pub manager_pin: Option<String>,
}

/// Close an order that cannot be paid in full: what is left is written off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WriteOffRequest {
    pub reason: String,
    /// Needed unless a manager is signed in.
    #[serde(default)]
    pub manager_pin: Option<String>,
}

/// A closed order as the manager finds it to refund: what it cost, what was paid and
/// what was refunded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ClosedOrder {
    pub order: Order,
    /// "Table 7" or "Takeaway Ana".
    pub destination: String,
    pub total_minor: i64,
    pub refunds: Vec<crate::domain::cash_day::Refund>,
    pub written_off_minor: i64,
    /// UTC, milliseconds since the Unix epoch.
    pub closed_at_ms: i64,
}
