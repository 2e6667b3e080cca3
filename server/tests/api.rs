//! The sync API over HTTP against the real server: sign-in, roles, the order flow with
//! delta tickets, bad input of every kind, the live stream, and durability across restarts.

mod fixture;

use fixture::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn health_reports_the_database_and_version_without_sign_in() {
    let s = Server::start().await;
    let (status, body) = s.call(Method::GET, "/api/v1/health", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn login_takes_a_pin_and_refuses_wrong_or_malformed_ones() {
    let s = Server::start().await;
    let (status, body) = s.try_login(json!({ "pin": ANA })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["staff"]["name"], "Ana");
    assert_eq!(body["staff"]["role"], "waiter");
    assert_eq!(body["token"].as_str().unwrap().len(), 64);

    let (status, body) = s.try_login(json!({ "pin": "4321" })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "wrong_pin");
    assert_eq!(body["message"], "wrong PIN");

    let (status, body) = s.try_login(json!({ "pin": "12" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "pin");

    let (status, body) = s.try_login(json!({ "pin": 1111 })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "bad_request");

    let raw = s
        .http
        .post(s.url("/api/v1/login"))
        .header("content-type", "application/json")
        .body("{\"pin\":")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn every_endpoint_wants_a_session_and_the_right_role() {
    let s = Server::start().await;
    let (status, body) = s.call(Method::GET, "/api/v1/snapshot", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "unauthorized");
    let (status, _) = s.get("/api/v1/snapshot", "not-a-token").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let waiter = s.login(ANA).await;
    let kitchen = s.login(KITCHEN).await;
    let manager = s.login(MANAGER).await;
    let snap = s.snapshot(&waiter).await;
    let table = table(&snap, "1");

    let (status, body) = s
        .post("/api/v1/orders", &kitchen, json!({ "table_id": table }))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["message"], "a kitchen may not open tables");
    let (status, _) = s.get("/api/v1/stations/kitchen/tickets", &waiter).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = s.get("/api/v1/staff", &waiter).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, staff) = s.get("/api/v1/staff", &manager).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(staff.as_array().unwrap().len(), 5);
    assert!(
        staff.to_string().find("pin").is_none(),
        "PIN hashes never leave the server"
    );

    // Signing out ends the session.
    let (status, _) = s
        .call(Method::POST, "/api/v1/logout", Some(&waiter), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = s.get("/api/v1/me", &waiter).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_order_is_split_by_station_and_sent_once() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let luca = s.login(LUCA).await;
    let kitchen = s.login(KITCHEN).await;
    let snap = s.snapshot(&ana).await;
    let table = table(&snap, "7");

    let (status, order) = s
        .post("/api/v1/orders", &ana, json!({ "table_id": table }))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let order_id = order["id"].as_str().unwrap().to_owned();
    assert_eq!(
        uuid::Uuid::parse_str(&order_id).unwrap().get_version_num(),
        7
    );

    // A second waiter opening the same table joins the order instead of starting another.
    let (status, joined) = s
        .post("/api/v1/orders", &luca, json!({ "table_id": table }))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(joined["id"], order["id"]);
    assert_eq!(joined["waiter_ids"].as_array().unwrap().len(), 2);

    let burger = product(&snap, "Burger");
    let lines = json!({ "lines": [
        { "product_id": burger, "quantity": 2,
          "option_ids": [option(&snap, "Rare"), option(&snap, "Bacon"), option(&snap, "Pickles")],
          "note": "one without salt" },
        { "product_id": product(&snap, "Tiramisu"), "quantity": 1, "course": 3 },
        { "product_id": product(&snap, "Negroni"), "quantity": 1 },
    ]});
    let (status, order) = s
        .post(&format!("/api/v1/orders/{order_id}/lines"), &ana, lines)
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    let first = &order["lines"][0];
    assert_eq!(first["unit_price_minor"], 1450 + 150);
    assert_eq!(first["product_name"], "Burger");
    assert_eq!(first["status"], "new");
    let names: Vec<_> = first["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Rare", "Bacon", "Pickles"]);

    let (status, sent) = s
        .post_empty(&format!("/api/v1/orders/{order_id}/send"), &ana)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(sent["lines"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["status"] == "sent"));

    let (_, kitchen_screen) = s.get("/api/v1/stations/kitchen/tickets", &kitchen).await;
    let (_, bar_screen) = s.get("/api/v1/stations/bar/tickets", &kitchen).await;
    assert_eq!(kitchen_screen["active"].as_array().unwrap().len(), 1);
    let ticket = &kitchen_screen["active"][0];
    assert_eq!(ticket["destination"], "Table 7");
    assert_eq!(ticket["waiter_name"], "Ana");
    let items: Vec<_> = ticket["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["product_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        items,
        ["Burger", "Tiramisu"],
        "kitchen lines only, by course"
    );
    assert_eq!(ticket["lines"][0]["note"], "one without salt");
    assert_eq!(
        bar_screen["active"][0]["lines"].as_array().unwrap().len(),
        1
    );
    assert_eq!(
        bar_screen["active"][0]["lines"][0]["product_name"],
        "Negroni"
    );

    // Sending again sends nothing; a follow-up line gets a ticket of its own.
    s.post_empty(&format!("/api/v1/orders/{order_id}/send"), &ana)
        .await;
    let (_, again) = s.get("/api/v1/stations/kitchen/tickets", &kitchen).await;
    assert_eq!(again["active"].as_array().unwrap().len(), 1);
    let more =
        json!({ "lines": [{ "product_id": product(&snap, "Garlic bread"), "quantity": 1 }] });
    s.post(&format!("/api/v1/orders/{order_id}/lines"), &luca, more)
        .await;
    s.post_empty(&format!("/api/v1/orders/{order_id}/send"), &luca)
        .await;
    let (_, after) = s.get("/api/v1/stations/kitchen/tickets", &kitchen).await;
    let active = after["active"].as_array().unwrap();
    assert_eq!(active.len(), 2);
    assert_eq!(active[1]["lines"].as_array().unwrap().len(), 1);
    assert_eq!(active[1]["lines"][0]["product_name"], "Garlic bread");
    assert_eq!(active[1]["waiter_name"], "Luca");

    // Ready, bump, recall.
    let line = ticket["lines"][0]["line_id"].as_str().unwrap();
    let (status, t) = s
        .post_empty(&format!("/api/v1/lines/{line}/ready"), &kitchen)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(t["lines"][0]["status"], "ready");
    assert_eq!(t["lines"][1]["status"], "sent");
    let snap_now = s.snapshot(&ana).await;
    assert_eq!(
        snap_now["orders"][0]["lines"][0]["status"], "ready",
        "the waiter sees it"
    );

    let ticket_id = ticket["id"].as_str().unwrap();
    let (status, t) = s
        .post_empty(&format!("/api/v1/tickets/{ticket_id}/bump"), &kitchen)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(t["bumped_at_ms"].is_i64());
    assert!(t["lines"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["status"] == "ready"));
    let (_, screen) = s.get("/api/v1/stations/kitchen/tickets", &kitchen).await;
    assert_eq!(screen["active"].as_array().unwrap().len(), 1);
    assert_eq!(screen["done"][0]["id"], ticket["id"]);
    let (status, t) = s
        .post_empty(&format!("/api/v1/tickets/{ticket_id}/recall"), &kitchen)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(t["bumped_at_ms"].is_null());
    let (_, screen) = s.get("/api/v1/stations/kitchen/tickets", &kitchen).await;
    assert_eq!(screen["active"].as_array().unwrap().len(), 2);
    assert_eq!(screen["active"][0]["id"], ticket["id"], "oldest first");
    // Recalled to be made again: its items are back in the making.
    assert!(
        t["lines"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["status"] == "sent"),
        "{t}"
    );

    // A slip: marked ready by mistake, and taken back.
    s.post_empty(&format!("/api/v1/lines/{line}/ready"), &kitchen)
        .await;
    let (status, t) = s
        .post_empty(&format!("/api/v1/lines/{line}/unready"), &kitchen)
        .await;
    assert_eq!(status, StatusCode::OK, "{t}");
    assert_eq!(t["lines"][0]["status"], "sent");
    let (status, _) = s
        .post_empty(&format!("/api/v1/lines/{line}/unready"), &kitchen)
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "not ready: nothing to take back"
    );
    let (status, _) = s
        .post_empty(&format!("/api/v1/lines/{line}/unready"), &ana)
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a waiter does not change the station"
    );
    s.post_empty(&format!("/api/v1/tickets/{ticket_id}/bump"), &kitchen)
        .await;

    // The waiter serves what is ready; what is still cooking stays as it is.
    let (status, served) = s
        .post_empty(&format!("/api/v1/orders/{order_id}/served"), &ana)
        .await;
    assert_eq!(status, StatusCode::OK);
    let statuses: Vec<_> = served["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["served", "served", "sent", "sent"]);
    let (status, _) = s
        .post_empty(&format!("/api/v1/lines/{line}/unready"), &kitchen)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "served stays served");
}

#[tokio::test]
async fn bad_input_gets_a_clear_4xx_and_changes_nothing() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let (_, order) = s
        .post(
            "/api/v1/orders",
            &ana,
            json!({ "table_id": table(&snap, "2") }),
        )
        .await;
    let order_id = order["id"].as_str().unwrap().to_owned();
    let lines_url = format!("/api/v1/orders/{order_id}/lines");
    let burger = product(&snap, "Burger");
    let lager = product(&snap, "Lager");
    let rare = option(&snap, "Rare");
    let ghost = uuid::Uuid::now_v7().to_string();

    let cases: Vec<(Value, &str)> = vec![
        (
            json!({ "lines": [{ "product_id": lager, "quantity": -1 }] }),
            "lines[0].quantity",
        ),
        (
            json!({ "lines": [{ "product_id": lager, "quantity": 0 }] }),
            "lines[0].quantity",
        ),
        (
            json!({ "lines": [{ "product_id": lager, "quantity": 1000 }] }),
            "lines[0].quantity",
        ),
        (
            json!({ "lines": [{ "product_id": ghost, "quantity": 1 }] }),
            "lines[0].product_id",
        ),
        (
            json!({ "lines": [{ "product_id": lager, "quantity": 1, "note": "x".repeat(10_000) }] }),
            "lines[0].note",
        ),
        (
            json!({ "lines": [{ "product_id": burger, "quantity": 1 }] }),
            "lines[0].option_ids",
        ),
        (
            json!({ "lines": [{ "product_id": burger, "quantity": 1, "option_ids": [rare, rare] }] }),
            "lines[0].option_ids",
        ),
        (
            json!({ "lines": [{ "product_id": lager, "quantity": 1, "option_ids": [rare] }] }),
            "lines[0].option_ids",
        ),
        (
            json!({ "lines": [{ "product_id": lager, "quantity": 1, "course": 12 }] }),
            "lines[0].course",
        ),
        (
            json!({ "lines": [{ "product_id": lager, "quantity": 1 }, { "product_id": lager, "quantity": -5 }] }),
            "lines[1].quantity",
        ),
        (json!({ "lines": [] }), "lines"),
    ];
    for (body, field) in cases {
        let (status, err) = s.post(&lines_url, &ana, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {err}");
        assert_eq!(err["error"], "validation");
        assert_eq!(err["field"], field, "{err}");
        assert!(!err["message"].as_str().unwrap().is_empty());
    }
    for (body, expected) in [
        (json!({ "lines": "many" }), StatusCode::BAD_REQUEST),
        (
            json!({ "lines": [{ "product_id": "pizza", "quantity": 1 }] }),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({ "lines": [{ "product_id": lager, "quantity": 1.5 }] }),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let (status, err) = s.post(&lines_url, &ana, body.clone()).await;
        assert_eq!(status, expected, "{body}: {err}");
        assert_eq!(err["error"], "bad_request");
    }
    let overflow =
        format!(r#"{{"lines":[{{"product_id":"{lager}","quantity":99999999999999999999999}}]}}"#);
    let raw = s
        .http
        .post(s.url(&lines_url))
        .bearer_auth(&ana)
        .header("content-type", "application/json")
        .body(overflow);
    assert_eq!(raw.send().await.unwrap().status(), StatusCode::BAD_REQUEST);
    let one = json!({ "lines": [{ "product_id": lager, "quantity": 1 }] });
    let (status, err) = s
        .post(&format!("/api/v1/orders/{ghost}/lines"), &ana, one.clone())
        .await;
    assert_eq!(
        (status, err["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (status, _) = s.post("/api/v1/orders/42/lines", &ana, one.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = s
        .post("/api/v1/orders", &ana, json!({ "table_id": ghost }))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = s
        .get("/api/v1/stations/pastry/tickets", &s.login(KITCHEN).await)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, err) = s.get("/api/v1/no-such-thing", &ana).await;
    assert_eq!(
        (status, err["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );

    // A line id that exists already is refused, not duplicated.
    let line_id = uuid::Uuid::now_v7().to_string();
    let with_id = json!({ "lines": [{ "id": line_id, "product_id": lager, "quantity": 1 }] });
    assert_eq!(
        s.post(&lines_url, &ana, with_id.clone()).await.0,
        StatusCode::OK
    );
    assert_eq!(
        s.post(&lines_url, &ana, with_id).await.0,
        StatusCode::CONFLICT
    );

    // An 86'd product is refused with its name.
    let pool = s.db().await;
    sqlx::query("UPDATE products SET available = 0 WHERE name = 'Burrata'")
        .execute(&pool)
        .await
        .unwrap();
    let burrata = json!({ "lines": [{ "product_id": product(&snap, "Burrata"), "quantity": 1 }] });
    let (status, err) = s.post(&lines_url, &ana, burrata).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["message"], "Burrata is not available right now");

    // Of all that, only the one good line is on the order.
    let (_, order) = s.get(&format!("/api/v1/orders/{order_id}"), &ana).await;
    assert_eq!(order["lines"].as_array().unwrap().len(), 1);
}

/// Reads SSE `data:` lines from a live stream until `n` events arrived.
async fn read_events(resp: reqwest::Response, n: usize) -> Vec<Value> {
    use futures_util::StreamExt;
    let mut stream = resp.bytes_stream();
    let (mut buf, mut events) = (String::new(), Vec::new());
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while events.len() < n {
        let chunk = tokio::time::timeout_at(deadline, stream.next())
            .await
            .expect("events arrive")
            .unwrap()
            .unwrap();
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            if let Some(data) = block.lines().find_map(|l| l.strip_prefix("data:")) {
                events.push(serde_json::from_str(data.trim()).unwrap());
            }
        }
    }
    events
}

#[tokio::test]
async fn the_live_stream_pushes_events_and_replays_what_a_screen_missed() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let table_id = table(&snap, "4");

    let unauthorized = s.http.get(s.url("/api/v1/events")).send().await.unwrap();
    assert_eq!(unauthorized.status(), StatusCode::UNAUTHORIZED);

    let live = s
        .http
        .get(s.url("/api/v1/events"))
        .bearer_auth(&ana)
        .send()
        .await
        .unwrap();
    assert_eq!(live.status(), StatusCode::OK);
    assert_eq!(live.headers()["content-type"], "text/event-stream");
    let kitchen = s.login(KITCHEN).await;
    let station_screen = s
        .http
        .get(s.url("/api/v1/events"))
        .bearer_auth(&kitchen)
        .send()
        .await
        .unwrap();
    let (_, order) = s
        .post("/api/v1/orders", &ana, json!({ "table_id": table_id }))
        .await;
    let order_id = order["id"].as_str().unwrap();
    let lines = json!({ "lines": [{ "product_id": product(&snap, "Lager"), "quantity": 1 }] });
    s.post(&format!("/api/v1/orders/{order_id}/lines"), &ana, lines)
        .await;
    s.post_empty(&format!("/api/v1/orders/{order_id}/send"), &ana)
        .await;

    let got = read_events(live, 3).await;
    let kinds: Vec<_> = got.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["order_opened", "lines_added", "order_sent"]);
    assert!(got.iter().all(|e| e["table_id"] == table_id.as_str()));
    assert_eq!(got[2]["station_ids"], json!(["bar"]));
    // Each live event carries the order as it is after the change: phones apply it.
    assert_eq!(got[0]["order"]["lines"], json!([]));
    assert_eq!(got[1]["order"]["lines"][0]["status"], "new");
    assert_eq!(got[2]["order"]["lines"][0]["status"], "sent");
    // A change at a station carries its tickets there, to station screens, which apply
    // them; a waiter's phone does not need them.
    let at_station = read_events(station_screen, 3).await;
    assert_eq!(at_station[2]["tickets"][0]["station_id"], "bar");
    assert_eq!(
        at_station[2]["tickets"][0]["lines"][0]["product_name"],
        "Lager"
    );
    assert!(at_station[..2].iter().all(|e| e.get("tickets").is_none()));
    assert!(got.iter().all(|e| e.get("tickets").is_none()));
    let seqs: Vec<_> = got.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));

    // A screen that saw only the first event catches up on exactly the other two.
    let resumed = s
        .http
        .get(s.url("/api/v1/events"))
        .bearer_auth(&ana)
        .header("Last-Event-ID", seqs[0].to_string())
        .send()
        .await
        .unwrap();
    let replayed = read_events(resumed, 2).await;
    assert_eq!(
        replayed
            .iter()
            .map(|e| e["seq"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        seqs[1..]
    );
    let from_zero = s
        .http
        .get(s.url("/api/v1/events?since=0"))
        .bearer_auth(&ana)
        .send()
        .await
        .unwrap();
    // A replay names the orders without carrying them (they may have changed since).
    let without_orders: Vec<Value> = got
        .iter()
        .cloned()
        .map(|mut e| {
            e.as_object_mut().unwrap().remove("order");
            e
        })
        .collect();
    assert_eq!(read_events(from_zero, 3).await, without_orders);
}

#[tokio::test]
async fn acknowledged_orders_survive_a_restart() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let (_, order) = s
        .post(
            "/api/v1/orders",
            &ana,
            json!({ "table_id": table(&snap, "9") }),
        )
        .await;
    let order_id = order["id"].as_str().unwrap().to_owned();
    let lines = json!({ "lines": [{ "product_id": product(&snap, "Spritz"), "quantity": 3 }] });
    assert_eq!(
        s.post(&format!("/api/v1/orders/{order_id}/lines"), &ana, lines)
            .await
            .0,
        StatusCode::OK
    );

    let data = s.data.clone();
    let dir = s.stop();
    let s = Server::start_on(&data).await;
    let ana = s.login(ANA).await; // the demo was not seeded twice: the PIN still resolves to one person
    let (status, order) = s.get(&format!("/api/v1/orders/{order_id}"), &ana).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(order["lines"][0]["quantity"], 3);
    assert_eq!(
        s.snapshot(&ana).await["menu"]["products"]
            .as_array()
            .unwrap()
            .len(),
        31
    );
    drop(dir);
}

#[tokio::test]
async fn the_openapi_document_describes_every_endpoint() {
    let s = Server::start().await;
    let (status, doc) = s
        .call(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/health",
        "/api/v1/login",
        "/api/v1/snapshot",
        "/api/v1/orders",
        "/api/v1/orders/{order_id}/lines",
        "/api/v1/orders/{order_id}/send",
        "/api/v1/stations/{station_id}/tickets",
        "/api/v1/lines/{line_id}/ready",
        "/api/v1/lines/{line_id}/unready",
        "/api/v1/tickets/{ticket_id}/bump",
        "/api/v1/tickets/{ticket_id}/recall",
        "/api/v1/events",
        "/api/v1/ops",
        "/api/v1/printers",
        "/api/v1/print-jobs",
        "/api/v1/tickets/{ticket_id}/reprint",
    ] {
        assert!(paths.contains_key(path), "{path} is not documented");
    }
    assert!(doc["components"]["schemas"]["ApiErrorBody"].is_object());
    // The outbox's operations, the change of a line among them.
    let ops = doc["components"]["schemas"]["OpAction"].to_string();
    assert!(ops.contains("change_line"), "{ops}");
    assert!(doc["components"]["schemas"]["LineChange"].is_object());
    assert!(doc["components"]["securitySchemes"]["token"].is_object());
}
