//! Printers on the database: their state for every screen ("Kitchen offline, 3 tickets
//! waiting") and their setup for managers. Printing itself is the printer workers'
//! (`crate::workers::print`); callers wake them after their commit.

use crate::services::devices::{is_port, BAUD_RATES};
use crate::services::events::{self, Subject};
use crate::services::{ServiceError, ServiceResult};
use app::api::{EventKind, LiveEvent, PrinterChange, PrinterStatus};
use app::domain::StationId;
use sqlx::SqliteConnection;

/// Every printer's id, switched off or not: each has a worker.
pub async fn all_ids(db: &sqlx::SqlitePool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT id AS "id!" FROM printers"#)
        .fetch_all(db)
        .await
}

/// Every printer (or only the one `only` names) with its state and queue.
pub async fn list(
    conn: &mut SqliteConnection,
    only: Option<&str>,
) -> ServiceResult<Vec<PrinterStatus>> {
    let rows = sqlx::query!(
        r#"SELECT p.id AS "id!", p.name, p.connection, p.columns, p.code_page, p.has_drawer AS "has_drawer: bool",
                  p.prints_bills AS "prints_bills: bool", p.supports_qr AS "supports_qr: bool", p.active AS "active: bool",
                  (SELECT COUNT(*) FROM print_jobs j WHERE j.printer_id = p.id AND j.status IN ('queued', 'sending')) AS "waiting!: i64",
                  (SELECT j.last_error FROM print_jobs j WHERE j.printer_id = p.id AND j.status IN ('queued', 'sending')
                   ORDER BY j.created_at, j.id LIMIT 1) AS "last_error?: String",
                  EXISTS (SELECT 1 FROM print_jobs j WHERE j.printer_id = p.id AND j.status = 'done') AS "printed_before!: bool"
           FROM printers p WHERE ?1 IS NULL OR p.id = ?1 ORDER BY p.name"#,
        only
    )
    .fetch_all(&mut *conn)
    .await?;
    let links = sqlx::query!(r#"SELECT printer_id AS "printer_id!", station_id AS "station_id: StationId" FROM printer_stations"#)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| PrinterStatus {
            station_ids: links
                .iter()
                .filter(|l| l.printer_id == r.id)
                .map(|l| l.station_id.clone())
                .collect(),
            online: r.last_error.is_none(),
            id: r.id,
            name: r.name,
            connection: r.connection,
            columns: r.columns,
            code_page: r.code_page,
            has_drawer: r.has_drawer,
            prints_bills: r.prints_bills,
            supports_qr: r.supports_qr,
            active: r.active,
            waiting: r.waiting,
            last_error: r.last_error,
            printed_before: r.printed_before,
        })
        .collect())
}

async fn one_printer(conn: &mut SqliteConnection, id: &str) -> ServiceResult<PrinterStatus> {
    list(conn, Some(id))
        .await?
        .pop()
        .ok_or_else(|| ServiceError::NotFound(format!("no printer {id}")))
}

/// Checks a change's fields; `creating` requires a name and a connection.
async fn check(
    conn: &mut SqliteConnection,
    change: &PrinterChange,
    creating: bool,
) -> ServiceResult<()> {
    if creating && (change.name.is_none() || change.connection.is_none()) {
        let field = if change.name.is_none() {
            "name"
        } else {
            "connection"
        };
        return Err(ServiceError::invalid(
            field,
            "a new printer needs a name and a connection",
        ));
    }
    if let Some(name) = &change.name {
        if name.trim().is_empty() || name.chars().count() > 40 {
            return Err(ServiceError::invalid(
                "name",
                "a printer's name is 1 to 40 characters",
            ));
        }
    }
    if let Some(connection) = &change.connection {
        let tcp = connection.strip_prefix("tcp://").is_some_and(|addr| {
            addr.rsplit_once(':')
                .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok())
        });
        if !tcp && !is_port(connection) {
            return Err(ServiceError::invalid(
                "connection",
                "use tcp://host:port (e.g. tcp://192.168.1.50:9100) or a serial port (e.g. /dev/ttyUSB0)",
            ));
        }
    }
    if change.baud.is_some_and(|b| !BAUD_RATES.contains(&b)) {
        return Err(ServiceError::invalid(
            "baud",
            "one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200",
        ));
    }
    if change.columns.is_some_and(|c| c != 32 && c != 48) {
        return Err(ServiceError::invalid(
            "columns",
            "32 (58 mm paper) or 48 (80 mm)",
        ));
    }
    if change
        .code_page
        .as_deref()
        .is_some_and(|c| crate::printing::page_code(c).is_none())
    {
        return Err(ServiceError::invalid(
            "code_page",
            "one of CP437, CP737, CP858, CP866, CP1252",
        ));
    }
    for station in change.station_ids.iter().flatten() {
        if !crate::services::venue::station_exists(conn, station).await? {
            return Err(ServiceError::invalid(
                "station_ids",
                format!("no station \"{station}\""),
            ));
        }
    }
    Ok(())
}

