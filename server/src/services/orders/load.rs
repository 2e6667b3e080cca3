//! Reading orders: open ones, some, or one, with their lines, discounts, payments,
//! waiters and takeaway customer, and finding the order an id (or an alias of it)
//! stands for.

use crate::db::direct::sql;
use crate::services::{json_ids, on, stored, ServiceError, ServiceResult};
use app::domain::orders::Order;
use app::domain::OrderId;
use rusqlite::Connection;
use sqlx::SqliteConnection;

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
/// One statement: SQLite builds each order with its lines, payments, discounts, waiters
/// and takeaway customer as JSON in the shape `Order` deserialises from, since an order
/// is read after each change. Subquery results pass through `json()` because SQLite
/// drops the JSON subtype at a subquery's edge.
pub fn load_these(conn: &Connection, ids: &[OrderId]) -> ServiceResult<Vec<Order>> {
    let ids = json_ids(ids)?;
    let json: String = sql!(
        conn,
        r#"SELECT json_group_array(json(o.j) ORDER BY o.opened_at, o.id) AS "orders!: String" FROM (
             SELECT o.id, o.opened_at, json_object(
               'id', o.id, 'number', o.number, 'table_id', o.table_id, 'status', o.status,
               'opened_by', o.opened_by, 'opened_at_ms', o.opened_at,
               'takeaway', json((SELECT json_object(
                   'customer_name', t.customer_name, 'phone', t.phone,
                   'sms_consent', json(CASE WHEN t.sms_consent THEN 'true' ELSE 'false' END),
                   'language', t.language,
                   'sms', json((SELECT json_object('id', m.id, 'status', m.status, 'last_error', m.last_error)
                                FROM sms_outbox m WHERE m.order_id = t.order_id AND m.event = 'ready')))
                 FROM takeaways t WHERE t.order_id = o.id)),
               'waiter_ids', json((SELECT json_group_array(w.staff_id ORDER BY w.staff_id)
                 FROM order_waiters w WHERE w.order_id = o.id)),
               'payments', json((SELECT json_group_array(json_object(
                   'id', p.id, 'order_id', p.order_id, 'method', p.method, 'amount_minor', p.amount_minor,
                   'tip_minor', p.tip_minor, 'tendered_minor', p.tendered_minor, 'change_minor', p.change_minor,
                   'reference', p.reference, 'seat', p.seat, 'items', json(p.items_json),
                   'rounding_minor', p.rounding_minor, 'taken_by', p.taken_by, 'created_at_ms', p.created_at)
                   ORDER BY p.created_at, p.id)
                 FROM payments p WHERE p.order_id = o.id)),
               'discounts', json((SELECT json_group_array(json_object(
                   'id', d.id, 'line_id', d.line_id, 'kind', d.kind, 'value', d.value, 'reason', d.reason,
                   'rule', r.name, 'given_by', d.given_by, 'approved_by', d.approved_by,
                   'created_at_ms', d.created_at)
                   ORDER BY d.created_at, d.id)
                 FROM discounts d LEFT JOIN discount_rules r ON r.id = d.rule_id WHERE d.order_id = o.id)),
               'lines', json((SELECT json_group_array(json_object(
                   'id', l.id, 'product_id', l.product_id, 'product_name', l.product_name,
                   'station_id', l.station_id, 'quantity', l.quantity, 'unit_price_minor', l.unit_price_minor,
                   'tax_rate_bp', l.tax_rate_bp, 'options', json(l.options_json), 'note', l.note,
                   'course', l.course, 'seat', l.seat, 'status', l.status, 'ticket_id', l.ticket_id,
                   'added_by', l.added_by, 'created_at_ms', l.created_at)
                   ORDER BY l.created_at, l.id)
                 FROM order_lines l WHERE l.order_id = o.id))
             ) AS j
             FROM orders o WHERE o.id IN (SELECT value FROM json_each(?1))
           ) o"#,
        ids
    )
    .scalar()?;
    stored(&json, "orders")
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
