//! What the health check and `/metrics` read from the database: the printers and their
//! queues, the serial devices (their state kept by their worker), the texts waiting, the
//! open orders, and when the venue began (a box set up an hour ago is not warned about
//! backups).

use crate::services::{devices, printers, ServiceResult};
use crate::state::DeviceStates;
use app::api::{DeviceHealth, PrinterHealth};
use sqlx::SqliteConnection;

/// The workers' side of the box.
pub struct Workers {
    pub printers: Vec<PrinterHealth>,
    pub devices: Vec<DeviceHealth>,
    pub sms_waiting: i64,
    pub sms_failed: i64,
    pub orders_open: i64,
    /// When the first staff member was added: the venue's first day.
    pub since_ms: i64,
}

pub async fn workers(conn: &mut SqliteConnection, states: &DeviceStates) -> ServiceResult<Workers> {
    let printers = printers::list(conn, None)
        .await?
        .into_iter()
        .filter(|p| p.active)
        .map(|p| PrinterHealth {
            name: p.name,
            online: p.online,
            queued: p.waiting,
        })
        .collect();
    let devices = devices::list(conn, states, None)
        .await?
        .into_iter()
        .filter(|d| d.active)
        .map(|d| DeviceHealth {
            name: d.name,
            connected: d.connected,
            error: d.last_error,
        })
        .collect();
    let counts = sqlx::query!(
        r#"SELECT (SELECT COUNT(*) FROM sms_outbox WHERE status = 'queued' OR status = 'sending') AS "waiting!: i64",
                  (SELECT COUNT(*) FROM sms_outbox WHERE status = 'failed') AS "failed!: i64",
                  (SELECT COUNT(*) FROM orders WHERE closed_at IS NULL) AS "open!: i64",
                  (SELECT COALESCE(MIN(created_at), 0) FROM staff) AS "since!: i64""#
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Workers {
        printers,
        devices,
        sms_waiting: counts.waiting,
        sms_failed: counts.failed,
        orders_open: counts.open,
        since_ms: counts.since,
    })
}
