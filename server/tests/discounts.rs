//! Splits and discounts through the real server: seats on lines, payments for a seat or for
//! some units of a line, discounts on a line or an order with a manager's PIN over the
//! limit, a happy-hour rule the manager sets up, and the venue's settings and void reasons.

mod fixture;

use fixture::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn patch(s: &Server, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
    s.call(Method::PATCH, path, Some(token), Some(body)).await
}

async fn order(s: &Server, token: &str, id: &str) -> Value {
    let (status, body) = s.get(&format!("/api/v1/orders/{id}"), token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn a_bill_splits_by_seat_and_by_item_and_refuses_what_does_not_fit() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let (lasagna, tiramisu, water) = (
        product(&snap, "Lasagna"),
        product(&snap, "Tiramisu"),
        product(&snap, "Sparkling water"),
    );
    // Seat 1: Lasagna 13.50; seat 2: 2 Tiramisu 13.00; shared: water 3.00. Bill 29.50.
    let placed = s
        .sent_order_at(
            &ana,
            "2",
            json!([{ "product_id": lasagna, "quantity": 1, "seat": 1 },
                   { "product_id": tiramisu, "quantity": 2, "seat": 2 },
                   { "product_id": water, "quantity": 1 }]),
        )
        .await;
    let order_id = placed["id"].as_str().unwrap();
    assert_eq!(placed["lines"][0]["seat"], 1);
    assert_eq!(placed["lines"][2]["seat"], Value::Null);
    let tiramisu_line = placed["lines"][1]["id"].as_str().unwrap();

    // A seat out of range is refused, naming the field.
    let (status, body) = s
        .post(
            &format!("/api/v1/orders/{order_id}/lines"),
            &ana,
            json!({ "lines": [{ "product_id": water, "quantity": 1, "seat": 31 }] }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "lines[0].seat");

    // Seat 1 pays its lasagna and half the water by card.
    let seat_one = pay_op(
        order_id,
        json!({ "id": new_id(), "method": "card", "amount_minor": 1500, "seat": 1 }),
    );
    // One tiramisu by item, in cash; a second payment for three of the two is refused.
    let one_tiramisu = pay_op(
        order_id,
        json!({ "id": new_id(), "method": "cash", "amount_minor": 650,
                "items": [{ "line_id": tiramisu_line, "quantity": 1 }] }),
    );
    let too_many = pay_op(
        order_id,
        json!({ "id": new_id(), "method": "cash", "amount_minor": 650,
                "items": [{ "line_id": tiramisu_line, "quantity": 2 }] }),
    );
    let bad_seat = pay_op(
        order_id,
        json!({ "id": new_id(), "method": "cash", "amount_minor": 100, "seat": 0 }),
    );
    let results = s
        .ops(&ana, json!([seat_one, one_tiramisu, too_many, bad_seat]))
        .await;
    let statuses: Vec<_> = results.iter().map(|r| r["status"].clone()).collect();
    assert_eq!(
        statuses,
        vec!["applied", "applied", "rejected", "rejected"],
        "{results:?}"
    );
    assert_eq!(
        results[2]["reason"],
        "only 1 of Tiramisu are left to pay, not 2"
    );
    assert!(results[3]["reason"].as_str().unwrap().contains("seat"));

    let now = order(&s, &ana, order_id).await;
    let payments = now["payments"].as_array().unwrap();
    assert_eq!(payments.len(), 2);
    assert_eq!(payments[0]["seat"], 1);
    assert_eq!(payments[1]["items"][0]["quantity"], 1);
}

#[tokio::test]
async fn discounts_come_off_the_bill_and_over_the_limit_need_a_manager() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    assert_eq!(snap["discount_approval_above_minor"], 1000);
    // 2 Lasagna 27.00 + Tiramisu 6.50 = 33.50
    let placed = s
        .sent_order_at(
            &ana,
            "3",
            json!([{ "product_id": product(&snap, "Lasagna"), "quantity": 2 },
                   { "product_id": product(&snap, "Tiramisu"), "quantity": 1 }]),
        )
        .await;
    let order_id = placed["id"].as_str().unwrap();
    let tiramisu_line = placed["lines"][1]["id"].as_str().unwrap();
    let path = format!("/api/v1/orders/{order_id}/discounts");

    // 10 % off the tiramisu for a regular: under the limit, the waiter gives it alone.
    let (status, after) = s
        .post(
            &path,
            &ana,
            json!({ "line_id": tiramisu_line, "kind": "percent", "value": 1000, "reason": " Regular " }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["discounts"][0]["reason"], "Regular");
    assert_eq!(after["discounts"][0]["approved_by"], Value::Null);

    // €15 off the order is over the €10 limit: refused without a PIN, or with a waiter's.
    let big = json!({ "kind": "amount", "value": 1500, "reason": "Birthday" });
    let (status, body) = s.post(&path, &ana, big.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body["message"],
        "a discount of €15.00 needs a manager's PIN: with the €0.65 already given on this order it is over the €10.00 limit"
    );
    let mut with_pin = big.clone();
    with_pin["manager_pin"] = json!(LUCA);
    let (status, body) = s.post(&path, &ana, with_pin.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("no discount was given"));
    // Bad input: no reason, a percentage over 100.
    let (status, body) = s
        .post(
            &path,
            &ana,
            json!({ "kind": "amount", "value": 100, "reason": "" }),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("reason"))
    );
    let (status, _) = s
        .post(
            &path,
            &ana,
            json!({ "kind": "percent", "value": 10001, "reason": "x" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        order(&s, &ana, order_id).await["discounts"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "refused discounts change nothing"
    );

    with_pin["manager_pin"] = json!(MANAGER);
    let (status, after) = s.post(&path, &ana, with_pin).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert!(after["discounts"][1]["approved_by"].is_string());

    // 33.50 - 0.65 - 15.00 = 17.85 left to pay; paying it closes the table.
    let too_much = pay_op(
        order_id,
        json!({ "id": new_id(), "method": "card", "amount_minor": 1786 }),
    );
    let exact = pay_op(
        order_id,
        json!({ "id": new_id(), "method": "card", "amount_minor": 1785 }),
    );
    let close = json!({ "op_id": new_id(), "type": "close_order", "order_id": order_id });
    let results = s.ops(&ana, json!([too_much, exact, close])).await;
    let statuses: Vec<_> = results.iter().map(|r| r["status"].clone()).collect();
    assert_eq!(
        statuses,
        vec!["rejected", "applied", "applied"],
        "{results:?}"
    );

    // Both discounts are in the audit log, the second with its approver.
    let db = s.db().await;
    let audit: Vec<(Option<String>, String)> = sqlx::query_as(
        "SELECT approved_by, detail FROM audit_log WHERE action = 'discount' ORDER BY seq",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(audit.len(), 2);
    assert!(audit[0].0.is_none() && audit[1].0.is_some());
    assert!(audit[1].1.contains("\"amount_minor\":1500"));
}

/// Minutes after midnight UTC now.
fn utc_minute() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    secs.rem_euclid(86_400) / 60
}

fn clock(minute: i64) -> String {
    let m = minute.rem_euclid(24 * 60);
    format!("{:02}:{:02}", m / 60, m % 60)
}

#[tokio::test]
async fn small_discounts_add_up_to_the_limit_and_then_need_a_manager() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    // 2 Lasagna 27.00; the demo's limit is €10.00.
    let placed = s
        .sent_order_at(
            &ana,
            "4",
            json!([{ "product_id": product(&snap, "Lasagna"), "quantity": 2 }]),
        )
        .await;
    let path = format!(
        "/api/v1/orders/{}/discounts",
        placed["id"].as_str().unwrap()
    );
    let small = json!({ "kind": "amount", "value": 600, "reason": "Regular" });
    let (status, body) = s.post(&path, &ana, small.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // €6.00 more would make €12.00 given without a manager on this order.
    let (status, body) = s.post(&path, &ana, small.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(
        body["message"],
        "a discount of €6.00 needs a manager's PIN: with the €6.00 already given on this order it is over the €10.00 limit"
    );
    // €4.00 still fits; an approved discount does not count against the limit.
    let (status, body) = s
        .post(
            &path,
            &ana,
            json!({ "kind": "amount", "value": 400, "reason": "Regular" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut approved = small.clone();
    approved["manager_pin"] = json!(MANAGER);
    let (status, body) = s.post(&path, &ana, approved).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = s
        .post(
            &path,
            &ana,
            json!({ "kind": "amount", "value": 1, "reason": "Regular" }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the €10.00 alone is used up");
}

#[tokio::test]
async fn a_happy_hour_set_up_by_the_manager_discounts_the_bar_while_it_runs() {
    let s = Server::start().await;
    let (boss, ana) = (s.login(MANAGER).await, s.login(ANA).await);
    let snap = s.snapshot(&ana).await;
    let bar = id_where(
        &snap["menu"]["categories"],
        "name",
        "Wine, beer & cocktails",
    );

    // Waiters do not set up rules; bad times are refused.
    let (status, _) = s.get("/api/v1/discount-rules", &ana).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = s
        .post(
            "/api/v1/discount-rules",
            &boss,
            json!({ "name": "Late", "category_id": bar, "percent_bp": 2000, "starts": "25:00", "ends": "02:00" }),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("starts"))
    );

    // The demo's happy hour is there and off; a rule running now, on UTC time.
    let (_, rules) = s.get("/api/v1/discount-rules", &boss).await;
    assert_eq!(rules[0]["name"], "Happy hour");
    assert_eq!(rules[0]["active"], false);
    let (status, _) = patch(
        &s,
        "/api/v1/venue/settings",
        &boss,
        json!({ "time_zone": "UTC" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let now = utc_minute();
    let (status, rule) = s
        .post(
            "/api/v1/discount-rules",
            &boss,
            json!({ "name": "Now hour", "category_id": bar, "percent_bp": 2000,
                    "starts": clock(now - 5), "ends": clock(now + 10) }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{rule}");

    // A lager (5.50) gets 20 % off; the lasagna does not.
    let placed = s
        .order_at(
            &ana,
            "4",
            json!([{ "product_id": product(&snap, "Lager"), "quantity": 1 },
                   { "product_id": product(&snap, "Lasagna"), "quantity": 1 }]),
        )
        .await;
    let discounts = placed["discounts"].as_array().unwrap();
    assert_eq!(discounts.len(), 1, "{placed}");
    assert_eq!(discounts[0]["rule"], "Now hour");
    assert_eq!(discounts[0]["line_id"], placed["lines"][0]["id"]);

    // Switched off, the next lager pays full price.
    let rule_path = format!("/api/v1/discount-rules/{}", rule["id"].as_str().unwrap());
    let (status, _) = patch(&s, &rule_path, &boss, json!({ "active": false })).await;
    assert_eq!(status, StatusCode::OK);
    let order_id = placed["id"].as_str().unwrap();
    let (_, after) = s
        .post(
            &format!("/api/v1/orders/{order_id}/lines"),
            &ana,
            json!({ "lines": [{ "product_id": product(&snap, "Lager"), "quantity": 1 }] }),
        )
        .await;
    assert_eq!(after["discounts"].as_array().unwrap().len(), 1);
    // A change that would make the rule end when it starts changes nothing.
    let (status, _) = patch(&s, &rule_path, &boss, json!({ "ends": clock(now - 5) })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn managers_keep_the_money_rules_and_the_void_reasons() {
    let s = Server::start().await;
    let (boss, ana) = (s.login(MANAGER).await, s.login(ANA).await);
    let (status, _) = patch(
        &s,
        "/api/v1/venue/settings",
        &ana,
        json!({ "void_approval_above_minor": 0 }),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for (bad, field) in [
        (json!({ "time_zone": "Mars/Olympus" }), "time_zone"),
        (json!({ "business_day_ends": "4 am" }), "business_day_ends"),
        (json!({ "cash_rounding_minor": 3 }), "cash_rounding_minor"),
        (
            json!({ "discount_approval_above_minor": -1 }),
            "discount_approval_above_minor",
        ),
    ] {
        let (status, body) = patch(&s, "/api/v1/venue/settings", &boss, bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["field"], field);
    }
    let (status, settings) = patch(
        &s,
        "/api/v1/venue/settings",
        &boss,
        json!({ "void_approval_above_minor": 2000, "cash_rounding_minor": 5 }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(settings["time_zone"], "Europe/Rome", "untouched");
    assert_eq!(settings["business_day_ends"], "04:00");
    let (_, settings) = patch(
        &s,
        "/api/v1/venue/settings",
        &boss,
        json!({ "business_day_ends": "05:30" }),
    )
    .await;
    assert_eq!(settings["business_day_ends"], "05:30");
    let snap = s.snapshot(&ana).await;
    assert_eq!(snap["void_approval_above_minor"], 2000);
    assert_eq!(snap["venue"]["cash_rounding_minor"], 5);

    // A new reason is offered; a retired one is not, and cannot be used.
    let (status, reason) = s
        .post("/api/v1/void-reasons", &boss, json!({ "label": "Spilled" }))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let offered = |snap: &Value| -> Vec<String> {
        snap["void_reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["label"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(offered(&s.snapshot(&ana).await).contains(&"Spilled".to_owned()));
    let path = format!("/api/v1/void-reasons/{}", reason["id"].as_str().unwrap());
    let (status, _) = patch(&s, &path, &boss, json!({ "active": false })).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!offered(&s.snapshot(&ana).await).contains(&"Spilled".to_owned()));
    let placed = s
        .order_at(
            &ana,
            "5",
            json!([{ "product_id": product(&snap, "Espresso"), "quantity": 1 }]),
        )
        .await;
    let void = format!(
        "/api/v1/orders/{}/lines/{}/void",
        placed["id"].as_str().unwrap(),
        placed["lines"][0]["id"].as_str().unwrap()
    );
    let (status, body) = s
        .post(&void, &ana, json!({ "reason_id": reason["id"] }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = s
        .post("/api/v1/void-reasons", &boss, json!({ "label": "" }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
