//! `make bench`: starts the release server on a temporary database and prints figures
//! (nothing fails on them; the goals at the end say where each stands in this run):
//! - SQLite's durable single-row commit rate (WAL, synchronous=FULL) on the same disk, on
//!   rusqlite as the server's writer: the yardstick the order rate is measured against;
//! - whole orders as phones send them: 16 concurrent waiters, each order one `POST /ops` of
//!   open table, 3 lines, send, pay and close, back to back and then paced at 200 orders/s
//!   in all; orders per second, and that rate as a ratio of the commit rate; fsyncs per
//!   order (counted by `perf stat` on the syscall tracepoints, when perf is there); server
//!   CPU and context switches per order (from `/proc`); p99 from send to the event
//!   reaching a connected kitchen stream; and beside the paced run, SQLite's own durable
//!   commits on the same disk (`measure::DiskProbe`): every order committed during a
//!   disk stall waits for it;
//! - a busy venue: 100 phones and 4 station screens on the live stream, 40 open tables,
//!   10 events a second for 10 s; the server's CPU as a share of one core, the snapshots
//!   the phones had to fetch, and p99 from a send to every screen; and last, for
//!   comparison, the same with phones fetching the snapshot on every event, as before
//!   live deltas;
//! - the same over REST (open, add 3 lines, send), with p50/p99 of each request;
//! - the time to flush 1,000 queued offline operations after a reconnect;
//! - the server's peak RSS (before the comparison run); the brotli and gzip size of the
//!   waiter's first download (what sign-in needs) and of the whole waiter's app its
//!   service worker keeps;
//! - whole orders again in a venue a year old (64,000 orders traded first, `history`);
//! - a year of sales (1,000,000 lines over 365 days, `sales`): the reports over it and the
//!   year as a spreadsheet (`bench sales` runs only this);
//! - (with end2end/'s Playwright installed), in the busy venue's 40 open tables, the
//!   time from a service-worker-cached start to an interactive floor plan in headless
//!   Chromium;
//! - and last, the goals of issue 12, each beside the figure and run it is read from
//!   (`goals`).

mod busy;
mod download;
mod goals;
mod history;
mod measure;
mod orders;
mod sales;
mod venue;

use busy::{busy_venue, Busy, BUSY_TABLES};
use download::{cached_start, first_download, kept_app};
use goals::Goals;
use history::year_old_venue;
use measure::{durable_commit_rate, ms, peak_rss_kib, percentile, watch_kitchen};
use orders::{flush_outbox, whole_orders, Waiters, WholeOrders, OUTBOX_BATCH};
use venue::{
    login, open_busy_tables, prepare_database, product_id, snapshot, start_server, tables_labelled,
    three_lines, write_beside,
};

use reqwest::Client;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub(crate) const CLIENTS: usize = 16;

pub(crate) const ORDERS_PER_CLIENT: usize = 100;

/// Tables opened by the outbox flush: 4 operations each, 1,000 in all.
pub(crate) const FLUSH_TABLES: usize = 250;

