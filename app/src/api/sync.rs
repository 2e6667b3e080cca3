//! The phones' outbox: operations, each applied exactly once (`POST /api/v1/ops`).

use crate::domain::orders::NewLine;
use crate::domain::{OrderId, TableId};
use serde::{Deserialize, Serialize};

/// One thing a waiter did, as a phone queues it in its outbox and sends it to
/// `POST /api/v1/ops`. The server applies each `op_id` once, however often it arrives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Op {
    /// Client-made UUID v7.
    pub op_id: crate::domain::OpId,
    #[serde(flatten)]
    pub action: OpAction,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum OpAction {
    /// Open the table under a client-made order id. If the table already has an open order,
    /// this id becomes another name for that order and the waiter joins it.
    OpenTable {
        order_id: OrderId,
        table_id: TableId,
        /// How many sit down (1 to 99), if the waiter said; a table already open takes it
        /// when it has none yet.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        guests: Option<i64>,
    },
    /// Add lines (with client-made line ids) to an order.
    AddLines {
        order_id: OrderId,
        lines: Vec<NewLine>,
    },
    /// Send the order's lines that were never sent: those of the courses up to
    /// `up_to_course`, holding the later ones until they are fired, or all of them (and
    /// nothing held) when it is absent.
    SendOrder {
        order_id: OrderId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        up_to_course: Option<i64>,
    },
    /// Send a held course, with every course before it; later held courses stay held.
    FireCourse { order_id: OrderId, course: i64 },
    /// Mark the order's ready lines served.
    ServeReady { order_id: OrderId },
    /// Call a takeaway order ready for pickup: what is still at a station becomes ready,
    /// and the customer's text is queued.
    ReadyForPickup { order_id: OrderId },
    /// Take a payment toward the order's bill (its id is client-made).
    TakePayment {
        order_id: OrderId,
        payment: crate::domain::payments::NewPayment,
    },
    /// Close a paid order, freeing its table.
    CloseOrder { order_id: OrderId },
    /// Cancel an order with nothing sent and nothing paid (a table opened by mistake):
    /// its table is free and it appears in no report.
    CancelOrder { order_id: OrderId },
    /// Take off a line that was never sent (tapped by mistake): no reason, no PIN, in no
    /// report.
    RemoveLine {
        order_id: OrderId,
        line_id: crate::domain::LineId,
    },
    /// Move the order to another table (a free one): the party changed tables.
    MoveOrder {
        order_id: OrderId,
        table_id: TableId,
    },
    /// Merge the order into another table's (two parties became one): its lines, their
    /// discounts, its tickets and waiters go there, and it is closed. Its seats are
    /// numbered after the other table's. Neither may be paid toward or have a discount on
    /// its whole bill. Later operations naming it land on the order it went into.
    MergeOrders {
        order_id: OrderId,
        into_order_id: OrderId,
    },
    /// Hand the table to another waiter (or manager, or cashier), who looks after it from
    /// now on and joins its waiters.
    HandOver {
        order_id: OrderId,
        staff_id: crate::domain::StaffId,
    },
    /// Change a line that was never sent: its quantity, options, seat, course or note.
    /// What the op leaves out stays as it is.
    ChangeLine {
        order_id: OrderId,
        line_id: crate::domain::LineId,
        #[serde(flatten)]
        change: crate::domain::line_changes::LineChange,
    },
}

impl OpAction {
    /// The operation's type, as it appears in JSON.
    pub fn name(&self) -> &'static str {
        match self {
            OpAction::OpenTable { .. } => "open_table",
            OpAction::AddLines { .. } => "add_lines",
            OpAction::SendOrder { .. } => "send_order",
            OpAction::FireCourse { .. } => "fire_course",
            OpAction::ServeReady { .. } => "serve_ready",
            OpAction::ReadyForPickup { .. } => "ready_for_pickup",
            OpAction::TakePayment { .. } => "take_payment",
            OpAction::CloseOrder { .. } => "close_order",
            OpAction::CancelOrder { .. } => "cancel_order",
            OpAction::RemoveLine { .. } => "remove_line",
            OpAction::ChangeLine { .. } => "change_line",
            OpAction::MoveOrder { .. } => "move_order",
            OpAction::MergeOrders { .. } => "merge_orders",
            OpAction::HandOver { .. } => "hand_over",
        }
    }

    /// The order the operation is about.
    pub fn order_id(&self) -> OrderId {
        match self {
            OpAction::OpenTable { order_id, .. }
            | OpAction::AddLines { order_id, .. }
            | OpAction::SendOrder { order_id, .. }
            | OpAction::FireCourse { order_id, .. }
            | OpAction::ServeReady { order_id }
            | OpAction::ReadyForPickup { order_id }
            | OpAction::TakePayment { order_id, .. }
            | OpAction::CloseOrder { order_id }
            | OpAction::CancelOrder { order_id }
            | OpAction::RemoveLine { order_id, .. }
            | OpAction::ChangeLine { order_id, .. }
            | OpAction::MoveOrder { order_id, .. }
            | OpAction::MergeOrders { order_id, .. }
            | OpAction::HandOver { order_id, .. } => *order_id,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpsRequest {
    /// In the order the waiter did them; 1 to 200.
    pub ops: Vec<Op>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpsResponse {
    /// One per operation, in the same order.
    pub results: Vec<OpResult>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type, utoipa::ToSchema),
    sqlx(rename_all = "snake_case")
)]
pub enum OpStatus {
    /// Applied now. Remove it from the outbox.
    Applied,
    /// Applied (or rejected) before; `first` says which. Remove it from the outbox.
    Duplicate,
    /// Refused for good, with a `reason` to show the waiter. Remove it from the outbox.
    Rejected,
    /// Not applied yet: it needs an earlier operation the server has not seen. Keep it
    /// and send it again after the ones before it.
    Retry,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpResult {
    pub op_id: crate::domain::OpId,
    pub status: OpStatus,
    /// For a duplicate: how the operation fared the first time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<OpStatus>,
    /// Why it was rejected or must be retried, in words for the waiter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The order it applied to; differs from the op's when the table was already open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<OrderId>,
}
