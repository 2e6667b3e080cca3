//! The order operations on the database: open a table, add lines, send, serve. Each runs
//! inside the caller's transaction and returns what it changed (`Change`), with the event
//! to publish once the caller has committed; the caller reads the order back once. The REST endpoints (`http::orders`) and the
//! offline operations (`ops`) both go through here, so both follow the same rules:
//!
//! - Two waiters adding to one table both succeed: lines are separate rows. A phone counts
//!   up only its own waiter's unsent line, by a number more (`change_line`), so two
//!   phones' counts add up.
//! - A phone that opened an already-open table offline gets its order id recorded as an
//!   alias of the open order; everything it sends under that id lands on the one order.
//! - Lines for a closed order are refused, saying who closed it and when.
//! - An order moves only to a free table; a table with an order open is merged instead.
//!   A merged order is closed and names the order it went into (`merged_into`): ids are
//!   resolved through it, so a phone's later operations on it land there.
//! - A send makes one ticket per station from the lines never sent before (delta tickets),
//!   so a repeated send makes no ticket at all, and queues a print job for each of the
//!   station's printers in the same transaction.

mod change;
mod lines;
mod load;
mod open;
mod pay;
mod transfer;

pub use change::change_line;
pub use lines::void_needs_approval;
pub use lines::{add_lines, fire_course, remove_line, send, serve_ready, void_line};
pub use load::{load_order, load_order_async, load_orders, load_orders_async, load_own};
pub use load::{load_own_async, load_these, load_these_async, resolve, resolve_async};
pub use open::{open_table, open_takeaway, ready_for_pickup, Customer};
pub use pay::{cancel, close, take_payment};
pub use transfer::{hand_over, merge_orders, move_order};

use crate::db::direct::{sql, Conn};
pub(crate) use crate::services::audit::audit;
use crate::services::events::{self, Subject};
use crate::services::{on, ServiceError, ServiceResult};
use crate::state::Announces;
use app::api::{EventKind, LiveEvent, Venue};
use app::domain::orders::{Order, OrderLine, OrderStatus};
use app::domain::{LineId, OrderId, StaffId, StationId, TableId};
use sqlx::SqliteConnection;

/// What an operation did, before its order is read back: the order's own id, whether it
/// was created, and the event to publish (without the order yet). An ops batch reads each
/// order it changed once, after its last operation (`ops`); an endpoint reads it at once
/// (`Change::read`).
pub struct Change {
    pub order_id: OrderId,
    pub created: bool,
    pub event: Option<LiveEvent>,
    /// The event of another order the change closed (the one merged into this), published
    /// before `event`.
    pub also: Option<LiveEvent>,
}

impl Change {
    /// The change with its order as it now is, which its event carries too.
    pub fn read(self, conn: &Conn) -> ServiceResult<Outcome> {
        let order = load_own(conn, self.order_id)?;
        let mut event = self.event;
        events::carry_order(event.as_mut_slice(), &order);
        let mut also = self.also;
        if let Some(other) = also.as_mut().and_then(|e| e.order_id) {
            events::carry_order(also.as_mut_slice(), &load_own(conn, other)?);
        }
        Ok(Outcome {
            order,
            created: self.created,
            event,
            also,
        })
    }
}

/// What an operation did: the order now, whether it was created, and what to publish.
pub struct Outcome {
    pub order: Order,
    pub created: bool,
    pub event: Option<LiveEvent>,
    /// `Change::also`, carrying its order.
    pub also: Option<LiveEvent>,
}

impl Announces for Outcome {
    fn take_events(&mut self) -> Vec<LiveEvent> {
        self.also
            .take()
            .into_iter()
            .chain(self.event.take())
            .collect()
    }
}

/// The order (resolved) and its table (None for takeaway), refusing unless it exists and
/// is open.
pub fn open_order(conn: &Conn, id: OrderId) -> ServiceResult<(OrderId, Option<TableId>)> {
    // The id (or the order it was merged into, or the alias) resolved and the order read
    // in one statement: every change starts here. (`resolve` says why one step is enough.)
    let row = sql!(
        conn,
        r#"SELECT o.id AS "id!: OrderId", o.number, o.table_id AS "table_id?: TableId",
                  o.status AS "status: OrderStatus", o.closed_at,
                  COALESCE('table ' || t.label, 'takeaway order') AS "label!: String", s.name AS "closed_by?"
           FROM orders o LEFT JOIN dining_tables t ON t.id = o.table_id LEFT JOIN staff s ON s.id = o.closed_by
           WHERE o.id = (SELECT COALESCE(merged_into, id) FROM orders WHERE id = ?1
                         UNION ALL SELECT order_id FROM order_aliases WHERE alias_id = ?1 LIMIT 1)"#,
        id
    )
    .optional(|r| {
        Ok(OpenRow {
            id: r.get(0)?,
            number: r.get(1)?,
            table_id: r.get(2)?,
            status: r.get(3)?,
            closed_at: r.get(4)?,
            label: r.get(5)?,
            closed_by: r.get(6)?,
        })
    })?
    .ok_or(ServiceError::NoSuchOrder(id))?;
    match row.status {
        OrderStatus::Open => Ok((row.id, row.table_id)),
        OrderStatus::Closed => {
            let when = row
                .closed_at
                .map(|ms| format!(" at {} UTC", clock_time(ms)))
                .unwrap_or_default();
            let who = row
                .closed_by
                .map(|n| format!(" by {n}"))
                .unwrap_or_default();
            Err(ServiceError::Conflict(format!(
                "{} was closed{who}{when} (order {})",
                row.label, row.number
            )))
        }
    }
}

