//! The cash day on the database: shifts (a float in, a count out), refunds and write-offs
//! by a manager, and the X and Z reports. A report covers everything since the last Z
//! report; a Z report is numbered and immutable (the database refuses to change it). The
//! figures come from `domain::cash_day`, so they can be recomputed from the orders.

use crate::db::now_ms;
use crate::services::audit::audit_async;
use crate::services::orders::{
    finish_async, load_these_async, open_order_async, with_bill_async, Outcome,
};
use crate::services::print_queue;
use crate::services::{ServiceError, ServiceResult};
use app::api::{ClosedOrder, EventKind, RefundRequest, ZBlockers};
use app::domain::cash_day::{
    self, check_refund, expected_cash, DayData, Refund, Report, ReportHeader, ReportKind, Shift,
};
use app::domain::orders::{LineStatus, OrderStatus};
use app::domain::payments::PaymentMethod;
use app::domain::split::line_shares;
use app::domain::{LineId, Money, OrderId, RefundId, ShiftId, StaffId};
use sqlx::SqliteConnection;
use std::collections::BTreeMap;

/// Longest refund or write-off reason.
const MAX_REASON_CHARS: usize = 120;

fn reason(text: &str) -> ServiceResult<String> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_REASON_CHARS {
        return Err(ServiceError::invalid(
            "reason",
            format!("say why, in 1 to {MAX_REASON_CHARS} characters"),
        ));
    }
    Ok(text.to_owned())
}

/// The business day `at_ms` belongs to, `2026-11-22`: the venue's local date, where a day
/// ends at `ends_minute` after midnight on the local clock (240: until 04:00 it is still
/// the day before), on the days the clocks change too.
pub fn business_day(tz: &str, ends_minute: i64, at_ms: i64) -> ServiceResult<String> {
    let zone = jiff::tz::TimeZone::get(tz)
        .map_err(|e| ServiceError::Internal(format!("time zone {tz}: {e}")))?;
    let local = jiff::Timestamp::from_millisecond(at_ms)
        .map_err(|e| ServiceError::Internal(format!("time {at_ms}: {e}")))?
        .to_zoned(zone);
    let minute = i64::from(local.hour()) * 60 + i64::from(local.minute());
    let date = if minute < ends_minute {
        local
            .date()
            .yesterday()
            .map_err(|e| ServiceError::Internal(e.to_string()))?
    } else {
        local.date()
    };
    Ok(date.to_string())
}

/// Refunds of the orders `ids`, or made between `from` and `to` when `ids` is None.
async fn load_refunds(
    conn: &mut SqliteConnection,
    ids: Option<&[OrderId]>,
    from: i64,
    to: i64,
) -> ServiceResult<Vec<Refund>> {
    let ids = ids
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(sqlx::query_as!(
        Refund,
        r#"SELECT id AS "id: RefundId", order_id AS "order_id: OrderId", method AS "method: PaymentMethod",
                  amount_minor, reason, refunded_by AS "refunded_by: StaffId", approved_by AS "approved_by: StaffId",
                  created_at AS created_at_ms
           FROM refunds
           WHERE (?1 IS NOT NULL AND order_id IN (SELECT value FROM json_each(?1)))
              OR (?1 IS NULL AND created_at >= ?2 AND created_at < ?3)
           ORDER BY created_at, id"#,
        ids,
        from,
        to
    )
    .fetch_all(conn)
    .await?)
}

