//! A year of sales: 1,000,000 order lines over the 365 days before today (about 2,740 a
//! day, written straight into the tables by `services::history`, as if the year had
//! happened), then the server started on it. Figures: the time the report keeper takes to
//! sum the year up at start-up (what a venue upgrading with a year of trade waits once),
//! then the sales-by-day, product-mix and by-hour reports over the year, and the year as
//! a spreadsheet (every view, a sheet each) and as the accountant's journal (a row per
//! line, order, payment, refund and Z), with the server's peak memory after each.

use crate::measure::{ms, peak_rss_kib};
use crate::venue::{login, prepare_database, start_server};
use reqwest::Client;
use server::services::history::{self, Trade};
use std::time::{Duration, Instant};

const LINES: i64 = 1_000_000;
const DAYS: i64 = 365;

/// Runs of each report; the median and the slowest are printed.
const RUNS: usize = 7;

pub(crate) async fn year_of_sales(http: &Client) -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    prepare_database(dir.path(), std::iter::empty()).await?;
    let today = jiff::Zoned::now().date();
    let first = today.checked_sub(jiff::Span::new().days(DAYS))?;
    let started = Instant::now();
    let trade = Trade {
        first,
        days: DAYS,
        lines_a_day: (LINES + DAYS - 1) / DAYS,
        seed: 15,
    };
    let written = history::write(&dir.path().join("comanda.db"), &trade)?;
    println!(
        "A year of sales: {} orders, {} lines, {} payments, {} voids, {} refunds over {DAYS} days (written in {:.0} s)",
        written.orders,
        written.lines,
        written.payments,
        written.voids,
        written.refunds,
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let (mut child, base) = start_server(http, dir.path()).await?;
    let result = measure(http, &base, dir.path(), child.id(), started, first, today).await;
    let _ = child.kill();
    let _ = child.wait();
    result
}

async fn measure(
    http: &Client,
    base: &str,
    data: &std::path::Path,
    pid: u32,
    started: Instant,
    first: jiff::civil::Date,
    today: jiff::civil::Date,
) -> Result<(), Box<dyn std::error::Error>> {
    // The keeper sums up every finished day at start-up; wait until the year is kept.
    let db = server::db::Db::open(&data.join("comanda.db")).await?;
    loop {
        let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM report_days")
            .fetch_one(&db.reader)
            .await?;
        if kept >= DAYS {
            break;
        }
        if started.elapsed() > Duration::from_secs(600) {
            return Err(format!("only {kept} days kept after 10 minutes").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!(
        "  start-up, the year summed up and kept        {:>8.1} s   (once, by the report keeper)",
        started.elapsed().as_secs_f64()
    );
    let token = login(http, base, "9000").await?;
    let to = today.yesterday()?;
    for (by, what) in [
        ("day", "sales by day"),
        ("product", "product mix"),
        ("hour", "by hour"),
    ] {
        let url = format!("{base}/api/v1/reports/sales?from={first}&to={to}&by={by}");
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let at = Instant::now();
            let answer = http.get(&url).bearer_auth(&token).send().await?;
            if !answer.status().is_success() {
                return Err(format!("{url}: {}", answer.status()).into());
            }
            answer.bytes().await?;
            times.push(at.elapsed());
        }
        times.sort();
        println!(
            "  a year's {what:<14} p50 {:>7.1} ms  max {:>7.1} ms   (goal 250 ms)",
            ms(times[RUNS / 2]),
            ms(times[RUNS - 1])
        );
    }
    let url = format!("{base}/api/v1/reports/sales.xlsx?from={first}&to={to}");
    let at = Instant::now();
    let answer = http.get(&url).bearer_auth(&token).send().await?;
    let size = answer.bytes().await?.len();
    println!(
        "  a year as XLSX, every view a sheet           {:>8.1} ms   ({} KiB; goal 5 s); server peak RSS {} MiB",
        ms(at.elapsed()),
        size / 1024,
        peak_rss_kib(pid) / 1024
    );
    // The journal: a row for each of the million lines, and every order and payment.
    let url = format!("{base}/api/v1/reports/journal.xlsx?from={first}&to={to}");
    let at = Instant::now();
    let answer = http.get(&url).bearer_auth(&token).send().await?;
    if !answer.status().is_success() {
        return Err(format!("{url}: {}", answer.status()).into());
    }
    let size = answer.bytes().await?.len();
    println!(
        "  a year's journal as XLSX (every line)        {:>8.1} s    ({} MiB); server peak RSS {} MiB",
        at.elapsed().as_secs_f64(),
        size / (1024 * 1024),
        peak_rss_kib(pid) / 1024
    );
    Ok(())
}
