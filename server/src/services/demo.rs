//! The demo venue, seeded into an empty database by `--demo`: "Trattoria Comanda" with
//! a kitchen and a bar, 31 products in 5 categories with every kind of option, 12 tables
//! in two rooms, four staff members with known PINs, and a kitchen and a bar printer;
//! with `--demo-past-days`, weeks of past trade too (`past_trade`).

use crate::pins::Pins;
use crate::services::templates;
use crate::services::ServiceResult;
use app::domain::first_run::VenueTemplate;
use app::domain::staff::Role;
use sqlx::SqlitePool;

/// The demo staff: name, role, PIN. Printed at start-up.
pub const DEMO_STAFF: [(&str, Role, &str); 5] = [
    ("Mara", Role::Manager, "9000"),
    ("Ana", Role::Waiter, "1111"),
    ("Luca", Role::Waiter, "2222"),
    ("Kim", Role::Kitchen, "3333"),
    ("Cleo", Role::Cashier, "4444"),
];

/// Italian VAT: 10 % on food and soft drinks served, 22 % on alcohol.
const DEMO_TAX_RATES_BP: [i64; 2] = [1000, 2200];

/// EAN-13 codes of the demo's bottled drinks.
pub const DEMO_BARCODES: [(&str, &str); 3] = [
    ("Sparkling water", "8001234500012"),
    ("Still water", "8001234500029"),
    ("Orange juice", "8001234500036"),
];

/// Seeds the demo venue if the database has no venue yet; returns whether it did.
pub async fn seed_if_empty(pool: &SqlitePool, pins: &Pins) -> ServiceResult<bool> {
    let mut tx = pool.begin().await?;
    if sqlx::query_scalar!(r#"SELECT 1 AS "one!: i64" FROM venue"#)
        .fetch_optional(&mut *tx)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    // An Italian venue keeps Italian time.
    let rates = crate::services::json_ids(&DEMO_TAX_RATES_BP)?;
    sqlx::query!(
        "INSERT INTO venue (id, name, currency, country, time_zone, tax_rates_json)
         VALUES (1, 'Trattoria Comanda', 'EUR', 'IT', 'Europe/Rome', ?)",
        rates
    )
    .execute(&mut *tx)
    .await?;
    for (name, role, pin) in DEMO_STAFF {
        crate::services::staff::add(pins, &mut tx, name, role, pin).await?;
    }
    templates::seed(&mut tx, VenueTemplate::Restaurant, &DEMO_TAX_RATES_BP).await?;

    // The bar's happy hour, 17:00 to 19:00, is set up but off, so prices stay predictable
    // until a manager switches it on.
    sqlx::query!(
        "INSERT INTO discount_rules (id, name, category_id, percent_bp, starts_minute, ends_minute, active)
         SELECT 'happy-hour', 'Happy hour', id, 2000, 1020, 1140, 0 FROM categories
         WHERE name = 'Wine, beer & cocktails'"
    )
    .execute(&mut *tx)
    .await?;

    // Bottled drinks carry barcodes, for the counter's scanner.
    for (name, code) in DEMO_BARCODES {
        sqlx::query!("UPDATE products SET barcode = ? WHERE name = ?", code, name)
            .execute(&mut *tx)
            .await?;
    }

    // A kitchen printer on 80 mm paper and a bar printer on 58 mm with the cash drawer,
    // which also prints the bills.
    // Until real printers answer at these addresses, their jobs wait in the queue.
    for (name, connection, columns, drawer, station) in [
        ("Kitchen", "tcp://127.0.0.1:9100", 48, 0, "kitchen"),
        ("Bar", "tcp://127.0.0.1:9101", 32, 1, "bar"),
    ] {
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query!(
            "INSERT INTO printers (id, name, connection, columns, code_page, has_drawer, prints_bills)
             VALUES (?, ?, ?, ?, 'CP858', ?, ?)",
            id,
            name,
            connection,
            columns,
            drawer,
            drawer
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "INSERT INTO printer_stations (printer_id, station_id) VALUES (?, ?)",
            id,
            station
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Gives the demo venue `days` of past trade (`--demo-past-days`), each business day ended
/// with its Z report, so its sales reports have weeks to compare the moment it starts.
/// Written straight into the database at `path` (`history`), before the server serves.
pub async fn past_trade(pool: &SqlitePool, path: &std::path::Path, days: i64) -> ServiceResult<()> {
    use crate::services::{cash_day, history, reports, ServiceError};
    let mut conn = pool.acquire().await?;
    let clock = reports::Clock::load(&mut conn).await?;
    let today = clock.day_of(crate::db::now_ms())?;
    let first = today
        .checked_sub(jiff::Span::new().days(days))
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    let trade = history::Trade {
        first,
        days,
        lines_a_day: 240,
        seed: 2026,
    };
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || history::write(&path, &trade))
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))??;
    let manager = sqlx::query_scalar!(
        r#"SELECT id AS "id: app::domain::StaffId" FROM staff WHERE role = 'manager' ORDER BY created_at LIMIT 1"#
    )
    .fetch_one(&mut *conn)
    .await?;
    for day in (reports::Range {
        from: first,
        to: today.yesterday().unwrap_or(first),
    })
    .each()
    {
        let (_, end) = clock.period(day)?;
        cash_day::end_past_day(&mut conn, manager, end).await?;
    }
    Ok(())
}
