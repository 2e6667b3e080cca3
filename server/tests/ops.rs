//! `POST /api/v1/ops` over HTTP: each operation applied once, replays answered with the
//! first result, operations waiting for their order, two phones on one table, and refusals
//! a waiter can read.

mod fixture;

use fixture::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

fn id() -> String {
    Uuid::now_v7().to_string()
}

fn open(order: &str, table: &str) -> Value {
    json!({ "op_id": id(), "type": "open_table", "order_id": order, "table_id": table })
}

fn add(order: &str, product: &str, quantity: i64) -> Value {
    json!({ "op_id": id(), "type": "add_lines", "order_id": order,
            "lines": [{ "id": id(), "product_id": product, "quantity": quantity }] })
}

fn send(order: &str) -> Value {
    json!({ "op_id": id(), "type": "send_order", "order_id": order })
}

async fn flush(s: &Server, token: &str, ops: &[Value]) -> Vec<Value> {
    let (status, body) = s.post("/api/v1/ops", token, json!({ "ops": ops })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["results"].as_array().unwrap().clone()
}

fn statuses(results: &[Value]) -> Vec<&str> {
    results
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect()
}

async fn tickets(s: &Server, station: &str) -> Vec<Value> {
    let kitchen = s.login(KITCHEN).await;
    let (_, screen) = s
        .get(&format!("/api/v1/stations/{station}/tickets"), &kitchen)
        .await;
    screen["active"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_replayed_batch_changes_nothing_and_prints_no_second_ticket() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let order = id();
    let batch = vec![
        open(&order, &table(&snap, "6")),
        add(&order, &product(&snap, "Lasagna"), 2),
        add(&order, &product(&snap, "IPA"), 1),
        send(&order),
    ];
    let first = flush(&s, &ana, &batch).await;
    assert_eq!(statuses(&first), ["applied"; 4]);
    assert!(first.iter().all(|r| r["order_id"] == order.as_str()));

    // The answer was lost; the phone sends the same batch again, and once more inside a
    // larger one.
    let again = flush(&s, &ana, &batch).await;
    assert_eq!(statuses(&again), ["duplicate"; 4]);
    assert!(again.iter().all(|r| r["first"] == "applied"));
    let mut longer = batch.clone();
    longer.push(add(&order, &product(&snap, "Tiramisu"), 1));
    longer.push(send(&order));
    assert_eq!(
        statuses(&flush(&s, &ana, &longer).await),
        [
            "duplicate",
            "duplicate",
            "duplicate",
            "duplicate",
            "applied",
            "applied"
        ]
    );

    // An outbox that queued one operation twice sends it twice in one batch: the second
    // is a duplicate of the first, even before the batch is committed.
    let lager = add(&order, &product(&snap, "Lager"), 1);
    assert_eq!(
        statuses(&flush(&s, &ana, &[lager.clone(), lager, send(&order)]).await),
        ["applied", "duplicate", "applied"]
    );

    let (_, o) = s.get(&format!("/api/v1/orders/{order}"), &ana).await;
    assert_eq!(o["lines"].as_array().unwrap().len(), 4, "no line doubled");
    let kitchen = tickets(&s, "kitchen").await;
    assert_eq!(
        kitchen.len(),
        2,
        "the first send and the follow-up, nothing twice"
    );
    assert_eq!(kitchen[0]["lines"][0]["product_name"], "Lasagna");
    assert_eq!(kitchen[1]["lines"][0]["product_name"], "Tiramisu");
    let bar = tickets(&s, "bar").await;
    assert_eq!(bar.len(), 2, "the IPA, then one Lager");
    assert_eq!(bar[1]["lines"].as_array().unwrap().len(), 1);
    assert_eq!(bar[1]["lines"][0]["quantity"], 1);
}

#[tokio::test]
async fn operations_wait_for_the_order_they_belong_to() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let order = id();
    let opening = open(&order, &table(&snap, "8"));
    let later = vec![add(&order, &product(&snap, "Burrata"), 1), send(&order)];

    let results = flush(&s, &ana, &later).await;
    assert_eq!(statuses(&results), ["retry", "retry"]);
    assert!(results[0]["reason"]
        .as_str()
        .unwrap()
        .contains("opens this order"));
    assert!(tickets(&s, "kitchen").await.is_empty());

    let mut all = vec![opening];
    all.extend(later);
    assert_eq!(statuses(&flush(&s, &ana, &all).await), ["applied"; 3]);
    assert_eq!(tickets(&s, "kitchen").await.len(), 1);
}

#[tokio::test]
async fn two_phones_that_opened_one_table_offline_share_one_order() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let luca = s.login(LUCA).await;
    let snap = s.snapshot(&ana).await;
    let table5 = table(&snap, "5");
    let (ana_order, luca_order) = (id(), id());

    flush(
        &s,
        &ana,
        &[
            open(&ana_order, &table5),
            add(&ana_order, &product(&snap, "Lager"), 2),
        ],
    )
    .await;
    let results = flush(
        &s,
        &luca,
        &[
            open(&luca_order, &table5),
            add(&luca_order, &product(&snap, "Spritz"), 1),
            send(&luca_order),
        ],
    )
    .await;
    assert_eq!(statuses(&results), ["applied"; 3]);
    assert!(
        results.iter().all(|r| r["order_id"] == ana_order.as_str()),
        "Luca's id is an alias of Ana's order"
    );

    let (_, by_alias) = s.get(&format!("/api/v1/orders/{luca_order}"), &luca).await;
    assert_eq!(by_alias["id"], ana_order.as_str());
    let names: Vec<_> = by_alias["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["product_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Lager", "Spritz"]);
    assert_eq!(by_alias["waiter_ids"].as_array().unwrap().len(), 2);
    let snapshot = s.snapshot(&ana).await;
    assert_eq!(snapshot["orders"].as_array().unwrap().len(), 1);
    let bar = tickets(&s, "bar").await;
    assert_eq!(bar.len(), 1);
    assert_eq!(
        bar[0]["lines"].as_array().unwrap().len(),
        2,
        "Luca's send took Ana's lines too"
    );
}

#[tokio::test]
async fn refusals_say_why_and_replays_are_refused_the_same_way() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let order = id();
    flush(&s, &ana, &[open(&order, &table(&snap, "7"))]).await;

    // Mara closes the table on another device (closing comes with payments; here by hand).
    let pool = s.db().await;
    let closed_at = (21 * 60 + 4) * 60_000;
    sqlx::query("UPDATE orders SET status = 'closed', closed_at = ?, closed_by = (SELECT id FROM staff WHERE name = 'Mara') WHERE id = ?")
        .bind(closed_at)
        .bind(&order)
        .execute(&pool)
        .await
        .unwrap();

    let late = add(&order, &product(&snap, "Espresso"), 2);
    let results = flush(&s, &ana, std::slice::from_ref(&late)).await;
    assert_eq!(results[0]["status"], "rejected");
    assert_eq!(
        results[0]["reason"],
        "table 7 was closed by Mara at 21:04 UTC (order 1)"
    );
    let replay = flush(&s, &ana, &[late]).await;
    assert_eq!(replay[0]["status"], "duplicate");
    assert_eq!(replay[0]["first"], "rejected");
    assert_eq!(replay[0]["reason"], results[0]["reason"]);

    // An invalid line is refused whole, and nothing of it stays.
    let open_order = id();
    flush(&s, &ana, &[open(&open_order, &table(&snap, "2"))]).await;
    let bad = json!({ "op_id": id(), "type": "add_lines", "order_id": open_order, "lines": [
        { "id": id(), "product_id": product(&snap, "Cola"), "quantity": 1 },
        { "id": id(), "product_id": product(&snap, "Burger"), "quantity": 1 },
    ]});
    let results = flush(&s, &ana, &[bad]).await;
    assert_eq!(results[0]["status"], "rejected");
    assert_eq!(results[0]["reason"], "choose one for \"Doneness\"");
    let (_, o) = s.get(&format!("/api/v1/orders/{open_order}"), &ana).await;
    assert!(o["lines"].as_array().unwrap().is_empty());

    // A refusal in the middle of a batch: the operations before and after it stay, and
    // the send takes only the lines that were added.
    let (cola, burger) = (product(&snap, "Cola"), product(&snap, "Burger"));
    let mixed = [
        add(&open_order, &cola, 1),
        json!({ "op_id": id(), "type": "add_lines", "order_id": open_order, "lines": [
            { "id": id(), "product_id": cola, "quantity": 2 },
            { "id": id(), "product_id": burger, "quantity": 1 },
        ]}),
        add(&open_order, &product(&snap, "Espresso"), 1),
        send(&open_order),
    ];
    let results = flush(&s, &ana, &mixed).await;
    assert_eq!(
        statuses(&results),
        ["applied", "rejected", "applied", "applied"]
    );
    let (_, o) = s.get(&format!("/api/v1/orders/{open_order}"), &ana).await;
    let lines: Vec<_> = o["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["product_name"].as_str().unwrap(),
                l["quantity"].as_i64().unwrap(),
                l["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(lines, [("Cola", 1, "sent"), ("Espresso", 1, "sent")]);
    let replay = flush(&s, &ana, &mixed).await;
    assert_eq!(
        statuses(&replay),
        ["duplicate", "duplicate", "duplicate", "duplicate"]
    );
    assert_eq!(replay[1]["first"], "rejected");
}

/// Phones that flush at the same moment share commits (the group commit runs their
/// batches together, first with no savepoints): a batch with a refused op among them
/// keeps its other ops, and every other phone's batch lands whole, each answered with its
/// own results.
#[tokio::test]
async fn batches_flushed_together_keep_their_own_refusals() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let (cola, burger) = (product(&snap, "Cola"), product(&snap, "Burger"));
    let espresso = product(&snap, "Espresso");
    let refused = |i: usize| i.is_multiple_of(3);
    let orders: Vec<String> = (0..12).map(|_| id()).collect();
    let batches: Vec<Vec<Value>> = (0..12)
        .map(|i| {
            let order = &orders[i];
            let mut ops = vec![
                open(order, &table(&snap, &(i + 1).to_string())),
                add(order, &cola, 1),
            ];
            if refused(i) {
                // A burger without its doneness: refused.
                ops.push(
                    json!({ "op_id": id(), "type": "add_lines", "order_id": order,
                                 "lines": [{ "id": id(), "product_id": burger, "quantity": 1 }] }),
                );
            }
            ops.extend([add(order, &espresso, 1), send(order)]);
            ops
        })
        .collect();
    let flushed = batches.iter().map(|ops| flush(&s, &ana, ops));
    let results = futures_util::future::join_all(flushed).await;
    for (i, results) in results.iter().enumerate() {
        let expected = match refused(i) {
            true => vec!["applied", "applied", "rejected", "applied", "applied"],
            false => vec!["applied"; 4],
        };
        assert_eq!(statuses(results), expected, "table {}", i + 1);
        if refused(i) {
            assert_eq!(results[2]["reason"], "choose one for \"Doneness\"");
        }
    }
    for (i, order) in orders.iter().enumerate() {
        let (_, o) = s.get(&format!("/api/v1/orders/{order}"), &ana).await;
        let lines: Vec<(&str, &str)> = o["lines"]
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
        assert_eq!(
            lines,
            [("Cola", "sent"), ("Espresso", "sent")],
            "table {}",
            i + 1
        );
    }
}

#[tokio::test]
async fn the_batch_itself_is_checked() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let kitchen = s.login(KITCHEN).await;
    let snap = s.snapshot(&ana).await;
    let (status, _) = s
        .post(
            "/api/v1/ops",
            &kitchen,
            json!({ "ops": [open(&id(), &table(&snap, "1"))] }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = s.post("/api/v1/ops", &ana, json!({ "ops": [] })).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("ops"))
    );
    let many: Vec<Value> = (0..201).map(|_| send(&id())).collect();
    let (status, _) = s.post("/api/v1/ops", &ana, json!({ "ops": many })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for bad in [
        json!({ "ops": [{ "op_id": id(), "type": "teleport", "order_id": id() }] }),
        json!({ "ops": [{ "op_id": "seven", "type": "send_order", "order_id": id() }] }),
        json!({ "ops": [{ "type": "send_order", "order_id": id() }] }),
        json!({ "ops": "all of them" }),
    ] {
        let (status, body) = s.post("/api/v1/ops", &ana, bad.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
    let (status, _) = s
        .post(
            "/api/v1/ops",
            &ana,
            json!({ "ops": [open(&id(), &Uuid::now_v7().to_string())] }),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "an unknown table is the op's refusal, not the batch's"
    );
}

#[tokio::test]
async fn a_mistap_is_undone_without_a_trace_in_the_reports() {
    let s = Server::start().await;
    let (ana, boss) = (s.login(ANA).await, s.login(MANAGER).await);
    let snap = s.snapshot(&ana).await;
    let (mistapped, tiramisu) = (table(&snap, "11"), product(&snap, "Tiramisu"));

    // Two items tapped, one by mistake: it just goes, with no reason and no PIN.
    let order = id();
    let add_two = json!({ "op_id": id(), "type": "add_lines", "order_id": order,
        "lines": [{ "id": id(), "product_id": tiramisu, "quantity": 1 },
                  { "id": id(), "product_id": tiramisu, "quantity": 2 }] });
    let results = flush(&s, &ana, &[open(&order, &mistapped), add_two]).await;
    assert_eq!(statuses(&results), ["applied", "applied"]);
    let (_, placed) = s.get(&format!("/api/v1/orders/{order}"), &ana).await;
    let slip = placed["lines"][1]["id"].as_str().unwrap().to_owned();
    let remove =
        json!({ "op_id": id(), "type": "remove_line", "order_id": order, "line_id": slip });
    assert_eq!(statuses(&flush(&s, &ana, &[remove]).await), ["applied"]);
    let (_, after) = s.get(&format!("/api/v1/orders/{order}"), &ana).await;
    assert_eq!(after["lines"].as_array().unwrap().len(), 1, "{after}");

    // Sent, it is refused (a void with a reason is the way then).
    let sent_order = id();
    let sent_table = table(&snap, "12");
    let results = flush(
        &s,
        &ana,
        &[
            open(&sent_order, &sent_table),
            add(&sent_order, &tiramisu, 1),
            send(&sent_order),
        ],
    )
    .await;
    assert_eq!(statuses(&results), ["applied", "applied", "applied"]);
    let (_, sent) = s.get(&format!("/api/v1/orders/{sent_order}"), &ana).await;
    let sent_line = sent["lines"][0]["id"].as_str().unwrap();
    let refused = flush(
        &s,
        &ana,
        &[
            json!({ "op_id": id(), "type": "remove_line", "order_id": sent_order, "line_id": sent_line }),
            json!({ "op_id": id(), "type": "cancel_order", "order_id": sent_order }),
        ],
    )
    .await;
    assert_eq!(statuses(&refused), ["rejected", "rejected"]);
    assert!(refused[0]["reason"]
        .as_str()
        .unwrap()
        .contains("void it instead"));
    assert!(refused[1]["reason"]
        .as_str()
        .unwrap()
        .contains("was sent already"));

    // The mis-tapped table: cancelled, free again, and in no report.
    let cancel = json!({ "op_id": id(), "type": "cancel_order", "order_id": order });
    assert_eq!(statuses(&flush(&s, &ana, &[cancel]).await), ["applied"]);
    let snap = s.snapshot(&ana).await;
    assert!(
        snap["orders"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["id"] != order.as_str()),
        "the table is free"
    );
    let (_, x) = s.get("/api/v1/reports/x", &boss).await;
    assert_eq!(x["orders"], 0, "{x}");
    assert_eq!(x["voids"], 0, "{x}");
    let (_, closed) = s.get("/api/v1/orders/closed", &boss).await;
    assert_eq!(closed, json!([]));
    // Opening the table again starts afresh.
    let again = id();
    assert_eq!(
        statuses(&flush(&s, &ana, &[open(&again, &mistapped)]).await),
        ["applied"]
    );
}
