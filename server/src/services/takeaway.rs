//! Takeaway orders on the database: their customers, the moment an order becomes ready for
//! pickup (which writes its "ready" text to the SMS outbox in the same transaction), and
//! the pickup board.
//!
//! An order is ready when every line that is not void is ready or served
//! (`app::domain::takeaway::all_ready`), whether the stations got there item by item or
//! staff tapped "ready". The outbox's `UNIQUE (order_id, event)` makes the text go out at
//! most once per order, however often the order goes back and forth.

use crate::db::direct::{sql, Conn};
use crate::db::now_ms;
use crate::services::orders;
use crate::services::{on, ServiceResult};
use app::api::PickupBoard;
use app::domain::orders::LineStatus;
use app::domain::takeaway::{all_ready, render_template};
use app::domain::OrderId;
use sqlx::SqliteConnection;

/// Records that `order` is ready for pickup if it is a takeaway order whose lines are all
/// ready, queueing its text when the customer agreed to one. Returns true the first time
/// the order becomes ready (the caller announces it).
pub fn note_if_ready(conn: &Conn, order: OrderId) -> ServiceResult<bool> {
    let Some(row) = sql!(
        conn,
        "SELECT customer_name, phone, sms_consent AS \"sms_consent: bool\", language, ready_at
         FROM takeaways WHERE order_id = ?",
        order
    )
    .optional(|r| {
        Ok(Waiting {
            customer_name: r.get(0)?,
            phone: r.get(1)?,
            sms_consent: r.get(2)?,
            language: r.get(3)?,
            ready_at: r.get(4)?,
        })
    })?
    else {
        return Ok(false);
    };
    let current = orders::load_own(conn, order)?;
    if !all_ready(&current.lines) {
        return Ok(false);
    }
    let now = now_ms();
    sql!(
        conn,
        "UPDATE takeaways SET ready_at = COALESCE(ready_at, ?) WHERE order_id = ?",
        now,
        order
    )
    .execute()?;
    if let (true, Some(phone)) = (row.sms_consent, row.phone) {
        let template = sql!(
            conn,
            "SELECT body FROM sms_templates WHERE language IN (?1, 'en')
             ORDER BY language = ?1 DESC LIMIT 1",
            row.language
        )
        .scalar_optional()?
        .unwrap_or_else(|| "{venue}: order {number} is ready for pickup".to_owned());
        let venue: String = sql!(conn, "SELECT name FROM venue WHERE id = 1").scalar()?;
        let body = render_template(&template, &row.customer_name, current.number, &venue);
        let id = uuid::Uuid::now_v7().to_string();
        sql!(
            conn,
            "INSERT OR IGNORE INTO sms_outbox (id, order_id, event, to_phone, body, created_at, next_attempt_at)
             VALUES (?, ?, 'ready', ?, ?, ?, ?)",
            id,
            order,
            phone,
            body,
            now,
            now
        )
        .execute()?;
    }
    Ok(row.ready_at.is_none())
}

/// `note_if_ready` from code still on sqlx.
pub async fn note_if_ready_async(
    conn: &mut SqliteConnection,
    order: OrderId,
) -> ServiceResult<bool> {
    on(conn, |c| note_if_ready(c, order)).await
}

/// A takeaway order's customer, as `note_if_ready` reads them.
struct Waiting {
    customer_name: String,
    phone: Option<String>,
    sms_consent: bool,
    language: String,
    ready_at: Option<i64>,
}

/// Open takeaway orders by number: those still at a station, and those ready to collect
/// (until they are handed over).
pub async fn pickup_board(conn: &mut SqliteConnection) -> ServiceResult<PickupBoard> {
    let venue_name = sqlx::query_scalar!("SELECT name FROM venue WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await?
        .unwrap_or_default();
    let mut board = PickupBoard {
        venue_name,
        ..PickupBoard::default()
    };
    let open = orders::load_orders_async(conn, None).await?;
    for order in open.iter().filter(|o| o.takeaway.is_some()) {
        let at_station = |s: &LineStatus| matches!(s, LineStatus::Sent | LineStatus::Preparing);
        if all_ready(&order.lines) {
            if order.lines.iter().any(|l| l.status == LineStatus::Ready) {
                board.ready.push(order.number);
            }
        } else if order.lines.iter().any(|l| at_station(&l.status)) {
            board.preparing.push(order.number);
        }
    }
    Ok(board)
}
