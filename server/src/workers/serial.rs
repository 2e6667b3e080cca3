//! Serial devices (tokio-serial): customer pole displays and barcode scanners.
//!
//! A supervisor keeps one task per active row of `serial_devices`, starting, stopping or
//! restarting tasks as managers change the setup (no server restart needed). Each task
//! opens its port and, when the device disappears (unplugged, powered off), reports it and
//! tries again every second until it is back. The state of every device is kept here and
//! announced with a `device_changed` event whenever it changes.
//!
//! - A scanner's codes (one per line) are looked up by barcode and published as `Scan`s to
//!   the counter screens (`GET /api/v1/scans`).
//! - A pole display shows the last item and the total of the takeaway order last changed,
//!   and "Thank you" once it is paid or handed over (`crate::pole_display`).
//!
//! Serial receipt printers are printers like any other (`crate::workers::print`).

use crate::db::now_ms;
use crate::pole_display;
use crate::services::devices::{self, ActiveDevice as Device};
use crate::services::events::{self, Subject};
use crate::services::{orders, venue, ServiceError, ServiceResult};
use crate::state::{AppState, DeviceState};
use app::api::{DeviceKind, EventKind, LiveEvent, Scan};
use app::domain::orders::LineStatus;
use app::domain::scanning::normalize_code;
use std::collections::HashMap;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use tokio_serial::{SerialPortBuilderExt, SerialStream};
use tracing::{info, warn};

const RECONNECT_EVERY: Duration = Duration::from_secs(1);

impl DeviceState {
    fn connected() -> Self {
        DeviceState {
            connected: true,
            last_error: None,
        }
    }
}

/// Starts the supervisor.
pub fn start(state: AppState) {
    tokio::spawn(supervise(state));
}

async fn supervise(state: AppState) {
    let mut running: HashMap<String, (Device, JoinHandle<()>)> = HashMap::new();
    loop {
        match load_devices(&state).await {
            Ok(devices) => {
                running.retain(|id, (device, task)| {
                    let keep = devices.contains(device);
                    if !keep {
                        task.abort();
                        state.devices.lock().unwrap().remove(id);
                    }
                    keep
                });
                for device in devices {
                    if !running.contains_key(&device.id) {
                        info!(device = %device.name, port = %device.port, "serial device starts");
                        let task = tokio::spawn(run_device(state.clone(), device.clone()));
                        running.insert(device.id.clone(), (device, task));
                    }
                }
            }
            Err(e) => warn!(error = %e, "cannot read the serial devices"),
        }
        let _ = tokio::time::timeout(Duration::from_secs(2), state.devices_wake.notified()).await;
    }
}

async fn load_devices(state: &AppState) -> ServiceResult<Vec<Device>> {
    devices::active(&mut *state.db.reader.acquire().await?).await
}

/// Records a device's state; tells the screens when it changed.
async fn report(state: &AppState, device: &Device, now: DeviceState) {
    let changed = {
        let mut states = state.devices.lock().unwrap();
        let before = states.insert(device.id.clone(), now.clone());
        before.as_ref() != Some(&now)
    };
    if !changed {
        return;
    }
    match &now.last_error {
        None => info!(device = %device.name, "serial device connected"),
        Some(e) => warn!(device = %device.name, error = %e, "serial device not connected"),
    }
    let announced = state
        .write(|conn| {
            Box::pin(async move {
                let subject = Subject {
                    order_id: None,
                    table_id: None,
                    station_ids: &[],
                };
                let kind = EventKind::DeviceChanged;
                Ok::<_, ServiceError>(vec![events::append_system(conn, kind, subject).await?])
            })
        })
        .await;
    if let Err(e) = announced {
        warn!(error = %e, "could not announce the device's state");
    }
}

/// Keeps one device connected for as long as the task lives.
async fn run_device(state: AppState, device: Device) {
    loop {
        let opened = tokio_serial::new(&device.port, device.baud as u32)
            .timeout(Duration::from_secs(1))
            .open_native_async();
        let lost = match opened {
            Ok(port) => {
                report(&state, &device, DeviceState::connected()).await;
                match device.kind {
                    DeviceKind::Scanner => read_scans(&state, &device, port).await,
                    DeviceKind::PoleDisplay => drive_display(&state, port).await,
                }
            }
            Err(e) => format!("cannot open {}: {e}", device.port),
        };
        let down = DeviceState {
            connected: false,
            last_error: Some(lost),
        };
        report(&state, &device, down).await;
        tokio::time::sleep(RECONNECT_EVERY).await;
    }
}

