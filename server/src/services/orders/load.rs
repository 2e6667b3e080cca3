//! Reading orders: open ones, some, or one, with their lines, discounts, payments,
//! waiters and takeaway customer, and finding the order an id (or an alias of it)
//! stands for.

use crate::db::direct::sql;
use crate::services::{json_ids, on, ServiceError, ServiceResult};
use app::domain::discounts::Discount;
use app::domain::orders::{Order, OrderLine};
use app::domain::payments::Payment;
use app::domain::takeaway::{SmsState, Takeaway};
use app::domain::{OrderId, StaffId};
use rusqlite::{Connection, Row};
use serde::de::DeserializeOwned;
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// Open orders (`only = None`), or the one order `only`, whatever its status.
pub fn load_orders(conn: &Connection, only: Option<OrderId>) -> ServiceResult<Vec<Order>> {
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
/// discounts, lines), each reading every order of `ids` by its order_id index; the rows
/// are put together here. An order is read after each change, so this is on every
/// write's path: plain rows on the direct path cost a fraction of building the orders as
/// JSON in SQLite and parsing it back.
pub fn load_these(conn: &Connection, ids: &[OrderId]) -> ServiceResult<Vec<Order>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = json_ids(ids)?;
    let mut orders = sql!(
        conn,
        "SELECT id, number, table_id, status, opened_by, opened_at FROM orders
         WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY opened_at, id",
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
            lines: Vec::new(),
        })
    })?;
    let at: HashMap<OrderId, usize> = orders.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
    // Each child row names its order first; rows of an order keep the statement's order.
    let put = |order: OrderId| at.get(&order).map(|&i| i);

    let takeaways = sql!(
        conn,
        "SELECT t.order_id, t.customer_name, t.phone, t.sms_consent, t.language,
                m.id, m.status, m.last_error
         FROM takeaways t LEFT JOIN sms_outbox m ON m.order_id = t.order_id AND m.event = 'ready'
         WHERE t.order_id IN (SELECT value FROM json_each(?1))",
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
    for (order, takeaway) in takeaways {
        if let Some(i) = put(order) {
            orders[i].takeaway = Some(takeaway);
        }
    }

    let waiters = sql!(
        conn,
        "SELECT order_id, staff_id FROM order_waiters
         WHERE order_id IN (SELECT value FROM json_each(?1)) ORDER BY staff_id",
        ids
    )
    .rows(|r| Ok((r.get::<_, OrderId>(0)?, r.get::<_, StaffId>(1)?)))?;
    for (order, waiter) in waiters {
        if let Some(i) = put(order) {
            orders[i].waiter_ids.push(waiter);
        }
    }

    let payments = sql!(
        conn,
        "SELECT id, order_id, method, amount_minor, tip_minor, tendered_minor, change_minor,
                reference, seat, items_json, rounding_minor, taken_by, created_at
         FROM payments WHERE order_id IN (SELECT value FROM json_each(?1)) ORDER BY created_at, id",
        ids
    )
    .rows(|r| {
        Ok(Payment {
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
        })
    })?;
    for payment in payments {
        if let Some(i) = put(payment.order_id) {
            orders[i].payments.push(payment);
        }
    }

    let discounts = sql!(
        conn,
        "SELECT d.order_id, d.id, d.line_id, d.kind, d.value, d.reason, r.name, d.given_by,
                d.approved_by, d.created_at
         FROM discounts d LEFT JOIN discount_rules r ON r.id = d.rule_id
         WHERE d.order_id IN (SELECT value FROM json_each(?1)) ORDER BY d.created_at, d.id",
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
    for (order, discount) in discounts {
        if let Some(i) = put(order) {
            orders[i].discounts.push(discount);
        }
    }

    let lines = sql!(
        conn,
        "SELECT order_id, id, product_id, product_name, station_id, quantity, unit_price_minor,
                tax_rate_bp, options_json, note, course, seat, status, ticket_id, added_by, created_at
         FROM order_lines WHERE order_id IN (SELECT value FROM json_each(?1)) ORDER BY created_at, id",
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
    for (order, line) in lines {
        if let Some(i) = put(order) {
            orders[i].lines.push(line);
        }
    }
    Ok(orders)
}

/// A list stored as JSON text in column `i` (a line's options, a payment's items); most
/// are empty, and are read without the parser.
fn json_list<T: DeserializeOwned>(r: &Row<'_>, i: usize) -> rusqlite::Result<Vec<T>> {
    let text = r.get_ref(i)?.as_str()?;
    if text == "[]" {
        return Ok(Vec::new());
    }
    serde_json::from_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// `load_these` from code still on sqlx.
pub async fn load_these_async(
    conn: &mut SqliteConnection,
    ids: &[OrderId],
) -> ServiceResult<Vec<Order>> {
    on(conn, |c| load_these(c, ids)).await
}

/// The order `id` names: itself, or the order it is an alias of; None if unknown.
pub fn resolve(conn: &Connection, id: OrderId) -> ServiceResult<Option<OrderId>> {
    Ok(sql!(
        conn,
        r#"SELECT id AS "id!: OrderId" FROM orders WHERE id = ?1
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

/// One order by its own id (resolved already, e.g. by `open_order`): one statement.
pub fn load_own(conn: &Connection, id: OrderId) -> ServiceResult<Order> {
    load_these(conn, &[id])?
        .pop()
        .ok_or(ServiceError::NoSuchOrder(id))
}

/// `load_own` from code still on sqlx.
pub async fn load_own_async(conn: &mut SqliteConnection, id: OrderId) -> ServiceResult<Order> {
    on(conn, |c| load_own(c, id)).await
}

/// One order by any of its ids.
pub fn load_order(conn: &Connection, id: OrderId) -> ServiceResult<Order> {
    let id = resolve(conn, id)?.ok_or(ServiceError::NoSuchOrder(id))?;
    load_own(conn, id)
}

/// `load_order` from code still on sqlx.
pub async fn load_order_async(conn: &mut SqliteConnection, id: OrderId) -> ServiceResult<Order> {
    on(conn, |c| load_order(c, id)).await
}