/// `open_order`'s row.
struct OpenRow {
    id: OrderId,
    number: i64,
    table_id: Option<TableId>,
    status: OrderStatus,
    closed_at: Option<i64>,
    label: String,
    closed_by: Option<String>,
}

/// `open_order` from code still on sqlx.
pub async fn open_order_async(
    conn: &mut SqliteConnection,
    id: OrderId,
) -> ServiceResult<(OrderId, Option<TableId>)> {
    on(conn, |c| open_order(c, id)).await
}

/// `21:04` for a UTC millisecond timestamp.
fn clock_time(ms: i64) -> String {
    let minutes = ms.div_euclid(60_000).rem_euclid(24 * 60);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Puts `staff` among the order's waiters; true if they were not already.
pub(crate) fn join(conn: &Conn, order: OrderId, staff: StaffId) -> ServiceResult<bool> {
    let joined = sql!(
        conn,
        "INSERT OR IGNORE INTO order_waiters (order_id, staff_id) VALUES (?, ?)",
        order,
        staff
    )
    .execute()?;
    Ok(joined > 0)
}

/// A change's end: its event (if any) appended to the log, carrying, where stations are
/// named, their tickets. The order is read back by the caller (`Change`).
pub(crate) fn finish(
    conn: &Conn,
    id: OrderId,
    created: bool,
    event: Option<(EventKind, StaffId, Option<TableId>, &[StationId])>,
) -> ServiceResult<Change> {
    let event = match event {
        Some((kind, by, table_id, station_ids)) => {
            let subject = Subject {
                order_id: Some(id),
                table_id,
                station_ids,
            };
            Some(events::append(conn, kind, by, subject)?)
        }
        None => None,
    };
    // `id` is the order's own id (the caller resolved it).
    let mut event = event;
    if let Some(event) = event.as_mut().filter(|e| !e.station_ids.is_empty()) {
        let tickets = crate::services::kitchen::order_tickets(conn, id, &event.station_ids)?;
        events::carry_tickets(std::slice::from_mut(event), &tickets);
    }
    Ok(Change {
        order_id: id,
        created,
        event,
        also: None,
    })
}

/// `finish` and the order read back, from code still on sqlx.
pub(crate) async fn finish_async(
    conn: &mut SqliteConnection,
    id: OrderId,
    created: bool,
    event: Option<(EventKind, StaffId, Option<TableId>, &[StationId])>,
) -> ServiceResult<Outcome> {
    on(conn, |c| finish(c, id, created, event)?.read(c)).await
}

/// The stations of the order's `lines`, each once: those whose tickets they change.
pub(crate) fn stations_of(order: &Order, lines: &[LineId]) -> Vec<StationId> {
    let mut stations: Vec<StationId> = order
        .lines
        .iter()
        .filter(|l| lines.contains(&l.id))
        .map(|l| l.station_id.clone())
        .collect();
    stations.sort();
    stations.dedup();
    stations
}

/// The order's line `id`, or 404 naming the order.
pub(crate) fn line_of(order: &Order, id: LineId) -> ServiceResult<&OrderLine> {
    order
        .lines
        .iter()
        .find(|l| l.id == id)
        .ok_or_else(|| ServiceError::NotFound(format!("order {} has no line {id}", order.number)))
}

/// The order as its bill needs it, the venue (its currency and tax rules) and what is
/// left to pay. The order's waiters and takeaway customer are not read (`load_bill`):
/// decide nothing about them from it.
pub(crate) fn with_bill(conn: &Conn, id: OrderId) -> ServiceResult<(Order, Venue, i64)> {
    let order = load::load_bill(conn, id)?;
    let venue = crate::services::venue::load_venue(conn)?;
    let left = order.left_to_pay(venue.tax_mode, venue.tax_rounding);
    Ok((order, venue, left))
}

/// `with_bill` from code still on sqlx.
pub(crate) async fn with_bill_async(
    conn: &mut SqliteConnection,
    id: OrderId,
) -> ServiceResult<(Order, Venue, i64)> {
    on(conn, |c| with_bill(c, id)).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn clock_time_is_utc_hours_and_minutes() {
        assert_eq!(super::clock_time(0), "00:00");
        assert_eq!(super::clock_time((21 * 60 + 4) * 60_000 + 59_999), "21:04");
        assert_eq!(super::clock_time(3 * 86_400_000 + 60_000), "00:01");
    }
}
