//! The stations' side: a station's tickets, marking an item ready, bumping and recalling.

use crate::db::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::events::{self, Subject};
use crate::http::auth::Session;
use crate::http::extract::{Json, Path};
use crate::state::AppState;
use crate::takeaway;
use app::api::{ApiErrorBody, EventKind};
use app::domain::kitchen::{StationTickets, Ticket, TicketLine};
use app::domain::orders::LineStatus;
use app::domain::staff::Role;
use app::domain::{LineId, OrderId, StationId, TableId, TicketId};
use axum::extract::State;
use sqlx::SqliteConnection;

/// How many bumped tickets the "recently done" list keeps.
const RECENTLY_DONE: i64 = 12;

/// Tickets of `station` that are open, or among its last bumped; or the one ticket `only`.
async fn load_tickets(
    conn: &mut SqliteConnection,
    station: Option<&StationId>,
    only: Option<TicketId>,
) -> ApiResult<Vec<Ticket>> {
    let rows = sqlx::query!(
        r#"SELECT t.id AS "id: TicketId", t.order_id AS "order_id: OrderId", o.number,
                  t.station_id AS "station_id: StationId",
                  COALESCE('Table ' || dt.label, 'Takeaway ' || tk.customer_name) AS "destination!: String", s.name AS waiter_name,
                  t.created_at, t.bumped_at, t.kind = 'void' AS "void!: bool"
           FROM tickets t
           JOIN orders o ON o.id = t.order_id
           LEFT JOIN dining_tables dt ON dt.id = o.table_id
           LEFT JOIN takeaways tk ON tk.order_id = o.id
           JOIN staff s ON s.id = t.sent_by
           WHERE t.id = ?1 OR (t.station_id = ?2 AND (t.bumped_at IS NULL OR t.id IN (
               SELECT id FROM tickets WHERE station_id = ?2 AND bumped_at IS NOT NULL
               ORDER BY bumped_at DESC LIMIT ?3)))
           ORDER BY t.created_at, t.id"#,
        only,
        station,
        RECENTLY_DONE
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut tickets = Vec::with_capacity(rows.len());
    for r in rows {
        let lines = sqlx::query!(
            r#"SELECT id AS "id: LineId", product_name, quantity, options_json, note, course,
                      status AS "status: LineStatus"
               FROM order_lines
               WHERE ticket_id = ?1 OR id IN (SELECT line_id FROM void_ticket_lines WHERE ticket_id = ?1)
               ORDER BY course, created_at, id"#,
            r.id
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|l| TicketLine {
            line_id: l.id,
            product_name: l.product_name,
            quantity: l.quantity,
            options: serde_json::from_str(&l.options_json).unwrap_or_default(),
            note: l.note,
            course: l.course,
            status: l.status,
        })
        .collect();
        tickets.push(Ticket {
            id: r.id,
            order_id: r.order_id,
            order_number: r.number,
            station_id: r.station_id,
            destination: r.destination,
            waiter_name: r.waiter_name,
            created_at_ms: r.created_at,
            bumped_at_ms: r.bumped_at,
            void: r.void,
            lines,
        });
    }
    Ok(tickets)
}

pub(crate) async fn load_ticket(conn: &mut SqliteConnection, id: TicketId) -> ApiResult<Ticket> {
    load_tickets(conn, None, Some(id))
        .await?
        .pop()
        .ok_or_else(|| ApiError::NotFound(format!("no ticket {id}")))
}

/// A station's screen: open tickets oldest first, then the recently bumped ones.
#[utoipa::path(get, path = "/api/v1/stations/{station_id}/tickets", tag = "kitchen", security(("token" = [])),
    params(("station_id" = String, Path, description = "The station's slug, e.g. `kitchen`")),
    responses((status = 200, body = StationTickets), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn station_tickets(
    State(state): State<AppState>,
    session: Session,
    Path(station): Path<String>,
) -> ApiResult<Json<StationTickets>> {
    session.require(Role::works_stations, "open a station screen")?;
    let station = StationId(station);
    let mut conn = state.db.reader.acquire().await?;
    let known = sqlx::query_scalar!(
        r#"SELECT 1 AS "one!: i64" FROM stations WHERE id = ?"#,
        station
    )
    .fetch_optional(&mut *conn)
    .await?;
    if known.is_none() {
        return Err(ApiError::NotFound(format!("no station \"{station}\"")));
    }
    let all = load_tickets(&mut conn, Some(&station), None).await?;
    let (active, mut done): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|t| t.bumped_at_ms.is_none());
    done.sort_by_key(|t| std::cmp::Reverse(t.bumped_at_ms));
    Ok(Json(StationTickets { active, done }))
}

/// Records a station change and publishes it once committed.
async fn finish(
    state: &AppState,
    mut tx: sqlx::Transaction<'_, sqlx::Sqlite>,
    kind: EventKind,
    session: &Session,
    ticket: TicketId,
) -> ApiResult<Json<Ticket>> {
    let t = load_ticket(&mut tx, ticket).await?;
    let table_id = sqlx::query_scalar!(
        r#"SELECT table_id AS "t?: TableId" FROM orders WHERE id = ?"#,
        t.order_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let stations = [t.station_id.clone()];
    let subject = || Subject {
        order_id: Some(t.order_id),
        table_id,
        station_ids: &stations,
    };
    let mut published = vec![events::append(&mut tx, kind, session.staff.id, subject()).await?];
    // The last item of a takeaway order done: it is ready for pickup (and its text queued).
    if takeaway::note_if_ready(&mut tx, t.order_id).await? {
        let ready = EventKind::OrderReady;
        published.push(events::append(&mut tx, ready, session.staff.id, subject()).await?);
    }
    tx.commit().await?;
    state.publish(published);
    Ok(Json(t))
}

/// The ticket a line is on, if its status passes `allowed`; else 404 or 409 saying the
/// line is `not_what` ("not ready").
async fn ticket_of_line(
    conn: &mut SqliteConnection,
    line: LineId,
    not_what: &str,
    allowed: impl Fn(LineStatus) -> bool,
) -> ApiResult<TicketId> {
    let row = sqlx::query!(
        r#"SELECT status AS "status: LineStatus", ticket_id AS "ticket_id: TicketId", product_name
           FROM order_lines WHERE id = ?"#,
        line
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("no order line {line}")))?;
    match row.ticket_id {
        Some(ticket) if allowed(row.status) => Ok(ticket),
        _ => Err(ApiError::Conflict(format!(
            "{} is {:?}, {not_what}",
            row.product_name, row.status
        ))),
    }
}

/// Mark one item ready. Already-ready items stay as they are.
#[utoipa::path(post, path = "/api/v1/lines/{line_id}/ready", tag = "kitchen", security(("token" = [])),
    params(("line_id" = LineId, Path)),
    responses((status = 200, description = "The item's ticket", body = Ticket), (status = 404, body = ApiErrorBody),
        (status = 409, description = "The item was never sent, or is void or served", body = ApiErrorBody)))]
