//! Putting jobs on the durable print queue, always in the caller's transaction, so a
//! ticket, bill, report or drawer pulse is queued exactly when the change that asks for it
//! commits. The printer workers (`crate::workers::print`) take them from there; callers
//! wake them after their commit.

use crate::db::direct::{sql, Conn};
use crate::db::now_ms;
use crate::services::{on, ServiceError, ServiceResult};
use app::domain::{OrderId, StationId, TicketId};
use sqlx::{SqliteConnection, SqlitePool};

/// Queues `ticket` on every active printer of `station`, in the caller's transaction;
/// returns the new jobs' ids.
pub fn queue_ticket(
    conn: &Conn,
    ticket: TicketId,
    station: &StationId,
    reprint: bool,
) -> ServiceResult<Vec<String>> {
    let printers: Vec<String> = sql!(
        conn,
        r#"SELECT p.id AS "id!" FROM printers p JOIN printer_stations ps ON ps.printer_id = p.id
           WHERE ps.station_id = ? AND p.active = 1"#,
        station
    )
    .rows(|r| r.get(0))?;
    insert_jobs(conn, &printers, Job::Ticket(ticket), reprint)
}

/// `queue_ticket` from code still on sqlx.
pub async fn queue_ticket_async(
    conn: &mut SqliteConnection,
    ticket: TicketId,
    station: &StationId,
    reprint: bool,
) -> ServiceResult<Vec<String>> {
    on(conn, |c| queue_ticket(c, ticket, station, reprint)).await
}

/// What a job prints.
#[derive(Clone)]
enum Job {
    Ticket(TicketId),
    Bill(OrderId),
    DrawerPulse,
    /// An X or Z report, as JSON: the job prints the figures as they were when taken.
    Report(String),
}

/// Queues a pulse that opens the cash drawer on `printer`; returns the job's id.
pub fn queue_drawer(conn: &Conn, printer: &str) -> ServiceResult<String> {
    let printers = [printer.to_owned()];
    let mut ids = insert_jobs(conn, &printers, Job::DrawerPulse, false)?;
    Ok(ids.remove(0))
}

/// `queue_drawer` from code still on sqlx.
pub async fn queue_drawer_async(
    conn: &mut SqliteConnection,
    printer: &str,
) -> ServiceResult<String> {
    on(conn, |c| queue_drawer(c, printer)).await
}

/// Opens the drawer for a cash payment: on the active drawer printer that prints bills,
/// else on any active drawer printer. None when the venue has no drawer.
pub fn queue_cash_drawer(conn: &Conn) -> ServiceResult<Option<String>> {
    let printer: Option<String> = sql!(
        conn,
        r#"SELECT id AS "id!" FROM printers WHERE has_drawer = 1 AND active = 1
           ORDER BY prints_bills DESC, name LIMIT 1"#
    )
    .scalar_optional()?;
    match printer {
        Some(printer) => Ok(Some(queue_drawer(conn, &printer)?)),
        None => Ok(None),
    }
}

/// `queue_cash_drawer` from code still on sqlx.
pub async fn queue_cash_drawer_async(conn: &mut SqliteConnection) -> ServiceResult<Option<String>> {
    on(conn, queue_cash_drawer).await
}

/// One queued job per printer, all due now; returns their ids.
fn insert_jobs(
    conn: &Conn,
    printers: &[String],
    what: Job,
    reprint: bool,
) -> ServiceResult<Vec<String>> {
    let (kind, ticket, order, report) = match what {
        Job::Ticket(t) => ("kitchen_ticket", Some(t), None, None),
        Job::Bill(o) => ("bill", None, Some(o), None),
        Job::DrawerPulse => ("drawer_pulse", None, None, None),
        Job::Report(json) => ("report", None, None, Some(json)),
    };
    let now = now_ms();
    let mut jobs = Vec::with_capacity(printers.len());
    for printer in printers {
        let job = uuid::Uuid::now_v7().to_string();
        sql!(
            conn,
            "INSERT INTO print_jobs (id, printer_id, kind, ticket_id, order_id, report_json, reprint, created_at, next_attempt_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            job,
            printer,
            kind,
            ticket,
            order,
            report,
            reprint,
            now,
            now
        )
        .execute()?;
        jobs.push(job);
    }
    Ok(jobs)
}

/// Queues the bill of `order` on every active printer that prints bills, in the caller's
/// transaction; returns the new jobs' ids (none when no printer prints bills).
pub async fn queue_bill(
    conn: &mut SqliteConnection,
    order: OrderId,
    reprint: bool,
) -> ServiceResult<Vec<String>> {
    let printers = receipt_printers(conn).await?;
    on(conn, |c| {
        insert_jobs(c, &printers, Job::Bill(order), reprint)
    })
    .await
}

/// Queues an X or Z report on every active printer that prints bills.
pub async fn queue_report(
    conn: &mut SqliteConnection,
    report: &app::domain::cash_day::Report,
) -> ServiceResult<Vec<String>> {
    let printers = receipt_printers(conn).await?;
    let json = serde_json::to_string(report).map_err(|e| ServiceError::Internal(e.to_string()))?;
    on(conn, |c| {
        insert_jobs(c, &printers, Job::Report(json), false)
    })
    .await
}

async fn receipt_printers(conn: &mut SqliteConnection) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM printers WHERE prints_bills = 1 AND active = 1 ORDER BY name"#
    )
    .fetch_all(conn)
    .await
}

/// The newest job's rowid (0 for none): where the dispatcher starts.
pub async fn newest_job(db: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(r#"SELECT COALESCE(MAX(rowid), 0) AS "newest!: i64" FROM print_jobs"#)
        .fetch_one(db)
        .await
}

/// The printers with jobs queued after `after` (a `print_jobs` rowid), and the newest
/// such rowid: what the dispatcher wakes. Jobs are never deleted, so rowids only grow. A
/// lookup by rowid, read in place (`Db::read`): it runs after every commit that queued
/// jobs, so it reads only the new jobs. (With `GROUP BY printer_id` SQLite walked the
/// whole `print_jobs_queue` index instead, every job ever printed, after every send.)
pub fn printers_with_jobs_after(conn: &Conn, after: i64) -> rusqlite::Result<(Vec<String>, i64)> {
    let rows: Vec<(String, i64)> = sql!(
        conn,
        r#"SELECT printer_id AS "printer_id!", rowid AS "job!: i64"
           FROM print_jobs WHERE rowid > ? ORDER BY rowid"#,
        after
    )
    .rows(|r| Ok((r.get(0)?, r.get(1)?)))?;
    let newest = rows.last().map_or(after, |r| r.1);
    let mut printers: Vec<String> = rows.into_iter().map(|r| r.0).collect();
    printers.sort_unstable();
    printers.dedup();
    Ok((printers, newest))
}
