//! Serial devices (customer pole displays, barcode scanners) on the database: their setup,
//! with the live state their workers keep (`crate::workers::serial`).

use crate::services::{ServiceError, ServiceResult};
use crate::state::DeviceStates;
use app::api::{DeviceKind, SerialDevice, SerialDeviceChange};
use sqlx::SqliteConnection;

/// Baud rates a device (or a serial printer) may be set to.
pub const BAUD_RATES: [i64; 8] = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];

/// Whether `port` names a serial port: an absolute device path, or `COMn` on Windows.
pub fn is_port(port: &str) -> bool {
    let windows = port
        .strip_prefix("COM")
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    (port.starts_with('/') && port.len() <= 200 && !port.contains('\0')) || windows
}

/// A device switched on, as its worker runs it.
#[derive(Clone, Debug, PartialEq)]
pub struct ActiveDevice {
    pub id: String,
    pub name: String,
    pub kind: DeviceKind,
    pub port: String,
    pub baud: i64,
}

/// Every device switched on: what the serial supervisor keeps running.
pub async fn active(conn: &mut SqliteConnection) -> ServiceResult<Vec<ActiveDevice>> {
    Ok(sqlx::query_as!(
        ActiveDevice,
        r#"SELECT id AS "id!", name, kind AS "kind: DeviceKind", port, baud
           FROM serial_devices WHERE active = 1"#
    )
    .fetch_all(conn)
    .await?)
}

/// Every serial device (or only the one `only` names) with its state as its worker keeps it.
pub async fn list(
    conn: &mut SqliteConnection,
    states: &DeviceStates,
    only: Option<&str>,
) -> ServiceResult<Vec<SerialDevice>> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", name, kind AS "kind: DeviceKind", port, baud, active AS "active: bool"
           FROM serial_devices WHERE ?1 IS NULL OR id = ?1 ORDER BY name"#,
        only
    )
    .fetch_all(&mut *conn)
    .await?;
    let states = states.lock().unwrap().clone();
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
fn check(change: &SerialDeviceChange, creating: bool) -> ServiceResult<()> {
    let name = change.name.as_deref().map(str::trim);
    if name.is_some_and(|n| n.is_empty() || n.chars().count() > 40) || (creating && name.is_none())
    {
        return Err(ServiceError::invalid(
            "name",
            "a device's name is 1 to 40 characters",
        ));
    }
    if creating && change.kind.is_none() {
        return Err(ServiceError::invalid("kind", "pole_display or scanner"));
    }
    let port = change.port.as_deref().map(str::trim);
    if port.is_some_and(|p| !is_port(p)) || (creating && port.is_none()) {
        return Err(ServiceError::invalid(
            "port",
            "the serial port's path, e.g. /dev/ttyUSB0",
        ));
    }
    if change.baud.is_some_and(|b| !BAUD_RATES.contains(&b)) {
        return Err(ServiceError::invalid(
            "baud",
            "one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200",
        ));
    }
    Ok(())
}

/// Adds a serial device; the caller wakes the workers after the commit.
pub async fn add(
    conn: &mut SqliteConnection,
    states: &DeviceStates,
    new: &SerialDeviceChange,
) -> ServiceResult<SerialDevice> {
    check(new, true)?;
    let id = uuid::Uuid::now_v7().to_string();
    let (name, port) = (
        new.name.as_deref().map(str::trim),
        new.port.as_deref().map(str::trim),
    );
    let (baud, active) = (new.baud.unwrap_or(9600), new.active.unwrap_or(true));
    sqlx::query!(
        "INSERT INTO serial_devices (id, name, kind, port, baud, active) VALUES (?, ?, ?, ?, ?, ?)",
        id,
        name,
        new.kind,
        port,
        baud,
        active
    )
    .execute(&mut *conn)
    .await?;
    Ok(list(conn, states, Some(&id)).await?.remove(0))
}

/// Changes a device's setup (name, kind, port, baud, on/off); the caller wakes the workers
/// after the commit, and its worker restarts with it.
pub async fn change(
    conn: &mut SqliteConnection,
    states: &DeviceStates,
    id: &str,
    change: &SerialDeviceChange,
) -> ServiceResult<SerialDevice> {
    check(change, false)?;
    let (name, port) = (
        change.name.as_deref().map(str::trim),
        change.port.as_deref().map(str::trim),
    );
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
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(ServiceError::NotFound(format!("no device {id}")));
    }
    Ok(list(conn, states, Some(id)).await?.remove(0))
}
