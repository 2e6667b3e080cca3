//! The stations' side on the database: a station's tickets, marking an item ready (and
//! taking that back), bumping and recalling tickets. Each change appends its event (and
//! `order_ready` when it finishes a takeaway order) in the caller's transaction; the
//! caller publishes them once committed.

use crate::db::direct::{sql, Conn};
use crate::db::now_ms;
use crate::services::events::{self, Subject};
use crate::services::takeaway;
use crate::services::{json_ids, json_list, on, ServiceError, ServiceResult};
use crate::state::Announces;
use app::api::{EventKind, LiveEvent};
use app::domain::kitchen::{StationTickets, Ticket, TicketLine, RECENTLY_DONE};
use app::domain::orders::LineStatus;
use app::domain::{LineId, OrderId, StaffId, StationId, TicketId};
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// Which tickets to load.
enum Which<'a> {
    /// A station's screen: its open tickets and its last bumped ones.
    Station(&'a StationId),
    /// One ticket.
    Ticket(TicketId),
}

/// The tickets `which` names, oldest first, each with its lines (its own, or for a VOID
/// ticket those it takes back) in course order.
///
/// Two statements: the tickets, then the lines of all of them (`with_lines`); the rows
/// are put together here, as an order's are (`orders::load_these`).
fn load_tickets(conn: &Conn, which: Which<'_>) -> ServiceResult<Vec<Ticket>> {
    let (mut ticket, mut station) = (None, None);
    match which {
        Which::Station(s) => station = Some(s),
        Which::Ticket(t) => ticket = Some(t),
    }
    let recently_done = RECENTLY_DONE as i64;
    // The columns `ticket_row` reads, as `order_tickets` selects them too.
    let tickets = sql!(
        conn,
        r#"SELECT t.id, t.order_id, o.number, t.station_id,
                COALESCE('Table ' || dt.label, 'Takeaway ' || tk.customer_name) AS "destination!: String",
                s.name, t.created_at, t.bumped_at, t.kind = 'void' AS "void!: bool"
         FROM tickets t
         JOIN orders o ON o.id = t.order_id
         LEFT JOIN dining_tables dt ON dt.id = o.table_id
         LEFT JOIN takeaways tk ON tk.order_id = o.id
         JOIN staff s ON s.id = t.sent_by
         WHERE t.id = ?1
            OR (t.station_id = ?2 AND (t.bumped_at IS NULL OR t.id IN (
                SELECT id FROM tickets WHERE station_id = ?2 AND bumped_at IS NOT NULL
                ORDER BY bumped_at DESC LIMIT ?3)))
         ORDER BY t.created_at, t.id"#,
        ticket,
        station,
        recently_done
    )
    .rows(ticket_row)?;
    with_lines(conn, tickets)
}

/// A ticket from a row of the columns `load_tickets` reads, without its lines.
fn ticket_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Ticket> {
    Ok(Ticket {
        id: r.get(0)?,
        order_id: r.get(1)?,
        order_number: r.get(2)?,
        station_id: r.get(3)?,
        destination: r.get(4)?,
        waiter_name: r.get(5)?,
        created_at_ms: r.get(6)?,
        bumped_at_ms: r.get(7)?,
        void: r.get(8)?,
        lines: Vec::new(),
    })
}

/// `tickets` with their lines, read in one statement (the ids joined as `json_each`).
fn with_lines(conn: &Conn, mut tickets: Vec<Ticket>) -> ServiceResult<Vec<Ticket>> {
    if tickets.is_empty() {
        return Ok(tickets);
    }
    let ids: Vec<TicketId> = tickets.iter().map(|t| t.id).collect();
    let ids = json_ids(&ids)?;
    let lines = sql!(
        conn,
        r#"SELECT l.ticket_id, l.id, COALESCE(l.kitchen_name, l.product_name) AS "product_name!: String", l.quantity,
                l.options_json, l.note, l.course, l.status, l.created_at, l.seat
         FROM json_each(?1) t JOIN order_lines l ON l.ticket_id = t.value
         UNION ALL
         SELECT v.ticket_id, l.id, COALESCE(l.kitchen_name, l.product_name), l.quantity, l.options_json,
                l.note, l.course, l.status, l.created_at, l.seat
         FROM json_each(?1) t JOIN void_ticket_lines v ON v.ticket_id = t.value
         JOIN order_lines l ON l.id = v.line_id
         ORDER BY 7, 9, 2"#,
        ids
    )
    .rows(|r| {
        let line = TicketLine {
            line_id: r.get(1)?,
            product_name: r.get(2)?,
            quantity: r.get(3)?,
            options: json_list(r, 4)?,
            note: r.get(5)?,
            course: r.get(6)?,
            status: r.get(7)?,
            seat: r.get(9)?,
        };
        Ok((r.get::<_, TicketId>(0)?, line))
    })?;
    let at: HashMap<TicketId, usize> = tickets.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    for (ticket, line) in lines {
        if let Some(&i) = at.get(&ticket) {
            tickets[i].lines.push(line);
        }
    }
    Ok(tickets)
}

