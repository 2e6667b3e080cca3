//! Changing a line before it is sent, over `POST /api/v1/ops` as a phone does: quantity,
//! options, seat, course and note, with the counted portions following the quantity;
//! once sent it is refused, and the kitchen's ticket shows the line as it was changed.

mod fixture;

use fixture::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn change(order: &str, line: &str, fields: Value) -> Value {
    let mut op =
        json!({ "op_id": new_id(), "type": "change_line", "order_id": order, "line_id": line });
    op.as_object_mut()
        .unwrap()
        .extend(fields.as_object().unwrap().clone());
    op
}

/// A table opened with one burger (medium) and one tiramisu on it; the order id and the
/// two lines' ids.
async fn a_table(s: &Server, token: &str) -> (String, String, String) {
    let snap = s.snapshot(token).await;
    let (order, burger, sweet) = (new_id(), new_id(), new_id());
    let results = s.ops(token, json!([
            json!({ "op_id": new_id(), "type": "open_table", "order_id": order, "table_id": table(&snap, "11") }),
            json!({ "op_id": new_id(), "type": "add_lines", "order_id": order, "lines": [
                { "id": burger, "product_id": product(&snap, "Burger"), "quantity": 1,
                  "option_ids": [option(&snap, "Medium")] },
                { "id": sweet, "product_id": product(&snap, "Tiramisu"), "quantity": 1 },
            ] }),
        ]))
    .await;
    assert!(
        results.iter().all(|r| r["status"] == "applied"),
        "{results:?}"
    );
    (order, burger, sweet)
}

fn line<'a>(order: &'a Value, id: &str) -> &'a Value {
    order["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == id)
        .unwrap()
}

#[tokio::test]
async fn an_unsent_line_changes_and_the_ticket_shows_it_as_changed() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let (order, burger, _) = a_table(&s, &ana).await;

    // Two more, well done, no onions, cheese, for seat 2 in the mains, with a note.
    let options = [
        option(&snap, "Well done"),
        option(&snap, "Onions"),
        option(&snap, "Cheese"),
    ];
    let results = s.ops(&ana, json!([change(
            &order,
            &burger,
            json!({ "quantity": 3, "option_ids": options, "seat": 2, "course": 2, "note": " nut allergy " }),
        )]))
    .await;
    assert_eq!(results[0]["status"], "applied", "{results:?}");
    let (_, now) = s.get(&format!("/api/v1/orders/{order}"), &ana).await;
    let changed = line(&now, &burger);
    assert_eq!(changed["quantity"], 3);
    assert_eq!(changed["seat"], 2);
    assert_eq!(changed["course"], 2);
    assert_eq!(changed["note"], "nut allergy");
    // 14.50 and cheese 1.00: priced again with the options chosen now.
    assert_eq!(changed["unit_price_minor"], 1550);

    // Back to the whole table: only the seat changes.
    let results = s
        .ops(
            &ana,
            json!([change(&order, &burger, json!({ "seat": null }))]),
        )
        .await;
    assert_eq!(results[0]["status"], "applied", "{results:?}");
    let (_, now) = s.get(&format!("/api/v1/orders/{order}"), &ana).await;
    let changed = line(&now, &burger);
    assert_eq!(
        (changed["seat"].clone(), changed["quantity"].clone()),
        (Value::Null, json!(3))
    );

    // Sent, the kitchen's ticket has the line as it is now.
    let send = json!({ "op_id": new_id(), "type": "send_order", "order_id": order });
    assert_eq!(s.ops(&ana, json!([send])).await[0]["status"], "applied");
    let kitchen = s.login(KITCHEN).await;
    let (_, screen) = s.get("/api/v1/stations/kitchen/tickets", &kitchen).await;
    let lines = &screen["active"][0]["lines"];
    let burger_line = lines
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["product_name"] == "Burger")
        .unwrap();
    assert_eq!(burger_line["quantity"], 3, "{screen}");
    assert_eq!(burger_line["note"], "nut allergy");

    // Then it is refused, with words a waiter reads, and nothing changes.
    let results = s
        .ops(
            &ana,
            json!([change(&order, &burger, json!({ "quantity": 1 }))]),
        )
        .await;
    assert_eq!(results[0]["status"], "rejected");
    assert_eq!(
        results[0]["reason"],
        "Burger was sent already: it can no longer be changed"
    );
    let (_, after) = s.get(&format!("/api/v1/orders/{order}"), &ana).await;
    assert_eq!(line(&after, &burger)["quantity"], 3);
}

