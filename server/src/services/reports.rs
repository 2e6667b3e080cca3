//! Sales reports over a range of business days (`app::domain::reports`).
//!
//! A business day runs from the venue's end-of-day time to the next, in its time zone
//! (`Clock`). Each day is summed up from the same rows and by the same function as the Z
//! report (`cash_day::load_day`, `cash_day::report`), so a day's figures are the Z
//! report's when a Z was taken at the day's end. A day that is over is kept summed up in
//! `report_days` (`keep`, by `workers::reports`), so a year adds 365 rows; a day not
//! kept (today, or one the worker has not reached) is summed up when asked. Whatever
//! lands later in a kept day (a clock stepped back) deletes it (the triggers of
//! migration 29), and so it is summed up again.
//!
//! Reports read on the readers' connections, never the writer's: only `keep` writes.

use crate::services::cash_day::load_day;
use crate::services::{ServiceError, ServiceResult};
use app::domain::cash_day::{self, ReportHeader, ReportKind};
use app::domain::reports::{
    By, Cell, Closed, Column, DaySummary, Kind, Lookups, Period, Preset, SalesReport, Summaries,
    Totals, Voided, MAX_DAYS,
};
use app::domain::{CategoryId, OrderId, ProductId, StaffId};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use sqlx::SqliteConnection;
use std::collections::BTreeMap;

/// A day is kept summed up only once it has been over this long, so that writes taken
/// just before its end have all committed.
const SETTLED_MS: i64 = 10 * 60_000;

/// The most voids and refunds the list shows; the journal export has them all.
pub const MAX_ADJUSTMENTS: i64 = 1_000;

/// The venue's business day: its time zone and the minute after midnight a day ends.
pub struct Clock {
    zone: TimeZone,
    name: String,
    ends_minute: i64,
}

impl Clock {
    pub async fn load(conn: &mut SqliteConnection) -> ServiceResult<Clock> {
        let row =
            sqlx::query!("SELECT time_zone, business_day_ends_minute FROM venue WHERE id = 1")
                .fetch_one(&mut *conn)
                .await?;
        Clock::new(&row.time_zone, row.business_day_ends_minute)
    }

    pub fn new(zone: &str, ends_minute: i64) -> ServiceResult<Clock> {
        Ok(Clock {
            zone: TimeZone::get(zone)
                .map_err(|e| ServiceError::Internal(format!("time zone {zone}: {e}")))?,
            name: zone.to_owned(),
            ends_minute,
        })
    }

    /// What a kept day was summed up under: a change of either makes it stale.
    fn key(&self) -> String {
        format!("{}|{}", self.name, self.ends_minute)
    }

    /// The hour the business day starts, 0 to 23.
    pub fn first_hour(&self) -> i64 {
        self.ends_minute / 60
    }

    /// When `day` starts and the next one does, in milliseconds since the epoch.
    pub fn period(&self, day: Date) -> ServiceResult<(i64, i64)> {
        let start = |d: Date| -> ServiceResult<i64> {
            let at = d.at(
                (self.ends_minute / 60) as i8,
                (self.ends_minute % 60) as i8,
                0,
                0,
            );
            Ok(at
                .to_zoned(self.zone.clone())
                .map_err(|e| ServiceError::Internal(format!("{d}: {e}")))?
                .timestamp()
                .as_millisecond())
        };
        let next = day
            .tomorrow()
            .map_err(|e| ServiceError::invalid("to", format!("{day} has no next day: {e}")))?;
        Ok((start(day)?, start(next)?))
    }

    /// The business day `at_ms` belongs to.
    pub fn day_of(&self, at_ms: i64) -> ServiceResult<Date> {
        let text = crate::services::cash_day::business_day(&self.name, self.ends_minute, at_ms)?;
        text.parse()
            .map_err(|e| ServiceError::Internal(format!("{text}: {e}")))
    }

    /// The local hour of `at_ms`, 0 to 23.
    pub fn hour_of(&self, at_ms: i64) -> i64 {
        jiff::Timestamp::from_millisecond(at_ms)
            .map(|t| i64::from(t.to_zoned(self.zone.clone()).hour()))
            .unwrap_or(0)
    }

