//! The print queue on the database, for managers: retry, cancel, re-route and reprint jobs,
//! print a bill, open a cash drawer. Printing itself is the printer workers'
//! (`crate::workers::print`); callers wake them after their commit.

use crate::db::now_ms;
use crate::services::events::{self, Subject};
use crate::services::print_queue;
use crate::services::{ServiceError, ServiceResult};
use crate::state::Announces;
use app::api::{EventKind, LiveEvent, PrintJob};
use app::domain::orders::LineStatus;
use app::domain::{OrderId, StaffId, StationId, TicketId};
use sqlx::SqliteConnection;

/// Waiting jobs, oldest first, then the last 50 finished ones; or only the job `only`. Each
/// part reads its own partial index (`print_jobs_waiting`, `print_jobs_finished`), so the
/// list costs the same after years of tickets.
pub async fn list(conn: &mut SqliteConnection, only: Option<&str>) -> ServiceResult<Vec<PrintJob>> {
    let rows = sqlx::query!(
        r#"SELECT j.id AS "id!", j.printer_id, p.name AS printer_name, j.kind, j.ticket_id AS "ticket_id: TicketId",
                  COALESCE('Table ' || dt.label, 'Takeaway ' || tk.customer_name) AS "destination?: String", o.number AS "order_number?", j.status, j.reprint AS "reprint: bool",
                  j.attempts, j.last_error, j.created_at, j.done_at
           FROM print_jobs j JOIN printers p ON p.id = j.printer_id
           LEFT JOIN tickets t ON t.id = j.ticket_id LEFT JOIN orders o ON o.id = COALESCE(t.order_id, j.order_id)
           LEFT JOIN dining_tables dt ON dt.id = o.table_id LEFT JOIN takeaways tk ON tk.order_id = o.id
           WHERE j.rowid IN (
                 SELECT rowid FROM print_jobs WHERE ?1 IS NULL AND status IN ('queued', 'sending')
                 UNION ALL SELECT rowid FROM (SELECT rowid FROM print_jobs WHERE ?1 IS NULL AND status IN ('done', 'cancelled')
                                              ORDER BY created_at DESC LIMIT 50)
                 UNION ALL SELECT rowid FROM print_jobs WHERE id = ?1)
           ORDER BY j.created_at, j.id"#,
        only
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PrintJob {
            id: r.id,
            printer_id: r.printer_id,
            printer_name: r.printer_name,
            kind: r.kind,
            ticket_id: r.ticket_id,
            destination: r.destination,
            order_number: r.order_number,
            status: r.status,
            reprint: r.reprint,
            attempts: r.attempts,
            last_error: r.last_error,
            created_at_ms: r.created_at,
            done_at_ms: r.done_at,
        })
        .collect())
}

/// One job.
pub async fn one(conn: &mut SqliteConnection, id: &str) -> ServiceResult<PrintJob> {
    list(conn, Some(id))
        .await?
        .pop()
        .ok_or_else(|| ServiceError::NotFound(format!("no print job {id}")))
}

/// These jobs (just queued), in order.
pub async fn these(conn: &mut SqliteConnection, ids: &[String]) -> ServiceResult<Vec<PrintJob>> {
    let mut jobs = Vec::with_capacity(ids.len());
    for id in ids {
        jobs.extend(list(conn, Some(id)).await?);
    }
    Ok(jobs)
}

/// Tries a waiting (or cancelled) job again now.
pub async fn retry(conn: &mut SqliteConnection, id: &str) -> ServiceResult<PrintJob> {
    let now = now_ms();
    let changed = sqlx::query!(
        "UPDATE print_jobs SET status = 'queued', next_attempt_at = ? WHERE id = ? AND status IN ('queued', 'cancelled')",
        now,
        id
    )
    .execute(&mut *conn)
    .await?;
    let job = one(conn, id).await?;
    if changed.rows_affected() == 0 && job.status != "sending" {
        return Err(ServiceError::Conflict(
            "that job printed already; reprint its ticket instead".into(),
        ));
    }
    Ok(job)
}

/// Stops a job that has not printed.
pub async fn cancel(conn: &mut SqliteConnection, id: &str) -> ServiceResult<PrintJob> {
    let changed = sqlx::query!("UPDATE print_jobs SET status = 'cancelled' WHERE id = ? AND status IN ('queued', 'sending')", id)
        .execute(&mut *conn)
        .await?;
    let job = one(conn, id).await?;
    if changed.rows_affected() == 0 && job.status != "cancelled" {
        return Err(ServiceError::Conflict("that job printed already".into()));
    }
    Ok(job)
}

