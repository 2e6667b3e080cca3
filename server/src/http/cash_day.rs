//! The cash day over HTTP: shifts (cashiers and managers), X and Z reports, refunds and
//! write-offs (managers, or a manager's PIN on the same device), and the closed orders a
//! manager looks through to refund.

use crate::http::auth::{Approval, Caller, Session};
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{Json, Path, Query};
use crate::services::cash_day;
use crate::state::AppState;
use app::api::{
    ApiErrorBody, CloseShiftRequest, ClosedOrder, OpenShiftRequest, RefundRequest, WriteOffRequest,
    ZBlockers,
};
use app::domain::cash_day::{Refund, Report, Shift};
use app::domain::orders::Order;
use app::domain::staff::Role;
use app::domain::OrderId;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

/// The shift that is open, with the cash the drawer should hold now; null if none is.
#[utoipa::path(get, path = "/api/v1/shifts/current", tag = "cash day", security(("token" = [])),
    responses((status = 200, body = Option<Shift>), (status = 403, body = ApiErrorBody)))]
pub async fn current_shift(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<Option<Shift>>> {
    session.require(Role::handles_cash, "see the cash drawer's shift")?;
    let mut conn = state.db.reader.acquire().await?;
    Ok(Json(cash_day::current_shift(&mut conn).await?))
}

/// Open a shift with the float in the drawer. One shift is open at a time.
#[utoipa::path(post, path = "/api/v1/shifts", tag = "cash day", security(("token" = [])),
    request_body = OpenShiftRequest,
    responses((status = 201, body = Shift), (status = 403, body = ApiErrorBody),
        (status = 409, description = "A shift is open already", body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn open_shift(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<OpenShiftRequest>,
) -> ApiResult<(StatusCode, Json<Shift>)> {
    session.require(Role::handles_cash, "open a shift")?;
    let by = session.staff.id;
    let shift = state
        .write_quiet(move |conn| {
            Box::pin(async move { cash_day::open_shift(conn, by, req.float_minor).await })
        })
        .await?;
    Ok((StatusCode::CREATED, Json(shift)))
}

/// Close the open shift with the cash counted; answers with expected, counted and the
/// discrepancy.
#[utoipa::path(post, path = "/api/v1/shifts/current/close", tag = "cash day", security(("token" = [])),
    request_body = CloseShiftRequest,
    responses((status = 200, body = Shift), (status = 403, body = ApiErrorBody),
        (status = 409, description = "No shift is open", body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn close_shift(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<CloseShiftRequest>,
) -> ApiResult<Json<Shift>> {
    session.require(Role::handles_cash, "close a shift")?;
    let by = session.staff.id;
    let shift = state
        .write_quiet(move |conn| {
            Box::pin(async move {
                cash_day::close_shift(
                    conn,
                    by,
                    req.counts.as_ref(),
                    req.counted_minor,
                    req.reason.as_deref(),
                )
                .await
            })
        })
        .await?;
    Ok(Json(shift))
}

/// The X report: the business day so far (since the last Z report). Changes nothing.
#[utoipa::path(get, path = "/api/v1/reports/x", tag = "cash day", security(("token" = [])),
    responses((status = 200, body = Report), (status = 403, body = ApiErrorBody)))]
pub async fn x_report(State(state): State<AppState>, session: Session) -> ApiResult<Json<Report>> {
    session.require(Role::manages, "read the X report")?;
    let mut conn = state.db.reader.acquire().await?;
    Ok(Json(cash_day::x_report(&mut conn, session.staff.id).await?))
}

/// Print the X report on the receipt printers.
#[utoipa::path(post, path = "/api/v1/reports/x/print", tag = "cash day", security(("token" = [])),
    responses((status = 202, body = Report), (status = 403, body = ApiErrorBody)))]
pub async fn print_x_report(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<(StatusCode, Json<Report>)> {
    session.require(Role::manages, "print the X report")?;
    let by = session.staff.id;
    let report = state
        .write_quiet(move |conn| Box::pin(cash_day::print_x_report(conn, by)))
        .await?;
    state.printers.jobs_queued();
    Ok((StatusCode::ACCEPTED, Json(report)))
}

/// What stops the Z report now: an open shift, open orders, or nothing to report. The
/// manager's page shows these before asking to confirm.
#[utoipa::path(get, path = "/api/v1/reports/z/blockers", tag = "cash day", security(("token" = [])),
    responses((status = 200, body = ZBlockers), (status = 403, body = ApiErrorBody)))]
pub async fn z_blockers(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<ZBlockers>> {
    session.require(Role::manages, "take the Z report")?;
    let mut conn = state.db.reader.acquire().await?;
    Ok(Json(cash_day::z_blockers(&mut conn).await?))
}

/// Take the Z report: it ends the business day, gets the next number, is kept unchanged
/// for good and prints on the receipt printers. Refused while the shift or any order with
/// something on it is open, and when nothing happened since the last one (a second click).
#[utoipa::path(post, path = "/api/v1/reports/z", tag = "cash day", security(("token" = [])),
    responses((status = 201, body = Report),
        (status = 403, description = "Only managers take Z reports", body = ApiErrorBody),
        (status = 409, description = "A shift or orders are still open, or there is nothing to report", body = ApiErrorBody)))]
