//! The stations' endpoints: a station's tickets, marking an item ready (and taking that
//! back), bumping and recalling. The rules and SQL are in `crate::services::kitchen`; each
//! change is one write (`AppState::write`), and its events are published after the commit.

use crate::http::auth::Session;
use crate::http::error::ApiResult;
use crate::http::extract::{Json, Path};
use crate::services::kitchen;
use crate::state::AppState;
use app::api::ApiErrorBody;
use app::domain::kitchen::{StationTickets, Ticket};
use app::domain::staff::Role;
use app::domain::{LineId, StationId, TicketId};
use axum::extract::State;

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
    let mut conn = state.db.reader.acquire().await?;
    Ok(Json(
        kitchen::station_tickets(&mut conn, &StationId(station)).await?,
    ))
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
    let by = session.staff.id;
    let change = state
        .write(move |conn| Box::pin(kitchen::mark_ready(conn, by, line)))
        .await?;
    Ok(Json(change.ticket))
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
    let by = session.staff.id;
    let change = state
        .write(move |conn| Box::pin(kitchen::unmark_ready(conn, by, line)))
        .await?;
    Ok(Json(change.ticket))
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
    let by = session.staff.id;
    let change = state
        .write(move |conn| Box::pin(kitchen::bump(conn, by, ticket)))
        .await?;
    Ok(Json(change.ticket))
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
    let by = session.staff.id;
    let change = state
        .write(move |conn| Box::pin(kitchen::recall(conn, by, ticket)))
        .await?;
    Ok(Json(change.ticket))
}
