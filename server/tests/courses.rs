//! Courses over `POST /api/v1/ops`, as a phone sends them: a send that holds the later
//! courses, lines added to a held course waiting with it, firing a course, the station
//! tickets that each fired course makes, and the course a category gives its products.

mod fixture;

use fixture::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::HashMap;

async fn applied(s: &Server, token: &str, ops: &[Value]) {
    let results = s.ops(token, json!(ops)).await;
    assert!(
        results.iter().all(|r| r["status"] == "applied"),
        "{results:?}"
    );
}

fn add(order: &str, product: &str, course: i64) -> Value {
    json!({ "op_id": new_id(), "type": "add_lines", "order_id": order,
            "lines": [{ "id": new_id(), "product_id": product, "quantity": 1, "course": course }] })
}

/// What the station shows of this order: its open tickets' lines, by ticket.
async fn tickets(s: &Server, station: &str, number: &Value) -> Vec<Vec<(String, i64)>> {
    let kitchen = s.login(KITCHEN).await;
    let (_, screen) = s
        .get(&format!("/api/v1/stations/{station}/tickets"), &kitchen)
        .await;
    screen["active"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["order_number"] == *number)
        .map(|t| {
            t["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| {
                    let name = l["product_name"].as_str().unwrap().to_owned();
                    (name, l["course"].as_i64().unwrap())
                })
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn a_send_holds_the_mains_until_they_are_fired_and_drinks_never_wait() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let [bruschetta, lasagna, tiramisu, lager] =
        ["Bruschetta", "Lasagna", "Tiramisu", "Lager"].map(|p| product(&snap, p));
    let order = new_id();
    applied(
        &s,
        &ana,
        &[
            json!({ "op_id": new_id(), "type": "open_table", "order_id": order, "table_id": table(&snap, "5") }),
            add(&order, &bruschetta, 1),
            add(&order, &lasagna, 2),
            add(&order, &tiramisu, 3),
            add(&order, &lager, 0),
            json!({ "op_id": new_id(), "type": "send_order", "order_id": order, "up_to_course": 1 }),
        ],
    )
    .await;
    let (_, now) = s.get(&format!("/api/v1/orders/{order}"), &ana).await;
    let number = now["number"].clone();
    assert_eq!(now["held_from"], 2);
    let status: HashMap<&str, &str> = now["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["product_name"].as_str().unwrap(),
                l["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(status["Bruschetta"], "sent");
    assert_eq!(status["Lager"], "sent", "drinks never wait");
    assert_eq!((status["Lasagna"], status["Tiramisu"]), ("new", "new"));
    assert_eq!(
        tickets(&s, "kitchen", &number).await,
        [[("Bruschetta".to_owned(), 1)]]
    );
    assert_eq!(
        tickets(&s, "bar", &number).await,
        [[("Lager".to_owned(), 0)]]
    );

    // A second lasagna waits with the mains; the send button (through the starters)
    // sends nothing and makes no ticket.
    applied(
        &s,
        &ana,
        &[
            add(&order, &lasagna, 2),
            json!({ "op_id": new_id(), "type": "send_order", "order_id": order, "up_to_course": 1 }),
        ],
    )
    .await;
    assert_eq!(tickets(&s, "kitchen", &number).await.len(), 1);

    // Fire the mains: both lasagnas go on one ticket, headed by their course; the
    // dessert stays held.
    applied(
        &s,
        &ana,
        &[json!({ "op_id": new_id(), "type": "fire_course", "order_id": order, "course": 2 })],
    )
    .await;
    let kitchen = tickets(&s, "kitchen", &number).await;
    assert_eq!(kitchen.len(), 2);
    assert_eq!(
        kitchen[1],
        [("Lasagna".to_owned(), 2), ("Lasagna".to_owned(), 2)]
    );
    let (_, now) = s.get(&format!("/api/v1/orders/{order}"), &ana).await;
    assert_eq!(now["held_from"], 3);

    // Desserts, fired, are the last: every line sent, each on exactly one ticket.
    applied(
        &s,
        &ana,
        &[json!({ "op_id": new_id(), "type": "fire_course", "order_id": order, "course": 3 })],
    )
    .await;
    let kitchen = tickets(&s, "kitchen", &number).await;
    assert_eq!(kitchen.len(), 3);
    assert_eq!(kitchen[2], [("Tiramisu".to_owned(), 3)]);
    let (_, now) = s.get(&format!("/api/v1/orders/{order}"), &ana).await;
    let lines = now["lines"].as_array().unwrap();
    assert!(lines.iter().all(|l| l["status"] == "sent"), "{now}");
    let mut on_tickets: Vec<&str> = lines
        .iter()
        .map(|l| l["ticket_id"].as_str().unwrap())
        .collect();
    on_tickets.sort();
    on_tickets.dedup();
    assert_eq!(on_tickets.len(), 4, "kitchen three, bar one");
}

#[tokio::test]
async fn a_line_that_names_no_course_takes_its_categorys() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let order = new_id();
    let line =
        |name: &str| json!({ "id": new_id(), "product_id": product(&snap, name), "quantity": 1 });
    applied(
        &s,
        &ana,
        &[
            json!({ "op_id": new_id(), "type": "open_table", "order_id": order, "table_id": table(&snap, "4") }),
            json!({ "op_id": new_id(), "type": "add_lines", "order_id": order,
                    "lines": [line("Lager"), line("Bruschetta"), line("Lasagna"), line("Tiramisu")] }),
        ],
    )
    .await;
    let (_, now) = s.get(&format!("/api/v1/orders/{order}"), &ana).await;
    let courses: Vec<(&str, i64)> = now["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["product_name"].as_str().unwrap(),
                l["course"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        courses,
        [
            ("Lager", 0),
            ("Bruschetta", 1),
            ("Lasagna", 2),
            ("Tiramisu", 3)
        ]
    );
}

#[tokio::test]
async fn a_course_out_of_range_is_refused_by_name_and_changes_nothing() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let order = new_id();
    applied(
        &s,
        &ana,
        &[
            json!({ "op_id": new_id(), "type": "open_table", "order_id": order, "table_id": table(&snap, "6") }),
            add(&order, &product(&snap, "Lasagna"), 2),
        ],
    )
    .await;
    let results = s.ops(&ana, json!([
            json!({ "op_id": new_id(), "type": "fire_course", "order_id": order, "course": 12 }),
            json!({ "op_id": new_id(), "type": "send_order", "order_id": order, "up_to_course": -1 }),
            add(&order, &product(&snap, "Lasagna"), 10),
        ]))
    .await;
    let reasons: Vec<&str> = results
        .iter()
        .map(|r| {
            assert_eq!(r["status"], "rejected", "{r}");
            r["reason"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        reasons,
        [
            "a course is between 0 and 9, not 12",
            "a course is between 0 and 9, not -1",
            "course must be between 0 and 9, not 10"
        ]
    );
    let (_, now) = s.get(&format!("/api/v1/orders/{order}"), &ana).await;
    assert_eq!(now["lines"].as_array().unwrap().len(), 1);
    assert_eq!(now["lines"][0]["status"], "new");
    assert_eq!(now["held_from"], Value::Null);
}

#[tokio::test]
async fn a_category_says_which_course_its_products_go_in() {
    let s = Server::start().await;
    let (manager, ana) = (s.login(MANAGER).await, s.login(ANA).await);
    let snap = s.snapshot(&ana).await;
    let course_of = |snap: &Value, name: &str| {
        snap["menu"]["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no category {name}"))["course"]
            .clone()
    };
    // The demo's restaurant menu: drinks, starters, mains and desserts.
    for (category, course) in [
        ("Soft drinks & coffee", 0),
        ("Starters", 1),
        ("Mains", 2),
        ("Desserts", 3),
    ] {
        assert_eq!(course_of(&snap, category), course, "{category}");
    }
    let desserts = snap["menu"]["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Desserts")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/menu/categories/{desserts}");
    let (status, body) = s
        .call(
            Method::PATCH,
            &path,
            Some(&manager),
            Some(json!({ "course": 12 })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["field"], "course");
    let (status, changed) = s
        .call(
            Method::PATCH,
            &path,
            Some(&manager),
            Some(json!({ "course": 4 })),
        )
        .await;
    assert_eq!(
        (status, changed["course"].clone()),
        (StatusCode::OK, json!(4))
    );
    assert_eq!(course_of(&s.snapshot(&ana).await, "Desserts"), 4);
    let (status, made) = s
        .post(
            "/api/v1/menu/categories",
            &manager,
            json!({ "name": "Cheese", "course": 3 }),
        )
        .await;
    assert_eq!(
        (status, made["course"].clone()),
        (StatusCode::CREATED, json!(3))
    );
}

#[tokio::test]
async fn a_table_paid_with_a_course_held_closes_only_once_it_is_fired() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let (order, table) = (new_id(), table(&snap, "8"));
    let price = |name: &str| {
        let menu = snap["menu"]["products"].as_array().unwrap();
        menu.iter().find(|p| p["name"] == name).unwrap()["price_minor"].clone()
    };
    applied(
        &s,
        &ana,
        &[
            json!({ "op_id": new_id(), "type": "open_table", "order_id": order, "table_id": table }),
            add(&order, &product(&snap, "Tiramisu"), 3),
            json!({ "op_id": new_id(), "type": "send_order", "order_id": order, "up_to_course": 2 }),
            pay_op(&order, json!({ "id": new_id(), "method": "card", "amount_minor": price("Tiramisu") })),
        ],
    )
    .await;
    let close = || json!({ "op_id": new_id(), "type": "close_order", "order_id": order });
    let refused = s.ops(&ana, json!([close()])).await;
    assert_eq!(refused[0]["status"], "rejected");
    assert_eq!(
        refused[0]["reason"],
        "Desserts still held: fire them before closing"
    );
    applied(
        &s,
        &ana,
        &[
            json!({ "op_id": new_id(), "type": "fire_course", "order_id": order, "course": 3 }),
            close(),
        ],
    )
    .await;
}