/// The shifts closed between `from` and `to`, and the open one (`open_only`).
async fn load_shifts(
    conn: &mut SqliteConnection,
    open_only: bool,
    from: i64,
    to: i64,
) -> ServiceResult<Vec<Shift>> {
    let rows = sqlx::query!(
        r#"SELECT s.id AS "id: ShiftId", o.name AS opened_by, s.opened_at, s.float_minor, c.name AS "closed_by?",
                  s.closed_at, s.expected_minor, s.counted_minor
           FROM shifts s JOIN staff o ON o.id = s.opened_by LEFT JOIN staff c ON c.id = s.closed_by
           WHERE (?1 AND s.closed_at IS NULL) OR (NOT ?1 AND s.closed_at >= ?2 AND s.closed_at < ?3)
           ORDER BY s.opened_at"#,
        open_only,
        from,
        to
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut shifts = Vec::with_capacity(rows.len());
    for r in rows {
        // An open shift's expected cash is worked out now; a closed one's was kept.
        let expected = match r.expected_minor {
            Some(e) => e,
            None => {
                let day = load_day(conn, r.opened_at, now_ms() + 1).await?;
                expected_cash(r.float_minor, &day.payments, &day.refunds)?
            }
        };
        shifts.push(Shift {
            id: r.id,
            opened_by: r.opened_by,
            opened_at_ms: r.opened_at,
            float_minor: r.float_minor,
            closed_by: r.closed_by,
            closed_at_ms: r.closed_at,
            expected_minor: expected,
            counted_minor: r.counted_minor,
            // A shift closed on wrapped sums (before the ceilings) shows no discrepancy
            // rather than a wrong one.
            discrepancy_minor: r.counted_minor.and_then(|c| c.checked_sub(expected)),
        });
    }
    Ok(shifts)
}

/// What happened between `from` and `to` (shifts not included).
pub(crate) async fn load_day(
    conn: &mut SqliteConnection,
    from: i64,
    to: i64,
) -> ServiceResult<DayData> {
    // Every order closed, paid or refunded in the period, read once.
    let ids = sqlx::query_scalar!(
        r#"SELECT id AS "id: OrderId" FROM orders
           WHERE closed_at >= ?1 AND closed_at < ?2 AND cancelled_at IS NULL
           UNION SELECT order_id FROM payments WHERE created_at >= ?1 AND created_at < ?2"#,
        from,
        to
    )
    .fetch_all(&mut *conn)
    .await?;
    let orders = load_these_async(conn, &ids).await?;
    let closes = sqlx::query!(
        r#"SELECT id AS "id: OrderId", written_off_minor FROM orders
           WHERE closed_at >= ? AND closed_at < ? AND cancelled_at IS NULL"#,
        from,
        to
    )
    .fetch_all(&mut *conn)
    .await?;
    let closed = closes
        .iter()
        .filter_map(|c| {
            let order = orders.iter().find(|o| o.id == c.id)?;
            Some((order.clone(), c.written_off_minor))
        })
        .collect();
    let payments = orders
        .iter()
        .flat_map(|o| &o.payments)
        .filter(|p| (from..to).contains(&p.created_at_ms))
        .cloned()
        .collect();
    let voided = sqlx::query_scalar!(
        // Typed by hand: through the `order_lines_voided` index sqlx cannot infer it.
        r#"SELECT quantity * unit_price_minor AS "voided!: i64" FROM order_lines
           WHERE voided_at >= ? AND voided_at < ?"#,
        from,
        to
    )
    .fetch_all(&mut *conn)
    .await?;
    let names = sqlx::query!(r#"SELECT id AS "id: StaffId", name FROM staff"#)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    Ok(DayData {
        closed,
        payments,
        refunds: load_refunds(conn, None, from, to).await?,
        voided,
        shifts: vec![],
        names,
    })
}

/// The shift that is open, if one is.
pub async fn current_shift(conn: &mut SqliteConnection) -> ServiceResult<Option<Shift>> {
    Ok(load_shifts(conn, true, 0, 0).await?.pop())
}

