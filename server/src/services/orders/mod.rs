//! The order operations on the database: open a table, add lines, send, serve. Each runs
//! inside the caller's transaction and returns the order as it now is, with the event to
//! publish once the caller has committed. The REST endpoints (`http::orders`) and the
//! offline operations (`ops`) both go through here, so both follow the same rules:
//!
//! - Two waiters adding to one table both succeed: lines are separate rows, never merged.
//! - A phone that opened an already-open table offline gets its order id recorded as an
//!   alias of the open order; everything it sends under that id lands on the one order.
//! - Lines for a closed order are refused, saying who closed it and when.
//! - A send makes one ticket per station from the lines never sent before (delta tickets),
//!   so a repeated send makes no ticket at all, and queues a print job for each of the
//!   station's printers in the same transaction.

mod lines;
mod load;
mod open;
mod pay;

pub use lines::{add_lines, remove_line, send, serve_ready, void_line, void_needs_approval};
pub use load::{load_order, load_orders, load_own, load_these, resolve};
pub use open::{open_table, open_takeaway, ready_for_pickup, Customer};
pub use pay::{cancel, close, take_payment};

pub(crate) use crate::services::audit::audit;
use crate::services::events::{self, Subject};
use crate::services::{ServiceError, ServiceResult};
use crate::state::Announces;
use app::api::{EventKind, LiveEvent, Venue};
use app::domain::orders::{Order, OrderLine, OrderStatus};
use app::domain::{LineId, OrderId, StaffId, StationId, TableId};
use sqlx::SqliteConnection;

/// What an operation did: the order now, whether it was created, and what to publish.
pub struct Outcome {
    pub order: Order,
    pub created: bool,
    pub event: Option<LiveEvent>,
}

impl Announces for Outcome {
    fn take_events(&mut self) -> Vec<LiveEvent> {
        self.event.take().into_iter().collect()
    }
}

/// The order (resolved) and its table (None for takeaway), refusing unless it exists and
/// is open.
pub async fn open_order(
    conn: &mut SqliteConnection,
    id: OrderId,
) -> ServiceResult<(OrderId, Option<TableId>)> {
    // The id or the alias resolved and the order read in one statement: each statement is
    // a round trip to the connection's thread, and every change starts here.
    let row = sqlx::query!(
        r#"SELECT o.id AS "id!: OrderId", o.number, o.table_id AS "table_id?: TableId",
                  o.status AS "status: OrderStatus", o.closed_at,
                  COALESCE('table ' || t.label, 'takeaway order') AS "label!: String", s.name AS "closed_by?"
           FROM orders o LEFT JOIN dining_tables t ON t.id = o.table_id LEFT JOIN staff s ON s.id = o.closed_by
           WHERE o.id = (SELECT id FROM orders WHERE id = ?1
                         UNION ALL SELECT order_id FROM order_aliases WHERE alias_id = ?1 LIMIT 1)"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
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

/// `21:04` for a UTC millisecond timestamp.
fn clock_time(ms: i64) -> String {
    let minutes = ms.div_euclid(60_000).rem_euclid(24 * 60);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Puts `staff` among the order's waiters; true if they were not already.
pub(crate) async fn join(
    conn: &mut SqliteConnection,
    order: OrderId,
    staff: StaffId,
) -> ServiceResult<bool> {
    let joined = sqlx::query!(
        "INSERT OR IGNORE INTO order_waiters (order_id, staff_id) VALUES (?, ?)",
        order,
        staff
    )
    .execute(conn)
    .await?;
    Ok(joined.rows_affected() > 0)
}

pub(crate) async fn finish(
    conn: &mut SqliteConnection,
    id: OrderId,
    created: bool,
    event: Option<(EventKind, StaffId, Option<TableId>, &[StationId])>,
) -> ServiceResult<Outcome> {
    let event = match event {
        Some((kind, by, table_id, station_ids)) => {
            let subject = Subject {
                order_id: Some(id),
                table_id,
                station_ids,
            };
            Some(events::append(conn, kind, by, subject).await?)
        }
        None => None,
    };
    // `id` is the order's own id (the caller resolved it).
    let order = load_own(conn, id).await?;
    let mut event = event;
    events::carry_order(event.as_mut_slice(), &order);
    if let Some(event) = event.as_mut().filter(|e| !e.station_ids.is_empty()) {
        let tickets = crate::services::kitchen::order_tickets(conn, id, &event.station_ids).await?;
        events::carry_tickets(std::slice::from_mut(event), &tickets);
    }
    Ok(Outcome {
        order,
        created,
        event,
    })
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

/// The order, the venue (its currency and tax rules) and what is left to pay.
pub(crate) async fn with_bill(
    conn: &mut SqliteConnection,
    id: OrderId,
) -> ServiceResult<(Order, Venue, i64)> {
    let order = load_own(conn, id).await?;
    let venue = crate::services::venue::load_venue(conn).await?;
    let left = order.left_to_pay(venue.tax_mode, venue.tax_rounding);
    Ok((order, venue, left))
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
