//! The back office's changes to the floor: rooms and their tables, placed on the room's
//! grid. Each change is checked field by field, written to the audit log and announced as
//! `floor_changed`, so phones show the new plan at once. Tables and rooms are never
//! deleted (orders name them): they are taken off the floor, a table only while no order
//! is open at it, a room only once it has no tables.

use crate::db::direct::{sql, Conn};
use crate::services::events;
use crate::services::fields::{name, required, sort_order};
use crate::services::venue::{load_floor, load_whole_floor};
use crate::services::{Changed, ServiceError, ServiceResult};
use app::api::{EventKind, LiveEvent, RoomChange, TableChange};
use app::domain::floor::{DiningTable, Floor, Room, TableShape};
use app::domain::{RoomId, StaffId, TableId};
use serde_json::json;
use sqlx::SqliteConnection;

/// Announces a change of the floor (`FloorChanged`) and audits it.
async fn announce(
    conn: &mut SqliteConnection,
    by: StaffId,
    action: &str,
    detail: serde_json::Value,
) -> ServiceResult<Vec<LiveEvent>> {
    events::announce_change(conn, by, EventKind::FloorChanged, action, detail, &[]).await
}

/// A thing of the floor, read back after a change as clients will read it.
async fn read_back<T>(
    conn: &mut SqliteConnection,
    what: String,
    find: impl FnOnce(Floor) -> Option<T>,
) -> ServiceResult<T> {
    find(load_whole_floor(conn).await?).ok_or(ServiceError::NotFound(what))
}

async fn room_back(conn: &mut SqliteConnection, id: RoomId) -> ServiceResult<Room> {
    read_back(conn, format!("no room {id}"), |f| {
        f.rooms.into_iter().find(|r| r.id == id)
    })
    .await
}

async fn table_back(conn: &mut SqliteConnection, id: TableId) -> ServiceResult<DiningTable> {
    read_back(conn, format!("no table {id}"), |f| {
        f.tables.into_iter().find(|t| t.id == id)
    })
    .await
}

pub async fn add_room(
    conn: &mut SqliteConnection,
    by: StaffId,
    req: &RoomChange,
) -> ServiceResult<Changed<Room>> {
    let name = name("name", required("name", req.name.as_deref())?, 40)?;
    let order = sort_order(req.sort_order)?;
    let id = RoomId::new_v7();
    sqlx::query!(
        "INSERT INTO rooms (id, name, sort_order)
         VALUES (?, ?, COALESCE(?, (SELECT COALESCE(MAX(sort_order) + 1, 0) FROM rooms)))",
        id,
        name,
        order
    )
    .execute(&mut *conn)
    .await?;
    let events = announce(conn, by, "room_added", json!({ "id": id, "name": name })).await?;
    Ok((room_back(conn, id).await?, events))
}

pub async fn change_room(
    conn: &mut SqliteConnection,
    by: StaffId,
    id: RoomId,
    req: &RoomChange,
) -> ServiceResult<Changed<Room>> {
    let name = req
        .name
        .as_deref()
        .map(|n| name("name", n, 40))
        .transpose()?;
    let order = sort_order(req.sort_order)?;
    if req.retired == Some(true) {
        let tables = sqlx::query_scalar!(
            "SELECT count(*) FROM dining_tables WHERE room_id = ? AND retired = 0",
            id
        )
        .fetch_one(&mut *conn)
        .await?;
        if tables > 0 {
            return Err(ServiceError::Conflict(format!(
                "this room still has {tables} tables: move them to another room or take them off first"
            )));
        }
    }
    sqlx::query!(
        "UPDATE rooms SET name = COALESCE(?, name), sort_order = COALESCE(?, sort_order),
                retired = COALESCE(?, retired)
         WHERE id = ?",
        name,
        order,
        req.retired,
        id
    )
    .execute(&mut *conn)
    .await?;
    let room = room_back(conn, id).await?;
    let action = match req.retired {
        Some(true) => "room_retired",
        _ => "room_changed",
    };
    let events = announce(conn, by, action, json!({ "id": id, "change": req })).await?;
    Ok((room, events))
}

/// The table's fields that are checked against the floor: its room, a label no other
/// table has, and its seats and place within bounds.
async fn check_table(
    conn: &mut SqliteConnection,
    id: Option<TableId>,
    req: &TableChange,
) -> ServiceResult<Option<String>> {
    let floor = load_floor(conn).await?;
    if let Some(room) = req.room_id {
        if !floor.rooms.iter().any(|r| r.id == room) {
            return Err(ServiceError::invalid(
                "room_id",
                format!("there is no room {room}"),
            ));
        }
    }
    let bounds = [
        ("seats", req.seats, 1..=30),
        ("grid_x", req.grid_x, 0..=49),
        ("grid_y", req.grid_y, 0..=49),
        ("grid_w", req.grid_w, 1..=6),
        ("grid_h", req.grid_h, 1..=6),
    ];
    for (field, value, range) in bounds {
        if let Some(v) = value.filter(|v| !range.contains(v)) {
            return Err(ServiceError::invalid(
                field,
                format!("{field} is {} to {}, not {v}", range.start(), range.end()),
            ));
        }
    }
    let label = req
        .label
        .as_deref()
        .map(|l| name("label", l, 12))
        .transpose()?;
    // A table put back on the floor keeps its label, which another may have taken since,
    // and its room, which may be off the floor too (then it needs another).
    let putting_back = match (req.retired, id) {
        (Some(false), Some(id)) => {
            sqlx::query!(
                r#"SELECT label, room_id AS "room_id: RoomId" FROM dining_tables WHERE id = ? AND retired = 1"#,
                id
            )
            .fetch_optional(&mut *conn)
            .await?
        }
        _ => None,
    };
    if let Some(back) = &putting_back {
        let room = req.room_id.unwrap_or(back.room_id);
        if !floor.rooms.iter().any(|r| r.id == room) {
            return Err(ServiceError::invalid(
                "room_id",
                format!(
                    "table {}'s room is off the floor: put the room back first, or give the table another",
                    back.label
                ),
            ));
        }
    }
    let putting_back = putting_back.map(|back| back.label);
    if let Some(label) = label.as_ref().or(putting_back.as_ref()) {
        if let Some(other) = floor
            .tables
            .iter()
            .find(|t| t.label.eq_ignore_ascii_case(label) && Some(t.id) != id)
        {
            return Err(ServiceError::invalid(
                "label",
                format!("table {} exists already", other.label),
            ));
        }
    }
    Ok(label)
}

