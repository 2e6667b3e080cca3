//! Reading orders: open ones, some, or one, with their lines, discounts, payments,
//! waiters and takeaway customer, and finding the order an id (or an alias of it)
//! stands for.

use crate::db::direct::{sql, Conn};
use crate::services::{json_ids, json_list, on, ServiceError, ServiceResult};
use app::domain::discounts::Discount;
use app::domain::orders::{Order, OrderLine};
use app::domain::payments::Payment;
use app::domain::takeaway::{SmsState, Takeaway};
use app::domain::{OrderId, StaffId};
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// Open orders (`only = None`), or the one order `only`, whatever its status.
pub fn load_orders(conn: &Conn, only: Option<OrderId>) -> ServiceResult<Vec<Order>> {
    // The orders' ids first, as a JSON array every query below takes, so each reads by
    // its order_id index instead of scanning every order ever taken.
    let ids = match only {
        Some(id) => vec![id],
        None => sql!(
            conn,
            r#"SELECT id AS "id: OrderId" FROM orders WHERE status = 'open'"#
        )
        .rows(|r| r.get(0))?,
    };
    load_these(conn, &ids)
}

/// `load_orders` from code still on sqlx.
pub async fn load_orders_async(
    conn: &mut SqliteConnection,
    only: Option<OrderId>,
) -> ServiceResult<Vec<Order>> {
    on(conn, |c| load_orders(c, only)).await
}

/// The orders `ids` names (their own ids, not aliases), oldest first.
///
/// One statement per table (orders, takeaways with their text, waiters, payments,
/// discounts, lines), each looking up every order of `ids` by its order_id index (the ids
/// joined as `json_each`, which needs no temporary table, unlike `IN (SELECT ...)`); the rows
/// are put together here. An order is read after each change, so this is on every
/// write's path: plain rows on the direct path cost a fraction of building the orders as
/// JSON in SQLite and parsing it back.
pub fn load_these(conn: &Conn, ids: &[OrderId]) -> ServiceResult<Vec<Order>> {
    read(conn, ids, Parts::Whole)
}

/// What of an order `read` reads.
#[derive(Clone, Copy, PartialEq)]
enum Parts {
    /// All of it.
    Whole,
    /// What its bill is made of (lines, discounts, payments): not its waiters nor its
    /// takeaway customer, which stay empty.
    Bill,
}

/// `load_these`, reading the `parts` asked for.
fn read(conn: &Conn, ids: &[OrderId], parts: Parts) -> ServiceResult<Vec<Order>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let ids = json_ids(&ids)?;
    let mut orders = sql!(
        conn,
        "SELECT o.id, o.number, o.table_id, o.status, o.opened_by, o.opened_at, o.held_from, o.guests,
                o.merged_into, o.handed_to
         FROM json_each(?1) j JOIN orders o ON o.id = j.value ORDER BY o.opened_at, o.id",
        ids
    )
    .rows(|r| {
        Ok(Order {
            id: r.get(0)?,
            number: r.get(1)?,
            table_id: r.get(2)?,
            takeaway: None,
            status: r.get(3)?,
            opened_by: r.get(4)?,
            waiter_ids: Vec::new(),
            payments: Vec::new(),
            discounts: Vec::new(),
            opened_at_ms: r.get(5)?,
            held_from: r.get(6)?,
            guests: r.get(7)?,
            merged_into: r.get(8)?,
            handed_to: r.get(9)?,
            lines: Vec::new(),
        })
    })?;
    let at: HashMap<OrderId, usize> = orders.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
    if parts == Parts::Whole {
        people(conn, &ids, &mut orders, &at)?;
    }
    money(conn, &ids, &mut orders, &at)?;
    Ok(orders)
}