/// Reads codes, one per line, until the port fails; returns why.
async fn read_scans(state: &AppState, device: &Device, mut port: SerialStream) -> String {
    let mut buffer = [0u8; 256];
    let mut line = Vec::new();
    loop {
        let n = match port.read(&mut buffer).await {
            Ok(0) => return format!("{} went away", device.port),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => continue,
            Err(e) => return format!("{} went away: {e}", device.port),
        };
        for &byte in &buffer[..n] {
            if byte == b'\r' || byte == b'\n' {
                let raw = String::from_utf8_lossy(&line).into_owned();
                line.clear();
                if let Some(code) = normalize_code(&raw) {
                    publish_scan(state, device, code).await;
                }
            } else if line.len() < 256 {
                line.push(byte);
            }
        }
    }
}

async fn publish_scan(state: &AppState, device: &Device, code: String) {
    let product = match state.db.reader.acquire().await {
        Ok(mut conn) => venue::product_by_barcode(&mut conn, &code).await,
        Err(e) => Err(e.into()),
    }
    .unwrap_or_else(|e| {
        warn!(error = %e, "barcode lookup");
        None
    });
    info!(device = %device.name, %code, found = product.is_some(), "scan");
    let _ = state.scans.send(Scan {
        device_id: device.id.clone(),
        device_name: device.name.clone(),
        product_id: product.as_ref().map(|(id, _)| *id),
        product_name: product.map(|(_, name)| name),
        code,
        at_ms: now_ms(),
    });
}

/// Shows the takeaway orders as they change until the port fails; returns why.
async fn drive_display(state: &AppState, port: SerialStream) -> String {
    let mut live = state.live.subscribe();
    let (mut reader, mut writer) = tokio::io::split(port);
    let welcome = pole_display::screen("", "Welcome");
    if let Err(e) = writer.write_all(&welcome).await {
        return format!("cannot write: {e}");
    }
    let mut ignored = [0u8; 64];
    loop {
        tokio::select! {
            // A display sends nothing; a read only returns when the device goes away.
            read = reader.read(&mut ignored) => match read {
                Ok(0) => return "the display went away".into(),
                Err(e) if e.kind() != std::io::ErrorKind::TimedOut => {
                    return format!("the display went away: {e}")
                }
                _ => {}
            },
            event = live.recv() => {
                let event = match event {
                    Ok(event) => event,
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return "shutting down".into(),
                };
                if let Some(bytes) = display_for(state, &event).await {
                    if let Err(e) = writer.write_all(&bytes).await {
                        return format!("cannot write: {e}");
                    }
                    let _ = writer.flush().await;
                }
            }
        }
    }
}

/// What the display should show after `event`, if it is about a takeaway order.
async fn display_for(state: &AppState, event: &LiveEvent) -> Option<Vec<u8>> {
    let order = event.order_id.filter(|_| event.table_id.is_none())?;
    if !matches!(
        event.kind,
        EventKind::LinesAdded
            | EventKind::LinesServed
            | EventKind::OrderSent
            | EventKind::PaymentTaken
    ) {
        return None;
    }
    let mut conn = state.db.reader.acquire().await.ok()?;
    let order = orders::load_order_async(&mut conn, order).await.ok()?;
    order.takeaway.as_ref()?;
    let venue = venue::load_venue_async(&mut conn).await.ok()?;
    let handed_over = order
        .lines
        .iter()
        .filter(|l| l.status != LineStatus::Void)
        .all(|l| l.status == LineStatus::Served);
    let paid =
        !order.payments.is_empty() && order.left_to_pay(venue.tax_mode, venue.tax_rounding) <= 0;
    if (handed_over || paid) && !order.lines.is_empty() {
        Some(pole_display::thank_you(&venue.name))
    } else {
        pole_display::for_order(&order, &venue.currency)
    }
}
