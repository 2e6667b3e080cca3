//! Moving a table's order to another table (`move_order`: the party moved), merging two
//! tables' orders into one (`merge_orders`: two parties became one) and handing a table
//! to another waiter (`hand_over`: a shift ends). The order keeps everything it has; the
//! station screens show its tickets under its table now.

use super::{audit, finish, join, load_own, open_order, Change};
use crate::db::direct::{sql, Conn};
use crate::db::now_ms;
use crate::services::events::{self, Subject};
use crate::services::{floor, staff};
use crate::services::{ServiceError, ServiceResult};
use app::api::EventKind;
use app::domain::{OrderId, StaffId, StationId, TableId};

/// Moves the open order to table `to`, which must be on the floor with nothing open
/// there (`Order::check_move`). Moving it where it is changes nothing. Audited.
pub fn move_order(conn: &Conn, by: StaffId, order: OrderId, to: TableId) -> ServiceResult<Change> {
    let (id, from) = open_order(conn, order)?;
    let label = floor::table_on_floor(conn, to)?;
    let open_there: Option<OrderId> = sql!(
        conn,
        r#"SELECT id AS "id: OrderId" FROM orders WHERE table_id = ? AND status = 'open'"#,
        to
    )
    .scalar_optional()?;
    let current = load_own(conn, id)?;
    current
        .check_move(&label, open_there)
        .map_err(|e| ServiceError::Conflict(e.to_string()))?;
    if from == Some(to) {
        return finish(conn, id, false, None);
    }
    sql!(conn, "UPDATE orders SET table_id = ? WHERE id = ?", to, id).execute()?;
    let detail = serde_json::json!({ "from_table_id": from, "to_table_id": to, "to_table": label });
    audit(conn, by, None, "move_order", Some(id), detail)?;
    let stations = ticket_stations(conn, id)?;
    finish(
        conn,
        id,
        false,
        Some((EventKind::OrderMoved, by, Some(to), &stations)),
    )
}

/// Merges the open order `order` into the open order `into` (`Order::check_merge`): its
/// lines (seats numbered after the other table's), their discounts, its tickets and its
/// waiters go there, and it is closed as merged, out of every report, its table free.
/// Merging an order into itself (or into what it was merged into already) changes
/// nothing. Audited; both orders' changes are announced.
pub fn merge_orders(
    conn: &Conn,
    by: StaffId,
    order: OrderId,
    into: OrderId,
) -> ServiceResult<Change> {
    let (from_id, from_table) = open_order(conn, order)?;
    let (into_id, into_table) = open_order(conn, into)?;
    if from_id == into_id {
        return finish(conn, into_id, false, None);
    }
    let (from, target) = (load_own(conn, from_id)?, load_own(conn, into_id)?);
    let label = |table| floor::label_of(conn, table);
    let (from_label, into_label) = (label(from_table)?, label(into_table)?);
    let merge = from
        .check_merge(&target, &from_label, &into_label)
        .map_err(|e| ServiceError::Conflict(e.to_string()))?;
    sql!(
        conn,
        "UPDATE order_lines SET order_id = ?1, seat = seat + ?2 WHERE order_id = ?3",
        into_id,
        merge.seat_offset,
        from_id
    )
    .execute()?;
    sql!(
        conn,
        "UPDATE tickets SET order_id = ? WHERE order_id = ?",
        into_id,
        from_id
    )
    .execute()?;
    sql!(
        conn,
        "UPDATE discounts SET order_id = ? WHERE order_id = ?",
        into_id,
        from_id
    )
    .execute()?;
    sql!(
        conn,
        "INSERT OR IGNORE INTO order_waiters (order_id, staff_id)
         SELECT ?1, staff_id FROM order_waiters WHERE order_id = ?2",
        into_id,
        from_id
    )
    .execute()?;
    sql!(
        conn,
        "UPDATE orders SET held_from = ?, guests = ? WHERE id = ?",
        merge.held_from,
        merge.guests,
        into_id
    )
    .execute()?;
    // Closed as a cancelled order is, so reports leave it out: what it had is the other's.
    let now = now_ms();
    sql!(
        conn,
        "UPDATE orders SET status = 'closed', closed_at = ?1, closed_by = ?2, cancelled_at = ?1,
                           merged_into = ?3
         WHERE id = ?4",
        now,
        by,
        into_id,
        from_id
    )
    .execute()?;
    // Whatever named the merged order names the one it went into, so `resolve` takes one step.
    sql!(
        conn,
        "UPDATE orders SET merged_into = ? WHERE merged_into = ?",
        into_id,
        from_id
    )
    .execute()?;
    sql!(
        conn,
        "UPDATE order_aliases SET order_id = ? WHERE order_id = ?",
        into_id,
        from_id
    )
    .execute()?;
    let detail = serde_json::json!({
        "from_order_id": from_id, "from_order": from.number,
        "from_table": from_label, "into_table": into_label,
    });
    audit(conn, by, None, "merge_orders", Some(into_id), detail)?;
    let merged = Subject {
        order_id: Some(from_id),
        table_id: from_table,
        station_ids: &[],
    };
    let also = events::append(conn, EventKind::OrderMerged, by, merged)?;
    let stations = ticket_stations(conn, into_id)?;
    let mut change = finish(
        conn,
        into_id,
        false,
        Some((EventKind::OrderMerged, by, into_table, &stations)),
    )?;
    change.also = Some(also);
    Ok(change)
}

/// Hands the open order to `to`, who must be on the staff and take orders
/// (`Order::check_hand_over`); they look after it from now on and join its waiters.
/// Audited.
pub fn hand_over(conn: &Conn, by: StaffId, order: OrderId, to: StaffId) -> ServiceResult<Change> {
    let (id, table) = open_order(conn, order)?;
    let (name, role, active) = staff::on_staff(conn, to)?;
    if !active {
        return Err(ServiceError::Conflict(format!(
            "{name} is no longer on the staff"
        )));
    }
    let current = load_own(conn, id)?;
    current
        .check_hand_over(&name, role)
        .map_err(|e| ServiceError::Conflict(e.to_string()))?;
    if current.waiter() == to {
        return finish(conn, id, false, None);
    }
    sql!(conn, "UPDATE orders SET handed_to = ? WHERE id = ?", to, id).execute()?;
    join(conn, id, to)?;
    audit(
        conn,
        by,
        None,
        "hand_over",
        Some(id),
        serde_json::json!({ "to": to, "to_name": name }),
    )?;
    finish(
        conn,
        id,
        false,
        Some((EventKind::OrderHandedOver, by, table, &[])),
    )
}

/// Every station with a ticket of the order: screens show those under its table now.
fn ticket_stations(conn: &Conn, id: OrderId) -> ServiceResult<Vec<StationId>> {
    Ok(sql!(
        conn,
        r#"SELECT DISTINCT station_id AS "station_id: StationId" FROM tickets WHERE order_id = ? ORDER BY 1"#,
        id
    )
    .rows(|r| r.get(0))?)
}
