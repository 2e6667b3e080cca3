//! Past trade written straight into a venue's tables, as if the days had happened: closed
//! orders with their lines, waiters and payments (tips among them), items voided with a
//! reason, and refunds. For the bench's year of sales and the report tests, which need
//! days the server's clock cannot reach. Everything is made from a seed, so a run can be
//! made again.

use crate::db::direct::{sql, Conn};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::Connection;
use uuid::Uuid;

/// What to write.
pub struct Trade {
    /// The first business day, and how many days from it.
    pub first: Date,
    pub days: i64,
    /// Order lines a day, about (each order has 1 to 7).
    pub lines_a_day: i64,
    pub seed: u64,
}

/// What was written.
#[derive(Debug, Default)]
pub struct Written {
    pub orders: i64,
    pub lines: i64,
    pub payments: i64,
    pub voids: i64,
    pub refunds: i64,
}

struct Product {
    id: String,
    name: String,
    station: String,
    price: i64,
    rate: i64,
}

/// A time-ordered id made at `at_ms`, as a phone would have made it then.
fn id_at(rng: &mut StdRng, at_ms: i64) -> String {
    let ts = uuid::Timestamp::from_unix(
        uuid::NoContext,
        (at_ms / 1000) as u64,
        ((at_ms % 1000) * 1_000_000) as u32,
    );
    let mut bytes = *Uuid::new_v7(ts).as_bytes();
    // The random part from the seed, so ids are made again the same.
    rng.fill(&mut bytes[8..]);
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    Uuid::from_bytes(bytes).hyphenated().to_string()
}

/// Writes `trade` into the database at `path` (migrated, with a menu, staff and tables),
/// in one transaction. Orders open between 11:00 and 23:00 in the venue's time zone.
pub fn write(path: &std::path::Path, trade: &Trade) -> rusqlite::Result<Written> {
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    let tx = conn.transaction()?;
    let written = write_in(&Conn::new(&tx), trade)?;
    tx.commit()?;
    Ok(written)
}

fn write_in(conn: &Conn, trade: &Trade) -> rusqlite::Result<Written> {
    let zone: String = sql!(conn, "SELECT time_zone FROM venue WHERE id = 1").scalar()?;
    let zone = TimeZone::get(&zone).unwrap_or(TimeZone::UTC);
    let products: Vec<Product> = sql!(
        conn,
        "SELECT id, name, station_id, price_minor, tax_rate_bp FROM products WHERE retired = 0 AND price_minor > 0"
    )
    .rows(|r| {
        Ok(Product {
            id: r.get(0)?,
            name: r.get(1)?,
            station: r.get(2)?,
            price: r.get(3)?,
            rate: r.get(4)?,
        })
    })?;
    let staff: Vec<String> = sql!(
        conn,
        "SELECT id FROM staff WHERE role <> 'kitchen' ORDER BY name"
    )
    .rows(|r| r.get(0))?;
    let tables: Vec<String> =
        sql!(conn, "SELECT id FROM dining_tables WHERE retired = 0").rows(|r| r.get(0))?;
    if products.is_empty() || staff.is_empty() {
        // Nothing to sell, or nobody to sell it: no trade.
        return Ok(Written::default());
    }
    let mut number: i64 = sql!(
        conn,
        "SELECT COALESCE(MAX(number), 0) AS \"n!: i64\" FROM orders"
    )
    .scalar()?;
    let mut rng = StdRng::seed_from_u64(trade.seed);
    let mut written = Written::default();
    let mut day = trade.first;
    for _ in 0..trade.days {
        let opening = day
            .at(11, 0, 0, 0)
            .to_zoned(zone.clone())
            .map(|z| z.timestamp().as_millisecond())
            .unwrap_or(0);
        let mut lines_left = trade.lines_a_day;
        while lines_left > 0 {
            let opened = opening + rng.gen_range(0..12 * 3_600_000);
            let closed = opened + rng.gen_range(20..90) * 60_000;
            let id = id_at(&mut rng, opened);
            let by = staff[rng.gen_range(0..staff.len())].clone();
            number += 1;
            let table = (!tables.is_empty() && rng.gen_bool(0.9))
                .then(|| tables[rng.gen_range(0..tables.len())].clone());
            let guests: Option<i64> = rng.gen_bool(0.7).then(|| rng.gen_range(1..7));
            sql!(
                conn,
                "INSERT INTO orders (id, number, table_id, status, opened_by, opened_at, closed_at, closed_by, guests)
                 VALUES (?, ?, ?, 'closed', ?, ?, ?, ?, ?)",
                id, number, table, by, opened, closed, by, guests
            )
            .execute()?;
            sql!(
                conn,
                "INSERT INTO order_waiters (order_id, staff_id) VALUES (?, ?)",
                id,
                by
            )
            .execute()?;
            written.orders += 1;
            let mut total = 0;
            let count = rng.gen_range(1..=7).min(lines_left);
            for _ in 0..count {
                let p = &products[rng.gen_range(0..products.len())];
                let quantity: i64 = if rng.gen_bool(0.8) {
                    1
                } else {
                    rng.gen_range(2..4)
                };
                let added = opened + rng.gen_range(0..10) * 60_000;
                let void = rng.gen_bool(0.01);
                let (status, reason, voided_at) = if void {
                    (
                        "void",
                        Some("Guest changed their mind"),
                        Some(added + 5 * 60_000),
                    )
                } else {
                    ("served", None, None)
                };
                let (line_id, voider) = (id_at(&mut rng, added), void.then(|| by.clone()));
                sql!(
                    conn,
                    "INSERT INTO order_lines (id, order_id, product_id, product_name, station_id, quantity, unit_price_minor,
                                              status, added_by, created_at, tax_rate_bp, void_reason, voided_by,
                                              void_approved_by, voided_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    line_id, id, p.id, p.name, p.station, quantity, p.price, status, by, added, p.rate, reason,
                    voider, voider, voided_at
                )
                .execute()?;
                if void {
                    written.voids += 1;
                } else {
                    total += quantity * p.price;
                }
            }
            lines_left -= count;
            written.lines += count;
            if total > 0 {
                let method = if rng.gen_bool(0.7) { "card" } else { "cash" };
                let tip = if rng.gen_bool(0.3) { total / 10 } else { 0 };
                let (payment_id, paid_at) = (id_at(&mut rng, closed), closed - 1);
                sql!(
                    conn,
                    "INSERT INTO payments (id, order_id, method, amount_minor, tip_minor, taken_by, created_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?)",
                    payment_id, id, method, total, tip, by, paid_at
                )
                .execute()?;
                written.payments += 1;
                if rng.gen_bool(0.003) {
                    let at = closed + 30 * 60_000;
                    let (refund_id, amount) = (id_at(&mut rng, at), total.min(500));
                    sql!(
                        conn,
                        "INSERT INTO refunds (id, order_id, method, amount_minor, reason, refunded_by, approved_by, created_at)
                         VALUES (?, ?, ?, ?, 'Cold food', ?, ?, ?)",
                        refund_id, id, method, amount, by, staff[0], at
                    )
                    .execute()?;
                    written.refunds += 1;
                }
            }
        }
        day = day.tomorrow().unwrap_or(day);
    }
    Ok(written)
}
