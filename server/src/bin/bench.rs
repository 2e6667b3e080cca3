//! `make bench`: starts the release server on a temporary database and prints figures (no
//! pass/fail):
//! - SQLite's durable single-row commit rate (WAL, synchronous=FULL) on the same disk, the
//!   ceiling any durable write path is measured against;
//! - whole orders as phones send them: 16 concurrent waiters, each order one `POST /ops` of
//!   open table, 3 lines, send, pay and close; orders per second, and that rate as a ratio
//!   of the commit rate; fsyncs per order (counted by `perf stat` on the syscall
//!   tracepoints, when perf is there); server CPU and context switches per order (from
//!   `/proc`); p99 from send to the event reaching a connected kitchen stream;
//! - a busy venue: 100 phones and 4 station screens on the live stream, 40 open tables,
//!   10 events a second for 10 s; the server's CPU as a share of one core, the snapshots
//!   the phones had to fetch, and p99 from a send to every screen; and last, for
//!   comparison, the same with phones fetching the snapshot on every event, as before
//!   live deltas;
//! - the same over REST (open, add 3 lines, send), with p50/p99 of each request;
//! - the time to flush 1,000 queued offline operations after a reconnect;
//! - the server's peak RSS (before the comparison run); the brotli and gzip size of the
//!   waiter's first download; and last (with end2end/'s Playwright installed), in the busy
//!   venue's 40 open tables, the time from a service-worker-cached start to an interactive
//!   floor plan in headless Chromium.

use futures_util::StreamExt;
use reqwest::Client;
use serde_json::{json, Value};
use server::db::Db;
use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CLIENTS: usize = 16;
const ORDERS_PER_CLIENT: usize = 100;
/// Tables opened by the outbox flush: 4 operations each, 1,000 in all.
const FLUSH_TABLES: usize = 250;

type Sent = Arc<Mutex<HashMap<String, Instant>>>;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let commit_rate = durable_commit_rate(dir.path()).await?;
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
    let http = Client::new();
    let (mut child, base) = start_server(&http, dir.path()).await?;
    let result = run(&http, &base, child.id(), commit_rate, dir.path()).await;
    let _ = child.kill();
    let _ = child.wait();
    result?;

    // A phone's cached start in a venue of a real size: the runs above leave about 2,000
    // tables on the floor, so this is a venue of its own, the demo's floor and 40 more
    // tables, every one open with its lines sent, as in the busy venue.
    let venue = tempfile::tempdir()?;
    prepare_database(venue.path(), (0..BUSY_TABLES).map(|i| format!("C{i}"))).await?;
    let (mut child, base) = start_server(&http, venue.path()).await?;
    let opened = open_busy_tables(&http, &base).await;
    let line = match opened {
        Ok(()) => cached_start(&base).unwrap_or_else(|e| format!("not measured: {e}")),
        Err(e) => format!("not measured: {e}"),
    };
    println!("Cached start to the floor, offline, {BUSY_TABLES} open tables  {line}");
    let _ = child.kill();
    let _ = child.wait();
    Ok(())
}

/// Starts the release server on `data`, plain HTTP on a free loopback port, and waits
/// until it answers.
async fn start_server(
    http: &Client,
    data: &std::path::Path,
) -> Result<(std::process::Child, String), Box<dyn std::error::Error>> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let binary = std::env::current_exe()?.with_file_name("comanda");
    let child = Command::new(&binary)
        // Plain HTTP on loopback: the figures are the server's, not the TLS handshake's.
        .args([
            "--no-tls",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data",
        ])
        .arg(data)
        .env("COMANDA_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| {
            format!(
                "cannot start {}: {e} (build it with `make bench`)",
                binary.display()
            )
        })?;
    let base = format!("http://127.0.0.1:{port}");
    wait_healthy(http, &base).await?;
    Ok((child, base))
}

/// Opens every `C…` table with three lines and sends it, as Ana.
async fn open_busy_tables(http: &Client, base: &str) -> Result<(), Box<dyn std::error::Error>> {
    let waiter = login(http, base, "1111").await?;
    let snapshot = snapshot(http, base, &waiter).await?;
    let tables = tables_labelled(&snapshot, 'C');
    open_and_send(http, base, &waiter, &tables, &three_lines(&snapshot)).await?;
    Ok(())
}