pub async fn load_ticket(conn: &mut SqliteConnection, id: TicketId) -> ServiceResult<Ticket> {
    on(conn, |c| load_tickets(c, Which::Ticket(id)))
        .await?
        .pop()
        .ok_or_else(|| ServiceError::NotFound(format!("no ticket {id}")))
}

/// A station's screen: open tickets oldest first, then the recently bumped ones.
pub async fn station_tickets(
    conn: &mut SqliteConnection,
    station: &StationId,
) -> ServiceResult<StationTickets> {
    if !crate::services::venue::station_exists(conn, station).await? {
        return Err(ServiceError::NotFound(format!("no station \"{station}\"")));
    }
    // Read before the tickets: an event committed in between is then applied again by
    // the screen, which changes nothing, rather than missed.
    let seq = events::last_seq(conn).await?;
    let all = on(conn, |c| load_tickets(c, Which::Station(station))).await?;
    let (active, mut done): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|t| t.bumped_at_ms.is_none());
    done.sort_by_key(|t| std::cmp::Reverse(t.bumped_at_ms));
    Ok(StationTickets { active, done, seq })
}

/// The order's tickets at `stations`, for the live event of a change to them.
pub fn order_tickets(
    conn: &Conn,
    order: OrderId,
    stations: &[StationId],
) -> ServiceResult<Vec<Ticket>> {
    // Its own statement, not a case of `load_tickets`: a send reads its tickets for its
    // event, so this is on every order's write path, and an order has few tickets, so
    // they are read by order and picked by station here (no lists for SQLite to build).
    // The columns `ticket_row` reads, as `load_tickets` selects them too.
    let tickets = sql!(
        conn,
        r#"SELECT t.id, t.order_id, o.number, t.station_id,
                COALESCE('Table ' || dt.label, 'Takeaway ' || tk.customer_name) AS "destination!: String",
                s.name, t.created_at, t.bumped_at, t.kind = 'void' AS "void!: bool"
         FROM tickets t
         JOIN orders o ON o.id = t.order_id
         LEFT JOIN dining_tables dt ON dt.id = o.table_id
         LEFT JOIN takeaways tk ON tk.order_id = o.id
         JOIN staff s ON s.id = t.sent_by
         WHERE t.order_id = ?
         ORDER BY t.created_at, t.id"#,
        order
    )
    .rows(ticket_row)?;
    let at_stations = tickets
        .into_iter()
        .filter(|t| stations.contains(&t.station_id))
        .collect();
    with_lines(conn, at_stations)
}

/// A station change made: the ticket as it is now, and the events to publish once the
/// transaction commits.
pub struct Change {
    pub ticket: Ticket,
    pub events: Vec<LiveEvent>,
}

impl Announces for Change {
    fn take_events(&mut self) -> Vec<LiveEvent> {
        std::mem::take(&mut self.events)
    }
}

/// Records a station change as `kind` by `by`.
async fn finish(
    conn: &mut SqliteConnection,
    kind: EventKind,
    by: StaffId,
    ticket: TicketId,
) -> ServiceResult<Change> {
    let t = load_ticket(conn, ticket).await?;
    let stations = [t.station_id.clone()];
    let subject = |table_id| Subject {
        order_id: Some(t.order_id),
        table_id,
        station_ids: &stations,
    };
    let order = crate::services::orders::load_own_async(conn, t.order_id).await?;
    let mut events = vec![events::append_async(conn, kind, by, subject(order.table_id)).await?];
    // The last item of a takeaway order done: it is ready for pickup (and its text queued).
    let order = if takeaway::note_if_ready_async(conn, t.order_id).await? {
        let ready = EventKind::OrderReady;
        events.push(events::append_async(conn, ready, by, subject(order.table_id)).await?);
        crate::services::orders::load_own_async(conn, t.order_id).await?
    } else {
        order
    };
    events::carry_order(&mut events, &order);
    events::carry_tickets(&mut events, std::slice::from_ref(&t));
    Ok(Change { ticket: t, events })
}

