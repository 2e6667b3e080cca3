//! The printer workers' side of the print queue (`crate::workers::print`): a printer's
//! next job with what the worker needs of the printer, claiming it (`sending`), marking it
//! `done` or failed, and what a bill or ticket prints besides itself. Marks go through the shared
//! commit like any write, so `sending` is durable before the first byte goes out.

use crate::db::direct::{sql, Conn};
use crate::services::ServiceResult;
use app::domain::kitchen::Ticket;
use app::domain::{OrderId, TicketId};
use sqlx::SqliteConnection;

/// A printer's oldest job still to print, with its printer's setup.
pub struct NextJob {
    pub id: String,
    /// `kitchen_ticket`, `bill`, `report` or `drawer_pulse`.
    pub kind: String,
    pub ticket_id: Option<TicketId>,
    pub order_id: Option<OrderId>,
    pub report_json: Option<String>,
    /// `queued`, or `sending` when the server stopped mid-send.
    pub status: String,
    pub reprint: bool,
    pub attempts: i64,
    pub next_attempt_at: i64,
    /// `tcp://host:port` or a serial port's path.
    pub connection: String,
    pub baud: Option<i64>,
    pub columns: i64,
    pub code_page: String,
    pub supports_qr: bool,
    /// Whether the printer is switched on.
    pub active: bool,
}

/// The oldest job of `printer` that is queued or was being sent, due or not.
pub async fn next_job(
    conn: &mut SqliteConnection,
    printer: &str,
) -> ServiceResult<Option<NextJob>> {
    Ok(sqlx::query_as!(
        NextJob,
        r#"SELECT j.id AS "id!", j.kind, j.ticket_id AS "ticket_id: TicketId", j.order_id AS "order_id: OrderId", j.report_json,
                  j.status, j.reprint AS "reprint: bool", j.attempts, j.next_attempt_at, p.connection, p.baud, p.columns,
                  p.code_page, p.supports_qr AS "supports_qr: bool", p.active AS "active: bool"
           FROM print_jobs j JOIN printers p ON p.id = j.printer_id
           WHERE j.printer_id = ? AND j.status IN ('queued', 'sending')
           ORDER BY j.created_at, j.id LIMIT 1"#,
        printer
    )
    .fetch_optional(conn)
    .await?)
}

/// Claims a job for `printer` to send now (`reprint` if it may have printed before);
/// false if it was cancelled or moved to another printer since it was read, and then it
/// must not be sent.
pub async fn claim(
    conn: &mut SqliteConnection,
    job: &str,
    printer: &str,
    reprint: bool,
) -> ServiceResult<bool> {
    let claimed = sqlx::query!(
        "UPDATE print_jobs SET status = 'sending', reprint = ?, attempts = attempts + 1
         WHERE id = ? AND printer_id = ? AND status IN ('queued', 'sending')",
        reprint,
        job,
        printer
    )
    .execute(conn)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// Whether the job is still claimed (`sending`): not cancelled or moved since `claim`.
/// Asked right before its bytes go out, so a job cancelled while it was being rendered
/// does not print.
pub fn still_claimed(conn: &Conn, job: &str) -> rusqlite::Result<bool> {
    let status: Option<String> =
        sql!(conn, "SELECT status FROM print_jobs WHERE id = ?", job).scalar_optional()?;
    Ok(status.as_deref() == Some("sending"))
}

/// Marks a job printed, unless it was cancelled while it was being sent.
pub async fn mark_done(conn: &mut SqliteConnection, job: &str, now: i64) -> ServiceResult<()> {
    sqlx::query!(
        "UPDATE print_jobs SET status = 'done', done_at = ?, last_error = NULL WHERE id = ? AND status = 'sending'",
        now,
        job
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Puts a job that failed back in the queue with its error, due again at `next_attempt_at`.
pub async fn mark_failed(
    conn: &mut SqliteConnection,
    job: &str,
    reprint: bool,
    error: &str,
    next_attempt_at: i64,
) -> ServiceResult<()> {
    sqlx::query!(
        "UPDATE print_jobs SET status = 'queued', reprint = ?, last_error = ?, next_attempt_at = ?
         WHERE id = ? AND status = 'sending'",
        reprint,
        error,
        next_attempt_at,
        job
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Who looks after the order (who it was handed to, else who opened it) and where it goes
/// ("Table 7", "Takeaway Ana"): a bill's heading.
pub async fn bill_heading(
    conn: &mut SqliteConnection,
    order: OrderId,
) -> ServiceResult<(String, String)> {
    let row = sqlx::query!(
        r#"SELECT s.name AS waiter, COALESCE('Table ' || t.label, 'Takeaway ' || k.customer_name) AS "destination!: String"
           FROM orders o JOIN staff s ON s.id = COALESCE(o.handed_to, o.opened_by) LEFT JOIN dining_tables t ON t.id = o.table_id
           LEFT JOIN takeaways k ON k.order_id = o.id WHERE o.id = ?"#,
        order
    )
    .fetch_one(conn)
    .await?;
    Ok((row.waiter, row.destination))
}

/// The ticket's station name, and whether it follows an earlier ticket of its order at
/// that station.
pub async fn ticket_heading(
    conn: &mut SqliteConnection,
    ticket: &Ticket,
) -> ServiceResult<(String, bool)> {
    let station = sqlx::query_scalar!("SELECT name FROM stations WHERE id = ?", ticket.station_id)
        .fetch_one(&mut *conn)
        .await?;
    let earlier = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM tickets WHERE order_id = ? AND station_id = ? AND id < ?"#,
        ticket.order_id,
        ticket.station_id,
        ticket.id
    )
    .fetch_one(conn)
    .await?;
    Ok((station, earlier > 0))
}
