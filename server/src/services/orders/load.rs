//! Reading orders: open ones, some, or one, with their lines, discounts, payments and
//! tickets, and finding the order an id (or an alias of it) stands for.

use crate::services::takeaway;
use crate::services::{ServiceError, ServiceResult};
use app::domain::discounts::{Discount, DiscountKind};
use app::domain::orders::{LineStatus, Order, OrderLine, OrderStatus};
use app::domain::payments::{Payment, PaymentMethod};
use app::domain::{
    DiscountId, LineId, OrderId, PaymentId, ProductId, StaffId, StationId, TableId, TicketId,
};
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// Open orders (`only = None`), or the one order `only`, whatever its status.
pub async fn load_orders(
    conn: &mut SqliteConnection,
    only: Option<OrderId>,
) -> ServiceResult<Vec<Order>> {
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
pub async fn load_these(conn: &mut SqliteConnection, ids: &[OrderId]) -> ServiceResult<Vec<Order>> {
    let ids = serde_json::to_string(ids).map_err(|e| ServiceError::Internal(e.to_string()))?;
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
                .map_err(|e| ServiceError::Internal(format!("items of payment {}: {e}", p.id)))?,
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
    .collect::<ServiceResult<Vec<_>>>()?;
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
            .map_err(|e| ServiceError::Internal(format!("options of line {}: {e}", l.id)))?;
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
pub async fn resolve(conn: &mut SqliteConnection, id: OrderId) -> ServiceResult<Option<OrderId>> {
    Ok(sqlx::query_scalar!(
        r#"SELECT id AS "id!: OrderId" FROM orders WHERE id = ?1
           UNION ALL SELECT order_id FROM order_aliases WHERE alias_id = ?1"#,
        id
    )
    .fetch_optional(conn)
    .await?)
}

pub(super) async fn resolve_or_404(
    conn: &mut SqliteConnection,
    id: OrderId,
) -> ServiceResult<OrderId> {
    resolve(conn, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("no order {id}")))
}

/// One order by any of its ids.
pub async fn load_order(conn: &mut SqliteConnection, id: OrderId) -> ServiceResult<Order> {
    let id = resolve_or_404(conn, id).await?;
    load_orders(conn, Some(id))
        .await?
        .pop()
        .ok_or_else(|| ServiceError::NotFound(format!("no order {id}")))
}
