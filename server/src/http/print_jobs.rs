//! The print queue for managers: see it, retry, cancel or re-route a job, reprint a
//! ticket, and open a cash drawer by hand. Every change wakes the printer workers.

use crate::db::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::events::{self, Subject};
use crate::http::auth::Session;
use crate::http::extract::{Json, Path};
use crate::state::AppState;
use app::api::{ApiErrorBody, EventKind, PrintJob, RerouteRequest};
use app::domain::orders::LineStatus;
use app::domain::staff::Role;
use app::domain::{OrderId, StationId, TicketId};
use axum::extract::State;
use axum::http::StatusCode;
use sqlx::SqliteConnection;

async fn load_jobs(conn: &mut SqliteConnection, only: Option<&str>) -> ApiResult<Vec<PrintJob>> {
    let rows = sqlx::query!(
        r#"SELECT j.id AS "id!", j.printer_id, p.name AS printer_name, j.kind, j.ticket_id AS "ticket_id: TicketId",
                  COALESCE('Table ' || dt.label, 'Takeaway ' || tk.customer_name) AS "destination?: String", o.number AS "order_number?", j.status, j.reprint AS "reprint: bool",
                  j.attempts, j.last_error, j.created_at, j.done_at
           FROM print_jobs j JOIN printers p ON p.id = j.printer_id
           LEFT JOIN tickets t ON t.id = j.ticket_id LEFT JOIN orders o ON o.id = COALESCE(t.order_id, j.order_id)
           LEFT JOIN dining_tables dt ON dt.id = o.table_id LEFT JOIN takeaways tk ON tk.order_id = o.id
           WHERE (?1 IS NULL AND (j.status IN ('queued', 'sending') OR j.id IN
                    (SELECT id FROM print_jobs WHERE status IN ('done', 'cancelled') ORDER BY created_at DESC LIMIT 50)))
              OR j.id = ?1
           ORDER BY j.created_at, j.id"#,
        only
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PrintJob {
            id: r.id,
            printer_id: r.printer_id,
            printer_name: r.printer_name,
            kind: r.kind,
            ticket_id: r.ticket_id,
            destination: r.destination,
            order_number: r.order_number,
            status: r.status,
            reprint: r.reprint,
            attempts: r.attempts,
            last_error: r.last_error,
            created_at_ms: r.created_at,
            done_at_ms: r.done_at,
        })
        .collect())
}

/// Wakes the printers for jobs just committed and answers with them.
async fn queued(
    state: &AppState,
    ids: Vec<String>,
) -> ApiResult<(StatusCode, Json<Vec<PrintJob>>)> {
    state.print_wake.notify_waiters();
    let mut conn = state.db.reader.acquire().await?;
    let mut jobs = Vec::with_capacity(ids.len());
    for id in ids {
        jobs.extend(load_jobs(&mut conn, Some(&id)).await?);
    }
    Ok((StatusCode::ACCEPTED, Json(jobs)))
}

async fn one_job(state: &AppState, id: &str) -> ApiResult<Json<PrintJob>> {
    let job = load_jobs(&mut *state.db.reader.acquire().await?, Some(id))
        .await?
        .pop();
    job.map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no print job {id}")))
}

/// Waiting jobs, oldest first, then the last 50 finished ones.
#[utoipa::path(get, path = "/api/v1/print-jobs", tag = "printing", security(("token" = [])),
    responses((status = 200, body = Vec<PrintJob>), (status = 403, description = "Not a manager", body = ApiErrorBody)))]
pub async fn list_jobs(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<Vec<PrintJob>>> {
    session.require(Role::manages, "see the print queue")?;
    Ok(Json(
        load_jobs(&mut *state.db.reader.acquire().await?, None).await?,
    ))
}

/// Try a waiting (or cancelled) job again now.
#[utoipa::path(post, path = "/api/v1/print-jobs/{job_id}/retry", tag = "printing", security(("token" = [])),
    params(("job_id" = String, Path)),
    responses((status = 200, body = PrintJob), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, description = "The job printed already; reprint its ticket instead", body = ApiErrorBody)))]