pub async fn open_shift(
    conn: &mut SqliteConnection,
    by: StaffId,
    float_minor: i64,
) -> ServiceResult<Shift> {
    let venue = crate::services::venue::load_venue_async(conn).await?;
    if !(0..=venue.max_amount_minor).contains(&float_minor) {
        return Err(ServiceError::invalid(
            "float_minor",
            format!(
                "the float is the cash in the drawer, 0 to {}",
                Money::new(venue.max_amount_minor, venue.currency.as_str())
            ),
        ));
    }
    if let Some(open) = current_shift(conn).await? {
        return Err(ServiceError::Conflict(format!(
            "a shift is open already, opened by {}; close it first",
            open.opened_by
        )));
    }
    let (id, now) = (ShiftId::new_v7(), now_ms());
    sqlx::query!(
        "INSERT INTO shifts (id, opened_by, opened_at, float_minor) VALUES (?, ?, ?, ?)",
        id,
        by,
        now,
        float_minor
    )
    .execute(&mut *conn)
    .await?;
    current_shift(conn)
        .await?
        .ok_or_else(|| ServiceError::Internal("the shift just opened is gone".into()))
}

/// Closes the open shift with the cash counted; keeps what was expected, for good.
pub async fn close_shift(
    conn: &mut SqliteConnection,
    by: StaffId,
    counts: Option<&BTreeMap<i64, i64>>,
    counted_minor: Option<i64>,
    reason: Option<&str>,
) -> ServiceResult<Shift> {
    let venue = crate::services::venue::load_venue_async(conn).await?;
    let money = |m: i64| Money::new(m, venue.currency.as_str()).to_string();
    let counted = match (counts, counted_minor) {
        (Some(counts), _) => cash_day::count_total(counts)
            .filter(|total| *total <= venue.max_amount_minor)
            .ok_or_else(|| {
                ServiceError::invalid(
                    "counts",
                    format!(
                        "count coins and notes (500.00 down to 0.01) as whole numbers, none \
                         negative, up to {} in all",
                        money(venue.max_amount_minor)
                    ),
                )
            })?,
        (None, Some(total)) if (0..=venue.max_amount_minor).contains(&total) => total,
        _ => {
            return Err(ServiceError::invalid(
                "counted_minor",
                format!(
                    "give the cash counted: by coin and note, or as a total from 0 to {}",
                    money(venue.max_amount_minor)
                ),
            ))
        }
    };
    let shift = current_shift(conn)
        .await?
        .ok_or_else(|| ServiceError::Conflict("no shift is open".into()))?;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 200) {
        return Err(ServiceError::invalid(
            "reason",
            "a reason has at most 200 characters",
        ));
    }
    let gap = app::domain::money::sub(counted, shift.expected_minor)?;
    if gap != 0 && reason.is_none() {
        return Err(ServiceError::invalid(
            "reason",
            format!(
                "the count is {} {} the {} expected: say why before closing",
                money(gap.saturating_abs()),
                if gap < 0 { "short of" } else { "over" },
                money(shift.expected_minor)
            ),
        ));
    }
    let now = now_ms();
    let count_json = counts
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    sqlx::query!(
        "UPDATE shifts SET closed_by = ?, closed_at = ?, expected_minor = ?, counted_minor = ?, count_json = ?
         WHERE id = ? AND closed_at IS NULL",
        by,
        now,
        shift.expected_minor,
        counted,
        count_json,
        shift.id
    )
    .execute(&mut *conn)
    .await?;
    let detail = serde_json::json!({
        "shift_id": shift.id, "float_minor": shift.float_minor, "expected_minor": shift.expected_minor,
        "counted_minor": counted, "discrepancy_minor": gap, "reason": reason,
    });
    audit_async(conn, by, None, "close_shift", None, detail).await?;
    let mut closed = load_shifts(conn, false, now, now + 1).await?;
    closed
        .pop()
        .ok_or_else(|| ServiceError::Internal("the shift just closed is gone".into()))
}

/// Where the next report starts: where the last Z report ended.
async fn since_last_z(conn: &mut SqliteConnection) -> ServiceResult<(i64, Option<i64>)> {
    let last = sqlx::query!("SELECT number, to_ms FROM z_reports ORDER BY number DESC LIMIT 1")
        .fetch_optional(conn)
        .await?;
    Ok(match last {
        Some(z) => (z.to_ms, Some(z.number)),
        None => (0, None),
    })
}

