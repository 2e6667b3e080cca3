//! Backups through the real binary: `comanda backup` while eight phones keep sending
//! whole orders gives a copy of one moment of the database (every order up to some point,
//! each whole), `comanda restore` puts it in place and the server serves it; a truncated
//! copy is refused and nothing is replaced, and so is a restore while a server runs. The
//! managers' backups (list, now, download), a backup after each Z report, and the health
//! check's and `/metrics`'s view of them.

mod fixture;

use fixture::*;
use reqwest::StatusCode;
use rusqlite::Connection;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn comanda(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_comanda"))
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Every order's lines and payments, by order number: (product, quantity) and amounts.
type Orders = BTreeMap<i64, (String, Vec<(String, i64)>, Vec<i64>)>;

fn orders(db: &Path) -> Orders {
    let conn = Connection::open(db).unwrap();
    let mut out = Orders::new();
    let mut statement = conn
        .prepare("SELECT number, id, status FROM orders")
        .unwrap();
    let rows: Vec<(i64, String, String)> = statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (number, id, status) in rows {
        let mut lines: Vec<(String, i64)> = conn
            .prepare("SELECT product_name, quantity FROM order_lines WHERE order_id = ?")
            .unwrap()
            .query_map([&id], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        lines.sort();
        let paid: Vec<i64> = conn
            .prepare("SELECT amount_minor FROM payments WHERE order_id = ?")
            .unwrap()
            .query_map([&id], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        out.insert(number, (status, lines, paid));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_under_eight_busy_writers_restores_to_one_whole_moment_of_the_database() {
    let s = Server::start().await;
    let token = s.login(ANA).await;
    let snap = s.snapshot(&token).await;
    let (lasagna, lager) = (product(&snap, "Lasagna"), product(&snap, "Lager"));
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut phones = vec![];
    for phone in 0..8 {
        let (http, base, token) = (s.http.clone(), s.base.clone(), token.clone());
        let (stop, acknowledged) = (stop.clone(), acknowledged.clone());
        let (lasagna, lager) = (lasagna.clone(), lager.clone());
        phones.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let opened = http
                    .post(format!("{base}/api/v1/takeaways"))
                    .bearer_auth(&token)
                    .json(&json!({ "customer_name": format!("P{phone} {n}") }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(opened.status(), StatusCode::CREATED);
                let id = opened.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
                let ops = json!({ "ops": [
                    { "op_id": new_id(), "type": "add_lines", "order_id": id,
                      "lines": [{ "id": new_id(), "product_id": lasagna, "quantity": 1 },
                                { "id": new_id(), "product_id": lager, "quantity": 2 }] },
                    { "op_id": new_id(), "type": "take_payment", "order_id": id,
                      "payment": { "id": new_id(), "method": "card", "amount_minor": 1350 + 2 * 550 } },
                    { "op_id": new_id(), "type": "close_order", "order_id": id },
                ]});
                let answer = http.post(format!("{base}/api/v1/ops")).bearer_auth(&token).json(&ops).send().await.unwrap();
                let body: serde_json::Value = answer.json().await.unwrap();
                for r in body["results"].as_array().unwrap() {
                    assert_eq!(r["status"], "applied", "{r}");
                }
                acknowledged.lock().unwrap().push(id);
            }
        }));
    }
    // Under way: then the backup, from another process, as an owner would run it.
    wait_for_count("acknowledged orders", 40, || {
        acknowledged.lock().unwrap().len()
    })
    .await;
    let before: Vec<String> = acknowledged.lock().unwrap().clone();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("copy.db");
    let data = s.data.to_str().unwrap().to_owned();
    let (ok, said) = tokio::task::spawn_blocking({
        let file = file.to_str().unwrap().to_owned();
        move || comanda(&["backup", "--data", &data, "--to", &file])
    })
    .await
    .unwrap();
    assert!(ok, "{said}");
    assert!(said.contains("checked"), "{said}");
    let after_count = acknowledged.lock().unwrap().len();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    for p in phones {
        p.await.unwrap();
    }
    assert!(
        acknowledged.lock().unwrap().len() > after_count,
        "the phones went on during and after the backup"
    );

    // Restored into a data folder of its own.
    let restored_dir = tempfile::tempdir().unwrap();
    let (ok, said) = comanda(&[
        "restore",
        file.to_str().unwrap(),
        "--data",
        restored_dir.path().to_str().unwrap(),
    ]);
    assert!(ok, "{said}");
    let source = orders(&s.data.join("comanda.db"));
    let copy = orders(&restored_dir.path().join("comanda.db"));
    // One moment: orders are numbered in commit order, so the copy holds every order up
    // to its newest, and each closed one whole, as the source has it.
    let newest = *copy.keys().max().unwrap();
    let expected: Vec<i64> = source.keys().copied().filter(|n| *n <= newest).collect();
    assert_eq!(
        copy.keys().copied().collect::<Vec<_>>(),
        expected,
        "every order up to the newest"
    );
    for (number, order) in &copy {
        if order.0 == "closed" {
            assert_eq!(order, &source[number], "order {number} whole");
        } else {
            // Caught between its opening and its lines: nothing of it half-written.
            assert!(
                order.1.is_empty() || order.1 == source[number].1,
                "order {number}: {order:?}"
            );
        }
    }
    // Every order acknowledged before the backup began is in it.
    let conn = Connection::open(restored_dir.path().join("comanda.db")).unwrap();
    for id in &before {
        let status: String = conn
            .query_row("SELECT status FROM orders WHERE id = ?", [id], |r| r.get(0))
            .unwrap();
        assert_eq!(status, "closed");
    }
    assert!(
        copy.len() < source.len(),
        "the source went on after the backup"
    );
    drop(conn);
    drop(s);

    // The server starts on the restored data and serves it.
    let back = Server::start_on(restored_dir.path()).await;
    let token = back.login(ANA).await;
    let (status, order) = back
        .get(&format!("/api/v1/orders/{}", before[0]), &token)
        .await;
    assert_eq!(
        (status, order["status"].as_str()),
        (StatusCode::OK, Some("closed")),
        "{order}"
    );
    drop(back);
}

#[tokio::test]
async fn restore_refuses_a_truncated_copy_or_a_running_server_and_replaces_nothing() {
    let s = Server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("copy.db");
    let data = s.data.to_str().unwrap().to_owned();
    let (ok, said) = comanda(&["backup", "--data", &data, "--to", file.to_str().unwrap()]);
    assert!(ok, "{said}");
    // A second backup onto the same file is refused: nothing is overwritten.
    let (ok, said) = comanda(&["backup", "--data", &data, "--to", file.to_str().unwrap()]);
    assert!(!ok && said.contains("exists already"), "{said}");

    // Not while the server runs on the folder.
    let (ok, said) = comanda(&["restore", file.to_str().unwrap(), "--data", &data]);
    assert!(
        !ok && said.contains("a Comanda server is running"),
        "{said}"
    );
    let kept = s.stop().unwrap();
    let db = kept.path().join("comanda.db");
    let sha = |p: &Path| sha2_of(p);
    let before = sha(&db);

    // A copy cut in half (a USB stick pulled out) is refused, and nothing is replaced.
    let bytes = std::fs::read(&file).unwrap();
    let cut = dir.path().join("cut.db");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let (ok, said) = comanda(&["restore", cut.to_str().unwrap(), "--data", &data]);
    assert!(!ok && said.contains("is damaged"), "{said}");
    assert_eq!(sha(&db), before);
    // So is a copy whose bytes changed after its checksum was kept.
    let mut flipped = bytes.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    let changed = dir.path().join("changed.db");
    std::fs::write(&changed, &flipped).unwrap();
    std::fs::copy(
        dir.path().join("copy.db.sha256"),
        dir.path().join("changed.db.sha256"),
    )
    .unwrap();
    let (ok, said) = comanda(&["restore", changed.to_str().unwrap(), "--data", &data]);
    assert!(!ok && said.contains("SHA-256"), "{said}");
    // And a file that is no database at all.
    let text = dir.path().join("notes.db");
    std::fs::write(&text, "the menu for tomorrow").unwrap();
    let (ok, said) = comanda(&["restore", text.to_str().unwrap(), "--data", &data]);
    assert!(!ok && said.contains("is damaged"), "{said}");
    assert_eq!(sha(&db), before);

    // The whole copy restores, keeping the database it replaces aside.
    let (ok, said) = comanda(&["restore", file.to_str().unwrap(), "--data", &data]);
    assert!(ok, "{said}");
    let aside: Vec<_> = std::fs::read_dir(kept.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("comanda.db.before-restore-") && n.ends_with('Z'))
        .collect();
    // (With its WAL beside it, if the server had one: the server was killed here.)
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(sha(&kept.path().join(&aside[0])), before);
}

fn sha2_of(path: &Path) -> String {
    server::db::backup::sha256(path).unwrap()
}

#[tokio::test]
async fn managers_back_up_now_see_the_list_and_download_one_and_a_z_report_backs_up() {
    let s = Server::start().await;
    let (boss, ana) = (s.login(MANAGER).await, s.login(ANA).await);
    let (status, _) = s.post_empty("/api/v1/backups", &ana).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, taken) = s.post_empty("/api/v1/backups", &boss).await;
    assert_eq!(status, StatusCode::CREATED, "{taken}");
    let name = taken["name"].as_str().unwrap().to_owned();
    let (_, list) = s.get("/api/v1/backups", &boss).await;
    assert_eq!(list["backups"][0]["name"], name.as_str());
    assert_eq!(list["backups"][0]["sha256"], taken["sha256"]);
    // The download is the file whose checksum the list gives.
    let resp = s
        .http
        .get(s.url(&format!("/api/v1/backups/{name}")))
        .bearer_auth(&boss)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let bytes = resp.bytes().await.unwrap();
    let copy = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(copy.path(), &bytes).unwrap();
    assert_eq!(sha2_of(copy.path()), taken["sha256"].as_str().unwrap());
    for wrong in [
        "..%2Fcomanda.db",
        "comanda.db",
        "comanda-20200101T000000Z.db",
    ] {
        let resp = s
            .http
            .get(s.url(&format!("/api/v1/backups/{wrong}")))
            .bearer_auth(&boss)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{wrong}");
    }

    // The health check and /metrics know of it, for a manager (the test server runs as
    // behind a proxy, where loopback counts for nothing); strangers see neither.
    let (_, outside) = s
        .call(reqwest::Method::GET, "/api/v1/health", None, None)
        .await;
    assert_eq!(outside["status"], "ok");
    assert!(outside.get("detail").is_none(), "{outside}");
    let stranger = s.http.get(s.url("/metrics")).send().await.unwrap();
    assert_eq!(stranger.status(), StatusCode::FORBIDDEN);
    let (_, health) = s.get("/api/v1/health", &boss).await;
    let detail = &health["detail"];
    assert_eq!(detail["last_backup"]["name"], name.as_str(), "{health}");
    assert!(detail["disk_free_bytes"].as_u64().unwrap() > 0);
    let warned = detail["warnings"].as_array().unwrap();
    assert!(
        !warned
            .iter()
            .any(|w| w.as_str().unwrap().contains("backup")),
        "{warned:?}"
    );
    let metrics = s
        .http
        .get(s.url("/metrics"))
        .bearer_auth(&boss)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for series in [
        "comanda_http_requests_total{",
        "comanda_orders_open ",
        "comanda_backup_last_success_timestamp_seconds ",
        "comanda_printer_online{",
    ] {
        assert!(metrics.contains(series), "{series} in\n{metrics}");
    }

    // Two at once (a manager's twice over) are taken one after the other.
    let (a, b) = tokio::join!(
        s.post_empty("/api/v1/backups", &boss),
        s.post_empty("/api/v1/backups", &boss)
    );
    assert_eq!(
        (a.0, b.0),
        (StatusCode::CREATED, StatusCode::CREATED),
        "{a:?} {b:?}"
    );
    let before_z = s.get("/api/v1/backups", &boss).await.1["backups"]
        .as_array()
        .unwrap()
        .len();
    // A Z report is followed by a backup of its own (names are to the second).
    tokio::time::sleep(Duration::from_millis(1100)).await;
    s.sent_order_at(
        &ana,
        "2",
        json!([{ "product_id": product(&s.snapshot(&ana).await, "Lager"), "quantity": 1 }]),
    )
    .await;
    let open = s.snapshot(&ana).await["orders"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let paid = s
        .ops(
            &ana,
            json!([pay_op(&open, json!({ "id": new_id(), "method": "card", "amount_minor": 550 })),
        { "op_id": new_id(), "type": "close_order", "order_id": open }]),
        )
        .await;
    assert!(paid.iter().all(|r| r["status"] == "applied"), "{paid:?}");
    let (status, z) = s.post_empty("/api/v1/reports/z", &boss).await;
    assert_eq!(status, StatusCode::CREATED, "{z}");
    let mut listed = 0;
    for _ in 0..100 {
        listed = s.get("/api/v1/backups", &boss).await.1["backups"]
            .as_array()
            .unwrap()
            .len();
        if listed == before_z + 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(listed, before_z + 1, "a backup after the Z report");
}