/// Moves a waiting job to another active printer (the first is broken or out of paper).
pub async fn reroute(
    conn: &mut SqliteConnection,
    id: &str,
    printer_id: &str,
) -> ServiceResult<PrintJob> {
    let target = sqlx::query_scalar!(
        r#"SELECT 1 AS "one!: i64" FROM printers WHERE id = ? AND active = 1"#,
        printer_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    if target.is_none() {
        return Err(ServiceError::invalid(
            "printer_id",
            format!("no active printer {printer_id}"),
        ));
    }
    let now = now_ms();
    let changed = sqlx::query!(
        "UPDATE print_jobs SET printer_id = ?, status = 'queued', next_attempt_at = ?, last_error = NULL
         WHERE id = ? AND status IN ('queued', 'cancelled')",
        printer_id,
        now,
        id
    )
    .execute(&mut *conn)
    .await?;
    let job = one(conn, id).await?;
    if changed.rows_affected() == 0 {
        return Err(ServiceError::Conflict(format!(
            "that job is {} and cannot move",
            job.status
        )));
    }
    Ok(job)
}

/// Queues the bill of an order on the printers that print bills; the jobs' ids.
pub async fn print_bill(conn: &mut SqliteConnection, order: OrderId) -> ServiceResult<Vec<String>> {
    let order = crate::services::orders::load_order_async(conn, order).await?;
    if order.lines.iter().all(|l| l.status == LineStatus::Void) {
        return Err(ServiceError::Conflict(format!(
            "order {} has no items to bill",
            order.number
        )));
    }
    let ids = print_queue::queue_bill(conn, order.id, false).await?;
    if ids.is_empty() {
        return Err(ServiceError::Conflict(
            "no printer prints bills; a manager can choose one on the manager page".into(),
        ));
    }
    Ok(ids)
}

/// Queues a finished job (a ticket, a bill or a report) once more on the same printer,
/// marked REPRINT; the copy.
pub async fn reprint(conn: &mut SqliteConnection, id: &str) -> ServiceResult<PrintJob> {
    let job = sqlx::query!(
        "SELECT printer_id, kind, ticket_id, order_id, report_json, status FROM print_jobs WHERE id = ?",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| ServiceError::NotFound(format!("no print job {id}")))?;
    if job.kind == "drawer_pulse" || job.status != "done" {
        return Err(ServiceError::Conflict(format!(
            "only printed tickets, bills and reports are reprinted; this job is a {} that is {}",
            job.kind.replace('_', " "),
            job.status
        )));
    }
    let (copy, now) = (uuid::Uuid::now_v7().to_string(), now_ms());
    sqlx::query!(
        "INSERT INTO print_jobs (id, printer_id, kind, ticket_id, order_id, report_json, reprint, created_at, next_attempt_at)
         VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
        copy,
        job.printer_id,
        job.kind,
        job.ticket_id,
        job.order_id,
        job.report_json,
        now,
        now
    )
    .execute(&mut *conn)
    .await?;
    one(conn, &copy).await
}

/// Queues a ticket again on its station's printers, marked REPRINT; the jobs' ids.
pub async fn reprint_ticket(
    conn: &mut SqliteConnection,
    ticket: TicketId,
) -> ServiceResult<Vec<String>> {
    let station = sqlx::query_scalar!(
        r#"SELECT station_id AS "s: StationId" FROM tickets WHERE id = ?"#,
        ticket
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| ServiceError::NotFound(format!("no ticket {ticket}")))?;
    print_queue::queue_ticket_async(conn, ticket, &station, true).await
}

/// A drawer opened by hand: the pulse queued, the event to publish, the printer's name.
pub struct DrawerOpened {
    pub job: PrintJob,
    pub event: Option<LiveEvent>,
    pub printer_name: String,
}

impl Announces for DrawerOpened {
    fn take_events(&mut self) -> Vec<LiveEvent> {
        self.event.take().into_iter().collect()
    }
}

/// Queues a pulse for this printer's cash drawer, on record as opened by `by`.
/// Opens the venue's cash drawer: the one on the bill printer, else on any printer
/// switched on that has one.
pub async fn open_venue_drawer(
    conn: &mut SqliteConnection,
    by: StaffId,
) -> ServiceResult<DrawerOpened> {
    let printer = sqlx::query_scalar!(
        r#"SELECT id AS "id!" FROM printers WHERE has_drawer = 1 AND active = 1
           ORDER BY prints_bills DESC, name LIMIT 1"#
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| {
        ServiceError::Conflict(
            "no printer switched on has a cash drawer; a manager sets it up under Stations & printers".into(),
        )
    })?;
    open_drawer(conn, by, &printer).await
}

pub async fn open_drawer(
    conn: &mut SqliteConnection,
    by: StaffId,
    printer: &str,
) -> ServiceResult<DrawerOpened> {
    let row = sqlx::query!(
        r#"SELECT name, has_drawer AS "has_drawer: bool" FROM printers WHERE id = ?"#,
        printer
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| ServiceError::NotFound(format!("no printer {printer}")))?;
    if !row.has_drawer {
        return Err(ServiceError::Conflict(format!(
            "printer {} has no cash drawer",
            row.name
        )));
    }
    let id = print_queue::queue_drawer_async(conn, printer).await?;
    let subject = Subject {
        order_id: None,
        table_id: None,
        station_ids: &[],
    };
    let event = events::append_async(conn, EventKind::DrawerOpened, by, subject).await?;
    Ok(DrawerOpened {
        job: one(conn, &id).await?,
        event: Some(event),
        printer_name: row.name,
    })
}
