//! The live event stream (Server-Sent Events). A client that reconnects with
//! `Last-Event-ID` or `?since=N` first gets every event after N from the log, then live
//! ones, so a screen that was offline misses nothing and sees nothing twice. A stream
//! lives no longer than its session: it closes when the session is signed out, ends or
//! its staff member is retired.

use crate::http::auth::Session;
use crate::http::error::ApiResult;
use crate::http::extract::Query;
use crate::live::{Frame, OrderText, Published};
use crate::services::events;
use crate::services::sessions;
use crate::state::AppState;
use app::api::{ApiErrorBody, EventKind, LiveEvent};
use app::domain::kitchen::Ticket;
use app::domain::menu::Product;
use app::domain::staff::Role;
use app::domain::takeaway::hide_contacts_from;
use app::domain::{OrderId, StationId, TableId};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
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
    let stopping = state.clone();
    tokio::spawn(async move {
        // Dropping `forward` drops its sender, which ends the client's stream: when the
        // session ends, or the server stops (the client resumes after its last event).
        tokio::select! {
            () = forward(state, live, start, role, tx) => {}
            () = ends => {}
            () = stopping.stopping() => {}
        }
    });
    Ok(Sse::new(ReceiverStream::new(rx)).keep_alive(KeepAlive::default()))
}

/// The event as `role` may see it: the order it carries leaves out the customer's phone
/// number for those who do not see contacts (the kitchen), as the snapshot does, and its
/// tickets go only to those who work stations (the waiters' phones would only drop them).
/// Made once per event for each of the four ways (`view`), shared by the streams; the
/// order's text is made once per commit (`Published::order_text`).
fn for_role(published: &Published, role: Role) -> Result<Event, Infallible> {
    let frame = frame_for(published, role);
    Ok(Event::default().id(published.seq.to_string()).data(&*frame))
}

/// `for_role`'s `data:`, the event's JSON as `role` may see it.
fn frame_for(published: &Published, role: Role) -> Frame {
    let view = usize::from(role.sees_customer_contacts()) | usize::from(role.works_stations()) << 1;
    published.frame(view, |event| {
        let contacts = role.sees_customer_contacts();
        let order = published.order_text(contacts, |order| {
            // Only a takeaway order has contacts to hide, and only then is it copied.
            if contacts || order.takeaway.is_none() {
                raw(order)
            } else {
                let mut order = order.clone();
                hide_contacts_from(role, std::slice::from_mut(&mut order));
                raw(&order)
            }
        });
        let tickets = event.tickets.as_deref().filter(|_| role.works_stations());
        serde_json::to_string(&Wire::of(event, order, tickets))
            .unwrap_or_default()
            .into()
    })
}

/// `LiveEvent` as a live stream sends it: the same JSON, with the order already text.
#[derive(Serialize)]
struct Wire<'a> {
    seq: i64,
    kind: EventKind,
    order_id: &'a Option<OrderId>,
    table_id: &'a Option<TableId>,
    station_ids: &'a [StationId],
    at_ms: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    order: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tickets: Option<&'a [Ticket]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    products: Option<&'a [Product]>,
}

impl<'a> Wire<'a> {
    fn of(
        event: &'a LiveEvent,
        order: Option<&'a RawValue>,
        tickets: Option<&'a [Ticket]>,
    ) -> Self {
        // Every field named, so a field added to `LiveEvent` does not build until it is
        // here too.
        let LiveEvent {
            seq,
            kind,
            order_id,
            table_id,
            station_ids,
            at_ms,
            order: _,
            tickets: _,
            products,
        } = event;
        Self {
            seq: *seq,
            kind: *kind,
            order_id,
            table_id,
            station_ids,
            at_ms: *at_ms,
            order,
            tickets,
            products: products.as_deref(),
        }
    }
}

/// A value's JSON text; the orders and events here always serialise (plain data).
fn raw<T: Serialize>(value: &T) -> OrderText {
    serde_json::value::to_raw_value(value).unwrap_or_default()
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

#[cfg(test)]
mod tests {
    use super::frame_for;
    use crate::live::Published;
    use app::api::LiveEvent;
    use app::domain::staff::Role;
    use app::domain::takeaway::hide_contacts_from;
    use serde_json::{json, Value};

    /// An event with every part set: a takeaway order with the customer's phone, a
    /// ticket and a product.
    fn event(seq: i64) -> LiveEvent {
        let order = json!({
            "id": "0190a000-0000-7000-8000-000000000001", "number": 12, "table_id": null,
            "takeaway": { "customer_name": "Ada", "phone": "+393331234567", "sms_consent": true,
                          "language": "it" },
            "status": "open", "opened_by": "0190a000-0000-7000-8000-000000000002",
            "opened_at_ms": 5, "lines": [], "waiter_ids": [], "payments": [], "discounts": []
        });
        let ticket = json!({
            "id": "0190a000-0000-7000-8000-000000000003",
            "order_id": "0190a000-0000-7000-8000-000000000001", "order_number": 12,
            "station_id": "kitchen", "destination": "Takeaway Ada", "waiter_name": "Ana",
            "created_at_ms": 6, "bumped_at_ms": null, "lines": []
        });
        let product = json!({
            "id": "0190a000-0000-7000-8000-000000000004",
            "category_id": "0190a000-0000-7000-8000-000000000005", "station_id": "kitchen",
            "name": "Lasagna", "price_minor": 1200, "available": true, "stock_left": 3,
            "sort_order": 1, "option_group_ids": []
        });
        serde_json::from_value(json!({
            "seq": seq, "kind": "order_sent",
            "order_id": "0190a000-0000-7000-8000-000000000001", "table_id": null,
            "station_ids": ["kitchen"], "at_ms": 7,
            "order": order, "tickets": [ticket], "products": [product]
        }))
        .unwrap()
    }

    #[test]
    fn each_role_gets_the_event_as_it_would_serialise_seen_by_that_role() {
        // Two events of one commit carrying the same order: the second reuses the
        // first's order text, and must read the same.
        // And an event with nothing but its own fields.
        let mut bare = event(3);
        (bare.order, bare.tickets, bare.products) = (None, None, None);
        let commit = Published::commit([event(1), event(2), bare]);
        for role in [Role::Waiter, Role::Kitchen, Role::Cashier, Role::Manager] {
            for published in &commit {
                let mut expected: LiveEvent = (**published).clone();
                if let Some(order) = expected.order.as_mut() {
                    hide_contacts_from(role, std::slice::from_mut(order));
                }
                if !role.works_stations() {
                    expected.tickets = None;
                }
                let sent: Value = serde_json::from_str(&frame_for(published, role)).unwrap();
                assert_eq!(sent, serde_json::to_value(&expected).unwrap(), "{role:?}");
            }
        }
        let kitchen: Value = serde_json::from_str(&frame_for(&commit[1], Role::Kitchen)).unwrap();
        assert_eq!(kitchen["order"]["takeaway"]["phone"], Value::Null);
        assert_eq!(kitchen["tickets"][0]["station_id"], "kitchen");
        let waiter: Value = serde_json::from_str(&frame_for(&commit[1], Role::Waiter)).unwrap();
        assert_eq!(waiter["order"]["takeaway"]["phone"], "+393331234567");
        assert_eq!(waiter.get("tickets"), None);
    }
}
