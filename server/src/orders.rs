//! The order operations on the database: open a table, add lines, send, serve. Each runs
//! inside the caller's transaction and returns the order as it now is, with the event to
//! publish once the caller has committed. The REST endpoints (`http::orders`) and the
//! offline operations (`ops`) both go through here, so both follow the same rules:
//!
//! - Two waiters adding to one table both succeed: lines are separate rows, never merged.
//! - A phone that opened an already-open table offline gets its order id recorded as an
//!   alias of the open order; everything it sends under that id lands on the one order.
//! - Lines for a closed order are refused, saying who closed it and when.
//! - A send makes one ticket per station from the lines never sent before (delta tickets),
//!   so a repeated send makes no ticket at all, and queues a print job for each of the
//!   station's printers in the same transaction.

use crate::db::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::events::{self, Subject};
use crate::takeaway;
use crate::workers;
use app::api::{EventKind, LiveEvent, Venue};
use app::domain::discounts::{Discount, DiscountKind};
use app::domain::menu::Menu;
use app::domain::orders::{
    LineStatus, NewLine, Order, OrderLine, OrderStatus, MAX_LINES_PER_REQUEST,
};
use app::domain::payments::{NewPayment, Payment, PaymentError, PaymentMethod};
use app::domain::split;
use app::domain::status::StationTicket;
use app::domain::{
    DiscountId, LineId, Money, OrderId, PaymentId, ProductId, StaffId, StationId, TableId, TicketId,
};
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// What an operation did: the order now, whether it was created, and what to publish.
pub struct Outcome {
    pub order: Order,
    pub created: bool,
    pub event: Option<LiveEvent>,
}

