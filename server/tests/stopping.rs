//! Stopping the server (SIGTERM, as systemd sends on a stop, restart or upgrade) while
//! kitchen screens and phones hold their live streams open and orders are coming in: it
//! exits within 2 s, ending the streams (the screens resume after their last event from
//! the next server), and every order it acknowledged is there when it starts again.

mod fixture;

use fixture::*;
use futures_util::StreamExt;
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::test]
async fn sigterm_with_streams_open_and_orders_in_flight_exits_in_2_s_losing_nothing_acknowledged() {
    let mut s = Server::start().await;
    let (kitchen, ana) = (s.login(KITCHEN).await, s.login(ANA).await);
    let snap = s.snapshot(&ana).await;
    let lasagna = product(&snap, "Lasagna");

    // Ten screens with their live streams open.
    let mut streams = Vec::new();
    for _ in 0..10 {
        let response = s
            .http
            .get(s.url("/api/v1/events"))
            .bearer_auth(&kitchen)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
        streams.push(response.bytes_stream());
    }

    // Four phones sending orders, each op batch one table opened with a lasagna, sent;
    // what the server answered "applied" is noted.
    let acknowledged: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let tables: Vec<String> = ["1", "2", "3", "4"]
        .iter()
        .map(|t| table(&snap, t))
        .collect();
    let mut phones = Vec::new();
    for table in tables {
        let (http, url, token, lasagna) = (
            s.http.clone(),
            s.url("/api/v1/ops"),
            ana.clone(),
            lasagna.clone(),
        );
        let acknowledged = acknowledged.clone();
        phones.push(tokio::spawn(async move {
            let order = new_id();
            let open = json!({ "op_id": new_id(), "type": "open_table", "order_id": order, "table_id": table });
            let mut ops = vec![open];
            loop {
                let line = new_id();
                ops.push(json!({ "op_id": new_id(), "type": "add_lines", "order_id": order,
                                 "lines": [{ "id": line, "product_id": lasagna, "quantity": 1 }] }));
                ops.push(json!({ "op_id": new_id(), "type": "send_order", "order_id": order }));
                let answer = http.post(&url).bearer_auth(&token).json(&json!({ "ops": ops })).send().await;
                let Ok(answer) = answer else { return };
                let Ok(body) = answer.json::<serde_json::Value>().await else { return };
                let applied = body["results"]
                    .as_array()
                    .is_some_and(|r| r.iter().all(|r| r["status"] == "applied" || r["status"] == "duplicate"));
                if applied {
                    acknowledged.lock().unwrap().push((order.clone(), line));
                }
                ops.clear();
            }
        }));
    }
    wait_for_count("orders acknowledged", 8, || {
        acknowledged.lock().unwrap().len()
    })
    .await;

    let took = s.terminate(Duration::from_secs(2)).await;
    assert!(
        took.is_some(),
        "the server was still running 2 s after SIGTERM"
    );
    // Every stream was ended, not left hanging.
    for stream in &mut streams {
        let ended = tokio::time::timeout(Duration::from_secs(2), async {
            while let Some(Ok(_)) = stream.next().await {}
        })
        .await;
        assert!(ended.is_ok(), "a live stream stayed open");
    }
    for phone in phones {
        let _ = tokio::time::timeout(Duration::from_secs(5), phone).await;
    }

    // Started again on the same database: every line it acknowledged is there, sent.
    let dir = s.stop();
    let data = dir.as_ref().map(|d| d.path().to_path_buf()).unwrap();
    let again = Server::start_on(&data).await;
    let ana = again.login(ANA).await;
    let acknowledged = acknowledged.lock().unwrap().clone();
    for (order, line) in &acknowledged {
        let (_, now) = again.get(&format!("/api/v1/orders/{order}"), &ana).await;
        let kept = now["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["id"] == line.as_str());
        assert_eq!(
            kept.map(|l| l["status"].clone()),
            Some(json!("sent")),
            "line {line} of order {order}"
        );
    }
}
