//! Sales reports against a recomputation from the raw rows, over random past days in
//! random time zones and ends of day: orders, sales, covers-free figures, tips, payments
//! per method, voids, refunds, products sold and orders per hour, per business day and
//! over the range. Then the days are kept (as the report keeper does) and the reports,
//! now read from the kept days, must not change.

use app::domain::reports::{By, Cell, SalesReport};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use proptest::prelude::*;
use server::db::Db;
use server::services::history::{self, Trade};
use server::services::reports::{self, Range};
use std::collections::BTreeMap;

const ZONES: [&str; 4] = ["Europe/Rome", "America/New_York", "Asia/Kolkata", "UTC"];

#[derive(Clone, Debug, Default, PartialEq)]
struct Day {
    orders: i64,
    sales: i64,
    tips: i64,
    voids: i64,
    voids_minor: i64,
    refunds_minor: i64,
    /// Per method: amount taken.
    methods: BTreeMap<String, i64>,
}

struct Raw {
    days: BTreeMap<String, Day>,
    /// Quantity sold per product name.
    products: BTreeMap<String, i64>,
    /// Orders closed per local hour.
    hours: BTreeMap<i64, i64>,
}

/// The business day and local hour of `at_ms`, worked out here on their own: the local
/// date, or the day before while the local clock is before the end of day.
fn local(zone: &TimeZone, ends_minute: i64, at_ms: i64) -> (String, i64) {
    let at = jiff::Timestamp::from_millisecond(at_ms)
        .unwrap()
        .to_zoned(zone.clone());
    let (hour, minute) = (i64::from(at.hour()), i64::from(at.minute()));
    let day = if hour * 60 + minute < ends_minute {
        at.date().yesterday().unwrap()
    } else {
        at.date()
    };
    (day.to_string(), hour)
}

fn recompute(path: &std::path::Path, zone: &TimeZone, ends: i64) -> Raw {
    let db = rusqlite::Connection::open(path).unwrap();
    let mut raw = Raw {
        days: BTreeMap::new(),
        products: BTreeMap::new(),
        hours: BTreeMap::new(),
    };
    let rows = |sql: &str, each: &mut dyn FnMut(&rusqlite::Row)| {
        let mut statement = db.prepare(sql).unwrap();
        let mut rows = statement.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            each(row);
        }
    };
    rows(
        "SELECT closed_at FROM orders WHERE closed_at IS NOT NULL AND cancelled_at IS NULL",
        &mut |r| {
            let (day, hour) = local(zone, ends, r.get(0).unwrap());
            raw.days.entry(day).or_default().orders += 1;
            *raw.hours.entry(hour).or_default() += 1;
        },
    );
    rows(
        "SELECT o.closed_at, l.product_name, l.quantity, l.unit_price_minor FROM order_lines l
         JOIN orders o ON o.id = l.order_id WHERE o.closed_at IS NOT NULL AND l.status <> 'void'",
        &mut |r| {
            let (day, _) = local(zone, ends, r.get(0).unwrap());
            let (name, quantity, price): (String, i64, i64) =
                (r.get(1).unwrap(), r.get(2).unwrap(), r.get(3).unwrap());
            raw.days.entry(day).or_default().sales += quantity * price;
            *raw.products.entry(name).or_default() += quantity;
        },
    );
    rows(
        "SELECT created_at, method, amount_minor, tip_minor FROM payments",
        &mut |r| {
            let (day, _) = local(zone, ends, r.get(0).unwrap());
            let d = raw.days.entry(day).or_default();
            d.tips += r.get::<_, i64>(3).unwrap();
            *d.methods.entry(r.get(1).unwrap()).or_default() += r.get::<_, i64>(2).unwrap();
        },
    );
    rows("SELECT voided_at, quantity * unit_price_minor FROM order_lines WHERE voided_at IS NOT NULL", &mut |r| {
        let (day, _) = local(zone, ends, r.get(0).unwrap());
        let d = raw.days.entry(day).or_default();
        d.voids += 1;
        d.voids_minor += r.get::<_, i64>(1).unwrap();
    });
    rows("SELECT created_at, amount_minor FROM refunds", &mut |r| {
        let (day, _) = local(zone, ends, r.get(0).unwrap());
        raw.days.entry(day).or_default().refunds_minor += r.get::<_, i64>(1).unwrap();
    });
    raw
}

fn col(report: &SalesReport, key: &str) -> Vec<Cell> {
    let at = report.column(key).unwrap_or_else(|| panic!("no {key}"));
    report.rows.iter().map(|r| r[at].clone()).collect()
}

fn num(cell: &Cell) -> i64 {
    cell.number().unwrap()
}

