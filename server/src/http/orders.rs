//! The order endpoints. Each is one write (`AppState::write`, a savepoint in a shared
//! commit) around a call into `crate::services::orders`, which holds the rules; the event
//! is published only after the commit.

use crate::http::auth::{Approval, Caller, Session};
use crate::http::error::ApiResult;
use crate::http::extract::{Json, Path};
use crate::services::orders;
use crate::services::settings;
use crate::state::AppState;
use app::api::{AddLinesRequest, ApiErrorBody, OpenTableRequest, TakePaymentRequest, VoidRequest};
use app::domain::orders::Order;
use app::domain::staff::Role;
use app::domain::{LineId, OrderId};
use axum::extract::State;
use axum::http::StatusCode;

/// Open a table: starts its order, or joins the order already open there.
#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", security(("token" = [])),
    request_body = OpenTableRequest,
    responses(
        (status = 201, description = "A new order was opened", body = Order),
        (status = 200, description = "The table already had an open order; you joined it", body = Order),
        (status = 403, body = ApiErrorBody), (status = 404, description = "No such table", body = ApiErrorBody),
        (status = 409, description = "The order id belongs to another table, or its order is closed", body = ApiErrorBody),
    ))]
pub async fn open_table(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<OpenTableRequest>,
) -> ApiResult<(StatusCode, Json<Order>)> {
    session.require(Role::takes_orders, "open tables")?;
    let (by, requested) = (
        session.staff.id,
        req.order_id.unwrap_or_else(OrderId::new_v7),
    );
    let (table, guests) = (req.table_id, req.guests);
    let outcome = state
        .write_direct(move |conn| {
            orders::open_table(conn, by, requested, table, guests)?.read(conn)
        })
        .await?;
    let status = if outcome.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(outcome.order)))
}

/// One order, open or closed, by its id or an alias of it.
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
    Ok(Json(orders::load_order_async(&mut conn, id).await?))
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
    let by = session.staff.id;
    let outcome = state
        .write_direct(move |conn| orders::add_lines(conn, by, id, &req.lines)?.read(conn))
        .await?;
    Ok(Json(outcome.order))
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
    let by = session.staff.id;
    let outcome = state
        .write_direct(move |conn| orders::send(conn, by, id, None)?.read(conn))
        .await?;
    Ok(Json(outcome.order))
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
    let by = session.staff.id;
    let outcome = state
        .write_direct(move |conn| orders::serve_ready(conn, by, id)?.read(conn))
        .await?;
    Ok(Json(outcome.order))
}

/// Take a payment toward the bill, once per payment id. A tip above the venue's limit
/// (by default the bill's total) needs a manager: signed in, or their PIN on this phone.
#[utoipa::path(post, path = "/api/v1/orders/{order_id}/payments", tag = "orders", security(("token" = [])),
    params(("order_id" = OrderId, Path)), request_body = TakePaymentRequest,
    responses((status = 200, body = Order),
        (status = 403, description = "The tip needs a manager's PIN, or the PIN is not a manager's", body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, description = "The order is closed", body = ApiErrorBody),
        (status = 422, description = "More than is left to pay, or beyond the venue's ceiling", body = ApiErrorBody)))]
pub async fn take_payment(
    State(state): State<AppState>,
    session: Session,
    caller: Caller,
    Path(order): Path<OrderId>,
    Json(req): Json<TakePaymentRequest>,
) -> ApiResult<Json<Order>> {
    session.require(Role::takes_orders, "take payments")?;
    let approval = Approval::check(&state, &session, &caller, req.manager_pin.as_deref()).await?;
    let (by, approved_by) = (session.staff.id, approval.approver());
    let verdict = approval.verdict();
    let outcome = state
        .write_direct(move |conn| {
            let taken = orders::take_payment(conn, by, order, &req.payment, approved_by)
                .and_then(|change| change.read(conn));
            verdict.on(taken, "no payment was taken")
        })
        .await;
    approval.settled(&outcome);
    let outcome = outcome?;
    Ok(Json(outcome.order))
}

/// Void a line with a reason. Above the venue's limit, or once the kitchen has made it, a
/// manager's PIN (given on the same phone) approves it; a sent line gets a VOID ticket.
#[utoipa::path(post, path = "/api/v1/orders/{order_id}/lines/{line_id}/void", tag = "orders", security(("token" = [])),
    params(("order_id" = OrderId, Path), ("line_id" = LineId, Path)), request_body = VoidRequest,
    responses((status = 200, body = Order),
        (status = 403, description = "A manager's PIN is needed, or the PIN is not a manager's", body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, description = "The line is void already, or the order closed", body = ApiErrorBody),
        (status = 422, description = "No such reason, or a note too long", body = ApiErrorBody)))]
pub async fn void_line(
    State(state): State<AppState>,
    session: Session,
    caller: Caller,
    Path((order, line)): Path<(OrderId, LineId)>,
    Json(req): Json<VoidRequest>,
) -> ApiResult<Json<Order>> {
    session.require(Role::takes_orders, "void items")?;
    let mut conn = state.db.reader.acquire().await?;
    let reason = settings::void_reason(&mut conn, &req.reason_id, &req.note).await?;
    drop(conn);
    let approval = Approval::check(&state, &session, &caller, req.manager_pin.as_deref()).await?;
    let (by, approved_by) = (session.staff.id, approval.approver());
    let verdict = approval.verdict();
    let outcome = state
        .write_direct(move |conn| {
            let voided = orders::void_line(conn, by, order, line, &reason, approved_by)
                .and_then(|change| change.read(conn));
            verdict.on(voided, "nothing was voided")
        })
        .await;
    approval.settled(&outcome);
    let outcome = outcome?;
    Ok(Json(outcome.order))
}
