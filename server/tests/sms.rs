//! Takeaway orders and their "ready for pickup" text, through the real server and a local
//! HTTP server playing a Twilio-compatible provider: the text goes out once with the right
//! fields, survives the provider being down and the server restarting, and a refusal is
//! shown in the provider's words. Also the pickup board and who may do what.

mod fixture;

use fixture::printer::TestPrinter;
use fixture::sms_provider::TestSmsProvider;
use fixture::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

const SID: &str = "AC0123456789abcdef";
const SENDER: &str = "+15005550006";

async fn set_provider(s: &Server, base_url: &str) {
    let manager = s.login(MANAGER).await;
    let body = json!({ "base_url": base_url, "account_sid": SID, "auth_token": "s3cret", "sender": SENDER, "enabled": true });
    let (status, settings) = s
        .call(
            Method::PUT,
            "/api/v1/sms/provider",
            Some(&manager),
            Some(body),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{settings}");
    assert_eq!(settings["has_auth_token"], true);
    assert!(
        settings.get("auth_token").is_none(),
        "the token stays secret"
    );
}

/// Opens a takeaway order for Ana (texts allowed), adds a Lasagna and a Tiramisu, sends it;
/// returns the order.
async fn takeaway_sent(s: &Server, token: &str, customer: &str) -> Value {
    let (status, order) = s
        .post(
            "/api/v1/takeaways",
            token,
            json!({ "customer_name": customer, "phone": "+39 333 123 4567", "sms_consent": true }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let id = order["id"].as_str().unwrap();
    let snap = s.snapshot(token).await;
    let lines = json!({ "lines": [
        { "product_id": product(&snap, "Lasagna"), "quantity": 1 },
        { "product_id": product(&snap, "Tiramisu"), "quantity": 1 },
    ] });
    let added = s
        .post(&format!("/api/v1/orders/{id}/lines"), token, lines)
        .await;
    assert_eq!(added.0, StatusCode::OK, "{}", added.1);
    let (status, order) = s
        .post_empty(&format!("/api/v1/orders/{id}/send"), token)
        .await;
    assert_eq!(status, StatusCode::OK);
    order
}

/// The order's text, as the order shows it (Null while there is none).
async fn sms_of(s: &Server, token: &str, order: &Value) -> Value {
    let id = order["id"].as_str().unwrap();
    let (status, now) = s.get(&format!("/api/v1/orders/{id}"), token).await;
    assert_eq!(status, StatusCode::OK);
    now["takeaway"]["sms"].clone()
}

/// Polls the order until its text is in `status` (at most 20 s); returns the text.
async fn wait_for_sms(s: &Server, token: &str, order: &Value, status: &str) -> Value {
    for _ in 0..200 {
        let sms = sms_of(s, token, order).await;
        if sms["status"] == status {
            return sms;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "the text never became {status}: {}",
        sms_of(s, token, order).await
    );
}

/// The kitchen marks every line of the order ready, one by one.
async fn kitchen_readies(s: &Server, order: &Value) {
    let kim = s.login(KITCHEN).await;
    for line in order["lines"].as_array().unwrap() {
        let id = line["id"].as_str().unwrap();
        let (status, body) = s
            .post_empty(&format!("/api/v1/lines/{id}/ready"), &kim)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
}

async fn quiet_printers(s: &Server) -> TestPrinter {
    let printer = TestPrinter::start().await;
    s.set_printer("Kitchen", printer.addr).await;
    s.set_printer("Bar", printer.addr).await;
    printer
}

#[tokio::test]
async fn a_ready_takeaway_order_texts_its_customer_once() {
    let s = Server::start().await;
    let _printer = quiet_printers(&s).await;
    let provider = TestSmsProvider::start().await;
    set_provider(&s, &provider.base_url()).await;
    let ana = s.login(ANA).await;
    let order = takeaway_sent(&s, &ana, "Ana").await;
    assert_eq!(order["table_id"], Value::Null);
    assert_eq!(order["takeaway"]["phone"], "+393331234567");
    let number = order["number"].as_i64().unwrap();

    let kim = s.login(KITCHEN).await;
    let first = order["lines"][0]["id"].as_str().unwrap();
    s.post_empty(&format!("/api/v1/lines/{first}/ready"), &kim)
        .await;
    let board = s.call(Method::GET, "/api/v1/pickup", None, None).await.1;
    assert_eq!(board["preparing"], json!([number]), "{board}");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(provider.requests().is_empty(), "half ready: no text yet");
    assert_eq!(sms_of(&s, &ana, &order).await, Value::Null);

    kitchen_readies(&s, &order).await;
    let sent = provider.wait_for(1).await;
    let text = &sent[0];
    assert_eq!(
        text.path,
        format!("/2010-04-01/Accounts/{SID}/Messages.json")
    );
    assert_eq!(text.form["To"], "+393331234567");
    assert_eq!(text.form["From"], SENDER);
    assert_eq!(
        text.form["Body"],
        format!("Hi Ana, your order {number} at Trattoria Comanda is ready for pickup")
    );
    // Basic auth: base64("AC0123456789abcdef:s3cret")
    assert_eq!(
        text.authorization,
        "Basic QUMwMTIzNDU2Nzg5YWJjZGVmOnMzY3JldA=="
    );
    wait_for_sms(&s, &ana, &order, "sent").await;
    let board = s.call(Method::GET, "/api/v1/pickup", None, None).await.1;
    assert_eq!(board["ready"], json!([number]), "{board}");
    assert_eq!(board["preparing"], json!([]));

    // Ready again, by a recall and by staff tapping "ready": still one text.
    let ticket = order["lines"][0]["ticket_id"].as_str().unwrap();
    s.post_empty(&format!("/api/v1/tickets/{ticket}/recall"), &kim)
        .await;
    let id = order["id"].as_str().unwrap();
    let again = s
        .post_empty(&format!("/api/v1/orders/{id}/ready"), &ana)
        .await;
    assert_eq!(again.0, StatusCode::OK, "{}", again.1);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(provider.requests().len(), 1, "one text per order");

    // Handed over: off the board.
    s.post_empty(&format!("/api/v1/orders/{id}/served"), &ana)
        .await;
    let board = s.call(Method::GET, "/api/v1/pickup", None, None).await.1;
    assert_eq!(board["ready"], json!([]), "{board}");
}

#[tokio::test]
async fn staff_tapping_ready_texts_the_customer_and_clears_the_station() {
    let s = Server::start().await;
    let _printer = quiet_printers(&s).await;
    let provider = TestSmsProvider::start().await;
    set_provider(&s, &provider.base_url()).await;
    let ana = s.login(ANA).await;
    let order = takeaway_sent(&s, &ana, "Bo").await;
    let id = order["id"].as_str().unwrap();
    let (status, ready) = s
        .post_empty(&format!("/api/v1/orders/{id}/ready"), &ana)
        .await;
    assert_eq!(status, StatusCode::OK, "{ready}");
    assert!(ready["lines"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["status"] == "ready"));
    let sent = provider.wait_for(1).await;
    assert!(sent[0].form["Body"].starts_with("Hi Bo, your order"));
    let kim = s.login(KITCHEN).await;
    let kitchen = s.get("/api/v1/stations/kitchen/tickets", &kim).await.1;
    assert!(
        kitchen["active"].as_array().unwrap().is_empty(),
        "{kitchen}"
    );
    assert_eq!(kitchen["done"][0]["destination"], "Takeaway Bo");
}

#[tokio::test]
async fn without_a_provider_texts_wait_and_go_out_once_it_is_set_up() {
    let s = Server::start().await;
    let _printer = quiet_printers(&s).await;
    let ana = s.login(ANA).await;
    assert_eq!(s.snapshot(&ana).await["venue"]["sms_enabled"], false);
    let order = takeaway_sent(&s, &ana, "Ana").await;
    kitchen_readies(&s, &order).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(sms_of(&s, &ana, &order).await["status"], "queued");

    let provider = TestSmsProvider::start().await;
    set_provider(&s, &provider.base_url()).await;
    assert_eq!(s.snapshot(&ana).await["venue"]["sms_enabled"], true);
    provider.wait_for(1).await;
    wait_for_sms(&s, &ana, &order, "sent").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(provider.requests().len(), 1);
}

#[tokio::test]
async fn a_provider_that_is_down_gets_the_text_once_when_it_is_back() {
    let s = Server::start().await;
    let _printer = quiet_printers(&s).await;
    let down = TestPrinter::switched_off(); // a free address: nothing answers there
    set_provider(&s, &format!("http://{down}")).await;
    let ana = s.login(ANA).await;
    let order = takeaway_sent(&s, &ana, "Ana").await;
    kitchen_readies(&s, &order).await;

    let waiting = loop {
        let sms = sms_of(&s, &ana, &order).await;
        if sms["last_error"].is_string() {
            break sms;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(waiting["status"], "queued", "{waiting}");
    assert!(waiting["last_error"]
        .as_str()
        .unwrap()
        .contains("cannot reach the SMS provider"));

    let provider = TestSmsProvider::start_at(down).await;
    provider.wait_for(1).await;
    wait_for_sms(&s, &ana, &order, "sent").await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(provider.requests().len(), 1, "sent once after recovery");
}

#[tokio::test]
async fn a_provider_error_is_retried_but_a_refusal_fails_the_text_with_its_words() {
    let s = Server::start().await;
    let _printer = quiet_printers(&s).await;
    let provider = TestSmsProvider::start().await;
    provider.answer(503, json!({ "message": "Service Unavailable" }));
    set_provider(&s, &provider.base_url()).await;
    let ana = s.login(ANA).await;
    let order = takeaway_sent(&s, &ana, "Ana").await;
    kitchen_readies(&s, &order).await;
    provider.wait_for(2).await; // tried, and tried again
    provider.answer(
        400,
        json!({ "code": 21211, "message": "The 'To' number +393331234567 is not a valid phone number.", "status": 400 }),
    );
    let failed = wait_for_sms(&s, &ana, &order, "failed").await;
    assert_eq!(
        failed["last_error"],
        "SMS provider answered 400: The 'To' number +393331234567 is not a valid phone number. (error 21211)"
    );
    let tries = provider.requests().len();
    tokio::time::sleep(Duration::from_millis(3000)).await;
    assert_eq!(provider.requests().len(), tries, "a refusal is final");

    // The manager sees it in the outbox and retries once the number is sorted out.
    let manager = s.login(MANAGER).await;
    let outbox = s.get("/api/v1/sms/messages", &manager).await.1;
    assert_eq!(outbox[0]["status"], "failed");
    assert_eq!(outbox[0]["order_number"], order["number"]);
    provider.accept();
    let id = outbox[0]["id"].as_str().unwrap();
    let (status, retried) = s
        .post_empty(&format!("/api/v1/sms/messages/{id}/retry"), &manager)
        .await;
    assert_eq!(status, StatusCode::OK, "{retried}");
    wait_for_sms(&s, &ana, &order, "sent").await;
    assert_eq!(provider.requests().len(), tries + 1);
    let again = s
        .post_empty(&format!("/api/v1/sms/messages/{id}/retry"), &manager)
        .await;
    assert_eq!(again.0, StatusCode::CONFLICT, "a sent text is not retried");
}

#[tokio::test]
async fn texts_pending_at_a_restart_go_out_once_and_an_interrupted_one_is_not_repeated() {
    let s = Server::start().await;
    let _printer = quiet_printers(&s).await;
    let ana = s.login(ANA).await;
    let mut orders = Vec::new();
    for customer in ["Ana", "Bo", "Cy"] {
        let order = takeaway_sent(&s, &ana, customer).await;
        kitchen_readies(&s, &order).await;
        orders.push(order);
    }
    let data = s.data.clone();
    let dir = s.stop();
    // Cy's text was with the provider when the server stopped.
    let pool = db_at(&data).await;
    sqlx::query("UPDATE sms_outbox SET status = 'sending' WHERE body LIKE 'Hi Cy,%'")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let s = Server::start_on(&data).await;
    let provider = TestSmsProvider::start().await;
    set_provider(&s, &provider.base_url()).await;
    let ana = s.login(ANA).await;
    provider.wait_for(2).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let mut bodies: Vec<_> = provider
        .requests()
        .iter()
        .map(|r| r.form["Body"].clone())
        .collect();
    bodies.sort();
    assert_eq!(bodies.len(), 2, "{bodies:?}");
    assert!(bodies[0].starts_with("Hi Ana,") && bodies[1].starts_with("Hi Bo,"));
    let cy = sms_of(&s, &ana, &orders[2]).await;
    assert_eq!(cy["status"], "failed");
    assert!(cy["last_error"]
        .as_str()
        .unwrap()
        .contains("may have gone out"));
    drop((s, dir));
}

#[tokio::test]
async fn bad_details_and_wrong_roles_are_refused_and_change_nothing() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let kim = s.login(KITCHEN).await;
    let before = s.snapshot(&ana).await["orders"].as_array().unwrap().len();
    for (body, field) in [
        (
            json!({ "customer_name": "Ana", "phone": "333 12", "sms_consent": true }),
            "phone",
        ),
        (
            json!({ "customer_name": "Ana", "sms_consent": true }),
            "phone",
        ),
        (json!({ "customer_name": "  " }), "customer_name"),
        (
            json!({ "customer_name": "Ana", "language": "english" }),
            "language",
        ),
    ] {
        let (status, err) = s.post("/api/v1/takeaways", &ana, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(err["field"], field, "{err}");
    }
    let (status, err) = s
        .post(
            "/api/v1/takeaways",
            &ana,
            json!({ "phone": "+393331234567" }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert!(err["message"].as_str().unwrap().contains("customer_name"));
    let (status, _) = s
        .post("/api/v1/takeaways", &kim, json!({ "customer_name": "Ana" }))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        s.snapshot(&ana).await["orders"].as_array().unwrap().len(),
        before
    );
    // The venue is in Italy: a number typed as it is dialled there is an Italian one.
    let (status, order) = s
        .post(
            "/api/v1/takeaways",
            &ana,
            json!({ "customer_name": "Ugo", "phone": "333 123 4567" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["takeaway"]["phone"], "+393331234567");

    // Only managers see or change the SMS setup.
    let provider = json!({ "base_url": "https://api.twilio.com", "account_sid": SID, "auth_token": "x", "sender": SENDER, "enabled": true });
    let (status, err) = s
        .call(
            Method::PUT,
            "/api/v1/sms/provider",
            Some(&ana),
            Some(provider),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(err["message"].as_str().unwrap().contains("waiter"), "{err}");
    assert_eq!(
        s.get("/api/v1/sms/settings", &kim).await.0,
        StatusCode::FORBIDDEN
    );
    let manager = s.login(MANAGER).await;
    for (body, field) in [
        (
            json!({ "base_url": "ftp://x", "account_sid": SID, "auth_token": "x", "sender": SENDER, "enabled": true }),
            "base_url",
        ),
        (
            json!({ "base_url": "https://api.twilio.com", "account_sid": "AC 1", "auth_token": "x", "sender": SENDER, "enabled": true }),
            "account_sid",
        ),
        (
            json!({ "base_url": "https://api.twilio.com", "account_sid": SID, "auth_token": "x", "sender": "12", "enabled": true }),
            "sender",
        ),
        (
            json!({ "base_url": "https://api.twilio.com", "account_sid": SID, "sender": SENDER, "enabled": true }),
            "auth_token",
        ),
    ] {
        let (status, err) = s
            .call(
                Method::PUT,
                "/api/v1/sms/provider",
                Some(&manager),
                Some(body),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(err["field"], field, "{err}");
    }
    let settings = s.get("/api/v1/sms/settings", &manager).await.1;
    assert_eq!(settings["configured"], false, "nothing was stored");

    // Templates: per language, checked.
    let (status, settings) = s
        .call(
            Method::PUT,
            "/api/v1/sms/templates/pt",
            Some(&manager),
            Some(json!({ "language": "pt", "body": "Olá {name}, o pedido {number} está pronto" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{settings}");
    assert!(settings["templates"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["language"] == "pt"));
    let (status, err) = s
        .call(
            Method::PUT,
            "/api/v1/sms/templates/xyz",
            Some(&manager),
            Some(json!({ "language": "xyz", "body": "hi" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");

    // "Ready" is for takeaway orders only.
    let snap = s.snapshot(&ana).await;
    let (_, at_table) = s
        .post(
            "/api/v1/orders",
            &ana,
            json!({ "table_id": table(&snap, "4") }),
        )
        .await;
    let id = at_table["id"].as_str().unwrap();
    let (status, err) = s
        .post_empty(&format!("/api/v1/orders/{id}/ready"), &ana)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
}

#[tokio::test]
async fn a_takeaway_in_portuguese_gets_the_portuguese_text() {
    let s = Server::start().await;
    let _printer = quiet_printers(&s).await;
    let provider = TestSmsProvider::start().await;
    set_provider(&s, &provider.base_url()).await;
    let manager = s.login(MANAGER).await;
    s.call(
        Method::PUT,
        "/api/v1/sms/templates/pt",
        Some(&manager),
        Some(json!({ "language": "pt", "body": "Olá {name}, o pedido {number} está pronto" })),
    )
    .await;
    let ana = s.login(ANA).await;
    let (status, order) = s
        .post(
            "/api/v1/takeaways",
            &ana,
            json!({ "customer_name": "João", "phone": "00351 912 345 678", "sms_consent": true, "language": "pt" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let id = order["id"].as_str().unwrap();
    let snap = s.snapshot(&ana).await;
    s.post(
        &format!("/api/v1/orders/{id}/lines"),
        &ana,
        json!({ "lines": [{ "product_id": product(&snap, "Espresso"), "quantity": 2 }] }),
    )
    .await;
    s.post_empty(&format!("/api/v1/orders/{id}/send"), &ana)
        .await;
    s.post_empty(&format!("/api/v1/orders/{id}/ready"), &ana)
        .await;
    let sent = provider.wait_for(1).await;
    assert_eq!(sent[0].form["To"], "+351912345678");
    assert_eq!(
        sent[0].form["Body"],
        format!(
            "Olá João, o pedido {} está pronto",
            order["number"].as_i64().unwrap()
        )
    );
}

#[tokio::test]
async fn ready_for_pickup_from_a_phones_outbox_is_applied_once_after_the_send() {
    let s = Server::start().await;
    let _printer = quiet_printers(&s).await;
    let provider = TestSmsProvider::start().await;
    set_provider(&s, &provider.base_url()).await;
    let ana = s.login(ANA).await;
    let (_, order) = s
        .post(
            "/api/v1/takeaways",
            &ana,
            json!({ "customer_name": "Ana", "phone": "+393331234567", "sms_consent": true }),
        )
        .await;
    let id = order["id"].as_str().unwrap();
    let snap = s.snapshot(&ana).await;
    let op = |body: Value| {
        let mut body = body;
        body["op_id"] = json!(uuid::Uuid::now_v7().to_string());
        body["order_id"] = json!(id);
        body
    };
    // What a phone queued: add, send, ready; the whole batch arrives twice.
    let batch = json!({ "ops": [
        op(json!({ "type": "add_lines", "lines": [{ "id": uuid::Uuid::now_v7().to_string(),
            "product_id": product(&snap, "Lasagna"), "quantity": 1 }] })),
        op(json!({ "type": "send_order" })),
        op(json!({ "type": "ready_for_pickup" })),
    ] });
    for expected in ["applied", "duplicate"] {
        let (status, body) = s.post("/api/v1/ops", &ana, batch.clone()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        for result in body["results"].as_array().unwrap() {
            assert_eq!(result["status"], expected, "{body}");
        }
    }
    provider.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(provider.requests().len(), 1);
    let now = s.get(&format!("/api/v1/orders/{id}"), &ana).await.1;
    assert_eq!(now["lines"][0]["status"], "ready");
}