/// The ticket a line is on, if its status passes `allowed`; else 404 or 409 saying the
/// line is `not_what` ("not ready").
async fn ticket_of_line(
    conn: &mut SqliteConnection,
    line: LineId,
    not_what: &str,
    allowed: impl Fn(LineStatus) -> bool,
) -> ServiceResult<TicketId> {
    let row = sqlx::query!(
        r#"SELECT status AS "status: LineStatus", ticket_id AS "ticket_id: TicketId", product_name
           FROM order_lines WHERE id = ?"#,
        line
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| ServiceError::NotFound(format!("no order line {line}")))?;
    match row.ticket_id {
        Some(ticket) if allowed(row.status) => Ok(ticket),
        _ => Err(ServiceError::Conflict(format!(
            "{} is {:?}, {not_what}",
            row.product_name, row.status
        ))),
    }
}

/// Marks one item ready. Already-ready items stay as they are.
pub async fn mark_ready(
    conn: &mut SqliteConnection,
    by: StaffId,
    line: LineId,
) -> ServiceResult<Change> {
    let ticket = ticket_of_line(conn, line, "not at a station", |s| {
        matches!(
            s,
            LineStatus::Sent | LineStatus::Preparing | LineStatus::Ready
        )
    })
    .await?;
    let now = now_ms();
    sqlx::query!(
        "UPDATE order_lines SET status = 'ready', ready_at = ? WHERE id = ? AND status IN ('sent', 'preparing')",
        now,
        line
    )
    .execute(&mut *conn)
    .await?;
    finish(conn, EventKind::LineReady, by, ticket).await
}

/// Takes back "ready" from an item marked so by mistake: it is back in the making, and
/// its ticket back on the screen if it was bumped. Served items stay served.
pub async fn unmark_ready(
    conn: &mut SqliteConnection,
    by: StaffId,
    line: LineId,
) -> ServiceResult<Change> {
    let ticket = ticket_of_line(conn, line, "not ready", |s| s == LineStatus::Ready).await?;
    sqlx::query!(
        "UPDATE order_lines SET status = 'sent', ready_at = NULL WHERE id = ? AND status = 'ready'",
        line
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("UPDATE tickets SET bumped_at = NULL WHERE id = ?", ticket)
        .execute(&mut *conn)
        .await?;
    finish(conn, EventKind::LineUnready, by, ticket).await
}

/// Bumps a ticket: every item on it is ready and it moves to "recently done".
pub async fn bump(
    conn: &mut SqliteConnection,
    by: StaffId,
    ticket: TicketId,
) -> ServiceResult<Change> {
    let now = now_ms();
    let bumped = sqlx::query!(
        "UPDATE tickets SET bumped_at = COALESCE(bumped_at, ?) WHERE id = ?",
        now,
        ticket
    )
    .execute(&mut *conn)
    .await?;
    if bumped.rows_affected() == 0 {
        return Err(ServiceError::NotFound(format!("no ticket {ticket}")));
    }
    sqlx::query!(
        "UPDATE order_lines SET status = 'ready', ready_at = ? WHERE ticket_id = ? AND status IN ('sent', 'preparing')",
        now,
        ticket
    )
    .execute(&mut *conn)
    .await?;
    finish(conn, EventKind::TicketBumped, by, ticket).await
}

/// Recalls a bumped ticket back onto the station's screen, its ready items back in the
/// making (what was served stays served).
pub async fn recall(
    conn: &mut SqliteConnection,
    by: StaffId,
    ticket: TicketId,
) -> ServiceResult<Change> {
    let recalled = sqlx::query!("UPDATE tickets SET bumped_at = NULL WHERE id = ?", ticket)
        .execute(&mut *conn)
        .await?;
    if recalled.rows_affected() == 0 {
        return Err(ServiceError::NotFound(format!("no ticket {ticket}")));
    }
    sqlx::query!(
        "UPDATE order_lines SET status = 'sent', ready_at = NULL WHERE ticket_id = ? AND status = 'ready'",
        ticket
    )
    .execute(&mut *conn)
    .await?;
    finish(conn, EventKind::TicketRecalled, by, ticket).await
}
