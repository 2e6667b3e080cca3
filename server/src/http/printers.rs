//! Printers: their state for every screen ("Kitchen offline, 3 tickets waiting"), and their
//! setup for managers. The rules and SQL are in `crate::services::printers`.

use crate::http::auth::Session;
use crate::http::error::ApiResult;
use crate::http::extract::{Json, Path};
use crate::services::printers;
use crate::state::AppState;
use app::api::{ApiErrorBody, PrinterChange, PrinterStatus};
use app::domain::staff::Role;
use axum::extract::State;
use axum::http::StatusCode;

/// Every printer with its state and queue.
#[utoipa::path(get, path = "/api/v1/printers", tag = "printing", security(("token" = [])),
    responses((status = 200, body = Vec<PrinterStatus>), (status = 401, body = ApiErrorBody)))]
pub async fn list_printers(
    State(state): State<AppState>,
    _session: Session,
) -> ApiResult<Json<Vec<PrinterStatus>>> {
    Ok(Json(
        printers::list(&mut *state.db.reader.acquire().await?, None).await?,
    ))
}

/// Add a printer; its worker starts within moments.
#[utoipa::path(post, path = "/api/v1/printers", tag = "printing", security(("token" = [])),
    request_body = PrinterChange,
    responses((status = 201, body = PrinterStatus), (status = 403, description = "Not a manager", body = ApiErrorBody),
        (status = 422, description = "A field's value is not acceptable", body = ApiErrorBody)))]
pub async fn add_printer(
    State(state): State<AppState>,
    session: Session,
    Json(new): Json<PrinterChange>,
) -> ApiResult<(StatusCode, Json<PrinterStatus>)> {
    session.require(Role::manages, "set up printers")?;
    let printer = state
        .write_quiet(move |conn| Box::pin(async move { printers::add(conn, &new).await }))
        .await?;
    state.printers.printer_added();
    tracing::info!(printer = %printer.name, by = %session.staff.name, "printer added");
    Ok((StatusCode::CREATED, Json(printer)))
}

/// Change a printer's setup. Its waiting jobs are retried at once with the new setup.
#[utoipa::path(patch, path = "/api/v1/printers/{printer_id}", tag = "printing", security(("token" = [])),
    params(("printer_id" = String, Path)), request_body = PrinterChange,
    responses((status = 200, body = PrinterStatus), (status = 403, description = "Not a manager", body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 422, description = "A field's value is not acceptable", body = ApiErrorBody)))]
pub async fn change_printer(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Json(change): Json<PrinterChange>,
) -> ApiResult<Json<PrinterStatus>> {
    session.require(Role::manages, "set up printers")?;
    let printer = state
        .write_quiet(move |conn| {
            Box::pin(async move { printers::change(conn, &id, &change).await })
        })
        .await?;
    state.printers.wake(&printer.id);
    tracing::info!(printer = %printer.name, by = %session.staff.name, "printer set up changed");
    Ok(Json(printer))
}
