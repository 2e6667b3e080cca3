//! Serial devices: their setup and live state (rules and SQL in `crate::services::devices`), and the
//! stream of scanner reads for the counter screens.

use crate::http::auth::Session;
use crate::http::error::ApiResult;
use crate::http::extract::{Json, Path, Query};
use crate::services::devices;
use crate::state::AppState;
use app::api::{ApiErrorBody, Scan, SerialDevice, SerialDeviceChange};
use app::domain::staff::Role;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::Deserialize;
use std::convert::Infallible;
use tokio::sync::broadcast;
use tokio_stream::wrappers::ReceiverStream;

/// Every serial device with its state.
#[utoipa::path(get, path = "/api/v1/devices", tag = "devices", security(("token" = [])),
    responses((status = 200, body = Vec<SerialDevice>), (status = 401, body = ApiErrorBody)))]
pub async fn list_devices(
    State(state): State<AppState>,
    _session: Session,
) -> ApiResult<Json<Vec<SerialDevice>>> {
    let mut conn = state.db.reader.acquire().await?;
    Ok(Json(devices::list(&mut conn, &state.devices, None).await?))
}

/// Add a serial device; its worker starts within moments.
#[utoipa::path(post, path = "/api/v1/devices", tag = "devices", security(("token" = [])),
    request_body = SerialDeviceChange,
    responses((status = 201, body = SerialDevice), (status = 403, body = ApiErrorBody),
        (status = 422, description = "A field's value is not acceptable", body = ApiErrorBody)))]
pub async fn add_device(
    State(state): State<AppState>,
    session: Session,
    Json(new): Json<SerialDeviceChange>,
) -> ApiResult<(StatusCode, Json<SerialDevice>)> {
    session.require(Role::manages, "set up devices")?;
    let devices = state.devices.clone();
    let device = state
        .write_quiet(move |conn| Box::pin(async move { devices::add(conn, &devices, &new).await }))
        .await?;
    state.devices_wake.notify_waiters();
    tracing::info!(device = %device.name, by = %session.staff.name, "serial device added");
    Ok((StatusCode::CREATED, Json(device)))
}

/// Change a device's setup (name, kind, port, baud, on/off); its worker restarts with it.
#[utoipa::path(patch, path = "/api/v1/devices/{device_id}", tag = "devices", security(("token" = [])),
    params(("device_id" = String, Path)), request_body = SerialDeviceChange,
    responses((status = 200, body = SerialDevice), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 422, description = "A field's value is not acceptable", body = ApiErrorBody)))]
pub async fn change_device(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Json(change): Json<SerialDeviceChange>,
) -> ApiResult<Json<SerialDevice>> {
    session.require(Role::manages, "set up devices")?;
    let devices = state.devices.clone();
    let device = state
        .write_quiet(move |conn| {
            Box::pin(async move { devices::change(conn, &devices, &id, &change).await })
        })
        .await?;
    state.devices_wake.notify_waiters();
    Ok(Json(device))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ScanParams {
    /// A stream ticket from `POST /api/v1/stream-tickets` (EventSource cannot send an
    /// Authorization header).
    #[allow(dead_code)]
    ticket: Option<String>,
}

/// Codes read by serial scanners as `text/event-stream`, each `data:` a `Scan`. Scans are
/// input, not history: a screen that was not listening does not get them later.
#[utoipa::path(get, path = "/api/v1/scans", tag = "devices", security(("token" = [])), params(ScanParams),
    responses((status = 200, description = "An endless SSE stream of Scan", body = Scan, content_type = "text/event-stream"),
        (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn scans(
    State(state): State<AppState>,
    session: Session,
    Query(_params): Query<ScanParams>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    session.require(Role::takes_orders, "use the counter's scanner")?;
    let mut scans = state.scans.subscribe();
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    let ends = crate::services::sessions::ends(state.clone(), session.token_sha256);
    tokio::spawn(async move {
        tokio::pin!(ends);
        let stopping = state.stopping();
        tokio::pin!(stopping);
        loop {
            let scan = tokio::select! {
                scan = scans.recv() => scan,
                () = tx.closed() => return,
                () = &mut ends => return,
                () = &mut stopping => return,
            };
            match scan {
                Ok(scan) => {
                    let event = Event::default().json_data(&scan).unwrap_or_default();
                    if tx.send(Ok(event)).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    });
    Ok(Sse::new(ReceiverStream::new(rx)).keep_alive(KeepAlive::default()))
}
