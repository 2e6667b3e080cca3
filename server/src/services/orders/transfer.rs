//! Moving a table's order to another table (`move_order`): the party moved. The order
//! keeps everything it has; the station screens show its tickets under the new table.

use super::{audit, finish, load_own, open_order, Change};
use crate::db::direct::{sql, Conn};
use crate::services::{ServiceError, ServiceResult};
use app::api::EventKind;
use app::domain::{OrderId, StaffId, StationId, TableId};

/// Moves the open order to table `to`, which must be on the floor with nothing open
/// there (`Order::check_move`). Moving it where it is changes nothing. Audited.
pub fn move_order(conn: &Conn, by: StaffId, order: OrderId, to: TableId) -> ServiceResult<Change> {
    let (id, from) = open_order(conn, order)?;
    let (label, retired) = sql!(
        conn,
        r#"SELECT label, retired AS "retired: bool" FROM dining_tables WHERE id = ?"#,
        to
    )
    .optional(|r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))?
    .ok_or_else(|| ServiceError::NotFound(format!("no table {to}")))?;
    if retired {
        return Err(ServiceError::invalid(
            "table_id",
            format!("table {label} was taken off the floor"),
        ));
    }
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
    // Every station with a ticket of the order shows it under the new table.
    let stations = sql!(
        conn,
        r#"SELECT DISTINCT station_id AS "station_id: StationId" FROM tickets WHERE order_id = ? ORDER BY 1"#,
        id
    )
    .rows(|r| r.get(0))?;
    finish(
        conn,
        id,
        false,
        Some((EventKind::OrderMoved, by, Some(to), &stations)),
    )
}
