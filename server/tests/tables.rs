//! A table's order as the floor shows it: the guests counted when it was opened (kept
//! when a second phone joins, refused out of range), and the staff the snapshot names so
//! a tile says whose table it is.

mod fixture;

use fixture::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn open(order: &str, table: &str, guests: Value) -> Value {
    json!({ "op_id": new_id(), "type": "open_table", "order_id": order, "table_id": table, "guests": guests })
}

#[tokio::test]
async fn the_guests_counted_at_the_table_stay_with_its_order() {
    let s = Server::start().await;
    let (ana, luca) = (s.login(ANA).await, s.login(LUCA).await);
    let snap = s.snapshot(&ana).await;
    let seven = table(&snap, "7");

    // Out of range: refused by name, and the table stays free.
    for guests in [json!(0), json!(100)] {
        let refused = s
            .ops(&ana, json!([open(&new_id(), &seven, guests.clone())]))
            .await;
        assert_eq!(refused[0]["status"], "rejected", "{guests}");
        assert!(
            refused[0]["reason"]
                .as_str()
                .unwrap()
                .starts_with("a table seats 1 to 99 guests"),
            "{refused:?}"
        );
    }
    assert!(s.snapshot(&ana).await["orders"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["table_id"] != seven.as_str()));

    // Four sit down; Luca's phone, which opened the table offline without a count,
    // joins and changes nothing.
    let (order, other) = (new_id(), new_id());
    assert_eq!(
        s.ops(&ana, json!([open(&order, &seven, json!(4))])).await[0]["status"],
        "applied"
    );
    assert_eq!(
        s.ops(&luca, json!([open(&other, &seven, Value::Null)]))
            .await[0]["status"],
        "applied"
    );
    let (_, now) = s.get(&format!("/api/v1/orders/{order}"), &ana).await;
    assert_eq!(now["guests"], 4);
    // A later count does not overwrite the first.
    let again = s.ops(&luca, json!([open(&other, &seven, json!(6))])).await;
    assert_eq!(again[0]["status"], "applied", "{again:?}");
    let (_, now) = s.get(&format!("/api/v1/orders/{order}"), &ana).await;
    assert_eq!(now["guests"], 4);

    // Without a count, a table has none, and the first phone to give one sets it.
    let (skipped, table_8) = (new_id(), table(&snap, "8"));
    s.ops(&ana, json!([open(&skipped, &table_8, Value::Null)]))
        .await;
    let (_, now) = s.get(&format!("/api/v1/orders/{skipped}"), &ana).await;
    assert_eq!(now["guests"], Value::Null);
    s.ops(&luca, json!([open(&new_id(), &table_8, json!(2))]))
        .await;
    let (_, now) = s.get(&format!("/api/v1/orders/{skipped}"), &ana).await;
    assert_eq!(now["guests"], 2);
}

#[tokio::test]
async fn the_snapshot_names_the_staff_whose_tables_are_open() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let staff = snap["staff"].as_array().unwrap();
    let ana_row = staff.iter().find(|m| m["name"] == "Ana").unwrap();
    assert_eq!(ana_row["role"], "waiter");
    // Names and roles only: no PIN hashes or lookups travel to phones.
    assert_eq!(
        ana_row.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["id", "name", "role"]
    );
}

#[tokio::test]
async fn an_order_moves_to_a_free_table_and_the_kitchen_ticket_follows_it() {
    let s = Server::start().await;
    let (ana, kitchen) = (s.login(ANA).await, s.login(KITCHEN).await);
    let snap = s.snapshot(&ana).await;
    let [three, nine, ten] = ["3", "9", "10"].map(|t| table(&snap, t));
    let (order, other) = (new_id(), new_id());
    let sent = s.ops(&ana, json!([
            open(&order, &three, json!(2)),
            json!({ "op_id": new_id(), "type": "add_lines", "order_id": order,
                    "lines": [{ "id": new_id(), "product_id": product(&snap, "Lasagna"), "quantity": 1 }] }),
            json!({ "op_id": new_id(), "type": "send_order", "order_id": order }),
            open(&other, &ten, Value::Null),
        ]))
    .await;
    assert!(sent.iter().all(|r| r["status"] == "applied"), "{sent:?}");
    let moving = |to: &str| json!({ "op_id": new_id(), "type": "move_order", "order_id": order, "table_id": to });

    // To a table with an order open: refused, saying what to do instead.
    let refused = s.ops(&ana, json!([moving(&ten)])).await;
    assert_eq!(refused[0]["status"], "rejected");
    assert_eq!(
        refused[0]["reason"],
        "table 10 has an open order: merge the two tables instead"
    );
    // To a free table: the order, its lines and guests go; table 3 is free.
    let moved = moving(&nine);
    assert_eq!(s.ops(&ana, json!([moved])).await[0]["status"], "applied");
    let (_, now) = s.get(&format!("/api/v1/orders/{order}"), &ana).await;
    assert_eq!(now["table_id"], nine.as_str());
    assert_eq!(now["guests"], 2);
    assert_eq!(now["lines"].as_array().unwrap().len(), 1);
    let open_at = |snap: &Value, table: &str| {
        snap["orders"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["table_id"] == table)
    };
    let after = s.snapshot(&ana).await;
    assert!(open_at(&after, &nine) && !open_at(&after, &three));
    // The kitchen's ticket says where to take it now.
    let (_, screen) = s.get("/api/v1/stations/kitchen/tickets", &kitchen).await;
    let ticket = screen["active"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["order_number"] == now["number"])
        .unwrap();
    assert_eq!(ticket["destination"], "Table 9");
    // The same op again is a duplicate; table 3 takes a new order.
    assert_eq!(s.ops(&ana, json!([moved])).await[0]["status"], "duplicate");
    assert_eq!(
        s.ops(&ana, json!([open(&new_id(), &three, Value::Null)]))
            .await[0]["status"],
        "applied"
    );
    // A takeaway has no table to move.
    let (status, takeaway) = s
        .post("/api/v1/takeaways", &ana, json!({ "customer_name": "Ugo" }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{takeaway}");
    let refused = s.ops(&ana, json!([json!({ "op_id": new_id(), "type": "move_order", "order_id": takeaway["id"], "table_id": nine })]))
    .await;
    assert_eq!(
        refused[0]["reason"],
        "a takeaway order has no table to move"
    );
}