/// Puts on `orders` their takeaway customers (with the text message) and their waiters.
fn people(
    conn: &Conn,
    ids: &str,
    orders: &mut [Order],
    at: &HashMap<OrderId, usize>,
) -> ServiceResult<()> {
    let takeaways = sql!(
        conn,
        "SELECT t.order_id, t.customer_name, t.phone, t.sms_consent, t.language,
                m.id, m.status, m.last_error
         FROM json_each(?1) j JOIN takeaways t ON t.order_id = j.value
         LEFT JOIN sms_outbox m ON m.order_id = t.order_id AND m.event = 'ready'",
        ids
    )
    .rows(|r| {
        let sms = match r.get::<_, Option<String>>(5)? {
            Some(id) => Some(SmsState {
                id,
                status: r.get(6)?,
                last_error: r.get(7)?,
            }),
            None => None,
        };
        let takeaway = Takeaway {
            customer_name: r.get(1)?,
            phone: r.get(2)?,
            sms_consent: r.get(3)?,
            language: r.get(4)?,
            sms,
        };
        Ok((r.get::<_, OrderId>(0)?, takeaway))
    })?;
    attach(orders, at, takeaways, |o, t| o.takeaway = Some(t));

    let waiters = sql!(
        conn,
        "SELECT w.order_id, w.staff_id FROM json_each(?1) j JOIN order_waiters w ON w.order_id = j.value
         ORDER BY w.staff_id",
        ids
    )
    .rows(|r| Ok((r.get::<_, OrderId>(0)?, r.get::<_, StaffId>(1)?)))?;
    attach(orders, at, waiters, |o, w| o.waiter_ids.push(w));
    Ok(())
}

/// Puts on `orders` what their bills are made of: payments, discounts and lines.
fn money(
    conn: &Conn,
    ids: &str,
    orders: &mut [Order],
    at: &HashMap<OrderId, usize>,
) -> ServiceResult<()> {
    let payments = sql!(
        conn,
        "SELECT p.id, p.order_id, p.method, p.amount_minor, p.tip_minor, p.tendered_minor, p.change_minor,
                p.reference, p.seat, p.items_json, p.rounding_minor, p.taken_by, p.created_at
         FROM json_each(?1) j JOIN payments p ON p.order_id = j.value ORDER BY p.created_at, p.id",
        ids
    )
    .rows(|r| {
        let payment = Payment {
            id: r.get(0)?,
            order_id: r.get(1)?,
            method: r.get(2)?,
            amount_minor: r.get(3)?,
            tip_minor: r.get(4)?,
            tendered_minor: r.get(5)?,
            change_minor: r.get(6)?,
            reference: r.get(7)?,
            seat: r.get(8)?,
            items: json_list(r, 9)?,
            rounding_minor: r.get(10)?,
            taken_by: r.get(11)?,
            created_at_ms: r.get(12)?,
        };
        Ok((payment.order_id, payment))
    })?;
    attach(orders, at, payments, |o, p| o.payments.push(p));

    let discounts = sql!(
        conn,
        "SELECT d.order_id, d.id, d.line_id, d.kind, d.value, d.reason, r.name, d.given_by,
                d.approved_by, d.created_at
         FROM json_each(?1) j JOIN discounts d ON d.order_id = j.value
         LEFT JOIN discount_rules r ON r.id = d.rule_id ORDER BY d.created_at, d.id",
        ids
    )
    .rows(|r| {
        let discount = Discount {
            id: r.get(1)?,
            line_id: r.get(2)?,
            kind: r.get(3)?,
            value: r.get(4)?,
            reason: r.get(5)?,
            rule: r.get(6)?,
            given_by: r.get(7)?,
            approved_by: r.get(8)?,
            created_at_ms: r.get(9)?,
        };
        Ok((r.get::<_, OrderId>(0)?, discount))
    })?;
    attach(orders, at, discounts, |o, d| o.discounts.push(d));

    let lines = sql!(
        conn,
        "SELECT l.order_id, l.id, l.product_id, l.product_name, l.station_id, l.quantity, l.unit_price_minor,
                l.tax_rate_bp, l.options_json, l.note, l.course, l.seat, l.status, l.ticket_id, l.added_by,
                l.created_at
         FROM json_each(?1) j JOIN order_lines l ON l.order_id = j.value ORDER BY l.created_at, l.id",
        ids
    )
    .rows(|r| {
        let line = OrderLine {
            id: r.get(1)?,
            product_id: r.get(2)?,
            product_name: r.get(3)?,
            station_id: r.get(4)?,
            quantity: r.get(5)?,
            unit_price_minor: r.get(6)?,
            tax_rate_bp: r.get(7)?,
            options: json_list(r, 8)?,
            note: r.get(9)?,
            course: r.get(10)?,
            seat: r.get(11)?,
            status: r.get(12)?,
            ticket_id: r.get(13)?,
            added_by: r.get(14)?,
            created_at_ms: r.get(15)?,
        };
        Ok((r.get::<_, OrderId>(0)?, line))
    })?;
    attach(orders, at, lines, |o, l| o.lines.push(l));
    Ok(())
}

