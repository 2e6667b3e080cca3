//! Taking orders: open a table, add lines, send them to the stations.
//!
//! Each call is one transaction on the writer and appends one event; the event is published
//! to live streams only after the commit. A send creates one ticket per station holding
//! only the lines that were never sent, so sending twice never cooks anything twice.

use crate::db::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::events::{self, Subject};
use crate::http::auth::Session;
use crate::http::extract::{Json, Path};
use crate::http::snapshot::load_menu;
use crate::state::AppState;
use app::api::{AddLinesRequest, ApiErrorBody, EventKind, OpenTableRequest};
use app::domain::orders::{LineStatus, Order, OrderLine, OrderStatus, MAX_LINES_PER_REQUEST};
use app::domain::staff::Role;
use app::domain::{LineId, OrderId, ProductId, StaffId, StationId, TableId, TicketId};
use axum::extract::State;
use axum::http::StatusCode;
use sqlx::{Sqlite, SqliteConnection, Transaction};
use std::collections::HashMap;

/// Open orders (`only = None`), or the one order `only`, whatever its status.
pub async fn load_orders(
    conn: &mut SqliteConnection,
    only: Option<OrderId>,
) -> ApiResult<Vec<Order>> {
    let orders = sqlx::query!(
        r#"SELECT id AS "id: OrderId", number, table_id AS "table_id: TableId", status AS "status: OrderStatus",
                  opened_by AS "opened_by: StaffId", opened_at
           FROM orders WHERE (?1 IS NULL AND status = 'open') OR id = ?1 ORDER BY opened_at, id"#,
        only
    )
    .fetch_all(&mut *conn)
    .await?;
    let waiters = sqlx::query!(
        r#"SELECT order_id AS "order_id: OrderId", staff_id AS "staff_id: StaffId" FROM order_waiters
           WHERE order_id IN (SELECT id FROM orders WHERE (?1 IS NULL AND status = 'open') OR id = ?1)"#,
        only
    )
    .fetch_all(&mut *conn)
    .await?;
    let lines = sqlx::query!(
        r#"SELECT id AS "id: LineId", order_id AS "order_id: OrderId", product_id AS "product_id: ProductId",
                  product_name, station_id AS "station_id: StationId", quantity, unit_price_minor, options_json,
                  note, course, status AS "status: LineStatus", ticket_id AS "ticket_id: TicketId",
                  added_by AS "added_by: StaffId", created_at
           FROM order_lines
           WHERE order_id IN (SELECT id FROM orders WHERE (?1 IS NULL AND status = 'open') OR id = ?1)
           ORDER BY created_at, id"#,
        only
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut lines_by_order: HashMap<OrderId, Vec<OrderLine>> = HashMap::new();
    for l in lines {
        let options = serde_json::from_str(&l.options_json)
            .map_err(|e| ApiError::Internal(format!("options of line {}: {e}", l.id)))?;
        lines_by_order
            .entry(l.order_id)
            .or_default()
            .push(OrderLine {
                id: l.id,
                product_id: l.product_id,
                product_name: l.product_name,
                station_id: l.station_id,
                quantity: l.quantity,
                unit_price_minor: l.unit_price_minor,
                options,
                note: l.note,
                course: l.course,
                status: l.status,
                ticket_id: l.ticket_id,
                added_by: l.added_by,
                created_at_ms: l.created_at,
            });
    }
    Ok(orders
        .into_iter()
        .map(|o| Order {
            waiter_ids: waiters
                .iter()
                .filter(|w| w.order_id == o.id)
                .map(|w| w.staff_id)
                .collect(),
            lines: lines_by_order.remove(&o.id).unwrap_or_default(),
            id: o.id,
            number: o.number,
            table_id: o.table_id,
            status: o.status,
            opened_by: o.opened_by,
            opened_at_ms: o.opened_at,
        })
        .collect())
}

async fn load_order(conn: &mut SqliteConnection, id: OrderId) -> ApiResult<Order> {
    load_orders(conn, Some(id))
        .await?
        .pop()
        .ok_or_else(|| ApiError::NotFound(format!("no order {id}")))
}

/// The order's table, refusing unless it exists and is open.
async fn open_order_table(conn: &mut SqliteConnection, id: OrderId) -> ApiResult<TableId> {
    let row = sqlx::query!(
        r#"SELECT number, table_id AS "table_id: TableId", status AS "status: OrderStatus" FROM orders WHERE id = ?"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("no order {id}")))?;
    match row.status {
        OrderStatus::Open => Ok(row.table_id),
        OrderStatus::Closed => Err(ApiError::Conflict(format!(
            "order {} is closed",
            row.number
        ))),
    }
}

async fn join_order(conn: &mut SqliteConnection, order: OrderId, staff: StaffId) -> ApiResult<()> {
    sqlx::query!(
        "INSERT OR IGNORE INTO order_waiters (order_id, staff_id) VALUES (?, ?)",
        order,
        staff
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// What an order change tells the live streams, if anything changed.
struct Change<'a> {
    kind: EventKind,
    station_ids: &'a [StationId],
}

/// Ends a change to order `id`: appends its event (when there is one), reads the order
/// back, commits, and only then tells the live streams.
async fn commit_order_change(
    state: &AppState,
    mut tx: Transaction<'_, Sqlite>,
    session: &Session,
    id: OrderId,
    table_id: TableId,
    change: Option<Change<'_>>,
) -> ApiResult<Json<Order>> {
    let event = match change {
        Some(c) => {
            let subject = Subject {
                order_id: Some(id),
                table_id: Some(table_id),
                station_ids: c.station_ids,
            };
            Some(events::append(&mut tx, c.kind, session.staff.id, subject).await?)
        }
        None => None,
    };
    let order = load_order(&mut tx, id).await?;
    tx.commit().await?;
    state.publish(event);
    Ok(Json(order))
}

/// Open a table: starts its order, or joins the order already open there.
#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", security(("token" = [])),
    request_body = OpenTableRequest,
    responses(
        (status = 201, description = "A new order was opened", body = Order),
        (status = 200, description = "The table already had an open order; you joined it", body = Order),
        (status = 403, body = ApiErrorBody), (status = 404, description = "No such table", body = ApiErrorBody),
        (status = 409, description = "The order id is taken by another order", body = ApiErrorBody),
    ))]
pub async fn open_table(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<OpenTableRequest>,
) -> ApiResult<(StatusCode, Json<Order>)> {
    session.require(Role::takes_orders, "open tables")?;
    let me = session.staff.id;
    let mut tx = state.db.writer.begin().await?;
    let table = sqlx::query!("SELECT label FROM dining_tables WHERE id = ?", req.table_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no table {}", req.table_id)))?;
    let open = sqlx::query_scalar!(
        r#"SELECT id AS "id: OrderId" FROM orders WHERE table_id = ? AND status = 'open'"#,
        req.table_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(existing) = open {
        if req.order_id.is_some_and(|wanted| wanted != existing) {
            tracing::info!(table = %table.label, "table already open; joining its order");
        }
        join_order(&mut tx, existing, me).await?;
        let order = load_order(&mut tx, existing).await?;
        tx.commit().await?;
        return Ok((StatusCode::OK, Json(order)));
    }
    let id = req.order_id.unwrap_or_else(OrderId::new_v7);
    let taken = sqlx::query_scalar!(r#"SELECT 1 AS "one!: i64" FROM orders WHERE id = ?"#, id)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(ApiError::Conflict(format!(
            "order id {id} belongs to another order"
        )));
    }
    let now = now_ms();
    sqlx::query!(
        "INSERT INTO orders (id, number, table_id, opened_by, opened_at)
         VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM orders), ?, ?, ?)",
        id,
        req.table_id,
        me,
        now
    )
    .execute(&mut *tx)
    .await?;
    join_order(&mut tx, id, me).await?;
    let opened = Change {
        kind: EventKind::OrderOpened,
        station_ids: &[],
    };
    let order = commit_order_change(&state, tx, &session, id, req.table_id, Some(opened)).await?;
    Ok((StatusCode::CREATED, order))
}