pub async fn retry_job(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> ApiResult<Json<PrintJob>> {
    session.require(Role::manages, "retry print jobs")?;
    let now = now_ms();
    let changed = sqlx::query!(
        "UPDATE print_jobs SET status = 'queued', next_attempt_at = ? WHERE id = ? AND status IN ('queued', 'cancelled')",
        now,
        id
    )
    .execute(&state.db.writer)
    .await?;
    let job = one_job(&state, &id).await?;
    if changed.rows_affected() == 0 && job.0.status != "sending" {
        return Err(ApiError::Conflict(
            "that job printed already; reprint its ticket instead".into(),
        ));
    }
    state.print_wake.notify_waiters();
    Ok(job)
}

/// Stop a job that has not printed.
#[utoipa::path(post, path = "/api/v1/print-jobs/{job_id}/cancel", tag = "printing", security(("token" = [])),
    params(("job_id" = String, Path)),
    responses((status = 200, body = PrintJob), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, description = "The job printed already", body = ApiErrorBody)))]
pub async fn cancel_job(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> ApiResult<Json<PrintJob>> {
    session.require(Role::manages, "cancel print jobs")?;
    let changed = sqlx::query!("UPDATE print_jobs SET status = 'cancelled' WHERE id = ? AND status IN ('queued', 'sending')", id)
        .execute(&state.db.writer)
        .await?;
    let job = one_job(&state, &id).await?;
    if changed.rows_affected() == 0 && job.0.status != "cancelled" {
        return Err(ApiError::Conflict("that job printed already".into()));
    }
    tracing::info!(job = %id, by = %session.staff.name, "print job cancelled");
    Ok(job)
}

/// Print a waiting job on another printer (the first is broken or out of paper).
#[utoipa::path(post, path = "/api/v1/print-jobs/{job_id}/reroute", tag = "printing", security(("token" = [])),
    params(("job_id" = String, Path)), request_body = RerouteRequest,
    responses((status = 200, body = PrintJob), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, description = "The job printed already", body = ApiErrorBody),
        (status = 422, description = "No such active printer", body = ApiErrorBody)))]
pub async fn reroute_job(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Json(req): Json<RerouteRequest>,
) -> ApiResult<Json<PrintJob>> {
    session.require(Role::manages, "re-route print jobs")?;
    let target = sqlx::query_scalar!(
        r#"SELECT 1 AS "one!: i64" FROM printers WHERE id = ? AND active = 1"#,
        req.printer_id
    )
    .fetch_optional(&state.db.reader)
    .await?;
    if target.is_none() {
        return Err(ApiError::invalid(
            "printer_id",
            format!("no active printer {}", req.printer_id),
        ));
    }
    let now = now_ms();
    let changed = sqlx::query!(
        "UPDATE print_jobs SET printer_id = ?, status = 'queued', next_attempt_at = ?, last_error = NULL
         WHERE id = ? AND status IN ('queued', 'cancelled')",
        req.printer_id,
        now,
        id
    )
    .execute(&state.db.writer)
    .await?;
    let job = one_job(&state, &id).await?;
    if changed.rows_affected() == 0 {
        return Err(ApiError::Conflict(format!(
            "that job is {} and cannot move",
            job.0.status
        )));
    }
    state.print_wake.notify_waiters();
    Ok(job)
}

/// Print the bill of an order on the printers that print bills.
#[utoipa::path(post, path = "/api/v1/orders/{order_id}/bill", tag = "printing", security(("token" = [])),
    params(("order_id" = OrderId, Path)),
    responses((status = 202, description = "Queued, one job per bill printer", body = Vec<PrintJob>),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, description = "The order has no items, or no printer prints bills", body = ApiErrorBody)))]
pub async fn print_bill(
    State(state): State<AppState>,
    session: Session,
    Path(order): Path<OrderId>,
) -> ApiResult<(StatusCode, Json<Vec<PrintJob>>)> {
    session.require(Role::takes_orders, "print bills")?;
    let mut tx = state.db.writer.begin().await?;
    let order = crate::orders::load_order(&mut tx, order).await?;
    if order.lines.iter().all(|l| l.status == LineStatus::Void) {
        return Err(ApiError::Conflict(format!(
            "order {} has no items to bill",
            order.number
        )));
    }
    let ids = crate::print_worker::queue_bill(&mut tx, order.id, false).await?;
    if ids.is_empty() {
        return Err(ApiError::Conflict(
            "no printer prints bills; a manager can choose one on the manager page".into(),
        ));
    }
    tx.commit().await?;
    queued(&state, ids).await
}

