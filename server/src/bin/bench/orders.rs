//! Whole orders as phones send them (one `POST /ops` each), and flushing a reconnected
//! phone's outbox.

use crate::measure::{
    context_switches, cpu_seconds, ms, percentile, Arrivals, DiskProbe, FsyncCount,
};
use crate::venue::{tables_labelled, three_lines};
use crate::{Sent, ORDERS_PER_CLIENT};
use reqwest::Client;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What each waiter's whole orders are made of.
pub(crate) struct WholeOrders {
    /// One table per waiter: each order closes, freeing it for the next.
    pub(crate) tables: Vec<String>,
    pub(crate) lines: Value,
    pub(crate) total_minor: i64,
    /// Each waiter sends an order this often, instead of the next as soon as the last is
    /// answered: latency at a load the box carries, not at its limit.
    pub(crate) every: Option<Duration>,
    /// Where SQLite's own durable commits are timed beside the run (`DiskProbe`), if they
    /// are.
    pub(crate) probe: Option<PathBuf>,
}

impl WholeOrders {
    /// Three lines (`three_lines`) on each of the tables labelled `prefix…`.
    pub(crate) fn new(snapshot: &Value, prefix: char) -> Result<Self, Box<dyn std::error::Error>> {
        let lines = three_lines(snapshot);
        Ok(Self {
            tables: tables_labelled(snapshot, prefix),
            lines: lines["lines"].clone(),
            total_minor: order_total(snapshot, &lines)?,
            every: None,
            probe: None,
        })
    }

    /// The same orders, each waiter sending one every `every`.
    pub(crate) fn paced(self, every: Duration) -> Self {
        Self {
            every: Some(every),
            ..self
        }
    }

    /// The same orders, with SQLite's own durable commits timed beside them in `dir`
    /// (`DiskProbe`): at a load the box carries, what the disk does shows in the tail.
    pub(crate) fn with_disk_probe(self, dir: &Path) -> Self {
        Self {
            probe: Some(dir.to_owned()),
            ..self
        }
    }
}

/// The bill for `lines` in the demo venue, whose prices include tax.
pub(crate) fn order_total(
    snapshot: &Value,
    lines: &Value,
) -> Result<i64, Box<dyn std::error::Error>> {
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

/// Sends `ops` in one `POST /ops`; an error unless every one of them applied.
pub(crate) async fn post_ops(
    http: &Client,
    base: &str,
    token: &str,
    ops: &[Value],
) -> Result<(), String> {
    let answer: Value = http
        .post(format!("{base}/api/v1/ops"))
        .bearer_auth(token)
        .json(&json!({ "ops": ops }))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let results = answer["results"].as_array().ok_or("the batch failed")?;
    match results.iter().find(|r| r["status"] != "applied") {
        Some(bad) => Err(format!("an op was not applied: {bad}")),
        None => Ok(()),
    }
}

/// One whole order on `table`: its id, and its operations (open the table, add `lines`,
/// send, pay `total` by card, close), each with ids of its own.
pub(crate) fn whole_order(table: &str, lines: &Value, total: i64) -> (String, [Value; 5]) {
    let id = || uuid::Uuid::now_v7().to_string();
    let order = id();
    let mut lines = lines.clone();
    for line in lines.as_array_mut().expect("the lines are a list") {
        line["id"] = json!(id());
    }
    let ops = [
        json!({ "op_id": id(), "type": "open_table", "order_id": order, "table_id": table }),
        json!({ "op_id": id(), "type": "add_lines", "order_id": order, "lines": lines }),
        json!({ "op_id": id(), "type": "send_order", "order_id": order }),
        json!({ "op_id": id(), "type": "take_payment", "order_id": order,
                "payment": { "id": id(), "method": "card", "amount_minor": total } }),
        json!({ "op_id": id(), "type": "close_order", "order_id": order }),
    ];
    (order, ops)
}

/// What a run of whole orders needs: the server (and its process, for CPU and fsyncs),
/// the durable commit rate to compare with, a waiter's token, and the kitchen stream's
/// notes of when each send left and arrived (`measure::watch_kitchen`).
#[derive(Clone, Copy)]
pub(crate) struct Waiters<'a> {
    pub(crate) http: &'a Client,
    pub(crate) base: &'a str,
    pub(crate) token: &'a str,
    pub(crate) pid: u32,
    pub(crate) commit_rate: f64,
    pub(crate) sent: &'a Sent,
    pub(crate) arrivals: &'a Arrivals,
}

/// How often the disk probe commits beside a paced run (`DiskProbe`).
const PROBE_EVERY: Duration = Duration::from_millis(20);

/// A disk probe's commits count as stalled past this: the goal for send → kitchen p99
/// (`goals`).
pub(crate) const STALL: Duration = Duration::from_millis(10);

/// What a run of whole orders measured, for the goals (`goals`); None for what could
/// not be measured.
pub(crate) struct Figures {
    /// Orders per second over the durable commit rate.
    pub(crate) ratio: f64,
    /// None without perf.
    pub(crate) fsyncs_per_order: Option<f64>,
    /// None if `/proc` could not be read.
    pub(crate) cpu_ms_per_order: Option<f64>,
    /// None unless the kitchen's stream saw every send.
    pub(crate) kitchen_p99_ms: Option<f64>,
    /// The share of the run that SQLite's own commits beside it spent past `STALL`,
    /// when they were timed (`WholeOrders::with_disk_probe`).
    pub(crate) disk_stalled: Option<f64>,
}

