//! The journal, for the accountant: every order closed, every line of it (voided ones
//! with their reason), every payment, refund and Z report of a range of business days,
//! one row each. Read a day at a time on a read-only connection of its own, so a year's
//! million lines go out without ever being held together (`crate::exports::journal`).

use crate::db::direct::{sql, Conn};
use crate::services::reports::{Clock, Range};
use crate::services::{ServiceError, ServiceResult};
use app::domain::bill::rate_label;
use app::domain::cash_day::Report;
use app::domain::payments::PaymentMethod;
use app::domain::reports::{Cell, Column, Kind};

/// The journal's parts: a sheet of the workbook each, or one CSV file each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    Orders,
    Lines,
    Payments,
    Refunds,
    Z,
}

impl Part {
    pub const ALL: [Part; 5] = [
        Part::Orders,
        Part::Lines,
        Part::Payments,
        Part::Refunds,
        Part::Z,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Part::Orders => "Orders",
            Part::Lines => "Lines",
            Part::Payments => "Payments",
            Part::Refunds => "Refunds",
            Part::Z => "Z reports",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Part::Orders => "orders",
            Part::Lines => "lines",
            Part::Payments => "payments",
            Part::Refunds => "refunds",
            Part::Z => "z",
        }
    }

    pub fn columns(self) -> Vec<Column> {
        use Kind::*;
        let list: &[(&str, &str, Kind)] = match self {
            Part::Orders => &[
                ("order", "Order", Count),
                ("day", "Business day", Date),
                ("opened", "Opened", Text),
                ("closed", "Closed", Text),
                ("where", "Where", Text),
                ("waiter", "Waiter", Text),
                ("guests", "Guests", Count),
                ("items_minor", "Items at menu prices", Money),
                ("paid_minor", "Paid", Money),
                ("tips_minor", "Tips", Money),
                ("written_off_minor", "Written off", Money),
            ],
            Part::Lines => &[
                ("order", "Order", Count),
                ("day", "Business day", Date),
                ("added", "Added", Text),
                ("product", "Product", Text),
                ("quantity", "Quantity", Count),
                ("unit_price_minor", "Unit price", Money),
                ("amount_minor", "Amount", Money),
                ("tax_rate", "Tax rate", Text),
                ("status", "Status", Text),
                ("void_reason", "Void reason", Text),
            ],
            Part::Payments => &[
                ("order", "Order", Count),
                ("day", "Business day", Date),
                ("at", "Time", Text),
                ("method", "Method", Text),
                ("amount_minor", "Amount", Money),
                ("tip_minor", "Tip", Money),
                ("taken_by", "Taken by", Text),
                ("reference", "Reference", Text),
            ],
            Part::Refunds => &[
                ("order", "Order", Count),
                ("day", "Business day", Date),
                ("at", "Time", Text),
                ("method", "Method", Text),
                ("amount_minor", "Amount", Money),
                ("reason", "Reason", Text),
                ("by", "By", Text),
                ("approved_by", "Approved by", Text),
            ],
            Part::Z => &[
                ("number", "Z report", Count),
                ("day", "Business day", Date),
                ("from", "From", Text),
                ("to", "To", Text),
                ("orders", "Orders", Count),
                ("sales_minor", "Sales", Money),
                ("net_sales_minor", "Net of tax", Money),
                ("tax_minor", "Tax", Money),
                ("refunds_minor", "Refunded", Money),
                ("voids_minor", "Voided", Money),
            ],
        };
        list.iter()
            .map(|(key, label, kind)| Column::new(key, label, *kind))
            .collect()
    }
}

/// A payment method as stored (`card`) as people read it (`Card`).
pub(crate) fn method(stored: &str) -> String {
    serde_json::from_value::<PaymentMethod>(serde_json::Value::String(stored.to_owned()))
        .map_or(stored.to_owned(), |m| m.label().to_owned())
}

