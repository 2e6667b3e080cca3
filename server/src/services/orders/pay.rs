//! Settling an order: take a payment (opening the cash drawer for cash), close a paid
//! order, or cancel one with nothing on it; each frees the table.

use super::{audit, finish, join, load_own, open_order, with_bill, Change};
use crate::db::direct::{sql, Conn};
use crate::db::now_ms;
use crate::services::print_queue;
use crate::services::{ServiceError, ServiceResult};
use app::api::EventKind;
use app::domain::payments::{NewPayment, PaymentError, PaymentMethod};
use app::domain::split;
use app::domain::{Money, OrderId, StaffId, TableId};

/// Takes a payment toward the order's bill (once: a payment id seen before changes
/// nothing). Cash opens the drawer of the receipt printer. A tip above the venue's limit
/// needs `approved_by`, a manager.
pub fn take_payment(
    conn: &Conn,
    by: StaffId,
    order: OrderId,
    payment: &NewPayment,
    approved_by: Option<StaffId>,
) -> ServiceResult<Change> {
    let (id, table_id) = open_order(conn, order)?;
    let known: Option<OrderId> = sql!(
        conn,
        r#"SELECT order_id AS "o: OrderId" FROM payments WHERE id = ?"#,
        payment.id
    )
    .scalar_optional()?;
    if let Some(of) = known {
        if of != id {
            return Err(ServiceError::Conflict(format!(
                "payment {} belongs to another order",
                payment.id
            )));
        }
        return finish(conn, id, false, None);
    }
    let (current, venue, left) = with_bill(conn, id)?;
    let money = |m: i64| Money::new(m, venue.currency.as_str()).to_string();
    let total = current
        .totals(venue.tax_mode, venue.tax_rounding)
        .total_minor;
    let rules = venue.payment_rules();
    let change = payment
        .check(left, total, &rules, approved_by.is_some(), money)
        .map_err(|e| match e {
            PaymentError::TipNeedsApproval { .. } => ServiceError::ApprovalNeeded(e.to_string()),
            e => ServiceError::invalid(e.field(), e.to_string()),
        })?;
    let rounding = payment.cash_rounding(left, venue.cash_rounding_minor);
    split::check_seat(payment.seat).map_err(|e| ServiceError::invalid("seat", e.to_string()))?;
    split::items_amount(&current, venue.tax_mode, venue.tax_rounding, &payment.items)
        .map_err(|e| ServiceError::invalid("items", e.to_string()))?;
    let items =
        serde_json::to_string(&payment.items).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let reference = payment
        .reference
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let now = now_ms();
    sql!(
        conn,
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
    .execute()?;
    let detail = serde_json::json!({
        "payment_id": payment.id, "method": payment.method, "amount_minor": payment.amount_minor,
        "tip_minor": payment.tip_minor, "change_minor": change,
        "rounding_minor": rounding, "left_before_minor": left,
        "left_after_minor": left - payment.amount_minor - rounding,
    });
    // The approval is on record only where the tip needed one.
    let approved_by = approved_by.filter(|_| rules.tip_needs_approval(payment.tip_minor, total));
    audit(conn, by, approved_by, "take_payment", Some(id), detail)?;
    if payment.method == PaymentMethod::Cash {
        print_queue::queue_cash_drawer(conn)?;
    }
    join(conn, id, by)?;
    finish(
        conn,
        id,
        false,
        Some((EventKind::PaymentTaken, by, table_id, &[])),
    )
}

/// Closes a paid order, which frees its table.
pub fn close(conn: &Conn, by: StaffId, order: OrderId) -> ServiceResult<Change> {
    let (id, table_id) = open_order(conn, order)?;
    let (current, venue, _) = with_bill(conn, id)?;
    let money = |m: i64| Money::new(m, venue.currency.as_str()).to_string();
    current.check_close(venue.tax_mode, venue.tax_rounding, money)?;
    let detail = serde_json::json!({ "total_minor": current.totals(venue.tax_mode, venue.tax_rounding).total_minor });
    audit(conn, by, None, "close_order", Some(id), detail)?;
    close_and_free(conn, by, id, table_id, false)
}

/// Closes the order (as cancelled, if `cancelled`), which frees its table, and announces it.
fn close_and_free(
    conn: &Conn,
    by: StaffId,
    id: OrderId,
    table_id: Option<TableId>,
    cancelled: bool,
) -> ServiceResult<Change> {
    let now = now_ms();
    let cancelled_at = cancelled.then_some(now);
    sql!(
        conn,
        "UPDATE orders SET status = 'closed', closed_at = ?, closed_by = ?, cancelled_at = ? WHERE id = ?",
        now,
        by,
        cancelled_at,
        id
    )
    .execute()?;
    finish(
        conn,
        id,
        false,
        Some((EventKind::OrderClosed, by, table_id, &[])),
    )
}

/// Cancels an order with nothing sent and nothing paid (a table opened by mistake): its
/// never-sent lines and their discounts go, the order is closed as cancelled (reports
/// leave it out) and its table is free.
pub fn cancel(conn: &Conn, by: StaffId, order: OrderId) -> ServiceResult<Change> {
    let (id, table_id) = open_order(conn, order)?;
    let current = load_own(conn, id)?;
    current
        .check_cancel()
        .map_err(|e| ServiceError::Conflict(e.to_string()))?;
    let detail = serde_json::json!({ "lines": current.lines.len() });
    audit(conn, by, None, "cancel_order", Some(id), detail)?;
    sql!(conn, "DELETE FROM discounts WHERE order_id = ?", id).execute()?;
    sql!(
        conn,
        "DELETE FROM order_lines WHERE order_id = ? AND status = 'new'",
        id
    )
    .execute()?;
    close_and_free(conn, by, id, table_id, true)
}