/// 16 waiters, each sending whole orders as their phones do: one `POST /ops` per order
/// with open table, 3 lines, send, pay by card and close, back to back or paced
/// (`WholeOrders::paced`). Prints `title`, the rate, its ratio to the durable commit rate,
/// fsyncs, CPU and context switches per order, and send → kitchen stream latency; returns
/// the figures the goals are read from.
pub(crate) async fn whole_orders(
    waiters: Waiters<'_>,
    whole: WholeOrders,
    title: &str,
) -> Result<Figures, Box<dyn std::error::Error>> {
    let Waiters {
        http,
        base,
        token,
        pid,
        commit_rate,
        sent,
        arrivals,
    } = waiters;
    let fsyncs = FsyncCount::start(pid);
    let (cpu_before, switches_before) = (cpu_seconds(pid), context_switches(pid));
    let probe = whole
        .probe
        .as_deref()
        .map(|dir| DiskProbe::start(dir, PROBE_EVERY));
    let started = Instant::now();
    let mut workers = Vec::new();
    let count = whole.tables.len() as u32;
    for (i, table) in (0..).zip(whole.tables) {
        let (http, base, token, sent) = (
            http.clone(),
            base.to_owned(),
            token.to_owned(),
            sent.clone(),
        );
        let (lines, total) = (whole.lines.clone(), whole.total_minor);
        // Paced waiters start spread over one period, as phones would be.
        let mut pace = whole.every.map(|every| {
            let first = tokio::time::Instant::now() + every * i / count;
            let mut pace = tokio::time::interval_at(first, every);
            pace.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            pace
        });
        workers.push(tokio::spawn(async move {
            let mut timings = Vec::with_capacity(ORDERS_PER_CLIENT);
            for _ in 0..ORDERS_PER_CLIENT {
                if let Some(pace) = pace.as_mut() {
                    pace.tick().await;
                }
                let (order, ops) = whole_order(&table, &lines, total);
                let t0 = Instant::now();
                sent.lock().unwrap().insert(order, t0);
                post_ops(&http, &base, &token, &ops).await?;
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
    let disk = probe.map(|p| p.finish(STALL));
    let (cpu, switches) = (
        cpu_seconds(pid) - cpu_before,
        context_switches(pid) - switches_before,
    );
    let fsyncs = fsyncs.finish();
    tokio::time::sleep(Duration::from_millis(300)).await; // the last events' way to the stream
    let orders = timings.len();
    let rate = orders as f64 / elapsed.as_secs_f64();
    println!("{title} ({orders} orders; one POST /ops each: open, 3 lines, send, pay, close):");
    println!(
        "  orders per second            {rate:>10.1}   ({:.2} x the durable commit rate)",
        rate / commit_rate
    );
    let fsyncs_per_order = match fsyncs {
        Ok(n) => {
            let per_order = n as f64 / orders as f64;
            println!("  fsyncs per order             {per_order:>10.2}   ({n} in all)");
            Some(per_order)
        }
        Err(e) => {
            println!("  fsyncs per order             not measured: {e}");
            None
        }
    };
    let cpu_ms_per_order = cpu * 1000.0 / orders as f64;
    println!("  server CPU per order         {cpu_ms_per_order:>10.2} ms");
    let cpu_ms_per_order = (cpu > 0.0).then_some(cpu_ms_per_order);
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
    let kitchen_p99_ms = ms(percentile(&mut arrivals, 99.0));
    println!(
        "  send -> kitchen stream  p50 {:>8.2} ms   p99 {kitchen_p99_ms:>8.2} ms   \
         ({} of {orders} events seen; from the request's start)",
        ms(percentile(&mut arrivals, 50.0)),
        arrivals.len()
    );
    let kitchen_p99_ms = (arrivals.len() == orders).then_some(kitchen_p99_ms);
    let disk_stalled = match disk {
        Some(Ok(disk)) => {
            println!(
                "  SQLite's own commit beside it  p50 {:>5.2} ms   max {:>8.2} ms   \
                 ({:.1} % of the run past {} ms; one every {} ms)",
                ms(disk.p50),
                ms(disk.max),
                disk.share_over * 100.0,
                STALL.as_millis(),
                PROBE_EVERY.as_millis()
            );
            Some(disk.share_over)
        }
        Some(Err(e)) => {
            println!("  SQLite's own commit beside it  not measured: {e}");
            None
        }
        None => None,
    };
    Ok(Figures {
        ratio: rate / commit_rate,
        fsyncs_per_order,
        cpu_ms_per_order,
        kitchen_p99_ms,
        disk_stalled,
    })
}

/// The phone's outbox batch size (ui::store).
pub(crate) const OUTBOX_BATCH: usize = 50;

/// A phone comes back online with 1,000 operations queued (250 tables opened, each with a
/// line added twice, then sent) and flushes them as the app does: in order, 50 a request.
pub(crate) async fn flush_outbox(
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
        post_ops(http, base, token, batch).await?;
    }
    Ok((ops.len(), started.elapsed()))
}
