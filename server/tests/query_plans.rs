//! No query reads every row of a table that grows with trade.
//!
//! Orders, their lines, tickets, print jobs, payments and the logs grow by thousands of
//! rows a week and are never emptied, so a query that scans one of them gets slower every
//! day the venue trades. This asks SQLite for the plan (`EXPLAIN QUERY PLAN`) of every
//! query the server has (the compile-checked ones in `.sqlx/`), on the migrated schema,
//! and fails on a full scan of such a table, through the table or through an index,
//! unless the index holds only a few of its rows (the open orders) or the scan is one of
//! the few listed below, each with why it stops early.

use rusqlite::Connection;
use std::path::Path;

/// Tables that grow with trade and are never emptied.
const GROWING: &[&str] = &[
    "orders",
    "order_lines",
    "order_aliases",
    "order_waiters",
    "tickets",
    "void_ticket_lines",
    "print_jobs",
    "payments",
    "refunds",
    "discounts",
    "takeaways",
    "sms_outbox",
    "events",
    "audit_log",
    "ops",
    "shifts",
    "z_reports",
];

/// Indexes that hold only a few rows of a growing table, so reading one whole is cheap.
const SMALL_INDEXES: &[(&str, &str)] = &[
    ("one_open_order_per_table", "the open orders"),
    ("print_jobs_waiting", "the jobs not printed yet"),
];

/// Scans that stop early: a piece of the query's text, the scan, and why it is bounded.
const BOUNDED: &[(&str, &str, &str)] = &[
    (
        "FROM z_reports ORDER BY number DESC LIMIT 1",
        "SCAN z_reports",
        "walks back from the newest report and stops at the first",
    ),
    (
        "SELECT report_json FROM z_reports ORDER BY number DESC",
        "SCAN z_reports",
        "the Z report history, one row per trading day, read whole on purpose",
    ),
    (
        "EXISTS (SELECT 1 FROM orders)",
        "SCAN orders",
        "stops at the first order",
    ),
    (
        "ORDER BY o.closed_at DESC LIMIT ?",
        "SCAN o USING INDEX orders_by_close",
        "walks back from the latest close and stops at the limit",
    ),
    (
        "ORDER BY created_at DESC LIMIT 50",
        "SCAN print_jobs USING INDEX print_jobs_finished",
        "walks back from the latest finished job and stops at 50",
    ),
];

#[tokio::test]
async fn no_query_scans_a_table_that_grows_with_trade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plans.db");
    server::db::Db::open(&path).await.unwrap();
    let conn = Connection::open(&path).unwrap();

    let queries = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.sqlx");
    let mut checked = 0;
    let mut scans = Vec::new();
    for file in std::fs::read_dir(&queries).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        let query: serde_json::Value = serde_json::from_str(&text).unwrap();
        let sql = query["query"].as_str().unwrap();
        for step in plan(&conn, sql) {
            let Some(scanned) = step.strip_prefix("SCAN ") else {
                continue;
            };
            let name = scanned.split(' ').next().unwrap();
            let table = table_of(sql, name);
            let small = SMALL_INDEXES
                .iter()
                .any(|(index, _)| scanned.ends_with(&format!(" INDEX {index}")));
            let bounded = BOUNDED
                .iter()
                .any(|(query, scan, _)| sql.contains(query) && step.starts_with(scan));
            if GROWING.contains(&table.as_str()) && !small && !bounded {
                scans.push(format!("{step}\n    in: {}", one_line(sql)));
            }
        }
        checked += 1;
    }
    assert!(checked > 150, "only {checked} queries found in {queries:?}");
    assert!(
        scans.is_empty(),
        "{} queries read a whole growing table:\n{}",
        scans.len(),
        scans.join("\n")
    );
}

/// The steps of the query's plan, its parameters all NULL.
fn plan(conn: &Connection, sql: &str) -> Vec<String> {
    let mut statement = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap_or_else(|e| panic!("{e}: {sql}"));
    let nulls = vec![rusqlite::types::Null; statement.parameter_count()];
    let rows = statement
        .query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))
        .unwrap();
    rows.map(Result::unwrap).collect()
}

/// The table a plan step's name stands for: the name itself, or the table it aliases in
/// `sql` (`FROM print_jobs j`, `JOIN orders AS o`).
fn table_of(sql: &str, name: &str) -> String {
    let mut words: Vec<&str> = sql
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("AS"))
        .collect();
    words.push("");
    for w in words.windows(3) {
        let from = w[0].eq_ignore_ascii_case("FROM") || w[0].eq_ignore_ascii_case("JOIN");
        if from && (w[1] == name || w[2] == name) {
            return w[1].to_string();
        }
    }
    name.to_string()
}

fn one_line(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}