pub async fn add_table(
    conn: &mut SqliteConnection,
    by: StaffId,
    req: &TableChange,
) -> ServiceResult<Changed<DiningTable>> {
    let room = required("room_id", req.room_id)?;
    required("label", req.label.as_deref())?;
    let label = check_table(conn, None, req).await?;
    let id = TableId::new_v7();
    let shape = req.shape.unwrap_or_default();
    // A long table is two cells across unless told otherwise.
    let (seats, w, h) = (
        req.seats.unwrap_or(4),
        req.grid_w
            .unwrap_or(if shape == TableShape::Long { 2 } else { 1 }),
        req.grid_h.unwrap_or(1),
    );
    // Placed at the first free cell of the room's top row unless told where.
    sqlx::query!(
        "INSERT INTO dining_tables (id, room_id, label, seats, grid_x, grid_y, grid_w, grid_h, shape)
         VALUES (?, ?, ?, ?,
                 COALESCE(?, (SELECT MIN(COALESCE(MAX(grid_x + grid_w), 0), 49) FROM dining_tables
                              WHERE room_id = ? AND grid_y = COALESCE(?, 0) AND retired = 0)),
                 COALESCE(?, 0), ?, ?, ?)",
        id,
        room,
        label,
        seats,
        req.grid_x,
        room,
        req.grid_y,
        req.grid_y,
        w,
        h,
        shape
    )
    .execute(&mut *conn)
    .await?;
    let events = announce(conn, by, "table_added", json!({ "id": id, "label": label })).await?;
    Ok((table_back(conn, id).await?, events))
}

pub async fn change_table(
    conn: &mut SqliteConnection,
    by: StaffId,
    id: TableId,
    req: &TableChange,
) -> ServiceResult<Changed<DiningTable>> {
    let label = check_table(conn, Some(id), req).await?;
    if req.retired == Some(true) {
        let open = sqlx::query_scalar!(
            "SELECT number FROM orders WHERE table_id = ? AND status = 'open'",
            id
        )
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(number) = open {
            return Err(ServiceError::Conflict(format!(
                "order {number} is open at this table: close it first"
            )));
        }
    }
    sqlx::query!(
        "UPDATE dining_tables SET room_id = COALESCE(?, room_id), label = COALESCE(?, label),
                seats = COALESCE(?, seats), grid_x = COALESCE(?, grid_x), grid_y = COALESCE(?, grid_y),
                grid_w = COALESCE(?, grid_w), grid_h = COALESCE(?, grid_h), shape = COALESCE(?, shape),
                retired = COALESCE(?, retired)
         WHERE id = ?",
        req.room_id,
        label,
        req.seats,
        req.grid_x,
        req.grid_y,
        req.grid_w,
        req.grid_h,
        req.shape,
        req.retired,
        id
    )
    .execute(&mut *conn)
    .await?;
    let table = table_back(conn, id).await?;
    let action = match req.retired {
        Some(true) => "table_retired",
        _ => "table_changed",
    };
    let events = announce(conn, by, action, json!({ "id": id, "change": req })).await?;
    Ok((table, events))
}

/// The label of table `id`, which must be on the floor (not taken off it): where an order
/// opens or moves to.
pub(crate) fn table_on_floor(conn: &Conn, id: TableId) -> ServiceResult<String> {
    let (label, retired) = sql!(
        conn,
        r#"SELECT label, retired AS "retired: bool" FROM dining_tables WHERE id = ?"#,
        id
    )
    .optional(|r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))?
    .ok_or_else(|| ServiceError::NotFound(format!("no table {id}")))?;
    // A phone that queued this offline may not know the table was taken away.
    if retired {
        return Err(ServiceError::invalid(
            "table_id",
            format!("table {label} was taken off the floor"),
        ));
    }
    Ok(label)
}

/// The label of an open order's table, whatever became of the table since ("" for a
/// takeaway, which `check_merge` refuses before naming it).
pub(crate) fn label_of(conn: &Conn, table: Option<TableId>) -> ServiceResult<String> {
    let Some(table) = table else {
        return Ok(String::new());
    };
    Ok(sql!(conn, "SELECT label FROM dining_tables WHERE id = ?", table).scalar()?)
}