#[tokio::test]
async fn bad_changes_are_refused_naming_what_is_wrong_and_change_nothing() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let (order, burger, _) = a_table(&s, &ana).await;
    let cases = [
        (
            json!({ "quantity": 0 }),
            "quantity must be between 1 and 99, not 0",
        ),
        (
            json!({ "quantity": 100 }),
            "quantity must be between 1 and 99, not 100",
        ),
        (json!({ "course": 12 }), "course must be between"),
        (json!({ "seat": 31 }), "seat"),
        (json!({ "note": "x".repeat(281) }), "at most 280"),
        (
            json!({ "option_ids": [option(&snap, "Rare"), option(&snap, "Medium")] }),
            "Doneness",
        ),
        (json!({}), "say what to change"),
    ];
    for (fields, words) in cases {
        let results = s
            .ops(&ana, json!([change(&order, &burger, fields.clone())]))
            .await;
        assert_eq!(results[0]["status"], "rejected", "{fields}: {results:?}");
        let reason = results[0]["reason"].as_str().unwrap();
        assert!(reason.contains(words), "{fields}: {reason}");
    }
    let ghost = s
        .ops(
            &ana,
            json!([change(&order, &new_id(), json!({ "quantity": 2 }))]),
        )
        .await;
    assert_eq!(ghost[0]["status"], "rejected");
    assert!(ghost[0]["reason"].as_str().unwrap().contains("has no line"));
    let (_, after) = s.get(&format!("/api/v1/orders/{order}"), &ana).await;
    let unchanged = line(&after, &burger);
    assert_eq!(unchanged["quantity"], 1);
    assert_eq!(unchanged["unit_price_minor"], 1450);
    assert_eq!(unchanged["options"][0]["name"], "Medium");
    // A type that is not a number is refused as a whole batch: it is malformed.
    let (status, _) = s
        .post(
            "/api/v1/ops",
            &ana,
            json!({ "ops": [change(&order, &burger, json!({ "quantity": "lots" }))] }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn counted_portions_follow_the_quantity_and_a_replay_changes_nothing() {
    let s = Server::start().await;
    let (ana, kitchen) = (s.login(ANA).await, s.login(KITCHEN).await);
    let snap = s.snapshot(&ana).await;
    let tiramisu = product(&snap, "Tiramisu");
    let path = format!("/api/v1/menu/products/{tiramisu}");
    let (status, _) = s
        .call(
            Method::PATCH,
            &path,
            Some(&kitchen),
            Some(json!({ "stock_left": 3 })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (order, _, sweet) = a_table(&s, &ana).await;
    let left = |snap: &Value| {
        let p = snap["menu"]["products"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == tiramisu.as_str())
            .unwrap()
            .clone();
        (p["stock_left"].clone(), p["available"].clone())
    };
    assert_eq!(left(&s.snapshot(&ana).await), (json!(2), json!(true)));

    // Up to three: the last two are taken, and it is sold out.
    let up = change(&order, &sweet, json!({ "quantity": 3 }));
    assert_eq!(s.ops(&ana, json!([up])).await[0]["status"], "applied");
    assert_eq!(left(&s.snapshot(&ana).await), (json!(0), json!(false)));
    // The same op again is a duplicate: nothing more is taken.
    let again = s.ops(&ana, json!([up])).await;
    assert_eq!(again[0]["status"], "duplicate");
    assert_eq!(left(&s.snapshot(&ana).await), (json!(0), json!(false)));
    // One more is refused by name.
    let more = s
        .ops(
            &ana,
            json!([change(&order, &sweet, json!({ "quantity": 4 }))]),
        )
        .await;
    assert_eq!(more[0]["status"], "rejected");
    assert_eq!(more[0]["reason"], "Tiramisu is not available right now");
    // Down to one: two are on sale again.
    let down = s
        .ops(
            &ana,
            json!([change(&order, &sweet, json!({ "quantity": 1 }))]),
        )
        .await;
    assert_eq!(down[0]["status"], "applied");
    assert_eq!(left(&s.snapshot(&ana).await), (json!(2), json!(true)));
}

#[tokio::test]
async fn two_phones_counting_up_one_line_both_count() {
    let s = Server::start().await;
    let (ana, luca) = (s.login(ANA).await, s.login(LUCA).await);
    let (order, _, sweet) = a_table(&s, &ana).await;
    // Each phone saw one tiramisu and tapped "+": both reach the box, in either order.
    let more = || change(&order, &sweet, json!({ "more": 1 }));
    assert_eq!(s.ops(&ana, json!([more()])).await[0]["status"], "applied");
    assert_eq!(s.ops(&luca, json!([more()])).await[0]["status"], "applied");
    let (_, now) = s.get(&format!("/api/v1/orders/{order}"), &ana).await;
    assert_eq!(line(&now, &sweet)["quantity"], 3);
    // One less, and a quantity with a number more is refused.
    let less = change(&order, &sweet, json!({ "more": -1 }));
    assert_eq!(s.ops(&ana, json!([less])).await[0]["status"], "applied");
    let both = s
        .ops(
            &ana,
            json!([change(&order, &sweet, json!({ "quantity": 5, "more": 1 }))]),
        )
        .await;
    assert_eq!(
        both[0]["reason"],
        "give a quantity or a number more, not both"
    );
    let (_, now) = s.get(&format!("/api/v1/orders/{order}"), &ana).await;
    assert_eq!(line(&now, &sweet)["quantity"], 2);
}