/// Replaces the stations a printer prints for, when the change names them.
async fn set_stations(
    conn: &mut SqliteConnection,
    id: &str,
    change: &PrinterChange,
) -> ServiceResult<()> {
    let Some(stations) = &change.station_ids else {
        return Ok(());
    };
    sqlx::query!("DELETE FROM printer_stations WHERE printer_id = ?", id)
        .execute(&mut *conn)
        .await?;
    for station in stations {
        sqlx::query!(
            "INSERT OR IGNORE INTO printer_stations (printer_id, station_id) VALUES (?, ?)",
            id,
            station
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Adds a printer.
pub async fn add(conn: &mut SqliteConnection, new: &PrinterChange) -> ServiceResult<PrinterStatus> {
    check(conn, new, true).await?;
    let id = uuid::Uuid::now_v7().to_string();
    let name = new.name.as_deref().map(str::trim);
    let (columns, code_page) = (
        new.columns.unwrap_or(48),
        new.code_page.as_deref().unwrap_or("CP858"),
    );
    let (has_drawer, active) = (new.has_drawer.unwrap_or(false), new.active.unwrap_or(true));
    let (prints_bills, supports_qr) = (
        new.prints_bills.unwrap_or(false),
        new.supports_qr.unwrap_or(true),
    );
    sqlx::query!(
        "INSERT INTO printers (id, name, connection, baud, columns, code_page, has_drawer, prints_bills, supports_qr, active)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        id,
        name,
        new.connection,
        new.baud,
        columns,
        code_page,
        has_drawer,
        prints_bills,
        supports_qr,
        active
    )
    .execute(&mut *conn)
    .await?;
    set_stations(conn, &id, new).await?;
    one_printer(conn, &id).await
}

/// Changes a printer's setup; its waiting jobs are due at once with the new setup.
pub async fn change(
    conn: &mut SqliteConnection,
    id: &str,
    change: &PrinterChange,
) -> ServiceResult<PrinterStatus> {
    check(conn, change, false).await?;
    let name = change.name.as_deref().map(str::trim);
    let updated = sqlx::query!(
        "UPDATE printers SET name = COALESCE(?, name), connection = COALESCE(?, connection), baud = COALESCE(?, baud),
                columns = COALESCE(?, columns), code_page = COALESCE(?, code_page), has_drawer = COALESCE(?, has_drawer),
                prints_bills = COALESCE(?, prints_bills), supports_qr = COALESCE(?, supports_qr),
                active = COALESCE(?, active) WHERE id = ?",
        name,
        change.connection,
        change.baud,
        change.columns,
        change.code_page,
        change.has_drawer,
        change.prints_bills,
        change.supports_qr,
        change.active,
        id
    )
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(ServiceError::NotFound(format!("no printer {id}")));
    }
    set_stations(conn, id, change).await?;
    let now = crate::db::now_ms();
    sqlx::query!(
        "UPDATE print_jobs SET next_attempt_at = ? WHERE printer_id = ? AND status IN ('queued', 'sending')",
        now,
        id
    )
    .execute(&mut *conn)
    .await?;
    one_printer(conn, id).await
}

/// Records that `printer` went offline or came back, for the screens of its stations;
/// returns the event to publish.
pub async fn announce(conn: &mut SqliteConnection, printer: &str) -> ServiceResult<Vec<LiveEvent>> {
    let stations = sqlx::query_scalar!(
        r#"SELECT station_id AS "s: StationId" FROM printer_stations WHERE printer_id = ?"#,
        printer
    )
    .fetch_all(&mut *conn)
    .await?;
    let subject = Subject {
        order_id: None,
        table_id: None,
        station_ids: &stations,
    };
    Ok(vec![
        events::append_system(conn, EventKind::PrinterChanged, subject).await?,
    ])
}
