//! `make bench`: starts the release server on a temporary database and prints figures (no
//! pass/fail): orders per second with 16 concurrent waiters each opening a table, adding 3
//! lines and sending; p50/p99 of each request and of the whole order; p99 from send to
//! the event reaching a connected kitchen stream; the time to flush 1,000 queued offline
//! operations after a reconnect; the server's peak RSS; the gzipped size of the waiter's
//! first download; and (with end2end/'s Playwright installed) the time from a
//! service-worker-cached start to an interactive floor plan in headless Chromium.

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
    prepare_database(dir.path()).await?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let binary = std::env::current_exe()?.with_file_name("comanda");
    let mut child = Command::new(&binary)
        // Plain HTTP on loopback: the figures are the server's, not the TLS handshake's.
        .args([
            "--no-tls",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data",
        ])
        .arg(dir.path())
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
    let http = Client::new();
    wait_healthy(&http, &base).await?;
    let result = run(&http, &base, child.id()).await;
    let _ = child.kill();
    let _ = child.wait();
    result
}

/// A demo venue with enough tables that no waiter has to wait for one to free up.
async fn prepare_database(data: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let db = Db::open(&data.join("comanda.db")).await?;
    let pins = server::pins::Pins::open(data)?;
    server::demo::seed_if_empty(&db.writer, &pins).await?;
    let room: String = sqlx::query_scalar("SELECT id FROM rooms LIMIT 1")
        .fetch_one(&db.writer)
        .await?;
    let mut tx = db.writer.begin().await?;
    // B… for the concurrent orders, F… for the outbox flush.
    let labels = (0..CLIENTS * ORDERS_PER_CLIENT)
        .map(|i| format!("B{i}"))
        .chain((0..FLUSH_TABLES).map(|i| format!("F{i}")));
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

async fn run(http: &Client, base: &str, pid: u32) -> Result<(), Box<dyn std::error::Error>> {
    let waiter = login(http, base, "1111").await?;
    let kitchen = login(http, base, "3333").await?;
    let snapshot: Value = http
        .get(format!("{base}/api/v1/snapshot"))
        .bearer_auth(&waiter)
        .send()
        .await?
        .json()
        .await?;
    let product = |name: &str| -> String {
        snapshot["menu"]["products"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let lines = json!({ "lines": [
        { "product_id": product("Bruschetta"), "quantity": 1 },
        { "product_id": product("Lasagna"), "quantity": 2, "note": "one small" },
        { "product_id": product("Tiramisu"), "quantity": 1 },
    ]});
    let tables: Vec<String> = snapshot["floor"]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["label"].as_str().unwrap().starts_with('B'))
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect();

    // The kitchen screen's stream: note when each order's send arrives.
    let sent: Sent = Arc::default();
    let arrivals: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let stream = http
        .get(format!("{base}/api/v1/events"))
        .bearer_auth(&kitchen)
        .send()
        .await?;
    let listener = tokio::spawn(listen(stream, sent.clone(), arrivals.clone()));

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
    println!("Comanda benchmark: {CLIENTS} concurrent waiters, {orders} orders of 3 lines, release build, synchronous=FULL");
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
    let (total, files) = first_download_gzip(http, base).await?;
    println!(
        "  waiter's first download      {:>10.1} KiB gzipped ({files})",
        total as f64 / 1024.0
    );
    match cached_start(base) {
        Ok(line) => println!("  cached start to floor, offline  {line}"),
        Err(e) => println!("  cached start to floor, offline  not measured: {e}"),
    }
    Ok(())
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

/// Bytes on the wire for index.html and the files it loads, as the server sends them gzipped.
async fn first_download_gzip(
    http: &Client,
    base: &str,
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
            .header("accept-encoding", "gzip")
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
