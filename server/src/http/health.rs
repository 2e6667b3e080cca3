//! `GET /api/v1/health` for monitoring and for tests waiting for the server (no sign-in:
//! anyone gets whether it is up; the box itself and managers get the detail, with the
//! warnings the managers' screens show), and `GET /metrics` for Prometheus (the box
//! itself or a manager's token only).

use crate::http::auth::Insider;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::Json;
use crate::metrics::{disk_space, Gauges};
use crate::services::upkeep;
use crate::state::AppState;
use app::api::{warnings, Health, HealthDetail};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

async fn detail(state: &AppState) -> ApiResult<(HealthDetail, upkeep::Workers)> {
    let mut conn = state.db.reader.acquire().await?;
    let workers = upkeep::workers(&mut conn, &state.devices).await?;
    let (free, total) = disk_space(&state.config.data);
    let backups = state
        .backups
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let detail = HealthDetail {
        writes_queued: state.db.writes_queued() as i64,
        printers: workers.printers.clone(),
        devices: workers.devices.clone(),
        sms_waiting: workers.sms_waiting,
        sms_failed: workers.sms_failed,
        warnings: warnings(
            free,
            total,
            backups.last.as_ref(),
            backups.failure.as_ref(),
            workers.since_ms,
            crate::db::now_ms(),
        ),
        last_backup: backups.last,
        backup_failure: backups.failure,
        disk_free_bytes: free,
        disk_total_bytes: total,
    };
    Ok((detail, workers))
}

/// Is the server up and its database answering? With the box's own view (the writer's
/// queue, printers, devices, texts, the last backup, free disk, warnings) for the box
/// itself and managers.
#[utoipa::path(get, path = "/api/v1/health", tag = "operations",
    responses((status = 200, description = "Up", body = Health), (status = 503, description = "The database does not answer", body = Health)))]
pub async fn health(State(state): State<AppState>, insider: Insider) -> (StatusCode, Json<Health>) {
    let database = match crate::db::ping(&state.db.reader).await {
        Ok(()) => "ok".to_owned(),
        Err(e) => e.to_string(),
    };
    let ok = database == "ok";
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let detail = match (ok, insider.0) {
        (true, true) => match detail(&state).await {
            Ok((d, _)) => Some(d),
            Err(e) => {
                tracing::warn!(error = %e, "the health check's detail");
                None
            }
        },
        _ => None,
    };
    let body = Health {
        status: if ok { "ok" } else { "degraded" }.to_owned(),
        database,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        detail,
    };
    (status, Json(body))
}

/// Prometheus metrics: requests and latencies per route, and the box's gauges.
#[utoipa::path(get, path = "/metrics", tag = "operations", security(("token" = [])),
    responses((status = 200, content_type = "text/plain", body = String), (status = 403, body = app::api::ApiErrorBody)))]
pub async fn metrics(State(state): State<AppState>, insider: Insider) -> ApiResult<Response> {
    if !insider.0 {
        return Err(ApiError::Forbidden(
            "metrics are for the box itself or a manager's token".into(),
        ));
    }
    let (detail, workers) = detail(&state).await?;
    let gauges = Gauges {
        writes_queued: detail.writes_queued,
        orders_open: workers.orders_open,
        live_streams: state.live.receiver_count() as i64,
        printers: detail
            .printers
            .iter()
            .map(|p| (p.name.clone(), p.online, p.queued))
            .collect(),
        devices: detail
            .devices
            .iter()
            .map(|d| (d.name.clone(), d.connected))
            .collect(),
        sms_waiting: detail.sms_waiting,
        backup_last_seconds: detail.last_backup.as_ref().map(|b| b.taken_at_ms / 1000),
        backup_failing: detail.backup_failure.is_some(),
        disk_free_bytes: detail.disk_free_bytes,
    };
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.encode(&gauges),
    )
        .into_response())
}
