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

/// Most guests at one table.
pub const MAX_GUESTS: i64 = 99;

/// A guest count as a phone gives it: 1 to 99.
pub fn check_guests(guests: i64) -> Result<i64, String> {
    match (1..=MAX_GUESTS).contains(&guests) {
        true => Ok(guests),
        false => Err(format!(
            "a table seats 1 to {MAX_GUESTS} guests, not {guests}"
        )),
    }
}

/// What a waiter needs to see of a table at a glance, by its whole order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TableState {
    /// No open order.
    Free,
    /// An order is open; nothing is waiting at the pass.
    Open,
    /// Some items are ready at a station while others are still being made.
    Partly,
    /// Everything the stations have is ready, waiting to be taken to the table.
    Ready,
}

impl TableState {
    /// The state of a table given its open order, if any.
    pub fn of(order: Option<&Order>) -> Self {
        let Some(order) = order else {
            return TableState::Free;
        };
        let count = |status| order.lines.iter().filter(|l| l.status == status).count();
        let making = count(LineStatus::Sent) + count(LineStatus::Preparing);
        match (count(LineStatus::Ready), making) {
            (0, _) => TableState::Open,
            (_, 0) => TableState::Ready,
            _ => TableState::Partly,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TableState::Free => "free",
            TableState::Open => "open",
            TableState::Partly => "part ready",
            TableState::Ready => "ready",
        }
    }

    /// For CSS and tests: one word.
    pub fn key(self) -> &'static str {
        match self {
            TableState::Partly => "partly",
            s => s.label(),
        }
    }
}

/// "42 min", "1 h 05": how long a table has been seated, from `opened_at_ms` to `now_ms`.
pub fn seated_for(opened_at_ms: i64, now_ms: i64) -> String {
    let minutes = (now_ms.saturating_sub(opened_at_ms) / 60_000).max(0);
    match minutes {
        m if m < 60 => format!("{m} min"),
        m => format!("{} h {:02}", m / 60, m % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::orders::OrderLine;
    use crate::domain::{LineId, ProductId, StaffId, StationId};
    use uuid::Uuid;

    fn order(statuses: &[LineStatus]) -> Order {
        let line = |status| OrderLine {
            id: LineId::new_v7(),
            product_id: ProductId(Uuid::nil()),
            product_name: "Soup".into(),
            station_id: StationId("kitchen".into()),
            quantity: 1,
            unit_price_minor: 500,
            tax_rate_bp: 1000,
            options: vec![],
            note: String::new(),
            course: 1,
            seat: None,
            status,
            ticket_id: None,
            added_by: StaffId(Uuid::nil()),
            created_at_ms: 0,
        };
        Order::for_tests(None, statuses.iter().map(|s| line(*s)).collect())
    }

    #[test]
    fn a_table_is_ready_when_everything_made_is_ready_and_partly_when_some_is() {
        use LineStatus::*;
        assert_eq!(TableState::of(None), TableState::Free);
        assert_eq!(TableState::of(Some(&order(&[]))), TableState::Open);
        assert_eq!(TableState::of(Some(&order(&[Sent, New]))), TableState::Open);
        // One of seven ready is not a ready table.
        let one_of_seven = [Ready, Sent, Sent, Preparing, Sent, Sent, Sent];
        assert_eq!(
            TableState::of(Some(&order(&one_of_seven))),
            TableState::Partly
        );
        assert_eq!(
            TableState::of(Some(&order(&[Ready, Ready, Served, New]))),
            TableState::Ready
        );
        assert_eq!(TableState::Partly.label(), "part ready");
    }

    #[test]
    fn seated_time_reads_in_minutes_then_hours() {
        assert_eq!(seated_for(0, 59_999), "0 min");
        assert_eq!(seated_for(0, 42 * 60_000), "42 min");
        assert_eq!(seated_for(0, 65 * 60_000), "1 h 05");
        assert_eq!(seated_for(10, 0), "0 min");
    }

    #[test]
    fn guests_are_one_to_ninety_nine() {
        assert!(check_guests(1).is_ok() && check_guests(99).is_ok());
        assert_eq!(
            check_guests(0).unwrap_err(),
            "a table seats 1 to 99 guests, not 0"
        );
    }
}
