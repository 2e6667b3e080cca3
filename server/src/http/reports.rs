//! Sales reports over business days, for managers: `GET /api/v1/reports/sales` as JSON,
//! and the same query as a CSV or XLSX file (`crate::exports`). The figures come from
//! `crate::services::reports`, on a reader's connection.

use crate::db::direct::Conn;
use crate::exports::{self, Sheet};
use crate::http::auth::Session;
use crate::http::download::{attachment, streamed};
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{Json, Path, Query};
use crate::services::journal::Part;
use crate::services::reports::{self, Range};
use crate::services::ServiceResult;
use crate::state::AppState;
use app::api::{ApiErrorBody, ExportProgress};
use app::domain::reports::{By, Preset, SalesReport};
use app::domain::staff::Role;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SalesQuery {
    /// The first business day, `2026-11-16`.
    from: String,
    /// The last business day, included; at most 366 days after `from`.
    to: String,
    /// The view: `day` if absent. A spreadsheet without it has every view, a sheet each.
    by: Option<By>,
}

async fn report(
    state: &AppState,
    session: &Session,
    q: &SalesQuery,
    by: By,
) -> ApiResult<SalesReport> {
    session.require(Role::manages, "read sales reports")?;
    let range = Range::parse(&q.from, &q.to)?;
    let mut conn = state.db.reader.acquire().await?;
    Ok(reports::sales(&mut conn, range, by).await?)
}

/// A report's file name: `sales-by-day_2026-11-16_2026-11-22.csv`, or `sales_…` for
/// every view.
fn report_name(q: &SalesQuery, by: Option<By>, extension: &str) -> String {
    let view = by.map_or(String::new(), |by| format!("-by-{}", by.as_str()));
    format!("sales{view}_{}_{}.{extension}", q.from, q.to)
}

/// The ranges offered in one tap (today, yesterday, this week and last, this month and
/// last, the last 30 days), in the venue's business days.
#[utoipa::path(get, path = "/api/v1/reports/ranges", tag = "reports", security(("token" = [])),
    responses((status = 200, body = [Preset]), (status = 403, body = ApiErrorBody)))]