pub async fn take_z_report(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<(StatusCode, Json<Report>)> {
    if !session.staff.role.manages() {
        return Err(ApiError::Forbidden(format!(
            "a {} may not take the Z report: it ends the business day, so only a manager may",
            session.staff.role.label()
        )));
    }
    let by = session.staff.id;
    let report = state
        .write_quiet(move |conn| Box::pin(async move { cash_day::take_z(conn, by).await }))
        .await?;
    state.printers.jobs_queued();
    // The day's end is worth a backup of its own.
    state.backup_wake.notify_one();
    tracing::info!(number = ?report.number, by = %session.staff.name, "Z report");
    Ok((StatusCode::CREATED, Json(report)))
}

/// The Z reports taken, newest first.
#[utoipa::path(get, path = "/api/v1/reports/z", tag = "cash day", security(("token" = [])),
    responses((status = 200, body = [Report]), (status = 403, body = ApiErrorBody)))]
pub async fn list_z_reports(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<Vec<Report>>> {
    session.require(Role::manages, "read Z reports")?;
    let mut conn = state.db.reader.acquire().await?;
    Ok(Json(cash_day::z_reports(&mut conn).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ClosedQuery {
    /// How many, newest first (1 to 200; 50 if absent).
    limit: Option<i64>,
}

/// Closed orders, newest first, with their refunds.
#[utoipa::path(get, path = "/api/v1/orders/closed", tag = "cash day", security(("token" = [])),
    params(ClosedQuery),
    responses((status = 200, body = [ClosedOrder]), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn closed_orders(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<ClosedQuery>,
) -> ApiResult<Json<Vec<ClosedOrder>>> {
    session.require(Role::manages, "look through closed orders")?;
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::invalid("limit", "1 to 200"));
    }
    let mut conn = state.db.reader.acquire().await?;
    Ok(Json(cash_day::closed_orders(&mut conn, limit).await?))
}

/// Refund a closed order (some lines, an amount, or all that is left) to a method it was
/// paid with, or cash, with a reason. Managers only, or a manager's PIN.
#[utoipa::path(post, path = "/api/v1/orders/{order_id}/refunds", tag = "cash day", security(("token" = [])),
    params(("order_id" = OrderId, Path)), request_body = RefundRequest,
    responses((status = 201, body = Refund),
        (status = 403, description = "A manager's approval is needed", body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, description = "The order is open, or the line refunded", body = ApiErrorBody),
        (status = 422, description = "More than was paid, a method not used, no reason", body = ApiErrorBody)))]
pub async fn refund(
    State(state): State<AppState>,
    session: Session,
    caller: Caller,
    Path(order): Path<OrderId>,
    Json(req): Json<RefundRequest>,
) -> ApiResult<(StatusCode, Json<Refund>)> {
    session.require(Role::takes_orders, "refund")?;
    let nothing = "nothing was refunded";
    let approval = Approval::check(&state, &session, &caller, req.manager_pin.as_deref()).await?;
    let approved_by = approval.manager(&session, nothing)?;
    let by = session.staff.id;
    let verdict = approval.verdict();
    let refund = state
        .write_quiet(move |conn| {
            Box::pin(async move {
                let refunded = cash_day::refund(conn, by, approved_by, order, &req).await;
                verdict.on(refunded, nothing)
            })
        })
        .await;
    approval.settled(&refund);
    let refund = refund?;
    state.printers.jobs_queued();
    Ok((StatusCode::CREATED, Json(refund)))
}

/// Close an order that cannot be paid in full, writing off what is left, with a reason and
/// a manager's approval. Frees the table.
#[utoipa::path(post, path = "/api/v1/orders/{order_id}/write-off", tag = "cash day", security(("token" = [])),
    params(("order_id" = OrderId, Path)), request_body = WriteOffRequest,
    responses((status = 200, body = Order),
        (status = 403, description = "A manager's approval is needed", body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, description = "Paid already, or closed", body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
pub async fn write_off(
    State(state): State<AppState>,
    session: Session,
    caller: Caller,
    Path(order): Path<OrderId>,
    Json(req): Json<WriteOffRequest>,
) -> ApiResult<Json<Order>> {
    session.require(Role::takes_orders, "close orders")?;
    let nothing = "nothing was written off";
    let approval = Approval::check(&state, &session, &caller, req.manager_pin.as_deref()).await?;
    let approved_by = approval.manager(&session, nothing)?;
    let by = session.staff.id;
    let verdict = approval.verdict();
    let outcome = state
        .write(move |conn| {
            Box::pin(async move {
                let written_off =
                    cash_day::write_off(conn, by, approved_by, order, &req.reason).await;
                verdict.on(written_off, nothing)
            })
        })
        .await;
    approval.settled(&outcome);
    let outcome = outcome?;
    Ok(Json(outcome.order))
}
