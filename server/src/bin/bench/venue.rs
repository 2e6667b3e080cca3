//! The bench's venue: a temporary database with the demo and the bench's tables, the
//! release server started on it, and the requests that sign in, read the snapshot and
//! open tables.

use reqwest::Client;
use serde_json::{json, Value};
use server::db::Db;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Starts the release server on `data`, plain HTTP on a free loopback port, and waits
/// until it answers.
pub(crate) async fn start_server(
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
pub(crate) async fn open_busy_tables(
    http: &Client,
    base: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let waiter = login(http, base, "1111").await?;
    let snapshot = snapshot(http, base, &waiter).await?;
    let tables = tables_labelled(&snapshot, 'C');
    open_and_send(http, base, &waiter, &tables, &three_lines(&snapshot)).await?;
    Ok(())
}

/// Opens each of `tables`, adds `lines` and sends them over REST; returns the orders' ids.
pub(crate) async fn open_and_send(
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
pub(crate) async fn snapshot(
    http: &Client,
    base: &str,
    token: &str,
) -> Result<Value, reqwest::Error> {
    http.get(format!("{base}/api/v1/snapshot"))
        .bearer_auth(token)
        .send()
        .await?
        .json()
        .await
}

/// The id of the demo menu's product called `name`.
pub(crate) fn product_id(snapshot: &Value, name: &str) -> String {
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
pub(crate) fn tables_labelled(snapshot: &Value, prefix: char) -> Vec<String> {
    snapshot["floor"]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["label"].as_str().unwrap().starts_with(prefix))
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect()
}

/// A starter, two mains with a note and a dessert, as the waiters here order.
pub(crate) fn three_lines(snapshot: &Value) -> Value {
    let product = |name: &str| product_id(snapshot, name);
    json!({ "lines": [
        { "product_id": product("Bruschetta"), "quantity": 1 },
        { "product_id": product("Lasagna"), "quantity": 2, "note": "one small" },
        { "product_id": product("Tiramisu"), "quantity": 1 },
    ]})
}

/// The demo venue with more tables, labelled `labels`.
pub(crate) async fn prepare_database(
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

/// Runs `sql` with `args` straight on the database file in `data`, beside the running
/// server (it waits for the server's write lock like any writer).
pub(crate) async fn write_beside(
    data: &std::path::Path,
    sql: &str,
    args: &[i64],
) -> Result<(), Box<dyn std::error::Error>> {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Connection};
    let mut conn = SqliteConnectOptions::new()
        .filename(data.join("comanda.db"))
        .busy_timeout(Duration::from_secs(10))
        .connect()
        .await?;
    let mut query = sqlx::query(sql);
    for arg in args {
        query = query.bind(*arg);
    }
    query.execute(&mut conn).await?;
    conn.close().await?;
    Ok(())
}

pub(crate) async fn wait_healthy(
    http: &Client,
    base: &str,
) -> Result<(), Box<dyn std::error::Error>> {
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

pub(crate) async fn login(
    http: &Client,
    base: &str,
    pin: &str,
) -> Result<String, Box<dyn std::error::Error>> {
    let body: Value = http
        .post(format!("{base}/api/v1/login"))
        .json(&json!({ "pin": pin }))
        .send()
        .await?
        .json()
        .await?;
    Ok(body["token"].as_str().ok_or("login failed")?.to_owned())
}
