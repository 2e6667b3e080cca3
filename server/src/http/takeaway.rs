//! Takeaway orders: opening one for a customer, calling it ready for pickup, and the
//! public pickup board (a snapshot and a live stream) for the wall screen.

use crate::http::auth::Session;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{Json, Path};
use crate::services::orders::{self, Customer};
use crate::services::takeaway;
use crate::state::AppState;
use app::api::{ApiErrorBody, EventKind, OpenTakeawayRequest, PickupBoard};
use app::domain::orders::Order;
use app::domain::staff::Role;
use app::domain::OrderId;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use std::convert::Infallible;
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;

/// Open a takeaway order for a customer (name, phone, consent to a text when it is ready).
#[utoipa::path(post, path = "/api/v1/takeaways", tag = "orders", security(("token" = [])),
    request_body = OpenTakeawayRequest,
    responses(
        (status = 201, description = "A new takeaway order", body = Order),
        (status = 200, description = "This order id was opened before; here it is", body = Order),
        (status = 403, body = ApiErrorBody),
        (status = 409, description = "The order id belongs to a table", body = ApiErrorBody),
        (status = 422, description = "A bad name, phone number or language, named in `field`", body = ApiErrorBody),
    ))]
pub async fn open_takeaway(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<OpenTakeawayRequest>,
) -> ApiResult<(StatusCode, Json<Order>)> {
    session.require(Role::takes_orders, "take takeaway orders")?;
    let (by, requested) = (
        session.staff.id,
        req.order_id.unwrap_or_else(OrderId::new_v7),
    );
    let outcome = state
        .write_direct(move |conn| {
            let customer = Customer::checked(conn, &req)?;
            orders::open_takeaway(conn, by, requested, &customer)?.read(conn)
        })
        .await?;
    let status = if outcome.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(outcome.order)))
}

/// Call a takeaway order ready: its items still at a station become ready, and the
/// customer's text is queued (once per order, however often this is called).
#[utoipa::path(post, path = "/api/v1/orders/{order_id}/ready", tag = "orders", security(("token" = [])),
    params(("order_id" = OrderId, Path)),
    responses((status = 200, body = Order), (status = 404, body = ApiErrorBody),
        (status = 409, description = "Not a takeaway order, closed, empty or with items not sent", body = ApiErrorBody)))]
pub async fn ready_for_pickup(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<OrderId>,
) -> ApiResult<Json<Order>> {
    session.require(Role::calls_pickup, "call orders ready")?;
    let by = session.staff.id;
    let outcome = state
        .write_direct(move |conn| orders::ready_for_pickup(conn, by, id)?.read(conn))
        .await?;
    Ok(Json(outcome.order))
}

/// The pickup board: order numbers preparing and ready. Public, like the screen it feeds.
#[utoipa::path(get, path = "/api/v1/pickup", tag = "orders",
    responses((status = 200, body = PickupBoard)))]
pub async fn pickup_board(State(state): State<AppState>) -> ApiResult<Json<PickupBoard>> {
    let mut conn = state.db.reader.acquire().await?;
    Ok(Json(takeaway::pickup_board(&mut conn).await?))
}

/// The pickup board as `text/event-stream`: the board now, then again whenever it may have
/// changed. Each `data:` is a whole `PickupBoard`, so a reconnect needs no replay.
#[utoipa::path(get, path = "/api/v1/pickup/live", tag = "live",
    responses((status = 200, description = "An endless SSE stream of PickupBoard", body = PickupBoard, content_type = "text/event-stream"),
        (status = 503, description = "Too many pickup screens are open", body = ApiErrorBody)))]
pub async fn pickup_live(
    State(state): State<AppState>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    // Anyone on the Wi-Fi may open one, and each reads the board on every change: a
    // bounded number, or a flood of them slows every screen.
    let place = state
        .pickup_screens
        .clone()
        .try_acquire_owned()
        .map_err(|_| {
            ApiError::Busy("too many pickup screens are open; close one and try again".into())
        })?;
    let live = state.live.subscribe();
    let (tx, rx) = mpsc::channel(8);
    tokio::spawn(async move {
        let stopping = state.clone();
        // The server stopping ends the stream; the wall screen reconnects to the next one.
        tokio::select! {
            () = feed_board(state, live, tx) => {}
            () = stopping.stopping() => {}
        }
        drop(place);
    });
    Ok(Sse::new(ReceiverStream::new(rx)).keep_alive(KeepAlive::default()))
}

async fn feed_board(
    state: AppState,
    mut live: broadcast::Receiver<std::sync::Arc<crate::live::Published>>,
    out: mpsc::Sender<Result<Event, Infallible>>,
) {
    let mut last = None;
    loop {
        let board = match state.db.reader.acquire().await {
            Ok(mut conn) => takeaway::pickup_board(&mut conn).await.ok(),
            Err(_) => None,
        };
        if let Some(board) = board.filter(|b| last.as_ref() != Some(b)) {
            let event = Event::default().json_data(&board).unwrap_or_default();
            if out.send(Ok(event)).await.is_err() {
                return;
            }
            last = Some(board);
        }
        // Wait for something that can move a number on the board (or a missed batch).
        loop {
            let received = tokio::select! {
                r = live.recv() => r,
                // The screen went away: stop, even if nothing happens for hours.
                () = out.closed() => return,
            };
            match received {
                Ok(e) if moves_board(e.kind) && e.order_id.is_some() && e.table_id.is_none() => {
                    break
                }
                Ok(_) => {}
                Err(broadcast::error::RecvError::Lagged(_)) => break,
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    }
}

fn moves_board(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::OrderSent
            | EventKind::LineReady
            | EventKind::TicketBumped
            | EventKind::TicketRecalled
            | EventKind::OrderReady
            | EventKind::LinesServed
    )
}