/// Everything since the last Z report, as of now.
async fn build(
    conn: &mut SqliteConnection,
    kind: ReportKind,
    number: Option<i64>,
    taken_by: StaffId,
    now: i64,
) -> ServiceResult<Report> {
    let (from, _) = since_last_z(conn).await?;
    let venue = crate::services::venue::load_venue_async(conn).await?;
    let clock = sqlx::query!("SELECT time_zone, business_day_ends_minute FROM venue WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    let mut day = load_day(conn, from, now).await?;
    day.shifts = load_shifts(conn, false, from, now).await?;
    let header = ReportHeader {
        kind,
        number,
        // The day the period's last moment belongs to: a Z taken at the day's very end
        // (`end_past_day`) ends that day, not the next.
        business_day: business_day(&clock.time_zone, clock.business_day_ends_minute, now - 1)?,
        from_ms: from,
        to_ms: now,
        taken_by: day.names.get(&taken_by).cloned().unwrap_or_default(),
        currency: venue.currency.clone(),
    };
    Ok(cash_day::report(
        header,
        &day,
        venue.tax_mode,
        venue.tax_rounding,
    )?)
}

/// The X report: the business day so far. Changes nothing.
pub async fn x_report(conn: &mut SqliteConnection, by: StaffId) -> ServiceResult<Report> {
    build(conn, ReportKind::X, None, by, now_ms() + 1).await
}

/// The X report, queued on the receipt printers as well.
pub async fn print_x_report(conn: &mut SqliteConnection, by: StaffId) -> ServiceResult<Report> {
    let report = x_report(conn, by).await?;
    print_queue::queue_report(conn, &report).await?;
    Ok(report)
}

/// What stops the Z report now (`ZBlockers`). Open orders with nothing on them (a table
/// opened by mistake) do not count: they hold no money.
pub async fn z_blockers(conn: &mut SqliteConnection) -> ServiceResult<ZBlockers> {
    let open_shift_by = current_shift(conn).await?.map(|s| s.opened_by);
    let open_orders = sqlx::query_scalar!(
        r#"SELECT COALESCE('Table ' || t.label, 'Takeaway ' || k.customer_name) AS "destination!: String"
           FROM orders o LEFT JOIN dining_tables t ON t.id = o.table_id LEFT JOIN takeaways k ON k.order_id = o.id
           WHERE o.status = 'open'
             AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.status != 'void')
           ORDER BY o.opened_at"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let (from, _) = since_last_z(conn).await?;
    let anything_to_report = sqlx::query_scalar!(
        r#"SELECT (EXISTS (SELECT 1 FROM orders WHERE closed_at > ?1 AND cancelled_at IS NULL)
                OR EXISTS (SELECT 1 FROM payments WHERE created_at > ?1)
                OR EXISTS (SELECT 1 FROM refunds WHERE created_at > ?1)
                OR EXISTS (SELECT 1 FROM order_lines WHERE voided_at > ?1)
                OR EXISTS (SELECT 1 FROM shifts WHERE closed_at > ?1)) AS "any!: bool""#,
        from
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(ZBlockers {
        open_shift_by,
        open_orders,
        anything_to_report,
    })
}

/// The refusal a Z report gets now, if any.
fn z_refusal(blockers: &ZBlockers) -> Option<String> {
    if let Some(by) = &blockers.open_shift_by {
        return Some(format!(
            "the shift {by} opened is still open: close it with a cash count before the Z report"
        ));
    }
    if !blockers.open_orders.is_empty() {
        let n = blockers.open_orders.len();
        let shown: Vec<&str> = blockers
            .open_orders
            .iter()
            .take(5)
            .map(String::as_str)
            .collect();
        let more = if n > 5 {
            format!(" and {} more", n - 5)
        } else {
            String::new()
        };
        return Some(format!(
            "{n} {} still open ({}{more}): have {} paid and closed, or written off, before the Z report",
            if n == 1 { "order is" } else { "orders are" },
            shown.join(", "),
            if n == 1 { "it" } else { "them" }
        ));
    }
    if !blockers.anything_to_report {
        return Some(
            "nothing has happened since the last Z report: there is no business day to end".into(),
        );
    }
    None
}

/// Takes the Z report: ends the business day, numbered, kept as it is for good, and
/// printed on the receipt printers. Refused while a shift is open (count the cash first).
pub async fn take_z(conn: &mut SqliteConnection, by: StaffId) -> ServiceResult<Report> {
    if let Some(refusal) = z_refusal(&z_blockers(conn).await?) {
        return Err(ServiceError::Conflict(refusal));
    }
    let (last_to, _) = since_last_z(conn).await?;
    // Never an empty or backward period, even if the clock stepped back.
    let report = keep_z(conn, by, now_ms().max(last_to + 1)).await?;
    audit_async(
        conn,
        by,
        None,
        "z_report",
        None,
        serde_json::json!({ "number": report.number, "sales_minor": report.sales_minor }),
    )
    .await?;
    print_queue::queue_report(conn, &report).await?;
    Ok(report)
}

/// Ends a past business day at `end_ms` with its Z report, as if it had been taken then:
/// for the demo venue's past trade (`demo::past_trade`). Not printed.
pub async fn end_past_day(
    conn: &mut SqliteConnection,
    by: StaffId,
    end_ms: i64,
) -> ServiceResult<Report> {
    let (last_to, _) = since_last_z(conn).await?;
    if end_ms <= last_to {
        return Err(ServiceError::Conflict(
            "that day was ended by a Z report already".into(),
        ));
    }
    keep_z(conn, by, end_ms).await
}

/// The Z report of everything since the last one up to `to_ms`, numbered and kept.
async fn keep_z(conn: &mut SqliteConnection, by: StaffId, to_ms: i64) -> ServiceResult<Report> {
    let (_, last) = since_last_z(conn).await?;
    let number = last.unwrap_or(0) + 1;
    let report = build(conn, ReportKind::Z, Some(number), by, to_ms).await?;
    let json = serde_json::to_string(&report).map_err(|e| ServiceError::Internal(e.to_string()))?;
    sqlx::query!(
        "INSERT INTO z_reports (number, business_day, from_ms, to_ms, taken_by, report_json) VALUES (?, ?, ?, ?, ?, ?)",
        number,
        report.business_day,
        report.from_ms,
        report.to_ms,
        by,
        json
    )
    .execute(&mut *conn)
    .await?;
    Ok(report)
}

/// Z reports taken, newest first.
pub async fn z_reports(conn: &mut SqliteConnection) -> ServiceResult<Vec<Report>> {
    sqlx::query_scalar!("SELECT report_json FROM z_reports ORDER BY number DESC")
        .fetch_all(conn)
        .await?
        .iter()
        .map(|json| serde_json::from_str(json).map_err(|e| ServiceError::Internal(e.to_string())))
        .collect()
}

/// Closed orders, newest first, with their refunds: the last `limit`.
pub async fn closed_orders(
    conn: &mut SqliteConnection,
    limit: i64,
) -> ServiceResult<Vec<ClosedOrder>> {
    let rows = sqlx::query!(
        r#"SELECT o.id AS "id: OrderId", o.closed_at AS "closed_at!", o.written_off_minor,
                  COALESCE('Table ' || t.label, 'Takeaway ' || k.customer_name) AS "destination!: String"
           FROM orders o LEFT JOIN dining_tables t ON t.id = o.table_id LEFT JOIN takeaways k ON k.order_id = o.id
           WHERE o.status = 'closed' AND o.cancelled_at IS NULL ORDER BY o.closed_at DESC LIMIT ?"#,
        limit
    )
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<OrderId> = rows.iter().map(|r| r.id).collect();
    let orders = load_these_async(conn, &ids).await?;
    let refunds = load_refunds(conn, Some(&ids), 0, 0).await?;
    let venue = crate::services::venue::load_venue_async(conn).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let order = orders.iter().find(|o| o.id == r.id)?.clone();
            Some(ClosedOrder {
                total_minor: order.totals(venue.tax_mode, venue.tax_rounding).total_minor,
                refunds: refunds
                    .iter()
                    .filter(|f| f.order_id == r.id)
                    .cloned()
                    .collect(),
                order,
                destination: r.destination,
                written_off_minor: r.written_off_minor,
                closed_at_ms: r.closed_at,
            })
        })
        .collect())
}

