//! The floor plan: rooms, tables on a grid, and what state a table is in.

use super::orders::{LineStatus, Order};
use super::{RoomId, TableId};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Room {
    pub id: RoomId,
    pub name: String,
    pub sort_order: i64,
    /// Taken off the floor; only the back office lists it (the snapshot has only rooms in
    /// use).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retired: bool,
}

/// How a table is drawn on the plan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type, utoipa::ToSchema),
    sqlx(rename_all = "lowercase")
)]
pub enum TableShape {
    #[default]
    Square,
    Round,
    /// A long table across more than one cell (a banquet, a counter).
    Long,
}

impl TableShape {
    pub const ALL: [TableShape; 3] = [TableShape::Square, TableShape::Round, TableShape::Long];

    pub fn label(self) -> &'static str {
        match self {
            TableShape::Square => "square",
            TableShape::Round => "round",
            TableShape::Long => "long",
        }
    }
}

/// A table, placed on its room's grid (cells, origin top left).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DiningTable {
    pub id: TableId,
    pub room_id: RoomId,
    pub label: String,
    pub seats: i64,
    pub grid_x: i64,
    pub grid_y: i64,
    pub grid_w: i64,
    pub grid_h: i64,
    #[serde(default)]
    pub shape: TableShape,
    /// Taken off the floor (never deleted: orders name it); only the back office lists it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retired: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Floor {
    pub rooms: Vec<Room>,
    pub tables: Vec<DiningTable>,
}

/// What a waiter needs to see of a table at a glance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TableState {
    /// No open order.
    Free,
    /// An order is open; nothing is waiting at the pass.
    Open,
    /// Items are ready at a station and waiting to be taken to the table.
    Ready,
}

impl TableState {
    /// The state of a table given its open order, if any.
    pub fn of(order: Option<&Order>) -> Self {
        match order {
            None => TableState::Free,
            Some(o) if o.lines.iter().any(|l| l.status == LineStatus::Ready) => TableState::Ready,
            Some(_) => TableState::Open,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TableState::Free => "free",
            TableState::Open => "open",
            TableState::Ready => "ready",
        }
    }
}