/// One order, open or closed.
#[utoipa::path(get, path = "/api/v1/orders/{order_id}", tag = "orders", security(("token" = [])),
    params(("order_id" = OrderId, Path)),
    responses((status = 200, body = Order), (status = 404, body = ApiErrorBody)))]
pub async fn get_order(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<OrderId>,
) -> ApiResult<Json<Order>> {
    session.require(Role::sees_floor, "see orders")?;
    let mut conn = state.db.reader.acquire().await?;
    Ok(Json(load_order(&mut conn, id).await?))
}

/// Add lines to an open order. Prices are frozen from the menu as it is now.
#[utoipa::path(post, path = "/api/v1/orders/{order_id}/lines", tag = "orders", security(("token" = [])),
    params(("order_id" = OrderId, Path)), request_body = AddLinesRequest,
    responses(
        (status = 200, description = "The order with its new lines", body = Order),
        (status = 404, body = ApiErrorBody),
        (status = 409, description = "The order is closed, or a line id exists already", body = ApiErrorBody),
        (status = 422, description = "A line is invalid; `field` says which (e.g. `lines[1].quantity`)", body = ApiErrorBody),
    ))]
pub async fn add_lines(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<OrderId>,
    Json(req): Json<AddLinesRequest>,
) -> ApiResult<Json<Order>> {
    session.require(Role::takes_orders, "add to orders")?;
    if req.lines.is_empty() || req.lines.len() > MAX_LINES_PER_REQUEST {
        return Err(ApiError::invalid(
            "lines",
            format!("send 1 to {MAX_LINES_PER_REQUEST} lines"),
        ));
    }
    let menu = load_menu(&mut *state.db.reader.acquire().await?).await?;
    let mut priced = Vec::with_capacity(req.lines.len());
    for (i, line) in req.lines.iter().enumerate() {
        let p = line
            .price(&menu)
            .map_err(|e| ApiError::invalid(format!("lines[{i}].{}", e.field()), e.to_string()))?;
        let line_id = line.id.unwrap_or_else(LineId::new_v7);
        if priced.iter().any(|(seen, _)| *seen == line_id) {
            return Err(ApiError::invalid(
                format!("lines[{i}].id"),
                format!("line id {line_id} appears twice"),
            ));
        }
        priced.push((line_id, p));
    }

    let me = session.staff.id;
    let mut tx = state.db.writer.begin().await?;
    let table_id = open_order_table(&mut tx, id).await?;
    let now = now_ms();
    for (line_id, p) in &priced {
        let exists = sqlx::query_scalar!(
            r#"SELECT 1 AS "one!: i64" FROM order_lines WHERE id = ?"#,
            line_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        if exists.is_some() {
            return Err(ApiError::Conflict(format!("line {line_id} exists already")));
        }
        let options =
            serde_json::to_string(&p.options).map_err(|e| ApiError::Internal(e.to_string()))?;
        sqlx::query!(
            "INSERT INTO order_lines (id, order_id, product_id, product_name, station_id, quantity,
                                      unit_price_minor, options_json, note, course, added_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            line_id,
            id,
            p.product_id,
            p.product_name,
            p.station_id,
            p.quantity,
            p.unit_price_minor,
            options,
            p.note,
            p.course,
            me,
            now
        )
        .execute(&mut *tx)
        .await?;
    }
    join_order(&mut tx, id, me).await?;
    let added = Change {
        kind: EventKind::LinesAdded,
        station_ids: &[],
    };
    commit_order_change(&state, tx, &session, id, table_id, Some(added)).await
}

/// Send the order's new lines to their stations: one ticket per station. Lines sent before
/// are never sent again, so a repeated send creates no ticket.
#[utoipa::path(post, path = "/api/v1/orders/{order_id}/send", tag = "orders", security(("token" = [])),
    params(("order_id" = OrderId, Path)),
    responses(
        (status = 200, description = "The order after sending", body = Order),
        (status = 404, body = ApiErrorBody), (status = 409, description = "The order is closed", body = ApiErrorBody),
    ))]