/// Puts each row's item on its order (`at`: each order's place in `orders`), in the rows'
/// order, which is the statement's.
fn attach<T>(
    orders: &mut [Order],
    at: &HashMap<OrderId, usize>,
    rows: Vec<(OrderId, T)>,
    put: impl Fn(&mut Order, T),
) {
    for (order, item) in rows {
        if let Some(&i) = at.get(&order) {
            put(&mut orders[i], item);
        }
    }
}

/// `load_these` from code still on sqlx.
pub async fn load_these_async(
    conn: &mut SqliteConnection,
    ids: &[OrderId],
) -> ServiceResult<Vec<Order>> {
    on(conn, |c| load_these(c, ids)).await
}

/// The order `id` names: itself, the order it was merged into, or the order it is an
/// alias of; None if unknown. A merge points every alias and earlier merge of the merged
/// order at the one it went into, so one step always ends at an order that was not merged.
pub fn resolve(conn: &Conn, id: OrderId) -> ServiceResult<Option<OrderId>> {
    Ok(sql!(
        conn,
        r#"SELECT COALESCE(merged_into, id) AS "id!: OrderId" FROM orders WHERE id = ?1
           UNION ALL SELECT order_id FROM order_aliases WHERE alias_id = ?1"#,
        id
    )
    .scalar_optional()?)
}

/// `resolve` from code still on sqlx.
pub async fn resolve_async(
    conn: &mut SqliteConnection,
    id: OrderId,
) -> ServiceResult<Option<OrderId>> {
    on(conn, |c| resolve(c, id)).await
}

/// One order by its own id (resolved already, e.g. by `open_order`).
pub fn load_own(conn: &Conn, id: OrderId) -> ServiceResult<Order> {
    read_one(conn, id, Parts::Whole)
}

/// `load_own` from code still on sqlx.
pub async fn load_own_async(conn: &mut SqliteConnection, id: OrderId) -> ServiceResult<Order> {
    on(conn, |c| load_own(c, id)).await
}

/// One order by its own id, as its bill needs it (`Parts::Bill`): its waiters and
/// takeaway customer are left empty, so it is not for deciding anything about them (a
/// takeaway order reads like a table's).
pub(super) fn load_bill(conn: &Conn, id: OrderId) -> ServiceResult<Order> {
    read_one(conn, id, Parts::Bill)
}

/// One order by its own id, its `parts` read.
fn read_one(conn: &Conn, id: OrderId, parts: Parts) -> ServiceResult<Order> {
    read(conn, &[id], parts)?
        .pop()
        .ok_or(ServiceError::NoSuchOrder(id))
}

/// One order by any of its ids.
pub fn load_order(conn: &Conn, id: OrderId) -> ServiceResult<Order> {
    let id = resolve(conn, id)?.ok_or(ServiceError::NoSuchOrder(id))?;
    load_own(conn, id)
}

/// `load_order` from code still on sqlx.
pub async fn load_order_async(conn: &mut SqliteConnection, id: OrderId) -> ServiceResult<Order> {
    on(conn, |c| load_order(c, id)).await
}