/// Refunds a closed order: its lines' share of the bill, an amount, or all that is left.
pub async fn refund(
    conn: &mut SqliteConnection,
    by: StaffId,
    approved_by: StaffId,
    order: OrderId,
    req: &RefundRequest,
) -> ServiceResult<Refund> {
    let why = reason(&req.reason)?;
    let id = crate::services::orders::resolve_async(conn, order)
        .await?
        .ok_or(ServiceError::NoSuchOrder(order))?;
    let (current, venue, _) = with_bill_async(conn, id).await?;
    if current.status != OrderStatus::Closed {
        return Err(ServiceError::Conflict(format!(
            "order {} is still open: change it, void or discount instead of refunding",
            current.number
        )));
    }
    let before = load_refunds(conn, Some(&[id]), 0, 0).await?;
    let amount = if !req.line_ids.is_empty() {
        if let Some(twice) = cash_day::listed_twice(&req.line_ids) {
            return Err(ServiceError::invalid(
                "line_ids",
                format!("line {twice} is listed more than once; a line is refunded once"),
            ));
        }
        let shares = line_shares(&current, venue.tax_mode, venue.tax_rounding);
        let mut sum = 0;
        for line in &req.line_ids {
            let share = shares.iter().find(|(l, _)| l == line).ok_or_else(|| {
                ServiceError::invalid(
                    "line_ids",
                    format!(
                        "order {} has no line {line} that was billed",
                        current.number
                    ),
                )
            })?;
            sum += share.1;
        }
        let mut refunded_lines: Vec<LineId> = vec![];
        for json in sqlx::query_scalar!("SELECT line_ids FROM refunds WHERE order_id = ?", id)
            .fetch_all(&mut *conn)
            .await?
        {
            let lines: Vec<LineId> =
                serde_json::from_str(&json).map_err(|e| ServiceError::Internal(e.to_string()))?;
            refunded_lines.extend(lines);
        }
        if let Some(again) = req.line_ids.iter().find(|l| refunded_lines.contains(l)) {
            let name = current
                .lines
                .iter()
                .find(|l| l.id == *again)
                .map_or("that line".to_owned(), |l| l.product_name.clone());
            return Err(ServiceError::Conflict(format!(
                "{name} was refunded already"
            )));
        }
        sum
    } else {
        match (req.amount_minor, req.all) {
            (Some(amount), false) => amount,
            (None, true) => cash_day::refundable(&current.payments, &before),
            (Some(_), true) => {
                return Err(ServiceError::invalid(
                    "all",
                    "refund all that is left, or an amount: not both",
                ))
            }
            (None, false) => {
                return Err(ServiceError::invalid(
                    "line_ids",
                    "say what to refund: items, an amount, or all of it",
                ))
            }
        }
    };
    let money = |m: i64| Money::new(m, venue.currency.as_str()).to_string();
    check_refund(&current.payments, &before, req.method, amount, money).map_err(|e| {
        let field = match e {
            cash_day::RefundError::Method(_) => "method",
            _ => "amount_minor",
        };
        ServiceError::invalid(field, e.to_string())
    })?;
    let (refund_id, now) = (RefundId::new_v7(), now_ms());
    let lines =
        serde_json::to_string(&req.line_ids).map_err(|e| ServiceError::Internal(e.to_string()))?;
    sqlx::query!(
        "INSERT INTO refunds (id, order_id, method, amount_minor, reason, line_ids, refunded_by, approved_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        refund_id,
        id,
        req.method,
        amount,
        why,
        lines,
        by,
        approved_by,
        now
    )
    .execute(&mut *conn)
    .await?;
    let left = cash_day::refundable(&current.payments, &before);
    let detail = serde_json::json!({
        "refund_id": refund_id, "method": req.method, "amount_minor": amount, "reason": why,
        "line_ids": req.line_ids, "refundable_before_minor": left, "refundable_after_minor": left - amount,
    });
    audit_async(conn, by, Some(approved_by), "refund", Some(id), detail).await?;
    if req.method == PaymentMethod::Cash {
        print_queue::queue_cash_drawer_async(conn).await?;
    }
    Ok(Refund {
        id: refund_id,
        order_id: id,
        method: req.method,
        amount_minor: amount,
        reason: why,
        refunded_by: by,
        approved_by,
        created_at_ms: now,
    })
}

