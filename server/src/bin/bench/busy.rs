//! The busy venue: phones and station screens on the live stream while a waiter adds and
//! sends at a steady rate.

use crate::measure::{cpu_seconds, ms, percentile};
use crate::venue::open_and_send;
use crate::Sent;
use futures_util::StreamExt;
use reqwest::Client;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Open tables in the busy venue.
pub(crate) const BUSY_TABLES: usize = 40;

/// Phones and station screens on the live stream in the busy venue.
pub(crate) const BUSY_PHONES: usize = 100;

pub(crate) const BUSY_SCREENS: [&str; 4] = ["kitchen", "kitchen", "bar", "bar"];

/// Events a second the busy venue makes, and for how long.
pub(crate) const BUSY_EVENTS_PER_SEC: u64 = 10;

pub(crate) const BUSY_SECS: u64 = 10;

pub(crate) struct Busy {
    pub(crate) tables: Vec<String>,
    /// What each table starts with.
    pub(crate) lines: Value,
    /// What is added to a table each time.
    pub(crate) one_line: Value,
}

/// What the live streams of the busy venue saw.
#[derive(Default)]
pub(crate) struct Seen {
    /// From a send's request to its event on each screen.
    pub(crate) arrivals: Vec<Duration>,
    /// Snapshots phones fetched because an event did not carry its order.
    pub(crate) snapshots: usize,
    /// Station screens' reloads of their tickets, for events that did not carry them.
    pub(crate) reloads: usize,
}

/// What a busy venue cost the server, for the goals (`goals`); None for what could not
/// be measured.
pub(crate) struct Load {
    /// The server's CPU as a share of one core; None if `/proc` could not be read.
    pub(crate) cpu_percent: Option<f64>,
    /// From a send to every screen; None unless every screen saw every send.
    pub(crate) p99_ms: Option<f64>,
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
pub(crate) async fn busy_venue(
    http: &Client,
    base: &str,
    waiter: &str,
    kitchen: &str,
    pid: u32,
    busy: &Busy,
    deltas: bool,
) -> Result<Load, Box<dyn std::error::Error>> {
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
    let (cpu_percent, p99_ms) = (
        cpu * 100.0 / elapsed.as_secs_f64(),
        ms(percentile(&mut seen.arrivals, 99.0)),
    );
    println!("A busy venue ({BUSY_PHONES} phones and {} station screens live, {BUSY_TABLES} open tables, {BUSY_EVENTS_PER_SEC} events/s for {BUSY_SECS} s; {how}):", BUSY_SCREENS.len());
    println!(
        "  server CPU                   {:>10.1} % of one core   ({} snapshots fetched by phones, {} station reloads)",
        cpu_percent,
        seen.snapshots,
        seen.reloads
    );
    println!(
        "  send -> every screen    p50 {:>8.2} ms   p99 {:>8.2} ms   ({} of {} arrivals)",
        ms(percentile(&mut seen.arrivals, 50.0)),
        p99_ms,
        seen.arrivals.len(),
        sends * screens
    );
    Ok(Load {
        cpu_percent: (cpu > 0.0).then_some(cpu_percent),
        p99_ms: (seen.arrivals.len() == sends * screens).then_some(p99_ms),
    })
}