/// Opens each of `tables`, adds `lines` and sends them over REST; returns the orders' ids.
async fn open_and_send(
    http: &Client,
    base: &str,
    token: &str,
    tables: &[String],
    lines: &Value,
) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut orders = Vec::with_capacity(tables.len());
    for table in tables {
        let order: Value = http
            .post(format!("{base}/api/v1/orders"))
            .bearer_auth(token)
            .json(&json!({ "table_id": table }))
            .send()
            .await?
            .json()
            .await?;
        let id = order["id"]
            .as_str()
            .ok_or("a table did not open")?
            .to_owned();
        for path in ["lines", "send"] {
            let request = http
                .post(format!("{base}/api/v1/orders/{id}/{path}"))
                .bearer_auth(token);
            let request = if path == "lines" {
                request.json(lines)
            } else {
                request
            };
            if !request.send().await?.status().is_success() {
                return Err(format!("{path} was refused").into());
            }
        }
        orders.push(id);
    }
    Ok(orders)
}

/// What `token`'s phone gets at start: the venue, menu, floor and open orders.
async fn snapshot(http: &Client, base: &str, token: &str) -> Result<Value, reqwest::Error> {
    http.get(format!("{base}/api/v1/snapshot"))
        .bearer_auth(token)
        .send()
        .await?
        .json()
        .await
}