/// Open orders (`only = None`), or the one order `only`, whatever its status.
pub async fn load_orders(
    conn: &mut SqliteConnection,
    only: Option<OrderId>,
) -> ApiResult<Vec<Order>> {
    // The orders' ids first, as a JSON array every query below takes, so each reads by
    // its order_id index instead of scanning every order ever taken.
    let ids = match only {
        Some(id) => vec![id],
        None => {
            sqlx::query_scalar!(r#"SELECT id AS "id: OrderId" FROM orders WHERE status = 'open'"#)
                .fetch_all(&mut *conn)
                .await?
        }
    };
    load_these(conn, &ids).await
}

/// The orders `ids` names (their own ids, not aliases), oldest first.
pub async fn load_these(conn: &mut SqliteConnection, ids: &[OrderId]) -> ApiResult<Vec<Order>> {
    let ids = serde_json::to_string(ids).map_err(|e| ApiError::Internal(e.to_string()))?;
    let orders = sqlx::query!(
        r#"SELECT id AS "id: OrderId", number, table_id AS "table_id?: TableId", status AS "status: OrderStatus",
                  opened_by AS "opened_by: StaffId", opened_at
           FROM orders WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY opened_at, id"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut takeaways = takeaway::load(conn, &ids).await?;
    let payments = sqlx::query!(
        r#"SELECT id AS "id: PaymentId", order_id AS "order_id: OrderId", method AS "method: PaymentMethod",
                  amount_minor, tip_minor, tendered_minor, change_minor, reference, seat, items_json, rounding_minor,
                  taken_by AS "taken_by: StaffId", created_at
           FROM payments
           WHERE order_id IN (SELECT value FROM json_each(?1))
           ORDER BY created_at, id"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|p| {
        Ok(Payment {
            items: serde_json::from_str(&p.items_json)
                .map_err(|e| ApiError::Internal(format!("items of payment {}: {e}", p.id)))?,
            id: p.id,
            order_id: p.order_id,
            method: p.method,
            amount_minor: p.amount_minor,
            tip_minor: p.tip_minor,
            tendered_minor: p.tendered_minor,
            change_minor: p.change_minor,
            reference: p.reference,
            seat: p.seat,
            rounding_minor: p.rounding_minor,
            taken_by: p.taken_by,
            created_at_ms: p.created_at,
        })
    })
    .collect::<ApiResult<Vec<_>>>()?;
    let discounts = sqlx::query!(
        r#"SELECT d.id AS "id: DiscountId", d.order_id AS "order_id: OrderId", d.line_id AS "line_id?: LineId",
                  d.kind AS "kind: DiscountKind", d.value, d.reason, r.name AS "rule?",
                  d.given_by AS "given_by: StaffId", d.approved_by AS "approved_by?: StaffId", d.created_at
           FROM discounts d LEFT JOIN discount_rules r ON r.id = d.rule_id
           WHERE d.order_id IN (SELECT value FROM json_each(?1))
           ORDER BY d.created_at, d.id"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let waiters = sqlx::query!(
        r#"SELECT order_id AS "order_id: OrderId", staff_id AS "staff_id: StaffId" FROM order_waiters
           WHERE order_id IN (SELECT value FROM json_each(?1))"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let lines = sqlx::query!(
        r#"SELECT id AS "id: LineId", order_id AS "order_id: OrderId", product_id AS "product_id: ProductId",
                  product_name, station_id AS "station_id: StationId", quantity, unit_price_minor, tax_rate_bp, options_json,
                  note, course, seat, status AS "status: LineStatus", ticket_id AS "ticket_id: TicketId",
                  added_by AS "added_by: StaffId", created_at
           FROM order_lines
           WHERE order_id IN (SELECT value FROM json_each(?1))
           ORDER BY created_at, id"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut lines_by_order: HashMap<OrderId, Vec<OrderLine>> = HashMap::new();
    for l in lines {
        let options = serde_json::from_str(&l.options_json)
            .map_err(|e| ApiError::Internal(format!("options of line {}: {e}", l.id)))?;
        lines_by_order
            .entry(l.order_id)
            .or_default()
            .push(OrderLine {
                id: l.id,
                product_id: l.product_id,
                product_name: l.product_name,
                station_id: l.station_id,
                quantity: l.quantity,
                unit_price_minor: l.unit_price_minor,
                tax_rate_bp: l.tax_rate_bp,
                options,
                note: l.note,
                course: l.course,
                seat: l.seat,
                status: l.status,
                ticket_id: l.ticket_id,
                added_by: l.added_by,
                created_at_ms: l.created_at,
            });
    }
    Ok(orders
        .into_iter()
        .map(|o| Order {
            waiter_ids: waiters
                .iter()
                .filter(|w| w.order_id == o.id)
                .map(|w| w.staff_id)
                .collect(),
            lines: lines_by_order.remove(&o.id).unwrap_or_default(),
            payments: payments
                .iter()
                .filter(|p| p.order_id == o.id)
                .cloned()
                .collect(),
            discounts: discounts
                .iter()
                .filter(|d| d.order_id == o.id)
                .map(|d| Discount {
                    id: d.id,
                    line_id: d.line_id,
                    kind: d.kind,
                    value: d.value,
                    reason: d.reason.clone(),
                    rule: d.rule.clone(),
                    given_by: d.given_by,
                    approved_by: d.approved_by,
                    created_at_ms: d.created_at,
                })
                .collect(),
            id: o.id,
            number: o.number,
            table_id: o.table_id,
            takeaway: takeaways.remove(&o.id),
            status: o.status,
            opened_by: o.opened_by,
            opened_at_ms: o.opened_at,
        })
        .collect())
}

/// The order `id` names: itself, or the order it is an alias of; None if unknown.
pub async fn resolve(conn: &mut SqliteConnection, id: OrderId) -> ApiResult<Option<OrderId>> {
    Ok(sqlx::query_scalar!(
        r#"SELECT id AS "id!: OrderId" FROM orders WHERE id = ?1
           UNION ALL SELECT order_id FROM order_aliases WHERE alias_id = ?1"#,
        id
    )
    .fetch_optional(conn)
    .await?)
}

async fn resolve_or_404(conn: &mut SqliteConnection, id: OrderId) -> ApiResult<OrderId> {
    resolve(conn, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no order {id}")))
}

/// One order by any of its ids.
pub async fn load_order(conn: &mut SqliteConnection, id: OrderId) -> ApiResult<Order> {
    let id = resolve_or_404(conn, id).await?;
    load_orders(conn, Some(id))
        .await?
        .pop()
        .ok_or_else(|| ApiError::NotFound(format!("no order {id}")))
}

/// The order (resolved) and its table (None for takeaway), refusing unless it exists and
/// is open.
pub async fn open_order(
    conn: &mut SqliteConnection,
    id: OrderId,
) -> ApiResult<(OrderId, Option<TableId>)> {
    let id = resolve_or_404(conn, id).await?;
    let row = sqlx::query!(
        r#"SELECT o.number, o.table_id AS "table_id?: TableId", o.status AS "status: OrderStatus", o.closed_at,
                  COALESCE('table ' || t.label, 'takeaway order') AS "label!: String", s.name AS "closed_by?"
           FROM orders o LEFT JOIN dining_tables t ON t.id = o.table_id LEFT JOIN staff s ON s.id = o.closed_by
           WHERE o.id = ?"#,
        id
    )
    .fetch_one(&mut *conn)
    .await?;
    match row.status {
        OrderStatus::Open => Ok((id, row.table_id)),
        OrderStatus::Closed => {
            let when = row
                .closed_at
                .map(|ms| format!(" at {} UTC", clock_time(ms)))
                .unwrap_or_default();
            let who = row
                .closed_by
                .map(|n| format!(" by {n}"))
                .unwrap_or_default();
            Err(ApiError::Conflict(format!(
                "{} was closed{who}{when} (order {})",
                row.label, row.number
            )))
        }
    }
}

/// `21:04` for a UTC millisecond timestamp.
fn clock_time(ms: i64) -> String {
    let minutes = ms.div_euclid(60_000).rem_euclid(24 * 60);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

pub(crate) async fn join(
    conn: &mut SqliteConnection,
    order: OrderId,
    staff: StaffId,
) -> ApiResult<()> {
    sqlx::query!(
        "INSERT OR IGNORE INTO order_waiters (order_id, staff_id) VALUES (?, ?)",
        order,
        staff
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn finish(
    conn: &mut SqliteConnection,
    id: OrderId,
    created: bool,
    event: Option<(EventKind, StaffId, Option<TableId>, &[StationId])>,
) -> ApiResult<Outcome> {
    let event = match event {
        Some((kind, by, table_id, station_ids)) => {
            let subject = Subject {
                order_id: Some(id),
                table_id,
                station_ids,
            };
            Some(events::append(conn, kind, by, subject).await?)
        }
        None => None,
    };
    let order = load_order(conn, id).await?;
    Ok(Outcome {
        order,
        created,
        event,
    })
}

/// Opens `table_id` under `requested`, or joins the order already open there.
pub async fn open_table(
    conn: &mut SqliteConnection,
    by: StaffId,
    requested: OrderId,
    table_id: TableId,
) -> ApiResult<Outcome> {
    let table = sqlx::query_scalar!("SELECT label FROM dining_tables WHERE id = ?", table_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no table {table_id}")))?;
    if let Some(known) = resolve(conn, requested).await? {
        let (id, at) = open_order(conn, known).await?;
        if at != Some(table_id) {
            return Err(ApiError::Conflict(format!(
                "order id {requested} belongs to another table"
            )));
        }
        join(conn, id, by).await?;
        return finish(conn, id, false, None).await;
    }
    let open = sqlx::query_scalar!(
        r#"SELECT id AS "id: OrderId" FROM orders WHERE table_id = ? AND status = 'open'"#,
        table_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(existing) = open {
        tracing::info!(table = %table, %requested, %existing, "table already open: the new id joins its order");
        sqlx::query!(
            "INSERT INTO order_aliases (alias_id, order_id) VALUES (?, ?)",
            requested,
            existing
        )
        .execute(&mut *conn)
        .await?;
        join(conn, existing, by).await?;
        return finish(conn, existing, false, None).await;
    }
    let now = now_ms();
    sqlx::query!(
        "INSERT INTO orders (id, number, table_id, opened_by, opened_at)
         VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM orders), ?, ?, ?)",
        requested,
        table_id,
        by,
        now
    )
    .execute(&mut *conn)
    .await?;
    join(conn, requested, by).await?;
    finish(
        conn,
        requested,
        true,
        Some((EventKind::OrderOpened, by, Some(table_id), &[])),
    )
    .await
}

/// A takeaway customer's details, already checked (`app::domain::takeaway::validate_customer`).
pub struct Customer {
    pub name: String,
    pub phone: Option<String>,
    pub sms_consent: bool,
    pub language: String,
}

/// Opens a takeaway order under `requested`; asking again with the same id returns it.
pub async fn open_takeaway(
    conn: &mut SqliteConnection,
    by: StaffId,
    requested: OrderId,
    customer: &Customer,
) -> ApiResult<Outcome> {
    if let Some(known) = resolve(conn, requested).await? {
        let order = load_order(conn, known).await?;
        if order.takeaway.is_none() {
            return Err(ApiError::Conflict(format!(
                "order id {requested} belongs to a table"
            )));
        }
        return Ok(Outcome {
            order,
            created: false,
            event: None,
        });
    }
    let now = now_ms();
    sqlx::query!(
        "INSERT INTO orders (id, number, table_id, opened_by, opened_at)
         VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM orders), NULL, ?, ?)",
        requested,
        by,
        now
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO takeaways (order_id, customer_name, phone, sms_consent, language) VALUES (?, ?, ?, ?, ?)",
        requested,
        customer.name,
        customer.phone,
        customer.sms_consent,
        customer.language
    )
    .execute(&mut *conn)
    .await?;
    join(conn, requested, by).await?;
    finish(
        conn,
        requested,
        true,
        Some((EventKind::OrderOpened, by, None, &[])),
    )
    .await
}

/// Staff say a takeaway order is ready: every item still at a station becomes ready and
/// its tickets leave the station screens; the customer's text is queued.
pub async fn ready_for_pickup(
    conn: &mut SqliteConnection,
    by: StaffId,
    order: OrderId,
) -> ApiResult<Outcome> {
    let (id, _) = open_order(conn, order).await?;
    let mut current = load_order(conn, id).await?;
    let ready = current.ready_for_pickup()?;
    let mut stations: Vec<StationId> = current
        .lines
        .iter()
        .filter(|l| ready.contains(&l.id))
        .map(|l| l.station_id.clone())
        .collect();
    stations.sort_by(|a, b| a.0.cmp(&b.0));
    stations.dedup();
    let (now, lines) = (now_ms(), json_ids(&ready)?);
    sqlx::query!(
        "UPDATE order_lines SET status = 'ready', ready_at = ?
         WHERE id IN (SELECT value FROM json_each(?)) AND status IN ('sent', 'preparing')",
        now,
        lines
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE tickets SET bumped_at = ? WHERE order_id = ? AND bumped_at IS NULL",
        now,
        id
    )
    .execute(&mut *conn)
    .await?;
    if !takeaway::note_if_ready(conn, id).await? && stations.is_empty() {
        // Already ready and announced: nothing changed.
        return finish(conn, id, false, None).await;
    }
    finish(
        conn,
        id,
        false,
        Some((EventKind::OrderReady, by, None, &stations)),
    )
    .await
}

/// Adds lines, priced against `menu` now. Any invalid line refuses them all, naming it.
pub async fn add_lines(
    conn: &mut SqliteConnection,
    by: StaffId,
    order: OrderId,
    lines: &[NewLine],
    menu: &Menu,
) -> ApiResult<Outcome> {
    if lines.is_empty() || lines.len() > MAX_LINES_PER_REQUEST {
        return Err(ApiError::invalid(
            "lines",
            format!("send 1 to {MAX_LINES_PER_REQUEST} lines"),
        ));
    }
    let mut priced = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let p = line
            .price(menu)
            .map_err(|e| ApiError::invalid(format!("lines[{i}].{}", e.field()), e.to_string()))?;
        let line_id = line.id.unwrap_or_else(LineId::new_v7);
        if priced.iter().any(|(seen, _)| *seen == line_id) {
            return Err(ApiError::invalid(
                format!("lines[{i}].id"),
                format!("line id {line_id} appears twice"),
            ));
        }
        priced.push((line_id, p));
    }
    let (id, table_id) = open_order(conn, order).await?;
    let now = now_ms();
    for (line_id, p) in &priced {
        let exists = sqlx::query_scalar!(
            r#"SELECT 1 AS "one!: i64" FROM order_lines WHERE id = ?"#,
            line_id
        )
        .fetch_optional(&mut *conn)
        .await?;
        if exists.is_some() {
            return Err(ApiError::Conflict(format!("line {line_id} exists already")));
        }
        let options =
            serde_json::to_string(&p.options).map_err(|e| ApiError::Internal(e.to_string()))?;
        sqlx::query!(
            "INSERT INTO order_lines (id, order_id, product_id, product_name, station_id, quantity,
                                      unit_price_minor, tax_rate_bp, options_json, note, course, seat, added_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            line_id,
            id,
            p.product_id,
            p.product_name,
            p.station_id,
            p.quantity,
            p.unit_price_minor,
            p.tax_rate_bp,
            options,
            p.note,
            p.course,
            p.seat,
            by,
            now
        )
        .execute(&mut *conn)
        .await?;
    }
    let categories: Vec<_> = priced
        .iter()
        .filter_map(|(line, p)| Some((*line, menu.product(p.product_id)?.category_id)))
        .collect();
    crate::discounts::apply_rules(conn, by, id, &categories).await?;
    join(conn, id, by).await?;
    finish(
        conn,
        id,
        false,
        Some((EventKind::LinesAdded, by, table_id, &[])),
    )
    .await
}

/// Sends the lines never sent: one ticket per station (`Order::send` says which). Nothing
/// new, no ticket, no event.
pub async fn send(conn: &mut SqliteConnection, by: StaffId, order: OrderId) -> ApiResult<Outcome> {
    let (id, table_id) = open_order(conn, order).await?;
    let tickets = load_order(conn, id).await?.send();
    let now = now_ms();
    for StationTicket {
        station_id,
        line_ids,
    } in &tickets
    {
        let ticket = TicketId::new_v7();
        sqlx::query!(
            "INSERT INTO tickets (id, order_id, station_id, sent_by, created_at) VALUES (?, ?, ?, ?, ?)",
            ticket,
            id,
            station_id,
            by,
            now
        )
        .execute(&mut *conn)
        .await?;
        let lines = json_ids(line_ids)?;
        sqlx::query!(
            "UPDATE order_lines SET status = 'sent', ticket_id = ?
             WHERE id IN (SELECT value FROM json_each(?)) AND status = 'new'",
            ticket,
            lines
        )
        .execute(&mut *conn)
        .await?;
        // Printing happens later, in the printer workers; the job is durable from now on.
        workers::print::queue_ticket(conn, ticket, station_id, false).await?;
    }
    let stations: Vec<StationId> = tickets.into_iter().map(|t| t.station_id).collect();
    let event =
        (!stations.is_empty()).then_some((EventKind::OrderSent, by, table_id, stations.as_slice()));
    finish(conn, id, false, event).await
}

/// Line ids as the JSON array `json_each` reads.
pub(crate) fn json_ids(ids: &[LineId]) -> ApiResult<String> {
    serde_json::to_string(ids).map_err(|e| ApiError::Internal(e.to_string()))
}

/// Takes a payment toward the order's bill (once: a payment id seen before changes
/// nothing). Cash opens the drawer of the receipt printer. A tip above the venue's limit
/// needs `approved_by`, a manager.
pub async fn take_payment(
    conn: &mut SqliteConnection,
    by: StaffId,
    order: OrderId,
    payment: &NewPayment,
    approved_by: Option<StaffId>,
) -> ApiResult<Outcome> {
    let (id, table_id) = open_order(conn, order).await?;
    let known = sqlx::query_scalar!(
        r#"SELECT order_id AS "o: OrderId" FROM payments WHERE id = ?"#,
        payment.id
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(of) = known {
        if of != id {
            return Err(ApiError::Conflict(format!(
                "payment {} belongs to another order",
                payment.id
            )));
        }
        return finish(conn, id, false, None).await;
    }
    let (current, venue, left) = with_bill(conn, id).await?;
    let money = |m: i64| Money::new(m, venue.currency.as_str()).to_string();
    let total = current
        .totals(venue.tax_mode, venue.tax_rounding)
        .total_minor;
    let rules = venue.payment_rules();
    let change = payment
        .check(left, total, &rules, approved_by.is_some(), money)
        .map_err(|e| match e {
            PaymentError::TipNeedsApproval { .. } => ApiError::ApprovalNeeded(e.to_string()),
            e => ApiError::invalid(e.field(), e.to_string()),
        })?;
    let rounding = payment.cash_rounding(left, venue.cash_rounding_minor);
    split::check_seat(payment.seat).map_err(|e| ApiError::invalid("seat", e.to_string()))?;
    split::items_amount(&current, venue.tax_mode, venue.tax_rounding, &payment.items)
        .map_err(|e| ApiError::invalid("items", e.to_string()))?;
    let items =
        serde_json::to_string(&payment.items).map_err(|e| ApiError::Internal(e.to_string()))?;
    let reference = payment
        .reference
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let now = now_ms();
    sqlx::query!(
        "INSERT INTO payments (id, order_id, method, amount_minor, tip_minor, tendered_minor, change_minor,
                               reference, seat, items_json, rounding_minor, taken_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        payment.id,
        id,
        payment.method,
        payment.amount_minor,
        payment.tip_minor,
        payment.tendered_minor,
        change,
        reference,
        payment.seat,
        items,
        rounding,
        by,
        now
    )
    .execute(&mut *conn)
    .await?;
    let detail = serde_json::json!({
        "payment_id": payment.id, "method": payment.method, "amount_minor": payment.amount_minor,
        "tip_minor": payment.tip_minor, "change_minor": change,
        "rounding_minor": rounding, "left_before_minor": left,
        "left_after_minor": left - payment.amount_minor - rounding,
    });
    // The approval is on record only where the tip needed one.
    let approved_by = approved_by.filter(|_| rules.tip_needs_approval(payment.tip_minor, total));
    audit(conn, by, approved_by, "take_payment", Some(id), detail).await?;
    if payment.method == PaymentMethod::Cash {
        workers::print::queue_cash_drawer(conn).await?;
    }
    join(conn, id, by).await?;
    finish(
        conn,
        id,
        false,
        Some((EventKind::PaymentTaken, by, table_id, &[])),
    )
    .await
}

/// Writes one entry to the append-only audit log: who, when, what (before and after in
/// `detail`), approved by whom, and the order it is about (None for a shift or a report).
pub(crate) async fn audit(
    conn: &mut SqliteConnection,
    by: StaffId,
    approved_by: Option<StaffId>,
    action: &str,
    order: Option<OrderId>,
    detail: serde_json::Value,
) -> ApiResult<()> {
    let (now, detail) = (now_ms(), detail.to_string());
    sqlx::query!(
        "INSERT INTO audit_log (at, staff_id, approved_by, action, order_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
        now,
        by,
        approved_by,
        action,
        order,
        detail
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The order's line `id`, or 404 naming the order.
pub(crate) fn line_of(order: &Order, id: LineId) -> ApiResult<&OrderLine> {
    order
        .lines
        .iter()
        .find(|l| l.id == id)
        .ok_or_else(|| ApiError::NotFound(format!("order {} has no line {id}", order.number)))
}

/// Why voiding a line needs a manager: None when it does not.
pub fn void_needs_approval(line: &OrderLine, threshold_minor: i64) -> Option<&'static str> {
    match line.status {
        LineStatus::New | LineStatus::Void => None,
        LineStatus::Preparing | LineStatus::Ready | LineStatus::Served => {
            Some("the kitchen has already made it")
        }
        LineStatus::Sent if line.total_minor() > threshold_minor => Some("it is over the limit"),
        LineStatus::Sent => None,
    }
}

/// Voids a line with a reason. A line never sent just goes; a sent one gets a VOID ticket
/// at its station (printed like any ticket). `approved_by` is the manager whose PIN was
/// given, if any; the rules say when one is needed. Written to the audit log.
pub async fn void_line(
    conn: &mut SqliteConnection,
    by: StaffId,
    order: OrderId,
    line_id: LineId,
    reason: &str,
    approved_by: Option<StaffId>,
) -> ApiResult<Outcome> {
    let (id, table_id) = open_order(conn, order).await?;
    let current = load_order(conn, id).await?;
    let line = line_of(&current, line_id)?;
    if line.status == LineStatus::Void {
        return Err(ApiError::Conflict(format!(
            "{} is void already",
            line.product_name
        )));
    }
    let venue = crate::venue::load_venue(conn).await?;
    let threshold = sqlx::query_scalar!("SELECT void_approval_above_minor FROM venue WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    if let (Some(why), None) = (void_needs_approval(line, threshold), approved_by) {
        return Err(ApiError::ApprovalNeeded(format!(
            "voiding {}x {} ({}) needs a manager's PIN: {why}",
            line.quantity,
            line.product_name,
            Money::new(line.total_minor(), venue.currency.as_str())
        )));
    }
    let now = now_ms();
    sqlx::query!(
        "UPDATE order_lines SET status = 'void', void_reason = ?, voided_by = ?, void_approved_by = ?, voided_at = ?
         WHERE id = ?",
        reason,
        by,
        approved_by,
        now,
        line_id
    )
    .execute(&mut *conn)
    .await?;
    let detail = serde_json::json!({
        "line_id": line_id, "product": line.product_name, "quantity": line.quantity,
        "amount_minor": line.total_minor(), "status_before": line.status, "reason": reason,
        "order_total_before_minor": current.total_minor(),
        "order_total_after_minor": current.total_minor() - line.total_minor(),
    });
    audit(conn, by, approved_by, "void_line", Some(id), detail).await?;
    let mut stations = vec![];
    if line.status != LineStatus::New {
        let ticket = TicketId::new_v7();
        sqlx::query!(
            "INSERT INTO tickets (id, order_id, station_id, sent_by, created_at, kind) VALUES (?, ?, ?, ?, ?, 'void')",
            ticket,
            id,
            line.station_id,
            by,
            now
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            "INSERT INTO void_ticket_lines (ticket_id, line_id) VALUES (?, ?)",
            ticket,
            line_id
        )
        .execute(&mut *conn)
        .await?;
        workers::print::queue_ticket(conn, ticket, &line.station_id, false).await?;
        stations.push(line.station_id.clone());
    }
    finish(
        conn,
        id,
        false,
        Some((EventKind::LineVoided, by, table_id, &stations)),
    )
    .await
}

/// The order, the venue (its currency and tax rules) and what is left to pay.
pub(crate) async fn with_bill(
    conn: &mut SqliteConnection,
    id: OrderId,
) -> ApiResult<(Order, Venue, i64)> {
    let order = load_order(conn, id).await?;
    let venue = crate::venue::load_venue(conn).await?;
    let left = order.left_to_pay(venue.tax_mode, venue.tax_rounding);
    Ok((order, venue, left))
}

/// Closes a paid order, which frees its table.
pub async fn close(conn: &mut SqliteConnection, by: StaffId, order: OrderId) -> ApiResult<Outcome> {
    let (id, table_id) = open_order(conn, order).await?;
    let (current, venue, _) = with_bill(conn, id).await?;
    let money = |m: i64| Money::new(m, venue.currency.as_str()).to_string();
    current.check_close(venue.tax_mode, venue.tax_rounding, money)?;
    let detail = serde_json::json!({ "total_minor": current.totals(venue.tax_mode, venue.tax_rounding).total_minor });
    audit(conn, by, None, "close_order", Some(id), detail).await?;
    close_and_free(conn, by, id, table_id, false).await
}

/// Closes the order (as cancelled, if `cancelled`), which frees its table, and announces it.
async fn close_and_free(
    conn: &mut SqliteConnection,
    by: StaffId,
    id: OrderId,
    table_id: Option<TableId>,
    cancelled: bool,
) -> ApiResult<Outcome> {
    let now = now_ms();
    let cancelled_at = cancelled.then_some(now);
    sqlx::query!(
        "UPDATE orders SET status = 'closed', closed_at = ?, closed_by = ?, cancelled_at = ? WHERE id = ?",
        now,
        by,
        cancelled_at,
        id
    )
    .execute(&mut *conn)
    .await?;
    finish(
        conn,
        id,
        false,
        Some((EventKind::OrderClosed, by, table_id, &[])),
    )
    .await
}

/// Cancels an order with nothing sent and nothing paid (a table opened by mistake): its
/// never-sent lines and their discounts go, the order is closed as cancelled (reports
/// leave it out) and its table is free.
pub async fn cancel(
    conn: &mut SqliteConnection,
    by: StaffId,
    order: OrderId,
) -> ApiResult<Outcome> {
    let (id, table_id) = open_order(conn, order).await?;
    let current = load_order(conn, id).await?;
    current
        .check_cancel()
        .map_err(|e| ApiError::Conflict(e.to_string()))?;
    let detail = serde_json::json!({ "lines": current.lines.len() });
    audit(conn, by, None, "cancel_order", Some(id), detail).await?;
    sqlx::query!("DELETE FROM discounts WHERE order_id = ?", id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "DELETE FROM order_lines WHERE order_id = ? AND status = 'new'",
        id
    )
    .execute(&mut *conn)
    .await?;
    close_and_free(conn, by, id, table_id, true).await
}

/// Takes off a line that was never sent (a mis-tap): it goes with its discounts, as if
/// it had never been added, unless a payment paid for it by item.
pub async fn remove_line(
    conn: &mut SqliteConnection,
    by: StaffId,
    order: OrderId,
    line: LineId,
) -> ApiResult<Outcome> {
    let (id, table_id) = open_order(conn, order).await?;
    let current = load_order(conn, id).await?;
    line_of(&current, line)?;
    current
        .check_remove_line(line)
        .map_err(|e| ApiError::Conflict(e.to_string()))?;
    sqlx::query!("DELETE FROM discounts WHERE line_id = ?", line)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "DELETE FROM order_lines WHERE id = ? AND status = 'new'",
        line
    )
    .execute(&mut *conn)
    .await?;
    finish(
        conn,
        id,
        false,
        Some((EventKind::LinesAdded, by, table_id, &[])),
    )
    .await
}

/// Marks every ready line of the order served (`Order::serve_ready`).
pub async fn serve_ready(
    conn: &mut SqliteConnection,
    by: StaffId,
    order: OrderId,
) -> ApiResult<Outcome> {
    let (id, table_id) = open_order(conn, order).await?;
    let served = load_order(conn, id).await?.serve_ready();
    let lines = json_ids(&served)?;
    sqlx::query!(
        "UPDATE order_lines SET status = 'served' WHERE id IN (SELECT value FROM json_each(?)) AND status = 'ready'",
        lines
    )
    .execute(&mut *conn)
    .await?;
    let event = (!served.is_empty()).then_some((EventKind::LinesServed, by, table_id, &[][..]));
    finish(conn, id, false, event).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn clock_time_is_utc_hours_and_minutes() {
        assert_eq!(super::clock_time(0), "00:00");
        assert_eq!(super::clock_time((21 * 60 + 4) * 60_000 + 59_999), "21:04");
        assert_eq!(super::clock_time(3 * 86_400_000 + 60_000), "00:01");
    }
}