pub async fn send_order(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<OrderId>,
) -> ApiResult<Json<Order>> {
    session.require(Role::takes_orders, "send orders")?;
    let me = session.staff.id;
    let mut tx = state.db.writer.begin().await?;
    let table_id = open_order_table(&mut tx, id).await?;
    let stations = sqlx::query_scalar!(
        r#"SELECT DISTINCT station_id AS "station_id: StationId" FROM order_lines
           WHERE order_id = ? AND status = 'new' ORDER BY station_id"#,
        id
    )
    .fetch_all(&mut *tx)
    .await?;
    let now = now_ms();
    for station in &stations {
        let ticket = TicketId::new_v7();
        sqlx::query!(
            "INSERT INTO tickets (id, order_id, station_id, sent_by, created_at) VALUES (?, ?, ?, ?, ?)",
            ticket,
            id,
            station,
            me,
            now
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "UPDATE order_lines SET status = 'sent', ticket_id = ?
             WHERE order_id = ? AND station_id = ? AND status = 'new'",
            ticket,
            id,
            station
        )
        .execute(&mut *tx)
        .await?;
    }
    let sent = (!stations.is_empty()).then_some(Change {
        kind: EventKind::OrderSent,
        station_ids: &stations,
    });
    commit_order_change(&state, tx, &session, id, table_id, sent).await
}

/// The waiter took the ready items to the table: every ready line becomes served, and the
/// table stops showing "ready".
#[utoipa::path(post, path = "/api/v1/orders/{order_id}/served", tag = "orders", security(("token" = [])),
    params(("order_id" = OrderId, Path)),
    responses(
        (status = 200, description = "The order after serving", body = Order),
        (status = 404, body = ApiErrorBody), (status = 409, description = "The order is closed", body = ApiErrorBody),
    ))]
pub async fn serve_ready(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<OrderId>,
) -> ApiResult<Json<Order>> {
    session.require(Role::takes_orders, "serve orders")?;
    let mut tx = state.db.writer.begin().await?;
    let table_id = open_order_table(&mut tx, id).await?;
    let served = sqlx::query!(
        "UPDATE order_lines SET status = 'served' WHERE order_id = ? AND status = 'ready'",
        id
    )
    .execute(&mut *tx)
    .await?;
    let change = (served.rows_affected() > 0).then_some(Change {
        kind: EventKind::LinesServed,
        station_ids: &[],
    });
    commit_order_change(&state, tx, &session, id, table_id, change).await
}