/// The id of the demo menu's product called `name`.
fn product_id(snapshot: &Value, name: &str) -> String {
    snapshot["menu"]["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The ids of the tables whose label starts with `prefix`.
fn tables_labelled(snapshot: &Value, prefix: char) -> Vec<String> {
    snapshot["floor"]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["label"].as_str().unwrap().starts_with(prefix))
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect()
}

/// A starter, two mains with a note and a dessert, as the waiters here order.
fn three_lines(snapshot: &Value) -> Value {
    let product = |name: &str| product_id(snapshot, name);
    json!({ "lines": [
        { "product_id": product("Bruschetta"), "quantity": 1 },
        { "product_id": product("Lasagna"), "quantity": 2, "note": "one small" },
        { "product_id": product("Tiramisu"), "quantity": 1 },
    ]})
}

/// The demo venue with more tables, labelled `labels`.
async fn prepare_database(
    data: &std::path::Path,
    labels: impl Iterator<Item = String>,
) -> Result<(), Box<dyn std::error::Error>> {
    let db = Db::open(&data.join("comanda.db")).await?;
    let pins = server::pins::Pins::open(data)?;
    server::services::demo::seed_if_empty(&db.writer, &pins).await?;
    let room: String = sqlx::query_scalar("SELECT id FROM rooms LIMIT 1")
        .fetch_one(&db.writer)
        .await?;
    let mut tx = db.writer.begin().await?;
    for label in labels {
        sqlx::query("INSERT INTO dining_tables (id, room_id, label) VALUES (?, ?, ?)")
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(&room)
            .bind(label)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    db.writer.close().await;
    db.reader.close().await;
    Ok(())
}

async fn wait_healthy(http: &Client, base: &str) -> Result<(), Box<dyn std::error::Error>> {
    for _ in 0..300 {
        if http
            .get(format!("{base}/api/v1/health"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err("the server did not become healthy".into())
}

async fn login(http: &Client, base: &str, pin: &str) -> Result<String, Box<dyn std::error::Error>> {
    let body: Value = http
        .post(format!("{base}/api/v1/login"))
        .json(&json!({ "pin": pin }))
        .send()
        .await?
        .json()
        .await?;
    Ok(body["token"].as_str().ok_or("login failed")?.to_owned())
}

/// Single-row inserts, each its own durable commit, on one connection in WAL with
/// synchronous=FULL: what SQLite itself allows on this disk, one commit at a time.
async fn durable_commit_rate(dir: &std::path::Path) -> Result<f64, Box<dyn std::error::Error>> {
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
    use sqlx::{ConnectOptions, Connection};
    let mut conn = SqliteConnectOptions::new()
        .filename(dir.join("commit-rate.db"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .connect()
        .await?;
    sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY, at INTEGER NOT NULL)")
        .execute(&mut conn)
        .await?;
    const COMMITS: u32 = 500;
    let started = Instant::now();
    for i in 0..COMMITS {
        sqlx::query("INSERT INTO t (at) VALUES (?)")
            .bind(i64::from(i))
            .execute(&mut conn)
            .await?;
    }
    let rate = f64::from(COMMITS) / started.elapsed().as_secs_f64();
    conn.close().await?;
    Ok(rate)
}

async fn run(
    http: &Client,
    base: &str,
    pid: u32,
    commit_rate: f64,
    data: &std::path::Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let waiter = login(http, base, "1111").await?;
    let kitchen = login(http, base, "3333").await?;
    let snapshot = snapshot(http, base, &waiter).await?;
    let product = |name: &str| product_id(&snapshot, name);
    let lines = three_lines(&snapshot);
    let tables_labelled = |prefix: char| tables_labelled(&snapshot, prefix);
    let tables = tables_labelled('B');

    // The kitchen screen's stream: note when each order's send arrives.
    let sent: Sent = Arc::default();
    let arrivals: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let stream = http
        .get(format!("{base}/api/v1/events"))
        .bearer_auth(&kitchen)
        .send()
        .await?;
    let listener = tokio::spawn(listen(stream, sent.clone(), arrivals.clone()));

    println!("Comanda benchmark: {CLIENTS} concurrent waiters, release build, synchronous=FULL");
    println!("  SQLite durable single-row commits/s {commit_rate:>10.1}   (WAL, FULL, same disk)");
    let whole = WholeOrders {
        tables: tables_labelled('W'),
        lines: lines["lines"].clone(),
        total_minor: order_total(&snapshot, &lines)?,
    };
    whole_orders(
        http,
        base,
        &waiter,
        pid,
        commit_rate,
        whole,
        &sent,
        &arrivals,
    )
    .await?;
    let busy = |label| Busy {
        tables: tables_labelled(label),
        lines: lines.clone(),
        one_line: json!({ "lines": [{ "product_id": product("Espresso"), "quantity": 1 }] }),
    };
    busy_venue(http, base, &waiter, &kitchen, pid, &busy('V'), true).await?;

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
    listener.abort();

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
    println!(
        "  server peak RSS              {:>10.1} MiB",
        peak_rss_kib(pid) as f64 / 1024.0
    );
    for encoding in ["br", "gzip"] {
        let (total, files) = first_download(http, base, encoding).await?;
        println!(
            "  waiter's first download      {:>10.1} KiB {encoding} ({files})",
            total as f64 / 1024.0
        );
    }
    // Last, since it saturates the box: the busy venue again with phones fetching the
    // snapshot on every event, as before deltas. The orders the other phases left open
    // are closed in the database first (as if paid), so it has 40 open tables too.
    close_open_orders(data).await?;
    busy_venue(http, base, &waiter, &kitchen, pid, &busy('X'), false).await?;
    Ok(())
}

/// Closes every open order straight in the database file, beside the running server.
async fn close_open_orders(data: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Connection};
    let mut conn = SqliteConnectOptions::new()
        .filename(data.join("comanda.db"))
        .busy_timeout(Duration::from_secs(10))
        .connect()
        .await?;
    sqlx::query("UPDATE orders SET status = 'closed', closed_at = ? WHERE status = 'open'")
        .bind(server::db::now_ms())
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(())
}

/// Open tables in the busy venue.
const BUSY_TABLES: usize = 40;
/// Phones and station screens on the live stream in the busy venue.
const BUSY_PHONES: usize = 100;
const BUSY_SCREENS: [&str; 4] = ["kitchen", "kitchen", "bar", "bar"];
/// Events a second the busy venue makes, and for how long.
const BUSY_EVENTS_PER_SEC: u64 = 10;
const BUSY_SECS: u64 = 10;

struct Busy {
    tables: Vec<String>,
    /// What each table starts with.
    lines: Value,
    /// What is added to a table each time.
    one_line: Value,
}

/// What the live streams of the busy venue saw.
#[derive(Default)]
struct Seen {
    /// From a send's request to its event on each screen.
    arrivals: Vec<Duration>,
    /// Snapshots phones fetched because an event did not carry its order.
    snapshots: usize,
    /// Station screens' reloads of their tickets, for events that did not carry them.
    reloads: usize,
}

/// A busy venue: `BUSY_TABLES` tables open with sent orders, `BUSY_PHONES` phones and
/// the station screens on the live stream, and a waiter adding a line to a table and
/// sending it in turn, `BUSY_EVENTS_PER_SEC` events a second. Phones do what the app
/// does (`app::delta`): an event carrying its order is applied, any other about an order
/// fetches the snapshot; screens likewise apply the tickets an event carries for their
/// station and reload when it names their station without them. Without `deltas`, phones
/// fetch the snapshot on every event about an order and screens reload on every event
/// naming their station, as before events carried orders and tickets: the comparison
/// shows what the deltas save.
async fn busy_venue(
    http: &Client,
    base: &str,
    waiter: &str,
    kitchen: &str,
    pid: u32,
    busy: &Busy,
    deltas: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    let orders = open_and_send(http, base, waiter, &busy.tables, &busy.lines).await?;
    let sent: Sent = Arc::default();
    let seen: Arc<Mutex<Seen>> = Arc::default();
    let mut streams = Vec::new();
    let screens = BUSY_SCREENS.iter().map(|s| (kitchen, Some(*s)));
    for (token, station) in std::iter::repeat_n((waiter, None), BUSY_PHONES).chain(screens) {
        let response = http
            .get(format!("{base}/api/v1/events"))
            .bearer_auth(token)
            .send()
            .await?;
        let (http, base, token) = (http.clone(), base.to_owned(), token.to_owned());
        let (sent, seen) = (sent.clone(), seen.clone());
        let station = station.map(str::to_owned);
        streams.push(tokio::spawn(async move {
            let mut events = response.bytes_stream();
            let mut buf = String::new();
            while let Some(Ok(chunk)) = events.next().await {
                let now = Instant::now();
                buf.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buf.find("\n\n") {
                    let block: String = buf.drain(..end + 2).collect();
                    let Some(event) = block
                        .lines()
                        .find_map(|l| l.strip_prefix("data:"))
                        .and_then(|d| serde_json::from_str::<Value>(d.trim()).ok())
                    else {
                        continue;
                    };
                    if event["kind"] == "order_sent" {
                        let at = event["order_id"]
                            .as_str()
                            .and_then(|id| sent.lock().unwrap().get(id).copied());
                        if let Some(at) = at {
                            seen.lock().unwrap().arrivals.push(now - at);
                        }
                    }
                    let path = match &station {
                        Some(s)
                            if event["station_ids"]
                                .as_array()
                                .is_some_and(|ids| ids.iter().any(|i| i == s))
                                && (!deltas || event["tickets"].is_null()) =>
                        {
                            seen.lock().unwrap().reloads += 1;
                            format!("/api/v1/stations/{s}/tickets")
                        }
                        None if !event["order_id"].is_null()
                            && (!deltas || event["order"].is_null()) =>
                        {
                            seen.lock().unwrap().snapshots += 1;
                            "/api/v1/snapshot".to_owned()
                        }
                        _ => continue,
                    };
                    let _ = http
                        .get(format!("{base}{path}"))
                        .bearer_auth(&token)
                        .send()
                        .await
                        .map(|r| r.bytes());
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await; // every stream connected
    let cpu_before = cpu_seconds(pid);
    let started = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_millis(1000 / BUSY_EVENTS_PER_SEC));
    for i in 0..(BUSY_EVENTS_PER_SEC * BUSY_SECS) as usize {
        tick.tick().await;
        let id = &orders[(i / 2) % orders.len()];
        let request = if i % 2 == 0 {
            http.post(format!("{base}/api/v1/orders/{id}/lines"))
                .json(&busy.one_line)
        } else {
            sent.lock().unwrap().insert(id.clone(), Instant::now());
            http.post(format!("{base}/api/v1/orders/{id}/send"))
        };
        assert!(request
            .bearer_auth(waiter)
            .send()
            .await?
            .status()
            .is_success());
    }
    tokio::time::sleep(Duration::from_millis(300)).await; // the last events' way to the screens
    let (cpu, elapsed) = (cpu_seconds(pid) - cpu_before, started.elapsed());
    for stream in streams {
        stream.abort();
    }
    let mut seen = std::mem::take(&mut *seen.lock().unwrap());
    let screens = BUSY_PHONES + BUSY_SCREENS.len();
    let sends = (BUSY_EVENTS_PER_SEC * BUSY_SECS / 2) as usize;
    let how = if deltas {
        "phones apply live deltas"
    } else {
        "phones fetch the snapshot on every event, as before deltas"
    };
    println!("A busy venue ({BUSY_PHONES} phones and {} station screens live, {BUSY_TABLES} open tables, {BUSY_EVENTS_PER_SEC} events/s for {BUSY_SECS} s; {how}):", BUSY_SCREENS.len());
    println!(
        "  server CPU                   {:>10.1} % of one core   ({} snapshots fetched by phones, {} station reloads)",
        cpu * 100.0 / elapsed.as_secs_f64(),
        seen.snapshots,
        seen.reloads
    );
    println!(
        "  send -> every screen    p50 {:>8.2} ms   p99 {:>8.2} ms   ({} of {} arrivals)",
        ms(percentile(&mut seen.arrivals, 50.0)),
        ms(percentile(&mut seen.arrivals, 99.0)),
        seen.arrivals.len(),
        sends * screens
    );
    Ok(())
}

/// What each waiter's whole orders are made of.
struct WholeOrders {
    /// One table per waiter: each order closes, freeing it for the next.
    tables: Vec<String>,
    lines: Value,
    total_minor: i64,
}

/// The bill for `lines` in the demo venue, whose prices include tax.
fn order_total(snapshot: &Value, lines: &Value) -> Result<i64, Box<dyn std::error::Error>> {
    let price = |id: &Value| {
        snapshot["menu"]["products"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| &p["id"] == id))
            .and_then(|p| p["price_minor"].as_i64())
    };
    lines["lines"]
        .as_array()
        .ok_or("no lines")?
        .iter()
        .map(|l| Some(price(&l["product_id"])? * l["quantity"].as_i64()?))
        .sum::<Option<i64>>()
        .ok_or_else(|| "a product without a price".into())
}

/// 16 waiters, each sending whole orders as their phones do: one `POST /ops` per order
/// with open table, 3 lines, send, pay by card and close. Prints the rate, its ratio to
/// the durable commit rate, fsyncs, CPU and context switches per order, and send → kitchen
/// stream latency.
#[allow(clippy::too_many_arguments)]
async fn whole_orders(
    http: &Client,
    base: &str,
    token: &str,
    pid: u32,
    commit_rate: f64,
    whole: WholeOrders,
    sent: &Sent,
    arrivals: &Arc<Mutex<Vec<Duration>>>,
) -> Result<(), Box<dyn std::error::Error>> {
    let fsyncs = FsyncCount::start(pid);
    let (cpu_before, switches_before) = (cpu_seconds(pid), context_switches(pid));
    let started = Instant::now();
    let mut workers = Vec::new();
    for table in whole.tables {
        let (http, base, token, sent) = (
            http.clone(),
            base.to_owned(),
            token.to_owned(),
            sent.clone(),
        );
        let (lines, total) = (whole.lines.clone(), whole.total_minor);
        workers.push(tokio::spawn(async move {
            let id = || uuid::Uuid::now_v7().to_string();
            let mut timings = Vec::with_capacity(ORDERS_PER_CLIENT);
            for _ in 0..ORDERS_PER_CLIENT {
                let order = id();
                let mut lines = lines.clone();
                for line in lines.as_array_mut().unwrap() {
                    line["id"] = json!(id());
                }
                let ops = json!({ "ops": [
                    { "op_id": id(), "type": "open_table", "order_id": order, "table_id": table },
                    { "op_id": id(), "type": "add_lines", "order_id": order, "lines": lines },
                    { "op_id": id(), "type": "send_order", "order_id": order },
                    { "op_id": id(), "type": "take_payment", "order_id": order,
                      "payment": { "id": id(), "method": "card", "amount_minor": total } },
                    { "op_id": id(), "type": "close_order", "order_id": order },
                ]});
                let t0 = Instant::now();
                sent.lock().unwrap().insert(order.clone(), t0);
                let answer: Value = http
                    .post(format!("{base}/api/v1/ops"))
                    .bearer_auth(&token)
                    .json(&ops)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?
                    .json()
                    .await
                    .map_err(|e| e.to_string())?;
                let results = answer["results"].as_array().ok_or("the batch failed")?;
                if let Some(bad) = results.iter().find(|r| r["status"] != "applied") {
                    return Err(format!("an op was not applied: {bad}"));
                }
                timings.push(t0.elapsed());
            }
            Ok::<_, String>(timings)
        }));
    }
    let mut timings = Vec::new();
    for w in workers {
        timings.extend(w.await??);
    }
    let elapsed = started.elapsed();
    let (cpu, switches) = (
        cpu_seconds(pid) - cpu_before,
        context_switches(pid) - switches_before,
    );
    let fsyncs = fsyncs.finish();
    tokio::time::sleep(Duration::from_millis(300)).await; // the last events' way to the stream
    let orders = timings.len();
    let rate = orders as f64 / elapsed.as_secs_f64();
    println!("Whole orders as phones send them ({orders} orders; one POST /ops each: open, 3 lines, send, pay, close):");
    println!(
        "  orders per second            {rate:>10.1}   ({:.2} x the durable commit rate)",
        rate / commit_rate
    );
    match fsyncs {
        Ok(n) => println!(
            "  fsyncs per order             {:>10.2}   ({n} in all)",
            n as f64 / orders as f64
        ),
        Err(e) => println!("  fsyncs per order             not measured: {e}"),
    }
    println!(
        "  server CPU per order         {:>10.2} ms",
        cpu * 1000.0 / orders as f64
    );
    println!(
        "  context switches per order   {:>10.1}",
        switches as f64 / orders as f64
    );
    println!(
        "  whole order  p50 {:>8.2} ms   p99 {:>8.2} ms",
        ms(percentile(&mut timings, 50.0)),
        ms(percentile(&mut timings, 99.0))
    );
    let mut arrivals = std::mem::take(&mut *arrivals.lock().unwrap());
    println!(
        "  send -> kitchen stream  p50 {:>8.2} ms   p99 {:>8.2} ms   ({} of {orders} events seen; from the request's start)",
        ms(percentile(&mut arrivals, 50.0)),
        ms(percentile(&mut arrivals, 99.0)),
        arrivals.len()
    );
    Ok(())
}

/// Counts the server's fsync and fdatasync calls with `perf stat` on their tracepoints,
/// from `start` to `finish`.
struct FsyncCount(Result<std::process::Child, String>);

impl FsyncCount {
    fn start(pid: u32) -> Self {
        let child = Command::new("perf")
            .args([
                "stat",
                "-x",
                ",",
                "-e",
                "syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync",
                "-p",
            ])
            .arg(pid.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("perf: {e}"));
        // perf needs a moment to attach to every thread.
        std::thread::sleep(Duration::from_millis(500));
        Self(child)
    }

    fn finish(self) -> Result<u64, String> {
        let child = self.0?;
        Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .map_err(|e| format!("kill: {e}"))?;
        let output = child.wait_with_output().map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&output.stderr);
        let counts: Vec<u64> = text
            .lines()
            .filter(|l| l.contains("sys_enter_f"))
            .filter_map(|l| l.split(',').next()?.trim().parse().ok())
            .collect();
        match counts.len() {
            2 => Ok(counts.iter().sum()),
            _ => Err(text
                .lines()
                .next()
                .unwrap_or("perf printed nothing")
                .to_owned()),
        }
    }
}

/// The server's user + system CPU time so far, all threads, in seconds.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at its closing ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of stat, so 11 and 12 after the ')'; 100 Hz.
    (ticks(11) + ticks(12)) / 100.0
}

/// Voluntary and involuntary context switches of all the server's threads so far.
fn context_switches(pid: u32) -> u64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("status")).ok())
        .flat_map(|s| {
            s.lines()
                .filter(|l| l.contains("ctxt_switches:"))
                .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                .collect::<Vec<_>>()
        })
        .sum()
}

/// The phone's outbox batch size (app::ui::store).
const OUTBOX_BATCH: usize = 50;

/// A phone comes back online with 1,000 operations queued (250 tables opened, each with a
/// line added twice, then sent) and flushes them as the app does: in order, 50 a request.
async fn flush_outbox(
    http: &Client,
    base: &str,
    token: &str,
    snapshot: &Value,
) -> Result<(usize, Duration), Box<dyn std::error::Error>> {
    let tables: Vec<&str> = snapshot["floor"]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["label"].as_str().unwrap().starts_with('F'))
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    let product = snapshot["menu"]["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Espresso")
        .unwrap()["id"]
        .clone();
    let id = || uuid::Uuid::now_v7().to_string();
    let mut ops = Vec::new();
    for table in tables {
        let order = id();
        ops.push(
            json!({ "op_id": id(), "type": "open_table", "order_id": order, "table_id": table }),
        );
        for _ in 0..2 {
            ops.push(
                json!({ "op_id": id(), "type": "add_lines", "order_id": order,
                             "lines": [{ "id": id(), "product_id": product, "quantity": 1 }] }),
            );
        }
        ops.push(json!({ "op_id": id(), "type": "send_order", "order_id": order }));
    }
    let started = Instant::now();
    for batch in ops.chunks(OUTBOX_BATCH) {
        let response: Value = http
            .post(format!("{base}/api/v1/ops"))
            .bearer_auth(token)
            .json(&json!({ "ops": batch }))
            .send()
            .await?
            .json()
            .await?;
        let results = response["results"]
            .as_array()
            .ok_or("the ops batch failed")?;
        if let Some(bad) = results.iter().find(|r| r["status"] != "applied") {
            return Err(format!("an op was not applied: {bad}").into());
        }
    }
    Ok((ops.len(), started.elapsed()))
}

/// Runs end2end/bench/cached-start.mjs; returns its figures as a sentence.
fn cached_start(base: &str) -> Result<String, String> {
    let end2end = concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end");
    let output = Command::new("node")
        .args(["bench/cached-start.mjs", base, "1111"])
        .current_dir(end2end)
        .output()
        .map_err(|e| format!("node: {e}"))?;
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        return Err(err
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("failed")
            .to_owned());
    }
    let text = String::from_utf8_lossy(&output.stdout);
    match text.split_whitespace().collect::<Vec<_>>().as_slice() {
        [median, min, max] => Ok(format!("p50 {median} ms (min {min}, max {max}; 7 reloads)")),
        _ => Err(format!("unexpected output: {text}")),
    }
}

async fn listen(resp: reqwest::Response, sent: Sent, arrivals: Arc<Mutex<Vec<Duration>>>) {
    let mut stream = resp.bytes_stream();
    let mut buf = String::new();
    while let Some(Ok(chunk)) = stream.next().await {
        let now = Instant::now();
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let Some(data) = block.lines().find_map(|l| l.strip_prefix("data:")) else {
                continue;
            };
            let Ok(event) = serde_json::from_str::<Value>(data.trim()) else {
                continue;
            };
            if event["kind"] == "order_sent" {
                if let Some(t) = event["order_id"]
                    .as_str()
                    .and_then(|id| sent.lock().unwrap().remove(id))
                {
                    arrivals.lock().unwrap().push(now - t);
                }
            }
        }
    }
}

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    if v.is_empty() {
        return Duration::ZERO;
    }
    v.sort();
    v[((v.len() - 1) as f64 * p / 100.0).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// VmHWM: the most resident memory the process ever had.
fn peak_rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Bytes on the wire for index.html and the files it loads, as the server sends them to a
/// browser that takes `encoding` (`gzip` or `br`).
async fn first_download(
    http: &Client,
    base: &str,
    encoding: &str,
) -> Result<(usize, String), Box<dyn std::error::Error>> {
    let index = http.get(format!("{base}/")).send().await?.text().await?;
    let mut assets: Vec<String> = index
        .split(['"', '\''])
        .filter(|s| s.starts_with('/') && [".js", ".wasm", ".css"].iter().any(|e| s.ends_with(e)))
        .map(str::to_owned)
        .collect();
    assets.sort();
    assets.dedup();
    let mut total = 0;
    let mut parts = Vec::new();
    for path in std::iter::once("/".to_owned()).chain(assets) {
        let bytes = http
            .get(format!("{base}{path}"))
            .header("accept-encoding", encoding)
            .send()
            .await?
            .bytes()
            .await?
            .len();
        total += bytes;
        parts.push(format!(
            "{} {:.0} KiB",
            path.rsplit('.')
                .next()
                .filter(|_| path != "/")
                .unwrap_or("html"),
            bytes as f64 / 1024.0
        ));
    }
    Ok((total, parts.join(", ")))
}