pub(crate) type Sent = Arc<Mutex<HashMap<String, Instant>>>;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let http = Client::new();
    // `bench sales` runs only the year of sales (`sales`).
    if std::env::args().nth(1).as_deref() == Some("sales") {
        return sales::year_of_sales(&http).await;
    }
    let dir = tempfile::tempdir()?;
    let commit_rate = durable_commit_rate(dir.path())?;
    // W… for the whole orders (each closes, so one table per waiter is enough), B… for
    // the orders over REST, F… for the outbox flush.
    // V… and X… for the busy venue's open tables (with deltas, then without).
    let labels = (0..CLIENTS)
        .map(|i| format!("W{i}"))
        .chain((0..BUSY_TABLES).map(|i| format!("V{i}")))
        .chain((0..BUSY_TABLES).map(|i| format!("X{i}")))
        .chain((0..CLIENTS * ORDERS_PER_CLIENT).map(|i| format!("B{i}")))
        .chain((0..FLUSH_TABLES).map(|i| format!("F{i}")));
    prepare_database(dir.path(), labels).await?;
    let (mut child, base) = start_server(&http, dir.path()).await?;
    let mut goals = Goals::default();
    let result = run(
        &http,
        &base,
        child.id(),
        commit_rate,
        dir.path(),
        &mut goals,
    )
    .await;
    let _ = child.kill();
    let _ = child.wait();
    result?;

    // Whole orders again in a venue a year old, a venue of its own (`history`).
    let year = tempfile::tempdir()?;
    prepare_database(year.path(), (0..CLIENTS).map(|i| format!("W{i}"))).await?;
    let (mut child, base) = start_server(&http, year.path()).await?;
    let result = year_old_venue(&http, &base, child.id(), commit_rate, year.path()).await;
    let _ = child.kill();
    let _ = child.wait();
    result?;

    // Reports over a year of sales, in a venue of its own (`sales`).
    sales::year_of_sales(&http).await?;

    // A phone's cached start in a venue of a real size: the runs above leave about 2,000
    // tables on the floor, so this is a venue of its own, the demo's floor and 40 more
    // tables, every one open with its lines sent, as in the busy venue.
    let venue = tempfile::tempdir()?;
    prepare_database(venue.path(), (0..BUSY_TABLES).map(|i| format!("C{i}"))).await?;
    let (mut child, base) = start_server(&http, venue.path()).await?;
    let opened = open_busy_tables(&http, &base)
        .await
        .map_err(|e| e.to_string());
    let start = opened.and_then(|()| cached_start(&base));
    let line = match &start {
        Ok(s) => format!(
            "p50 {} ms (min {}, max {}; 7 reloads)",
            s.median, s.min, s.max
        ),
        Err(e) => format!("not measured: {e}"),
    };
    println!("Cached start to the floor, offline, {BUSY_TABLES} open tables  {line}");
    let _ = child.kill();
    let _ = child.wait();
    goals.cached_start(start.ok().map(|s| s.median));
    goals.print();
    Ok(())
}