/// What the reports say, per day and over the range, in the same shape as `Raw`.
fn as_raw(views: &[SalesReport]) -> Raw {
    let view = |by: By| views.iter().find(|v| v.by == by).unwrap();
    let by_day = view(By::Day);
    let mut days = BTreeMap::new();
    let (dates, orders, sales, tips, voided, refunded) = (
        col(by_day, "day"),
        col(by_day, "orders"),
        col(by_day, "sales_minor"),
        col(by_day, "tips_minor"),
        col(by_day, "voids_minor"),
        col(by_day, "refunds_minor"),
    );
    for i in 0..dates.len() {
        let day = Day {
            orders: num(&orders[i]),
            sales: num(&sales[i]),
            tips: num(&tips[i]),
            voids: 0,
            voids_minor: num(&voided[i]),
            refunds_minor: num(&refunded[i]),
            methods: BTreeMap::new(),
        };
        if day != Day::default() {
            days.insert(dates[i].text().to_owned(), day);
        }
    }
    let by_product = view(By::Product);
    let products = col(by_product, "product")
        .iter()
        .zip(col(by_product, "quantity"))
        .map(|(name, q)| (name.text().to_owned(), num(&q)))
        .collect();
    let by_hour = view(By::Hour);
    let hours = col(by_hour, "hour")
        .iter()
        .zip(col(by_hour, "orders"))
        .filter(|(_, n)| num(n) > 0)
        .map(|(h, n)| (h.text()[..2].parse().unwrap(), num(&n)))
        .collect();
    Raw {
        days,
        products,
        hours,
    }
}

async fn check(seed: u64, days: i64, lines: i64, zone: usize, ends: i64, first: i64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("comanda.db");
    let db = Db::open(&path).await.unwrap();
    let pins = server::pins::Pins::open(dir.path()).unwrap();
    server::services::demo::seed_if_empty(&db.writer, &pins)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE venue SET time_zone = ?, business_day_ends_minute = ?, tax_mode = 'inclusive'",
    )
    .bind(ZONES[zone])
    .bind(ends)
    .execute(&db.writer)
    .await
    .unwrap();
    let first = Date::new(2025, 1, 1)
        .unwrap()
        .checked_add(jiff::Span::new().days(first))
        .unwrap();
    let trade = Trade {
        first,
        days,
        lines_a_day: lines,
        seed,
    };
    history::write(&path, &trade).unwrap();

    // The range reaches a day either side: an order closed after midnight, or before the
    // end of day, belongs to the day before or after in some zones.
    let range = Range {
        from: first.yesterday().unwrap(),
        to: first.checked_add(jiff::Span::new().days(days)).unwrap(),
    };
    let tz = TimeZone::get(ZONES[zone]).unwrap();
    let raw = recompute(&path, &tz, ends);
    let mut conn = db.reader.acquire().await.unwrap();
    let live = reports::views(&mut conn, range, &By::ALL).await.unwrap();
    let said = as_raw(&live);
    // By day shows neither the number of voids nor the methods: those are checked below.
    let expected: BTreeMap<String, Day> = raw
        .days
        .iter()
        .map(|(day, d)| {
            (
                day.clone(),
                Day {
                    voids: 0,
                    methods: BTreeMap::new(),
                    ..d.clone()
                },
            )
        })
        .filter(|(_, d)| *d != Day::default())
        .collect();
    assert_eq!(said.days, expected, "per day");
    assert_eq!(said.products, raw.products, "products sold");
    assert_eq!(said.hours, raw.hours, "orders per hour");
    // Over the range: voids counted, payments per method.
    let totals = &live[0].period.totals;
    assert_eq!(
        totals.voids,
        raw.days.values().map(|d| d.voids).sum::<i64>()
    );
    let mut methods = BTreeMap::new();
    for d in raw.days.values() {
        for (m, amount) in &d.methods {
            *methods.entry(m.clone()).or_insert(0) += amount;
        }
    }
    let said_methods: BTreeMap<String, i64> = totals
        .methods
        .iter()
        .map(|m| {
            (
                serde_json::to_value(m.method)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned(),
                m.amount_minor,
            )
        })
        .collect();
    assert_eq!(said_methods, methods, "payments per method");

    // Kept as the report keeper keeps them: the same reports.
    let settled = reports::to_keep(&db.reader, server::db::now_ms(), 400)
        .await
        .unwrap();
    let mut writer = db.writer.acquire().await.unwrap();
    let kept = reports::keep(&mut writer, &settled).await.unwrap();
    assert_eq!(kept, settled.len());
    let again = reports::views(&mut conn, range, &By::ALL).await.unwrap();
    assert_eq!(again, live, "read from the kept days");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn reports_equal_the_raw_rows_summed_by_business_day(
        seed in any::<u64>(),
        days in 1i64..10,
        lines in 0i64..120,
        zone in 0usize..ZONES.len(),
        ends in 0i64..1440,
        first in 0i64..700,
    ) {
        tokio::runtime::Runtime::new().unwrap().block_on(check(seed, days, lines, zone, ends, first));
    }
}

/// The days the clocks change in Rome, with the day ending at 11:30 so that trade falls
/// in the hour the change moves: each order still belongs to the day its local time says.
#[test]
fn reports_keep_to_the_local_clock_on_the_days_it_changes() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // 2026-03-28 to 2026-03-30, and 2025-10-25 to 2025-10-27.
    runtime.block_on(check(7, 3, 200, 0, 690, 451));
    runtime.block_on(check(8, 3, 200, 0, 690, 297));
}