/// Closes an order a guest cannot pay in full: what is left is written off, with a reason
/// and the manager who approved it. Frees the table.
pub async fn write_off(
    conn: &mut SqliteConnection,
    by: StaffId,
    approved_by: StaffId,
    order: OrderId,
    text: &str,
) -> ServiceResult<Outcome> {
    let why = reason(text)?;
    let (id, table_id) = open_order_async(conn, order).await?;
    let (current, venue, left) = with_bill_async(conn, id).await?;
    if left <= 0 {
        return Err(ServiceError::Conflict(format!(
            "order {} is paid; close it instead",
            current.number
        )));
    }
    if current.lines.iter().all(|l| l.status == LineStatus::Void) {
        return Err(ServiceError::Conflict(
            "there is nothing to write off".into(),
        ));
    }
    let now = now_ms();
    sqlx::query!(
        "UPDATE orders SET status = 'closed', closed_at = ?, closed_by = ?, written_off_minor = ?,
                write_off_reason = ?, write_off_by = ?
         WHERE id = ?",
        now,
        by,
        left,
        why,
        approved_by,
        id
    )
    .execute(&mut *conn)
    .await?;
    let detail = serde_json::json!({
        "written_off_minor": left, "reason": why,
        "total_minor": current.totals(venue.tax_mode, venue.tax_rounding).total_minor,
    });
    audit_async(conn, by, Some(approved_by), "write_off", Some(id), detail).await?;
    finish_async(
        conn,
        id,
        false,
        Some((EventKind::OrderClosed, by, table_id, &[])),
    )
    .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_business_day_ends_at_the_venues_hour_in_its_time_zone() {
        // 2026-11-22 02:30 UTC is 03:30 in Rome: still the 21st's business day.
        let at = 1_795_314_600_000;
        assert_eq!(
            super::business_day("Europe/Rome", 240, at).unwrap(),
            "2026-11-21"
        );
        assert_eq!(
            super::business_day("Europe/Rome", 0, at).unwrap(),
            "2026-11-22"
        );
        assert_eq!(super::business_day("UTC", 120, at).unwrap(), "2026-11-22");
    }

    #[test]
    fn the_night_the_clocks_go_back_still_ends_at_the_venues_hour() {
        // 2026-10-25 in Rome: 03:00 summer time became 02:00. At 03:30 (02:30 UTC) the
        // Saturday's service is still on, whatever the hours since midnight were.
        let at = 1_792_895_400_000;
        assert_eq!(
            super::business_day("Europe/Rome", 240, at).unwrap(),
            "2026-10-24"
        );
        // And at 04:00 (03:00 UTC), Sunday begins.
        assert_eq!(
            super::business_day("Europe/Rome", 240, at + 1_800_000).unwrap(),
            "2026-10-25"
        );
    }
}