    /// `2026-11-22 19:04`, local time.
    pub fn local(&self, at_ms: i64) -> String {
        jiff::Timestamp::from_millisecond(at_ms)
            .map(|t| {
                t.to_zoned(self.zone.clone())
                    .strftime("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_default()
    }
}

/// A range of business days asked for: `from` to `to`, both included.
#[derive(Clone, Copy, Debug)]
pub struct Range {
    pub from: Date,
    pub to: Date,
}

impl Range {
    /// Reads `from` and `to` (`2026-11-22`); refuses a backward range or one longer than
    /// a year.
    pub fn parse(from: &str, to: &str) -> ServiceResult<Range> {
        let date = |field: &str, text: &str| -> ServiceResult<Date> {
            (text.len() == 10)
                .then(|| text.parse::<Date>().ok())
                .flatten()
                .ok_or_else(|| {
                    ServiceError::invalid(
                        field,
                        format!("give a date as 2026-11-22, not {text:.20}"),
                    )
                })
        };
        let range = Range {
            from: date("from", from)?,
            to: date("to", to)?,
        };
        let days = range.days();
        if days < 1 {
            return Err(ServiceError::invalid(
                "to",
                "the last day comes after the first",
            ));
        }
        if days > MAX_DAYS {
            return Err(ServiceError::invalid(
                "to",
                format!("a report covers at most {MAX_DAYS} days: export a year at a time"),
            ));
        }
        Ok(range)
    }

    pub fn days(&self) -> i64 {
        i64::from((self.to - self.from).get_days()) + 1
    }

    /// As many days just before.
    pub fn previous(&self) -> Range {
        let span = jiff::Span::new().days(self.days());
        let back = |d: Date| d.checked_sub(span).unwrap_or(Date::MIN);
        Range {
            from: back(self.from),
            to: back(self.to),
        }
    }

    pub fn each(&self) -> impl Iterator<Item = Date> {
        let to = self.to;
        self.from
            .series(jiff::Span::new().days(1))
            .take_while(move |d| *d <= to)
    }
}

/// The ranges a manager picks from, as of `now_ms`: today and yesterday (business days),
/// this week and last (Monday to Sunday), this month and last, the last 30 days.
pub async fn presets(conn: &mut SqliteConnection, now_ms: i64) -> ServiceResult<Vec<Preset>> {
    let clock = Clock::load(conn).await?;
    let today = clock.day_of(now_ms)?;
    let days = |n: i64| jiff::Span::new().days(n);
    let back = |d: Date, n: i64| d.checked_sub(days(n)).unwrap_or(Date::MIN);
    let monday = back(today, i64::from(today.weekday().to_monday_zero_offset()));
    let first = today.first_of_month();
    let last_month = back(first, 1).first_of_month();
    let preset = |key: &str, label: &str, from: Date, to: Date| Preset {
        key: key.into(),
        label: label.into(),
        from: from.to_string(),
        to: to.to_string(),
    };
    Ok(vec![
        preset("today", "Today", today, today),
        preset("yesterday", "Yesterday", back(today, 1), back(today, 1)),
        preset("this-week", "This week", monday, today),
        preset("last-week", "Last week", back(monday, 7), back(monday, 1)),
        preset("this-month", "This month", first, today),
        preset("last-month", "Last month", last_month, back(first, 1)),
        preset("last-30-days", "Last 30 days", back(today, 29), today),
    ])
}

/// What every day is summed up with: staff names and product categories as they are
/// now, and the venue's tax rules and currency. Read once per report.
struct Known {
    staff: BTreeMap<StaffId, String>,
    categories: BTreeMap<ProductId, (Option<CategoryId>, String)>,
    venue: app::api::Venue,
}

async fn known(conn: &mut SqliteConnection) -> ServiceResult<Known> {
    let staff = sqlx::query!(r#"SELECT id AS "id: StaffId", name FROM staff"#)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let categories = sqlx::query!(
        r#"SELECT p.id AS "id: ProductId", c.id AS "category_id: CategoryId", c.name
           FROM products p JOIN categories c ON c.id = p.category_id"#
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|p| (p.id, (Some(p.category_id), p.name)))
    .collect();
    let venue = crate::services::venue::load_venue_async(conn).await?;
    Ok(Known {
        staff,
        categories,
        venue,
    })
}

/// What the day's summary was made from, counted: compared again before it is kept.
async fn fingerprint(conn: &mut SqliteConnection, from: i64, to: i64) -> ServiceResult<i64> {
    Ok(sqlx::query_scalar!(
        r#"SELECT (SELECT COUNT(*) FROM orders WHERE closed_at >= ?1 AND closed_at < ?2)
                + (SELECT COUNT(*) FROM payments WHERE created_at >= ?1 AND created_at < ?2)
                + (SELECT COUNT(*) FROM refunds WHERE created_at >= ?1 AND created_at < ?2)
                + (SELECT COUNT(*) FROM order_lines WHERE voided_at >= ?1 AND voided_at < ?2) AS "n!: i64""#,
        from,
        to
    )
    .fetch_one(conn)
    .await?)
}

/// Sums up `day` from its rows.
async fn summarize(
    conn: &mut SqliteConnection,
    clock: &Clock,
    day: Date,
    known: &Known,
) -> ServiceResult<DaySummary> {
    let (from, to) = clock.period(day)?;
    let venue = &known.venue;
    let data = load_day(conn, from, to).await?;
    let header = ReportHeader {
        kind: ReportKind::X,
        number: None,
        business_day: day.to_string(),
        from_ms: from,
        to_ms: to,
        taken_by: String::new(),
        currency: venue.currency.clone(),
    };
    let report = cash_day::report(header, &data, venue.tax_mode, venue.tax_rounding)?;
    let closed_at: BTreeMap<OrderId, i64> = sqlx::query!(
        r#"SELECT id AS "id: OrderId", closed_at AS "closed_at!" FROM orders
           WHERE closed_at >= ? AND closed_at < ? AND cancelled_at IS NULL"#,
        from,
        to
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.id, r.closed_at))
    .collect();
    let closed: Vec<Closed> = data
        .closed
        .iter()
        .map(|(order, _)| Closed {
            order,
            closed_at_ms: closed_at.get(&order.id).copied().unwrap_or(from),
        })
        .collect();
    let voided: Vec<Voided> = sqlx::query!(
        r#"SELECT voided_by AS "by!: StaffId", quantity * unit_price_minor AS "amount!: i64"
           FROM order_lines WHERE voided_at >= ? AND voided_at < ?"#,
        from,
        to
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|v| Voided {
        by: v.by,
        amount_minor: v.amount,
    })
    .collect();
    let hour_of = |ms: i64| clock.hour_of(ms);
    let look = Lookups {
        staff: &known.staff,
        categories: &known.categories,
        hour_of: &hour_of,
        mode: venue.tax_mode,
        rounding: venue.tax_rounding,
    };
    Ok(DaySummary::of(
        &day.to_string(),
        &report,
        &closed,
        &voided,
        &look,
    )?)
}

/// The kept summaries of `range` (summed up under `clock`), by day. `whole` reads the
/// hours, products and waiters too; else only the totals.
async fn kept(
    conn: &mut SqliteConnection,
    clock: &Clock,
    range: Range,
    whole: bool,
) -> ServiceResult<BTreeMap<String, DaySummary>> {
    let (from, to, key) = (range.from.to_string(), range.to.to_string(), clock.key());
    let rows = sqlx::query!(
        "SELECT day, totals_json, hours_json, products_json, waiters_json FROM report_days
         WHERE day >= ? AND day <= ? AND clock = ?",
        from,
        to,
        key
    )
    .fetch_all(&mut *conn)
    .await?;
    let json = |e: serde_json::Error| ServiceError::Internal(format!("a kept report day: {e}"));
    let mut days = BTreeMap::new();
    for r in rows {
        let mut summary = DaySummary {
            day: r.day.clone(),
            totals: serde_json::from_str(&r.totals_json).map_err(json)?,
            ..DaySummary::default()
        };
        if whole {
            summary.hours = serde_json::from_str(&r.hours_json).map_err(json)?;
            summary.products = serde_json::from_str(&r.products_json).map_err(json)?;
            summary.waiters = serde_json::from_str(&r.waiters_json).map_err(json)?;
        }
        days.insert(r.day, summary);
    }
    Ok(days)
}

/// The first moment anything was sold, paid or voided: days before it are empty.
async fn first_trade(conn: &mut SqliteConnection) -> ServiceResult<Option<i64>> {
    Ok(sqlx::query_scalar!(
        r#"SELECT MIN(at) AS "at: i64" FROM (
               SELECT MIN(closed_at) AS at FROM orders
               UNION ALL SELECT MIN(created_at) FROM payments
               UNION ALL SELECT MIN(voided_at) FROM order_lines WHERE voided_at IS NOT NULL)"#
    )
    .fetch_one(conn)
    .await?)
}

/// Every day of `range` summed up: kept ones read, the others summed up now (those
/// ending before `first`, the first trade, are empty).
async fn days(
    conn: &mut SqliteConnection,
    clock: &Clock,
    range: Range,
    whole: bool,
    first: Option<i64>,
) -> ServiceResult<Vec<DaySummary>> {
    let mut kept = kept(conn, clock, range, whole).await?;
    let mut read: Option<Known> = None;
    let mut out = Vec::with_capacity(range.days() as usize);
    for day in range.each() {
        let text = day.to_string();
        if let Some(summary) = kept.remove(&text) {
            out.push(summary);
            continue;
        }
        let (_, to) = clock.period(day)?;
        if first.is_none_or(|first| to <= first) {
            out.push(DaySummary {
                day: text,
                ..DaySummary::default()
            });
            continue;
        }
        let known = match read.take() {
            Some(known) => known,
            None => known(conn).await?,
        };
        out.push(summarize(conn, clock, day, &known).await?);
        read = Some(known);
    }
    Ok(out)
}

fn period(range: Range, days: &[DaySummary]) -> ServiceResult<Period> {
    let mut totals = Totals::default();
    for d in days {
        totals.add(&d.totals)?;
    }
    Ok(Period {
        from: range.from.to_string(),
        to: range.to.to_string(),
        average_ticket_minor: totals.average_ticket_minor(),
        totals,
    })
}

/// The sales report of `range`, viewed `by`, with the period before it for comparison.
pub async fn sales(
    conn: &mut SqliteConnection,
    range: Range,
    by: By,
) -> ServiceResult<SalesReport> {
    let mut one = views(conn, range, &[by]).await?;
    one.pop()
        .ok_or_else(|| ServiceError::Internal("a report without its view".into()))
}

/// The sales report of `range` in each of `views`, its days summed up once.
pub async fn views(
    conn: &mut SqliteConnection,
    range: Range,
    views: &[By],
) -> ServiceResult<Vec<SalesReport>> {
    let clock = Clock::load(conn).await?;
    let currency = crate::services::venue::load_venue_async(conn)
        .await?
        .currency;
    let whole = views
        .iter()
        .any(|by| matches!(by, By::Hour | By::Product | By::Category | By::Waiter));
    let first = first_trade(conn).await?;
    let these = days(conn, &clock, range, whole, first).await?;
    let before = days(conn, &clock, range.previous(), false, first).await?;
    let (now, previous) = (period(range, &these)?, period(range.previous(), &before)?);
    let view = Summaries {
        days: &these,
        first_hour: clock.first_hour(),
    };
    let mut out = Vec::with_capacity(views.len());
    for &by in views {
        let (columns, rows) = match by {
            By::Voids => adjustments(conn, &clock, range, MAX_ADJUSTMENTS).await?,
            by => view.table(by)?,
        };
        out.push(SalesReport {
            by,
            currency: currency.clone(),
            period: now.clone(),
            previous: previous.clone(),
            columns,
            rows,
        });
    }
    Ok(out)
}

/// The voids and refunds of `range`, newest first, with their reasons: at most `limit`.
async fn adjustments(
    conn: &mut SqliteConnection,
    clock: &Clock,
    range: Range,
    limit: i64,
) -> ServiceResult<(Vec<Column>, Vec<Vec<Cell>>)> {
    let (from, _) = clock.period(range.from)?;
    let (_, to) = clock.period(range.to)?;
    let rows = sqlx::query!(
        r#"SELECT at AS "at!: i64", kind AS "kind!: String", number AS "number!: i64", what AS "what!: String",
                  amount AS "amount!: i64", reason AS "reason!: String", by_name AS "by_name!: String",
                  approved AS "approved?: String"
           FROM (
             SELECT l.voided_at AS at, 'Void' AS kind, o.number, l.quantity || '× ' || l.product_name AS what,
                    l.quantity * l.unit_price_minor AS amount, COALESCE(l.void_reason, '') AS reason,
                    COALESCE(s.name, '') AS by_name, a.name AS approved
             FROM order_lines l JOIN orders o ON o.id = l.order_id
             LEFT JOIN staff s ON s.id = l.voided_by LEFT JOIN staff a ON a.id = l.void_approved_by
             WHERE l.voided_at >= ?1 AND l.voided_at < ?2
             UNION ALL
             SELECT r.created_at, 'Refund', o.number, r.method, r.amount_minor, r.reason, s.name, a.name
             FROM refunds r JOIN orders o ON o.id = r.order_id
             JOIN staff s ON s.id = r.refunded_by LEFT JOIN staff a ON a.id = r.approved_by
             WHERE r.created_at >= ?1 AND r.created_at < ?2)
           ORDER BY at DESC LIMIT ?3"#,
        from,
        to,
        limit
    )
    .fetch_all(&mut *conn)
    .await?;
    let col = Column::new;
    let columns = vec![
        col("at", "When", Kind::Text),
        col("kind", "What", Kind::Text),
        col("order", "Order", Kind::Count),
        col("item", "Item or method", Kind::Text),
        col("amount_minor", "Amount", Kind::Money),
        col("reason", "Reason", Kind::Text),
        col("by", "By", Kind::Text),
        col("approved_by", "Approved by", Kind::Text),
    ];
    let rows = rows
        .into_iter()
        .map(|r| {
            let item = if r.kind == "Refund" {
                format!("to {}", crate::services::journal::method(&r.what))
            } else {
                r.what
            };
            vec![
                Cell::Text(clock.local(r.at)),
                Cell::Text(r.kind),
                Cell::Number(r.number),
                Cell::Text(item),
                Cell::Number(r.amount),
                Cell::Text(r.reason),
                Cell::Text(r.by_name),
                Cell::Text(r.approved.unwrap_or_default()),
            ]
        })
        .collect();
    Ok((columns, rows))
}

/// A finished day, summed up on a reader with what it was made from counted.
pub struct Settled {
    day: String,
    clock: String,
    from: i64,
    to: i64,
    fingerprint: i64,
    summary: DaySummary,
}

/// The finished days not kept yet (under today's clock), oldest first, at most `limit`
/// of them, summed up. Run on a reader, in one read transaction per day.
pub async fn to_keep(
    pool: &sqlx::SqlitePool,
    now_ms: i64,
    limit: usize,
) -> ServiceResult<Vec<Settled>> {
    let mut conn = pool.acquire().await?;
    let clock = Clock::load(&mut conn).await?;
    let Some(first) = first_trade(&mut conn).await? else {
        return Ok(vec![]);
    };
    let last = clock.day_of(now_ms - SETTLED_MS)?.yesterday().ok();
    let Some(last) = last else { return Ok(vec![]) };
    let first = clock.day_of(first)?;
    if first > last {
        return Ok(vec![]);
    }
    let (from, to, key) = (first.to_string(), last.to_string(), clock.key());
    let have: std::collections::BTreeSet<String> = sqlx::query_scalar!(
        "SELECT day FROM report_days WHERE day >= ? AND day <= ? AND clock = ?",
        from,
        to,
        key
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let known = known(&mut conn).await?;
    let mut out = vec![];
    for day in (Range {
        from: first,
        to: last,
    })
    .each()
    {
        if out.len() >= limit {
            break;
        }
        if have.contains(&day.to_string()) {
            continue;
        }
        let (from, to) = clock.period(day)?;
        // One snapshot for the count and the sums, so they agree.
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let fingerprint = fingerprint(&mut tx, from, to).await?;
        let summary = summarize(&mut tx, &clock, day, &known).await?;
        tx.rollback().await?;
        out.push(Settled {
            day: day.to_string(),
            clock: key.clone(),
            from,
            to,
            fingerprint,
            summary,
        });
    }
    Ok(out)
}

/// Keeps the days summed up, each unless something landed in it since it was summed up
/// (then the worker sums it up again next time). Answers how many were kept.
pub async fn keep(conn: &mut SqliteConnection, settled: &[Settled]) -> ServiceResult<usize> {
    fn json<T: serde::Serialize>(v: &T) -> ServiceResult<String> {
        serde_json::to_string(v).map_err(|e| ServiceError::Internal(e.to_string()))
    }
    let mut kept = 0;
    for s in settled {
        if fingerprint(conn, s.from, s.to).await? != s.fingerprint {
            continue;
        }
        let (totals, hours, products, waiters) = (
            json(&s.summary.totals)?,
            json(&s.summary.hours)?,
            json(&s.summary.products)?,
            json(&s.summary.waiters)?,
        );
        sqlx::query!(
            "INSERT OR REPLACE INTO report_days (day, clock, from_ms, to_ms, totals_json, hours_json, products_json, waiters_json)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            s.day,
            s.clock,
            s.from,
            s.to,
            totals,
            hours,
            products,
            waiters
        )
        .execute(&mut *conn)
        .await?;
        kept += 1;
    }
    Ok(kept)
}
