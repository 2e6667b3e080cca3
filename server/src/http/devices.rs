//! Serial devices: their setup and live state, and the stream of scanner reads for the
//! counter screens.

use crate::error::{ApiError, ApiResult};
use crate::http::auth::Session;
use crate::http::extract::{Json, Path, Query};
use crate::serial_worker::{is_port, BAUD_RATES};
use crate::state::AppState;
use app::api::{ApiErrorBody, DeviceKind, Scan, SerialDevice, SerialDeviceChange};
use app::domain::staff::Role;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::Deserialize;
use sqlx::SqliteConnection;
use std::convert::Infallible;
use tokio::sync::broadcast;
use tokio_stream::wrappers::ReceiverStream;

async fn load_devices(
    state: &AppState,
    conn: &mut SqliteConnection,
    only: Option<&str>,
) -> ApiResult<Vec<SerialDevice>> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", name, kind AS "kind: DeviceKind", port, baud, active AS "active: bool"
           FROM serial_devices WHERE ?1 IS NULL OR id = ?1 ORDER BY name"#,
        only
    )
    .fetch_all(&mut *conn)
    .await?;
    let states = state.devices.lock().unwrap().clone();
    Ok(rows
        .into_iter()
        .map(|r| {
            let now = states.get(&r.id).cloned().unwrap_or_default();
            let last_error = match (r.active, now.last_error) {
                (false, _) => Some("switched off".to_owned()),
                (true, None) if !now.connected => Some("starting".to_owned()),
                (true, error) => error,
            };
            SerialDevice {
                id: r.id,
                name: r.name,
                kind: r.kind,
                port: r.port,
                baud: r.baud,
                active: r.active,
                connected: now.connected,
                last_error,
            }
        })
        .collect())
}

/// Checks a change's fields; `creating` requires name, kind and port.
fn check(change: &SerialDeviceChange, creating: bool) -> ApiResult<()> {
    let name = change.name.as_deref().map(str::trim);
    if name.is_some_and(|n| n.is_empty() || n.chars().count() > 40) || (creating && name.is_none())
    {
        return Err(ApiError::invalid(
            "name",
            "a device's name is 1 to 40 characters",
        ));
    }
    if creating && change.kind.is_none() {
        return Err(ApiError::invalid("kind", "pole_display or scanner"));
    }
    let port = change.port.as_deref().map(str::trim);
    if port.is_some_and(|p| !is_port(p)) || (creating && port.is_none()) {
        return Err(ApiError::invalid(
            "port",
            "the serial port's path, e.g. /dev/ttyUSB0",
        ));
    }
    if change.baud.is_some_and(|b| !BAUD_RATES.contains(&b)) {
        return Err(ApiError::invalid(
            "baud",
            "one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200",
        ));
    }
    Ok(())
}

/// Every serial device with its state.
#[utoipa::path(get, path = "/api/v1/devices", tag = "devices", security(("token" = [])),
    responses((status = 200, body = Vec<SerialDevice>), (status = 401, body = ApiErrorBody)))]
pub async fn list_devices(
    State(state): State<AppState>,
    _session: Session,
) -> ApiResult<Json<Vec<SerialDevice>>> {
    let mut conn = state.db.reader.acquire().await?;
    Ok(Json(load_devices(&state, &mut conn, None).await?))
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
    check(&new, true)?;
    let id = uuid::Uuid::now_v7().to_string();
    let (name, port) = (
        new.name.as_deref().map(str::trim),
        new.port.as_deref().map(str::trim),
    );
    let (baud, active) = (new.baud.unwrap_or(9600), new.active.unwrap_or(true));
    let mut tx = state.db.writer.begin().await?;
    sqlx::query!(
        "INSERT INTO serial_devices (id, name, kind, port, baud, active) VALUES (?, ?, ?, ?, ?, ?)",
        id,
        name,
        new.kind,
        port,
        baud,
        active
    )
    .execute(&mut *tx)
    .await?;
    let device = load_devices(&state, &mut tx, Some(&id)).await?.remove(0);
    tx.commit().await?;
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
    check(&change, false)?;
    let (name, port) = (
        change.name.as_deref().map(str::trim),
        change.port.as_deref().map(str::trim),
    );
    let mut tx = state.db.writer.begin().await?;
    let updated = sqlx::query!(
        "UPDATE serial_devices SET name = COALESCE(?, name), kind = COALESCE(?, kind), port = COALESCE(?, port),
                baud = COALESCE(?, baud), active = COALESCE(?, active) WHERE id = ?",
        name,
        change.kind,
        port,
        change.baud,
        change.active,
        id
    )
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(ApiError::NotFound(format!("no device {id}")));
    }
    let device = load_devices(&state, &mut tx, Some(&id)).await?.remove(0);
    tx.commit().await?;
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
    let ends = crate::sessions::ends(state.clone(), session.token_sha256);
    tokio::spawn(async move {
        tokio::pin!(ends);
        loop {
            let scan = tokio::select! {
                scan = scans.recv() => scan,
                () = tx.closed() => return,
                () = &mut ends => return,
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