pub async fn mark_ready(
    State(state): State<AppState>,
    session: Session,
    Path(line): Path<LineId>,
) -> ApiResult<Json<Ticket>> {
    session.require(Role::works_stations, "mark items ready")?;
    let mut tx = state.db.writer.begin().await?;
    let ticket = ticket_of_line(&mut tx, line, "not at a station", |s| {
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
    .execute(&mut *tx)
    .await?;
    finish(&state, tx, EventKind::LineReady, &session, ticket).await
}

/// Take back "ready" from an item marked so by mistake: it is back in the making, and its
/// ticket back on the screen if it was bumped. Served items stay served.
#[utoipa::path(post, path = "/api/v1/lines/{line_id}/unready", tag = "kitchen", security(("token" = [])),
    params(("line_id" = LineId, Path)),
    responses((status = 200, description = "The item's ticket", body = Ticket), (status = 404, body = ApiErrorBody),
        (status = 409, description = "The item is not ready, or already served", body = ApiErrorBody)))]
pub async fn unmark_ready(
    State(state): State<AppState>,
    session: Session,
    Path(line): Path<LineId>,
) -> ApiResult<Json<Ticket>> {
    session.require(Role::works_stations, "change items at a station")?;
    let mut tx = state.db.writer.begin().await?;
    let ticket = ticket_of_line(&mut tx, line, "not ready", |s| s == LineStatus::Ready).await?;
    sqlx::query!(
        "UPDATE order_lines SET status = 'sent', ready_at = NULL WHERE id = ? AND status = 'ready'",
        line
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("UPDATE tickets SET bumped_at = NULL WHERE id = ?", ticket)
        .execute(&mut *tx)
        .await?;
    finish(&state, tx, EventKind::LineUnready, &session, ticket).await
}

/// Bump a ticket: every item on it is ready and it moves to "recently done".
#[utoipa::path(post, path = "/api/v1/tickets/{ticket_id}/bump", tag = "kitchen", security(("token" = [])),
    params(("ticket_id" = TicketId, Path)),
    responses((status = 200, body = Ticket), (status = 404, body = ApiErrorBody)))]
pub async fn bump_ticket(
    State(state): State<AppState>,
    session: Session,
    Path(ticket): Path<TicketId>,
) -> ApiResult<Json<Ticket>> {
    session.require(Role::works_stations, "bump tickets")?;
    let mut tx = state.db.writer.begin().await?;
    let now = now_ms();
    let bumped = sqlx::query!(
        "UPDATE tickets SET bumped_at = COALESCE(bumped_at, ?) WHERE id = ?",
        now,
        ticket
    )
    .execute(&mut *tx)
    .await?;
    if bumped.rows_affected() == 0 {
        return Err(ApiError::NotFound(format!("no ticket {ticket}")));
    }
    sqlx::query!(
        "UPDATE order_lines SET status = 'ready', ready_at = ? WHERE ticket_id = ? AND status IN ('sent', 'preparing')",
        now,
        ticket
    )
    .execute(&mut *tx)
    .await?;
    finish(&state, tx, EventKind::TicketBumped, &session, ticket).await
}

/// Recall a bumped ticket back onto the station's screen, its ready items back in the
/// making.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket_id}/recall", tag = "kitchen", security(("token" = [])),
    params(("ticket_id" = TicketId, Path)),
    responses((status = 200, body = Ticket), (status = 404, body = ApiErrorBody)))]
pub async fn recall_ticket(
    State(state): State<AppState>,
    session: Session,
    Path(ticket): Path<TicketId>,
) -> ApiResult<Json<Ticket>> {
    session.require(Role::works_stations, "recall tickets")?;
    let mut tx = state.db.writer.begin().await?;
    let recalled = sqlx::query!("UPDATE tickets SET bumped_at = NULL WHERE id = ?", ticket)
        .execute(&mut *tx)
        .await?;
    if recalled.rows_affected() == 0 {
        return Err(ApiError::NotFound(format!("no ticket {ticket}")));
    }
    // Recalled to be made again: what the bump marked ready is back in the making (what
    // was served stays served).
    sqlx::query!(
        "UPDATE order_lines SET status = 'sent', ready_at = NULL WHERE ticket_id = ? AND status = 'ready'",
        ticket
    )
    .execute(&mut *tx)
    .await?;
    finish(&state, tx, EventKind::TicketRecalled, &session, ticket).await
}
