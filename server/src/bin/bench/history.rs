//! Whole orders in a venue a year old: the tables that grow with trade (orders, lines,
//! tickets, print jobs, payments, events, the audit log, the phones' operations) hold a
//! year of rows, and an order should cost what it costs on the first day. The year is
//! traded through the server itself, so every row is one it wrote.

use crate::measure::watch_kitchen;
use crate::orders::{post_ops, whole_order, whole_orders, Waiters, WholeOrders};
use crate::venue::{login, snapshot, write_beside};
use crate::CLIENTS;
use reqwest::Client;
use serde_json::Value;
use std::time::Instant;

/// A busy venue's year: about 175 orders a day.
const YEAR_ORDERS: usize = 64_000;

/// Orders per `POST /ops` while the year is traded (5 operations each).
const ORDERS_PER_BATCH: usize = 20;

// Each of the `CLIENTS` phones trades the same whole number of batches.
const _: () = assert!(YEAR_ORDERS.is_multiple_of(CLIENTS * ORDERS_PER_BATCH));

/// Trades a year in the venue on `base` (its `W…` tables), marks every print job printed,
/// then measures whole orders as on the first day.
pub(crate) async fn year_old_venue(
    http: &Client,
    base: &str,
    pid: u32,
    commit_rate: f64,
    data: &std::path::Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let waiter = login(http, base, "1111").await?;
    let kitchen = login(http, base, "3333").await?;
    let snapshot = snapshot(http, base, &waiter).await?;
    let started = Instant::now();
    trade(http, base, &waiter, WholeOrders::new(&snapshot, 'W')?).await?;
    let traded = started.elapsed();
    // The bench's printers are not there; a real venue's printed its year.
    write_beside(
        data,
        "UPDATE print_jobs SET status = 'done', done_at = created_at WHERE status <> 'done'",
        &[],
    )
    .await?;

    let (sent, arrivals, listener) = watch_kitchen(base, &kitchen).await?;
    let title = format!(
        "The same in a venue a year old ({YEAR_ORDERS} orders before, traded in {:.0} s)",
        traded.as_secs_f64()
    );
    let waiters = Waiters {
        http,
        base,
        token: &waiter,
        pid,
        commit_rate,
        sent: &sent,
        arrivals: &arrivals,
    };
    // For comparison only: the goals are read from the first day's runs (`goals`).
    let result = whole_orders(waiters, WholeOrders::new(&snapshot, 'W')?, &title).await;
    listener.stop();
    result.map(|_| ())
}

/// `YEAR_ORDERS` whole orders, `ORDERS_PER_BATCH` to a request, from `CLIENTS` phones at
/// once, each on a table of its own.
async fn trade(
    http: &Client,
    base: &str,
    token: &str,
    whole: WholeOrders,
) -> Result<(), Box<dyn std::error::Error>> {
    let batches = YEAR_ORDERS / ORDERS_PER_BATCH / CLIENTS;
    assert_eq!(whole.tables.len(), CLIENTS, "one table per phone");
    let mut workers = Vec::new();
    for table in whole.tables {
        let (http, base, token) = (http.clone(), base.to_owned(), token.to_owned());
        let (lines, total) = (whole.lines.clone(), whole.total_minor);
        workers.push(tokio::spawn(async move {
            for _ in 0..batches {
                let ops: Vec<Value> = (0..ORDERS_PER_BATCH)
                    .flat_map(|_| whole_order(&table, &lines, total).1)
                    .collect();
                post_ops(&http, &base, &token, &ops).await?;
            }
            Ok::<_, String>(())
        }));
    }
    for w in workers {
        w.await??;
    }
    Ok(())
}
