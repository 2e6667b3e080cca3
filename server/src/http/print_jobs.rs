//! The print queue, for managers: retry, cancel, re-route and reprint jobs, print a bill,
//! open a cash drawer. The rules and SQL are in `crate::services::print_jobs`; the printer workers
//! are woken after each commit.

use crate::http::auth::Session;
use crate::http::error::ApiResult;
use crate::http::extract::{Json, Path};
use crate::services::print_jobs;
use crate::state::AppState;
use app::api::{ApiErrorBody, PrintJob, RerouteRequest};
use app::domain::staff::Role;
use app::domain::{OrderId, TicketId};
use axum::extract::State;
use axum::http::StatusCode;

/// Wakes the printers for jobs just committed and answers with them.
async fn queued(
    state: &AppState,
    ids: Vec<String>,
) -> ApiResult<(StatusCode, Json<Vec<PrintJob>>)> {
    state.printers.jobs_queued();
    let mut conn = state.db.reader.acquire().await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(print_jobs::these(&mut conn, &ids).await?),
    ))
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
        print_jobs::list(&mut *state.db.reader.acquire().await?, None).await?,
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
    let job = state
        .write_quiet(move |conn| Box::pin(async move { print_jobs::retry(conn, &id).await }))
        .await?;
    state.printers.wake(&job.printer_id);
    Ok(Json(job))
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
    let job = state
        .write_quiet(move |conn| Box::pin(async move { print_jobs::cancel(conn, &id).await }))
        .await?;
    tracing::info!(job = %job.id, by = %session.staff.name, "print job cancelled");
    // The printer's next job no longer waits behind it (nor for its retry time).
    state.printers.wake(&job.printer_id);
    Ok(Json(job))
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
    let job = state
        .write_quiet(move |conn| {
            Box::pin(async move { print_jobs::reroute(conn, &id, &req.printer_id).await })
        })
        .await?;
    // The new printer prints it, and the old one's next job no longer waits behind it.
    state.printers.wake_all();
    Ok(Json(job))
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
    let ids = state
        .write_quiet(move |conn| Box::pin(async move { print_jobs::print_bill(conn, order).await }))
        .await?;
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
    let copy = state
        .write_quiet({
            let id = id.clone();
            move |conn| Box::pin(async move { print_jobs::reprint(conn, &id).await })
        })
        .await?;
    state.printers.wake(&copy.printer_id);
    tracing::info!(job = %id, by = %session.staff.name, "reprint");
    Ok((StatusCode::ACCEPTED, Json(copy)))
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
    let ids = state
        .write_quiet(move |conn| {
            Box::pin(async move { print_jobs::reprint_ticket(conn, ticket).await })
        })
        .await?;
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
    session
        .allowed(&state, |p| p.opens_drawer, "open the cash drawer")
        .await?;
    let by = session.staff.id;
    let opened = state
        .write(move |conn| {
            Box::pin(async move { print_jobs::open_drawer(conn, by, &printer).await })
        })
        .await?;
    tracing::info!(printer = %opened.printer_name, by = %session.staff.name, "cash drawer opened by hand");
    Ok((StatusCode::ACCEPTED, Json(opened.job)))
}

/// Open the venue's cash drawer (the bill printer's, else any printer's that has one), for
/// staff whose role may. Logged with who did it.
#[utoipa::path(post, path = "/api/v1/drawer", tag = "printing", security(("token" = [])),
    responses((status = 202, description = "The pulse is queued", body = PrintJob), (status = 403, body = ApiErrorBody),
        (status = 409, description = "No printer switched on has a drawer", body = ApiErrorBody)))]
pub async fn open_venue_drawer(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<(StatusCode, Json<PrintJob>)> {
    session
        .allowed(&state, |p| p.opens_drawer, "open the cash drawer")
        .await?;
    let by = session.staff.id;
    let opened = state
        .write(move |conn| Box::pin(async move { print_jobs::open_venue_drawer(conn, by).await }))
        .await?;
    tracing::info!(printer = %opened.printer_name, by = %session.staff.name, "cash drawer opened by hand");
    Ok((StatusCode::ACCEPTED, Json(opened.job)))
}