async fn run(
    http: &Client,
    base: &str,
    pid: u32,
    commit_rate: f64,
    data: &std::path::Path,
    goals: &mut Goals,
) -> Result<(), Box<dyn std::error::Error>> {
    let waiter = login(http, base, "1111").await?;
    let kitchen = login(http, base, "3333").await?;
    let snapshot = snapshot(http, base, &waiter).await?;
    let product = |name: &str| product_id(&snapshot, name);
    let lines = three_lines(&snapshot);
    let tables_labelled = |prefix: char| tables_labelled(&snapshot, prefix);
    let tables = tables_labelled('B');

    // The kitchen screen's stream: note when each order's send arrives.
    let (sent, arrivals, listener) = watch_kitchen(base, &kitchen).await?;

    println!("Comanda benchmark: {CLIENTS} concurrent waiters, release build, synchronous=FULL");
    println!("  SQLite durable single-row commits/s {commit_rate:>10.1}   (WAL, FULL, same disk; median of 7 rounds)");
    let waiters = Waiters {
        http,
        base,
        token: &waiter,
        pid,
        commit_rate,
        sent: &sent,
        arrivals: &arrivals,
    };
    let whole = WholeOrders::new(&snapshot, 'W')?;
    let back_to_back = whole_orders(waiters, whole, "Whole orders as phones send them").await?;
    // Back to back, the 16 waiters keep the box at its limit, where latency is 16 orders
    // in flight over the rate (Little's law); paced, it is the latency of the path itself.
    let every = Duration::from_millis(80);
    let title = format!(
        "The same paced, each waiter one order every {} ms ({:.0} orders/s in all)",
        every.as_millis(),
        CLIENTS as f64 / every.as_secs_f64()
    );
    let paced = WholeOrders::new(&snapshot, 'W')?
        .paced(every)
        .with_disk_probe(data);
    let paced = whole_orders(waiters, paced, &title).await?;
    goals.orders(&back_to_back, &paced);
    let busy = |label| Busy {
        tables: tables_labelled(label),
        lines: lines.clone(),
        one_line: json!({ "lines": [{ "product_id": product("Espresso"), "quantity": 1 }] }),
    };
    let load = busy_venue(http, base, &waiter, &kitchen, pid, &busy('V'), true).await?;
    goals.busy(&load);

    let started = Instant::now();
    let mut workers = Vec::new();
    for c in 0..CLIENTS {
        let (http, base, token, lines, sent) = (
            http.clone(),
            base.to_owned(),
            waiter.clone(),
            lines.clone(),
            sent.clone(),
        );
        let my_tables: Vec<String> = tables.iter().skip(c).step_by(CLIENTS).cloned().collect();
        workers.push(tokio::spawn(async move {
            let mut timings = Vec::with_capacity(my_tables.len());
            for table in my_tables {
                let t0 = Instant::now();
                let order: Value = http
                    .post(format!("{base}/api/v1/orders"))
                    .bearer_auth(&token)
                    .json(&json!({ "table_id": table }))
                    .send()
                    .await?
                    .json()
                    .await?;
                let id = order["id"].as_str().expect("the table opens").to_owned();
                let t1 = Instant::now();
                let added = http
                    .post(format!("{base}/api/v1/orders/{id}/lines"))
                    .bearer_auth(&token)
                    .json(&lines)
                    .send()
                    .await?;
                assert!(added.status().is_success());
                let t2 = Instant::now();
                sent.lock().unwrap().insert(id.clone(), t2);
                let send = http
                    .post(format!("{base}/api/v1/orders/{id}/send"))
                    .bearer_auth(&token)
                    .send()
                    .await?;
                assert!(send.status().is_success());
                let t3 = Instant::now();
                timings.push([t1 - t0, t2 - t1, t3 - t2, t3 - t0]);
            }
            Ok::<_, reqwest::Error>(timings)
        }));
    }
    let mut timings = Vec::new();
    for w in workers {
        timings.extend(w.await??);
    }
    let elapsed = started.elapsed();
    tokio::time::sleep(Duration::from_millis(300)).await; // the last events' way to the stream
    listener.stop();

    let orders = timings.len();
    println!("Over REST, {orders} orders of open table, 3 lines, send:");
    println!(
        "  orders accepted per second   {:>10.1}",
        orders as f64 / elapsed.as_secs_f64()
    );
    for (i, name) in ["open table", "add 3 lines", "send", "whole order"]
        .iter()
        .enumerate()
    {
        let mut v: Vec<Duration> = timings.iter().map(|t| t[i]).collect();
        println!(
            "  {name:<13} p50 {:>8.2} ms   p99 {:>8.2} ms",
            ms(percentile(&mut v, 50.0)),
            ms(percentile(&mut v, 99.0))
        );
    }
    let mut arrivals = arrivals.lock().unwrap().clone();
    println!(
        "  send -> kitchen stream  p50 {:>8.2} ms   p99 {:>8.2} ms   ({} of {orders} events seen)",
        ms(percentile(&mut arrivals, 50.0)),
        ms(percentile(&mut arrivals, 99.0)),
        arrivals.len()
    );
    let (flushed, flush_time) = flush_outbox(http, base, &waiter, &snapshot).await?;
    println!(
        "  flush {flushed} queued ops (batches of {OUTBOX_BATCH})  {:>8.0} ms   ({:.0} ops/s)",
        ms(flush_time),
        flushed as f64 / flush_time.as_secs_f64()
    );
    let peak = peak_rss_kib(pid);
    println!(
        "  server peak RSS              {:>10.1} MiB",
        peak as f64 / 1024.0
    );
    goals.memory(peak);
    for encoding in ["br", "gzip"] {
        let (total, files) = first_download(http, base, encoding).await?;
        if encoding == "br" {
            goals.download(total);
        }
        println!(
            "  waiter's first download      {:>10.1} KiB {encoding} (sign-in: {files})",
            total as f64 / 1024.0
        );
        let (total, files) = kept_app(http, base, encoding).await?;
        println!(
            "  waiter's app, kept offline   {:>10.1} KiB {encoding} ({files} files, fetched by the service worker)",
            total as f64 / 1024.0
        );
    }
    // Last, since it saturates the box: the busy venue again with phones fetching the
    // snapshot on every event, as before deltas. The orders the other phases left open
    // are closed in the database first (as if paid), so it has 40 open tables too.
    write_beside(
        data,
        "UPDATE orders SET status = 'closed', closed_at = ? WHERE status = 'open'",
        &[server::db::now_ms()],
    )
    .await?;
    busy_venue(http, base, &waiter, &kitchen, pid, &busy('X'), false).await?;
    Ok(())
}
