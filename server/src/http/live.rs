//! The live event stream (Server-Sent Events). A client that reconnects with
//! `Last-Event-ID` or `?since=N` first gets every event after N from the log, then live
//! ones, so a screen that was offline misses nothing and sees nothing twice. A stream
//! lives no longer than its session: it closes when the session is signed out, ends or
//! its staff member is retired.

use crate::http::auth::Session;
use crate::http::error::ApiResult;
use crate::http::extract::Query;
use crate::live::{Frame, Published};
use crate::services::events;
use crate::services::sessions;
use crate::state::AppState;
use app::api::{ApiErrorBody, LiveEvent};
use app::domain::staff::Role;
use app::domain::takeaway::hide_contacts_from;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::Deserialize;
use std::convert::Infallible;
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;

/// Events replayed from the log per database read.
const REPLAY_BATCH: i64 = 500;
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct LiveParams {
    /// Replay events after this sequence number first.
    since: Option<i64>,
    /// A stream ticket from `POST /api/v1/stream-tickets` (EventSource cannot send an
    /// Authorization header).
    #[allow(dead_code)]
    ticket: Option<String>,
}

/// Live events as `text/event-stream`; each `data:` is a `LiveEvent`, each `id:` its `seq`.
#[utoipa::path(get, path = "/api/v1/events", tag = "live", security(("token" = [])), params(LiveParams),
    responses((status = 200, description = "An endless SSE stream of LiveEvent", body = LiveEvent, content_type = "text/event-stream"),
        (status = 401, body = ApiErrorBody)))]
pub async fn live_events(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Query(params): Query<LiveParams>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    // Subscribe before reading the log, so nothing committed in between is missed.
    let live = state.live.subscribe();
    let start = match last_event_id.or(params.since) {
        Some(seq) => seq.max(0),
        None => events::last_seq(&mut *state.db.reader.acquire().await?).await?,
    };
    let (tx, rx) = mpsc::channel(256);
    let ends = sessions::ends(state.clone(), session.token_sha256);
    let role = session.staff.role;
    tokio::spawn(async move {
        // Dropping `forward` drops its sender, which ends the client's stream.
        tokio::select! {
            () = forward(state, live, start, role, tx) => {}
            () = ends => {}
        }
    });
    Ok(Sse::new(ReceiverStream::new(rx)).keep_alive(KeepAlive::default()))
}

/// The event as `role` may see it: the order it carries leaves out the customer's phone
/// number for those who do not see contacts (the kitchen), as the snapshot does, and its
/// tickets go only to those who work stations (the waiters' phones would only drop them).
/// Made once per event for each of the four ways (`view`), shared by the streams.
fn for_role(published: &Published, role: Role) -> Result<Event, Infallible> {
    let view = usize::from(role.sees_customer_contacts()) | usize::from(role.works_stations()) << 1;
    let frame = published.frame(view, |event| {
        let mut event = event.clone();
        if let Some(order) = event.order.as_mut() {
            hide_contacts_from(role, std::slice::from_mut(&mut **order));
        }
        if !role.works_stations() {
            event.tickets = None;
        }
        json(&event)
    });
    Ok(Event::default().id(published.seq.to_string()).data(&*frame))
}

/// The event's JSON; an event always serialises (its fields are plain data).
fn json(event: &LiveEvent) -> Frame {
    serde_json::to_string(event).unwrap_or_default().into()
}

fn to_sse(event: &LiveEvent) -> Result<Event, Infallible> {
    Ok(Event::default()
        .id(event.seq.to_string())
        .data(&*json(event)))
}

/// Replays the log after `seq`; returns the last sequence number sent, or None once the
/// client has gone.
async fn replay(
    state: &AppState,
    mut seq: i64,
    out: &mpsc::Sender<Result<Event, Infallible>>,
) -> Option<i64> {
    loop {
        let mut conn = state.db.reader.acquire().await.ok()?;
        let batch = events::since(&mut conn, seq, REPLAY_BATCH).await.ok()?;
        drop(conn);
        for event in &batch {
            out.send(to_sse(event)).await.ok()?;
            seq = event.seq;
        }
        if (batch.len() as i64) < REPLAY_BATCH {
            return Some(seq);
        }
    }
}

/// Feeds one client: the replay, then live events, falling back to the log if it lagged.
async fn forward(
    state: AppState,
    mut live: broadcast::Receiver<Arc<Published>>,
    start: i64,
    role: Role,
    out: mpsc::Sender<Result<Event, Infallible>>,
) {
    let Some(mut seq) = replay(&state, start, &out).await else {
        return;
    };
    loop {
        match live.recv().await {
            Ok(event) if event.seq > seq => {
                if out.send(for_role(&event, role)).await.is_err() {
                    return;
                }
                seq = event.seq;
            }
            Ok(_) => {}
            Err(broadcast::error::RecvError::Lagged(_)) => match replay(&state, seq, &out).await {
                Some(s) => seq = s,
                None => return,
            },
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}