/// Print a finished job (a ticket or a bill) once more on the same printer, marked
/// REPRINT.
#[utoipa::path(post, path = "/api/v1/print-jobs/{job_id}/reprint", tag = "printing", security(("token" = [])),
    params(("job_id" = String, Path)),
    responses((status = 202, body = PrintJob), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, description = "A drawer pulse, or a job not printed yet", body = ApiErrorBody)))]
pub async fn reprint_job(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<PrintJob>)> {
    session.require(Role::manages, "reprint")?;
    let mut tx = state.db.writer.begin().await?;
    let job = sqlx::query!(
        "SELECT printer_id, kind, ticket_id, order_id, report_json, status FROM print_jobs WHERE id = ?",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("no print job {id}")))?;
    if job.kind == "drawer_pulse" || job.status != "done" {
        return Err(ApiError::Conflict(format!(
            "only printed tickets, bills and reports are reprinted; this job is a {} that is {}",
            job.kind.replace('_', " "),
            job.status
        )));
    }
    let (copy, now) = (uuid::Uuid::now_v7().to_string(), now_ms());
    sqlx::query!(
        "INSERT INTO print_jobs (id, printer_id, kind, ticket_id, order_id, report_json, reprint, created_at, next_attempt_at)
         VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
        copy,
        job.printer_id,
        job.kind,
        job.ticket_id,
        job.order_id,
        job.report_json,
        now,
        now
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    state.print_wake.notify_waiters();
    tracing::info!(job = %id, by = %session.staff.name, "reprint");
    let job = one_job(&state, &copy).await?.0;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

/// Print a ticket again on its station's printers, marked REPRINT.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket_id}/reprint", tag = "printing", security(("token" = [])),
    params(("ticket_id" = TicketId, Path)),
    responses((status = 202, description = "Queued, one job per printer", body = Vec<PrintJob>),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn reprint_ticket(
    State(state): State<AppState>,
    session: Session,
    Path(ticket): Path<TicketId>,
) -> ApiResult<(StatusCode, Json<Vec<PrintJob>>)> {
    session.require(Role::manages, "reprint tickets")?;
    let mut tx = state.db.writer.begin().await?;
    let station = sqlx::query_scalar!(
        r#"SELECT station_id AS "s: StationId" FROM tickets WHERE id = ?"#,
        ticket
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("no ticket {ticket}")))?;
    let ids = crate::print_worker::queue_ticket(&mut tx, ticket, &station, true).await?;
    tx.commit().await?;
    queued(&state, ids).await
}

/// Open the cash drawer on this printer's drawer port. Logged with who did it.
#[utoipa::path(post, path = "/api/v1/printers/{printer_id}/drawer", tag = "printing", security(("token" = [])),
    params(("printer_id" = String, Path)),
    responses((status = 202, description = "The pulse is queued", body = PrintJob), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, description = "This printer has no drawer", body = ApiErrorBody)))]
pub async fn open_drawer(
    State(state): State<AppState>,
    session: Session,
    Path(printer): Path<String>,
) -> ApiResult<(StatusCode, Json<PrintJob>)> {
    session.require(Role::manages, "open the cash drawer")?;
    let mut tx = state.db.writer.begin().await?;
    let row = sqlx::query!(
        r#"SELECT name, has_drawer AS "has_drawer: bool" FROM printers WHERE id = ?"#,
        printer
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("no printer {printer}")))?;
    if !row.has_drawer {
        return Err(ApiError::Conflict(format!(
            "printer {} has no cash drawer",
            row.name
        )));
    }
    let id = crate::print_worker::queue_drawer(&mut tx, &printer).await?;
    let subject = Subject {
        order_id: None,
        table_id: None,
        station_ids: &[],
    };
    let event = events::append(&mut tx, EventKind::DrawerOpened, session.staff.id, subject).await?;
    tx.commit().await?;
    state.publish([event]);
    state.print_wake.notify_waiters();
    tracing::info!(printer = %row.name, by = %session.staff.name, "cash drawer opened by hand");
    Ok((StatusCode::ACCEPTED, one_job(&state, &id).await?))
}
