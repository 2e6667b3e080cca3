//! No query reads every row of a table that grows with trade.
//!
//! Orders, their lines, tickets, print jobs, payments and the logs grow by thousands of
//! rows a week and are never emptied, so a query that scans one of them gets slower every
//! day the venue trades. This asks SQLite for the plan (`EXPLAIN QUERY PLAN`) of every
//! query the server has (the compile-checked ones in `.sqlx/`), on the migrated schema,
//! and fails on a full read of such a table (a scan, through the table or an index, or
//! an index SQLite builds for the query), unless the index holds only a few of its rows
//! (the open orders) or the scan is one of the few listed below, each with why.

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

/// Scans allowed: a piece of the query's text, the plan's step exactly, and why.
const ALLOWED: &[(&str, &str, &str)] = &[
    (
        "FROM z_reports ORDER BY number DESC LIMIT 1",
        "SCAN z_reports",
        "walks back from the newest report and stops at the first",
    ),
    (
        "SELECT report_json FROM z_reports ORDER BY number DESC",
        "SCAN z_reports",
        "the Z report history the managers page through: one row per trading day",
    ),
    (
        "EXISTS (SELECT 1 FROM orders)",
        "SCAN orders USING COVERING INDEX orders_by_close",
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
    (
        "INSERT INTO discount_rules",
        "SCAN discounts",
        "a foreign-key check SQLite runs only while a violation is pending, never here",
    ),
];

#[tokio::test]
async fn no_query_scans_a_table_that_grows_with_trade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plans.db");
    server::db::Db::open(&path).await.unwrap();
    let conn = Connection::open(&path).unwrap();
    // As the server runs: the foreign keys' checks are part of each write's plan.
    conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    let tables = tables(&conn);

    let queries = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.sqlx");
    let mut checked = 0;
    let mut scans = Vec::new();
    for file in std::fs::read_dir(&queries).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        let query: serde_json::Value = serde_json::from_str(&text).unwrap();
        let sql = query["query"].as_str().unwrap();
        for step in plan(&conn, sql) {
            // A full read: a scan, or a search in an index or Bloom filter SQLite builds
            // for the query by reading the whole table.
            let Some(name) = read_whole(&step) else {
                continue;
            };
            if name.starts_with('(') || step.contains("VIRTUAL TABLE") || name == "CONSTANT" {
                continue; // a subquery's rows, json_each, or no table at all
            }
            let table = match tables.iter().any(|t| t == name) {
                true => name.to_string(),
                false => table_of(sql, name),
            };
            if !tables.contains(&table) && !sql.contains(&format!("{table} AS (")) {
                scans.push(format!(
                    "{step} (which table is {name}?)\n    in: {}",
                    one_line(sql)
                ));
                continue;
            }
            let small = SMALL_INDEXES
                .iter()
                .any(|(index, _)| step.ends_with(&format!(" INDEX {index}")));
            let allowed = ALLOWED
                .iter()
                .any(|(query, allowed, _)| sql.contains(query) && step == *allowed);
            if GROWING.contains(&table.as_str()) && !small && !allowed {
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

/// Writing a row into a growing table (`GROWING`: a new one is guarded once listed there)
/// builds no temporary index. SQLite checks an `IN` list of more than two values
/// (`CHECK (status IN ('a', 'b', 'c'))`, or a partial index's `WHERE`) by building an
/// index of the values for every row written: a b-tree opened, a page zeroed and freed
/// each time, about a tenth of a whole order's instructions before migration 24. Such
/// lists are written as `=` joined by OR. An insert of default values has no query of
/// its own, so any temporary table in its program is a CHECK's or a partial index's.
#[tokio::test]
async fn no_write_to_a_growing_table_builds_a_temporary_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("checks.db");
    server::db::Db::open(&path).await.unwrap();
    let conn = Connection::open(&path).unwrap();
    let mut building = Vec::new();
    for table in GROWING {
        let mut program = conn
            .prepare(&format!("EXPLAIN INSERT INTO {table} DEFAULT VALUES"))
            .unwrap();
        let mut opcodes = program
            .query_map([], |r| r.get::<_, String>(1))
            .unwrap()
            .map(Result::unwrap);
        if opcodes.any(|op| op == "OpenEphemeral") {
            building.push(*table);
        }
    }
    assert!(
        building.is_empty(),
        "a CHECK or partial index on these tables lists more than two values: {building:?}"
    );
}

/// Every statement the server runs is in `.sqlx/`, where the test above sees it: outside
/// `db/` (pragmas, the group commit) no code prepares SQL of its own.
#[test]
fn every_query_is_compile_checked() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let unchecked = [
        "sqlx::query(",
        "sqlx::query_as(",
        "sqlx::query_scalar(",
        ".prepare(",
        ".prepare_cached(",
        ".execute_batch(",
    ];
    let mut found = Vec::new();
    let mut files = vec![src.clone()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            if path != src.join("db") && path != src.join("bin") {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            }
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for call in unchecked.iter().filter(|c| text.contains(*c)) {
            found.push(format!("{} calls {call}", path.display()));
        }
    }
    assert!(
        found.is_empty(),
        "SQL that is not compile-checked:\n{}",
        found.join("\n")
    );
}

/// The table a plan step reads whole, if it does: `SCAN t …`, or a search in an index
/// (`AUTOMATIC`) or Bloom filter SQLite builds from all of `t`.
fn read_whole(step: &str) -> Option<&str> {
    let name = if let Some(scanned) = step.strip_prefix("SCAN ") {
        scanned
    } else if let Some(filtered) = step.strip_prefix("BLOOM FILTER ON ") {
        filtered
    } else if step.contains("AUTOMATIC") {
        step.split(' ').nth(1)?
    } else {
        return None;
    };
    name.split(' ').next()
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

/// The table an alias in a plan step stands for in `sql` (`FROM print_jobs j`,
/// `JOIN orders AS o`). An alias used twice in one query, or
/// a table after a comma, is not told apart: the test then fails, asking which it is.
fn table_of(sql: &str, name: &str) -> String {
    let mut words: Vec<&str> = sql
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("AS"))
        .collect();
    words.push("");
    let mut named = words.windows(3).filter_map(|w| {
        let from = w[0].eq_ignore_ascii_case("FROM") || w[0].eq_ignore_ascii_case("JOIN");
        (from && (w[1] == name || w[2] == name)).then_some(w[1])
    });
    match (named.next(), named.next()) {
        (Some(table), None) => table.to_string(),
        (Some(a), Some(b)) if a == b => a.to_string(),
        _ => format!("{name}?"),
    }
}

/// The schema's tables.
fn tables(conn: &Connection) -> Vec<String> {
    let mut statement = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
        .unwrap();
    let rows = statement.query_map([], |r| r.get(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

fn one_line(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}