pub async fn ranges(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<Vec<Preset>>> {
    session.require(Role::manages, "read sales reports")?;
    let mut conn = state.db.reader.acquire().await?;
    Ok(Json(
        reports::presets(&mut conn, crate::db::now_ms()).await?,
    ))
}

/// Sales over business days: the range's totals and the period just before it, and one
/// view of the range as a table (by day, hour, product, category, waiter, payment
/// method or tax rate, or its voids and refunds).
#[utoipa::path(get, path = "/api/v1/reports/sales", tag = "reports", security(("token" = [])),
    params(SalesQuery),
    responses((status = 200, body = SalesReport), (status = 400, body = ApiErrorBody),
        (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn sales(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<SalesQuery>,
) -> ApiResult<Json<SalesReport>> {
    let by = q.by.unwrap_or_default();
    Ok(Json(report(&state, &session, &q, by).await?))
}

/// The same report as CSV (UTF-8, amounts with two decimals, headings naming the
/// currency).
#[utoipa::path(get, path = "/api/v1/reports/sales.csv", tag = "reports", security(("token" = [])),
    params(SalesQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
pub async fn sales_csv(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<SalesQuery>,
) -> ApiResult<Response> {
    let by = q.by.unwrap_or_default();
    let report = report(&state, &session, &q, by).await?;
    let body = exports::csv(&report.columns, &report.rows, &report.currency)?;
    let length = body.len() as u64;
    Ok(attachment(
        &report_name(&q, Some(by), "csv"),
        "text/csv; charset=utf-8",
        Some(length),
        body.into(),
    ))
}

/// The same report as an XLSX workbook: amounts in the currency's format, days as
/// dates. Without `by`, every view, a sheet each.
#[utoipa::path(get, path = "/api/v1/reports/sales.xlsx", tag = "reports", security(("token" = [])),
    params(SalesQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn sales_xlsx(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<SalesQuery>,
) -> ApiResult<Response> {
    let views: Vec<By> = match q.by {
        Some(by) => vec![by],
        None => By::ALL.to_vec(),
    };
    session.require(Role::manages, "read sales reports")?;
    let range = Range::parse(&q.from, &q.to)?;
    let mut conn = state.db.reader.acquire().await?;
    let tables = reports::views(&mut conn, range, &views).await?;
    let sheets: Vec<Sheet> = views
        .iter()
        .zip(&tables)
        .map(|(by, t)| Sheet {
            name: by.title(),
            columns: &t.columns,
            rows: &t.rows,
        })
        .collect();
    let currency = tables
        .first()
        .map(|t| t.currency.clone())
        .unwrap_or_default();
    let body = exports::xlsx(&sheets, &currency)?;
    let length = body.len() as u64;
    Ok(attachment(
        &report_name(&q, q.by, "xlsx"),
        XLSX,
        Some(length),
        body.into(),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct JournalQuery {
    /// The first business day, `2026-11-16`.
    from: String,
    /// The last business day, included; at most 366 days after `from`.
    to: String,
    /// For CSV, which part: `orders`, `lines` (if absent), `payments`, `refunds` or `z`.
    part: Option<Part>,
}

/// Runs `work` on a read-only connection of the reader set, on this (blocking) thread.
fn read_long<T>(
    db: &crate::db::Db,
    work: impl FnOnce(&Conn) -> ServiceResult<T>,
) -> ServiceResult<T> {
    let mut out = None;
    db.read(|conn| {
        out = Some(work(conn));
        Ok(())
    })?;
    out.unwrap_or_else(|| {
        Err(crate::services::ServiceError::Internal(
            "the read did not run".into(),
        ))
    })
}

/// Runs `work` on a read-only connection on a blocking thread: an export reads for
/// seconds, which must hold up neither the runtime nor the writer.
async fn on_reader<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&Conn) -> ServiceResult<T> + Send + 'static,
) -> ApiResult<T> {
    let db = state.db.clone();
    let done = tokio::task::spawn_blocking(move || read_long(&db, work))
        .await
        .map_err(|e| ApiError::Internal(format!("an export stopped: {e}")))?;
    Ok(done?)
}

/// The journal for the accountant as an XLSX workbook: every order closed, every line
/// (voided ones with their reason), payment, refund and Z report of the range, a sheet
/// each. Made row by row into a temporary file, so a year's lines do not sit in memory.
#[utoipa::path(get, path = "/api/v1/reports/journal.xlsx", tag = "reports", security(("token" = [])),
    params(JournalQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn journal_xlsx(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<JournalQuery>,
) -> ApiResult<Response> {
    session.require(Role::manages, "export the journal")?;
    let range = Range::parse(&q.from, &q.to)?;
    let file = on_reader(&state, move |conn| {
        exports::journal_xlsx(conn, range, &|| {})
    })
    .await?;
    let name = format!("journal_{}_{}.xlsx", q.from, q.to);
    Ok(streamed(file, name, XLSX))
}

/// One part of the journal as CSV (the lines if `part` is absent).
#[utoipa::path(get, path = "/api/v1/reports/journal.csv", tag = "reports", security(("token" = [])),
    params(JournalQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
pub async fn journal_csv(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<JournalQuery>,
) -> ApiResult<Response> {
    session.require(Role::manages, "export the journal")?;
    let range = Range::parse(&q.from, &q.to)?;
    let part = q.part.unwrap_or(Part::Lines);
    let file = on_reader(&state, move |conn| {
        exports::journal_csv(conn, range, part, &|| {})
    })
    .await?;
    let name = format!("journal-{}_{}_{}.csv", part.as_str(), q.from, q.to);
    Ok(streamed(file, name, "text/csv; charset=utf-8"))
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Starts making the journal as XLSX, as a job whose progress the manager watches (a
/// year takes seconds); one job at a time.
#[utoipa::path(post, path = "/api/v1/reports/journal/jobs", tag = "reports", security(("token" = [])),
    params(JournalQuery),
    responses((status = 202, body = ExportProgress), (status = 403, body = ApiErrorBody),
        (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn start_journal(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<JournalQuery>,
) -> ApiResult<(StatusCode, Json<ExportProgress>)> {
    session.require(Role::manages, "export the journal")?;
    let range = Range::parse(&q.from, &q.to)?;
    let total = range.days() as u64 * Part::ALL.len() as u64;
    let db = state.db.clone();
    let name = format!("journal_{}_{}.xlsx", q.from, q.to);
    let started = state
        .exports
        .start(name, XLSX, total, move |step| {
            read_long(&db, |conn| exports::journal_xlsx(conn, range, step))
                .map_err(|e| e.to_string())
        })
        .map_err(ApiError::Conflict)?;
    Ok((StatusCode::ACCEPTED, Json(started)))
}

/// How far a journal job has got.
#[utoipa::path(get, path = "/api/v1/reports/journal/jobs/{id}", tag = "reports", security(("token" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = ExportProgress), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn journal_job(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> ApiResult<Json<ExportProgress>> {
    session.require(Role::manages, "export the journal")?;
    let progress = state.exports.progress(&id).ok_or_else(|| {
        ApiError::NotFound("no such export: it may have been downloaded already".into())
    })?;
    Ok(Json(progress))
}

/// The finished journal job's file; downloaded once.
#[utoipa::path(get, path = "/api/v1/reports/journal/jobs/{id}/file", tag = "reports", security(("token" = [])),
    params(("id" = String, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn journal_job_file(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    session.require(Role::manages, "export the journal")?;
    let (file, name, mime) = state.exports.take(&id).ok_or_else(|| {
        ApiError::NotFound("no such export ready: it may still be in the making".into())
    })?;
    Ok(streamed(file, name, mime))
}