/// Calls `row` with each row of `part` over `range`, a business day at a time, oldest
/// first, and `day_done` after each day (for the progress shown).
pub fn each(
    conn: &Conn,
    clock: &Clock,
    range: Range,
    part: Part,
    row: &mut dyn FnMut(Vec<Cell>) -> ServiceResult<()>,
    day_done: &dyn Fn(),
) -> ServiceResult<()> {
    use Cell::{Number as N, Text as T};
    for day in range.each() {
        let (from, to) = clock.period(day)?;
        let date = day.to_string();
        let rows: Vec<Vec<Cell>> = match part {
            Part::Orders => sql!(
                conn,
                r#"SELECT o.number, o.opened_at, o.closed_at,
                          COALESCE('Table ' || t.label, 'Takeaway ' || k.customer_name, '') AS "where_to!: String",
                          s.name, o.guests,
                          (SELECT COALESCE(SUM(quantity * unit_price_minor), 0) FROM order_lines
                           WHERE order_id = o.id AND status <> 'void') AS "items!: i64",
                          (SELECT COALESCE(SUM(amount_minor), 0) FROM payments WHERE order_id = o.id) AS "paid!: i64",
                          (SELECT COALESCE(SUM(tip_minor), 0) FROM payments WHERE order_id = o.id) AS "tips!: i64",
                          o.written_off_minor
                   FROM orders o JOIN staff s ON s.id = COALESCE(o.handed_to, o.opened_by)
                   LEFT JOIN dining_tables t ON t.id = o.table_id LEFT JOIN takeaways k ON k.order_id = o.id
                   WHERE o.closed_at >= ? AND o.closed_at < ? AND o.cancelled_at IS NULL
                   ORDER BY o.closed_at"#,
                from,
                to
            )
            .rows(|r| {
                Ok(vec![
                    N(r.get(0)?),
                    T(date.clone()),
                    T(clock.local(r.get(1)?)),
                    T(clock.local(r.get(2)?)),
                    T(r.get(3)?),
                    T(r.get(4)?),
                    r.get::<_, Option<i64>>(5)?.map_or(T(String::new()), N),
                    N(r.get(6)?),
                    N(r.get(7)?),
                    N(r.get(8)?),
                    N(r.get(9)?),
                ])
            })?,
            Part::Lines => sql!(
                conn,
                "SELECT o.number, l.created_at, l.product_name, l.quantity, l.unit_price_minor, l.tax_rate_bp,
                        l.status, l.void_reason
                 FROM orders o JOIN order_lines l ON l.order_id = o.id
                 WHERE o.closed_at >= ? AND o.closed_at < ? AND o.cancelled_at IS NULL
                 ORDER BY o.closed_at, l.created_at",
                from,
                to
            )
            .rows(|r| {
                let (quantity, price): (i64, i64) = (r.get(3)?, r.get(4)?);
                let void = r.get::<_, String>(6)? == "void";
                Ok(vec![
                    N(r.get(0)?),
                    T(date.clone()),
                    T(clock.local(r.get(1)?)),
                    T(r.get(2)?),
                    N(quantity),
                    N(price),
                    N(if void {
                        0
                    } else {
                        // Stored amounts are bounded: a product beyond that is no real line.
                        quantity
                            .checked_mul(price)
                            .ok_or(rusqlite::Error::IntegralValueOutOfRange(4, price))?
                    }),
                    T(rate_label(r.get(5)?)),
                    T(if void { "Voided" } else { "Sold" }.into()),
                    T(r.get::<_, Option<String>>(7)?.unwrap_or_default()),
                ])
            })?,
            Part::Payments => sql!(
                conn,
                "SELECT o.number, p.created_at, p.method, p.amount_minor, p.tip_minor, s.name, p.reference
                 FROM payments p JOIN orders o ON o.id = p.order_id JOIN staff s ON s.id = p.taken_by
                 WHERE p.created_at >= ? AND p.created_at < ? ORDER BY p.created_at",
                from,
                to
            )
            .rows(|r| {
                Ok(vec![
                    N(r.get(0)?),
                    T(date.clone()),
                    T(clock.local(r.get(1)?)),
                    T(method(&r.get::<_, String>(2)?)),
                    N(r.get(3)?),
                    N(r.get(4)?),
                    T(r.get(5)?),
                    T(r.get::<_, Option<String>>(6)?.unwrap_or_default()),
                ])
            })?,
            Part::Refunds => sql!(
                conn,
                "SELECT o.number, f.created_at, f.method, f.amount_minor, f.reason, s.name, a.name AS approver
                 FROM refunds f JOIN orders o ON o.id = f.order_id JOIN staff s ON s.id = f.refunded_by
                 JOIN staff a ON a.id = f.approved_by
                 WHERE f.created_at >= ? AND f.created_at < ? ORDER BY f.created_at",
                from,
                to
            )
            .rows(|r| {
                Ok(vec![
                    N(r.get(0)?),
                    T(date.clone()),
                    T(clock.local(r.get(1)?)),
                    T(method(&r.get::<_, String>(2)?)),
                    N(r.get(3)?),
                    T(r.get(4)?),
                    T(r.get(5)?),
                    T(r.get(6)?),
                ])
            })?,
            Part::Z => {
                // The Z reports that ended in the day's period (a Z taken after the end of
                // day belongs to the next, as its sales do).
                let json: Vec<String> = sql!(
                    conn,
                    "SELECT report_json FROM z_reports WHERE to_ms > ? AND to_ms <= ? ORDER BY number",
                    from,
                    to
                )
                .rows(|r| r.get(0))?;
                let mut rows = vec![];
                for text in json {
                    let z: Report = serde_json::from_str(&text)
                        .map_err(|e| ServiceError::Internal(format!("a Z report: {e}")))?;
                    rows.push(vec![
                        N(z.number.unwrap_or(0)),
                        T(date.clone()),
                        T(clock.local(z.from_ms)),
                        T(clock.local(z.to_ms)),
                        N(z.orders),
                        N(z.sales_minor),
                        N(z.net_sales_minor),
                        N(app::domain::money::total(z.taxes.iter().map(|t| t.tax_minor))?),
                        N(z.refunds_minor),
                        N(z.voids_minor),
                    ]);
                }
                rows
            }
        };
        for r in rows {
            row(r)?;
        }
        day_done();
    }
    Ok(())
}

/// The venue's clock and currency, read on the journal's connection.
pub fn clock(conn: &Conn) -> ServiceResult<(Clock, String)> {
    let (zone, ends, currency): (String, i64, String) = sql!(
        conn,
        "SELECT time_zone, business_day_ends_minute, currency FROM venue WHERE id = 1"
    )
    .row(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok((Clock::new(&zone, ends)?, currency))
}
