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
        ["active", "id", "name", "role"]
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

fn add(order: &str, lines: Value) -> Value {
    json!({ "op_id": new_id(), "type": "add_lines", "order_id": order, "lines": lines })
}

fn merging(order: &str, into: &str) -> Value {
    json!({ "op_id": new_id(), "type": "merge_orders", "order_id": order, "into_order_id": into })
}

#[tokio::test]
async fn two_tables_merged_are_one_order_and_a_late_phone_adds_to_it() {
    let s = Server::start().await;
    let (ana, luca) = (s.login(ANA).await, s.login(LUCA).await);
    let (kitchen, boss) = (s.login(KITCHEN).await, s.login(MANAGER).await);
    let snap = s.snapshot(&ana).await;
    let p = |name| product(&snap, name);
    let [three, four] = ["3", "4"].map(|t| table(&snap, t));
    let (here, there) = (new_id(), new_id());
    let lasagna = new_id();
    // Table 3: two guests, a Lasagna for seat 1, sent. Table 4: three guests, a Tiramisu
    // for seat 2, sent, and a Lager not sent yet, 10 % off.
    let opened = s
        .ops(
            &ana,
            json!([
                open(&here, &three, json!(2)),
                add(
                    &here,
                    json!([{ "id": lasagna, "product_id": p("Lasagna"), "quantity": 1, "seat": 1 }])
                ),
                json!({ "op_id": new_id(), "type": "send_order", "order_id": here }),
            ]),
        )
        .await;
    let (tiramisu, lager) = (new_id(), new_id());
    let theirs = s.ops(&luca, json!([
        open(&there, &four, json!(3)),
        add(&there, json!([{ "id": tiramisu, "product_id": p("Tiramisu"), "quantity": 1, "seat": 2 }])),
        json!({ "op_id": new_id(), "type": "send_order", "order_id": there }),
        add(&there, json!([{ "id": lager, "product_id": p("Lager"), "quantity": 1 }])),
    ])).await;
    assert!(
        opened
            .iter()
            .chain(&theirs)
            .all(|r| r["status"] == "applied"),
        "{opened:?} {theirs:?}"
    );
    let (status, body) = s
        .post(
            &format!("/api/v1/orders/{there}/discounts"),
            &luca,
            json!({ "line_id": lager, "kind": "percent", "value": 1000, "reason": "Regulars" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Table 4 joins table 3.
    let merged = s.ops(&ana, json!([merging(&there, &here)])).await;
    assert_eq!(merged[0]["status"], "applied", "{merged:?}");
    assert_eq!(merged[0]["order_id"], here.as_str());
    let (_, order) = s.get(&format!("/api/v1/orders/{here}"), &ana).await;
    let seat_of = |line: &str| {
        order["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["id"] == line)
            .unwrap()["seat"]
            .clone()
    };
    assert_eq!(order["lines"].as_array().unwrap().len(), 3);
    // Table 4's seat 2 comes after table 3's two guests: seat 4.
    assert_eq!(
        (seat_of(&lasagna), seat_of(&tiramisu), seat_of(&lager)),
        (json!(1), json!(4), Value::Null)
    );
    assert_eq!(order["guests"], 5);
    assert_eq!(order["waiter_ids"].as_array().unwrap().len(), 2);
    assert_eq!(order["discounts"][0]["line_id"], lager.as_str());
    let after = s.snapshot(&ana).await;
    let open_at = |t: &str| {
        after["orders"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["table_id"] == t)
    };
    assert!(open_at(&three) && !open_at(&four), "table 4 is free");
    assert_eq!(
        after["merged"],
        json!([{ "order_id": there, "into_order_id": here }])
    );
    // The Tiramisu's ticket goes to table 3 now.
    let (_, screen) = s.get("/api/v1/stations/kitchen/tickets", &kitchen).await;
    let destinations: Vec<_> = screen["active"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["destination"].clone())
        .collect();
    assert_eq!(destinations, [json!("Table 3"), json!("Table 3")]);

    // Luca's phone, offline through all of it, still names table 4's order: its lines
    // and its send land on table 3's, and its ticket says so.
    let late = s
        .ops(
            &luca,
            json!([
                add(
                    &there,
                    json!([{ "id": new_id(), "product_id": p("Burrata"), "quantity": 1 }])
                ),
                json!({ "op_id": new_id(), "type": "send_order", "order_id": there }),
            ]),
        )
        .await;
    assert!(
        late.iter()
            .all(|r| r["status"] == "applied" && r["order_id"] == here.as_str()),
        "{late:?}"
    );
    let (_, order) = s.get(&format!("/api/v1/orders/{here}"), &ana).await;
    assert_eq!(order["lines"].as_array().unwrap().len(), 4);
    // Merging again (another phone did it too) changes nothing.
    let again = s.ops(&luca, json!([merging(&there, &here)])).await;
    assert_eq!(again[0]["status"], "applied", "{again:?}");

    // Paid, table 3 takes no other table: the payment would cover the wrong bill.
    let price = |name| {
        let menu = snap["menu"]["products"].as_array().unwrap();
        menu.iter().find(|m| m["name"] == name).unwrap()["price_minor"]
            .as_i64()
            .unwrap()
    };
    // Everything both tables had, the Lager 10 % off.
    let left = ["Lasagna", "Tiramisu", "Lager", "Burrata"]
        .map(price)
        .iter()
        .sum::<i64>()
        - price("Lager") / 10;
    let paid = s
        .ops(
            &ana,
            json!([pay_op(
                &here,
                json!({ "id": new_id(), "method": "card", "amount_minor": left })
            )]),
        )
        .await;
    assert_eq!(paid[0]["status"], "applied", "{paid:?}");
    let five = new_id();
    s.ops(&luca, json!([open(&five, &table(&snap, "5"), Value::Null)]))
        .await;
    let refused = s.ops(&luca, json!([merging(&five, &here)])).await;
    assert_eq!(refused[0]["status"], "rejected");
    assert_eq!(
        refused[0]["reason"],
        "table 3 has a payment taken: merge tables before anyone pays"
    );
    let (_, five_now) = s.get(&format!("/api/v1/orders/{five}"), &luca).await;
    assert_eq!(five_now["status"], "open");

    // The report counts one order, table 3's, with everything table 4 had.
    let closed = s
        .ops(
            &ana,
            json!([json!({ "op_id": new_id(), "type": "close_order", "order_id": here })]),
        )
        .await;
    assert_eq!(closed[0]["status"], "applied", "{closed:?}");
    let (_, x) = s.get("/api/v1/reports/x", &boss).await;
    assert_eq!(
        (x["orders"].clone(), x["sales_minor"].clone()),
        (json!(1), json!(left)),
        "{x}"
    );
    assert_eq!(x["covers"], 5);
}

#[tokio::test]
async fn a_table_is_handed_to_another_waiter_who_then_looks_after_it() {
    let s = Server::start().await;
    let (ana, luca) = (s.login(ANA).await, s.login(LUCA).await);
    let snap = s.snapshot(&ana).await;
    let staff = |name: &str| id_where(&snap["staff"], "name", name);
    let order = new_id();
    let opened = s
        .ops(&ana, json!([open(&order, &table(&snap, "6"), json!(2))]))
        .await;
    assert_eq!(opened[0]["status"], "applied");
    let handing = |to: &str| json!({ "op_id": new_id(), "type": "hand_over", "order_id": order, "staff_id": to });

    // The kitchen does not take tables; nobody unknown does either. Nothing changes.
    let chef = snap["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["role"] == "kitchen")
        .unwrap()["id"]
        .clone();
    let refused = s
        .ops(
            &ana,
            json!([handing(chef.as_str().unwrap()), handing(&new_id())]),
        )
        .await;
    assert_eq!(refused[0]["status"], "rejected");
    assert!(
        refused[0]["reason"]
            .as_str()
            .unwrap()
            .ends_with("does not take tables: hand it to a waiter or a manager"),
        "{refused:?}"
    );
    assert_eq!(refused[1]["status"], "rejected");
    let (_, now) = s.get(&format!("/api/v1/orders/{order}"), &ana).await;
    assert_eq!(now["handed_to"], Value::Null);

    // Ana's shift ends: Luca has the table, and is one of its waiters.
    let luca_id = staff("Luca");
    let handed = s.ops(&ana, json!([handing(&luca_id)])).await;
    assert_eq!(handed[0]["status"], "applied", "{handed:?}");
    let (_, now) = s.get(&format!("/api/v1/orders/{order}"), &luca).await;
    assert_eq!(now["handed_to"], luca_id.as_str());
    assert_eq!(now["opened_by"], staff("Ana").as_str());
    assert!(now["waiter_ids"]
        .as_array()
        .unwrap()
        .contains(&json!(luca_id)));
    // Handing it to Luca again (another phone did too) changes nothing.
    assert_eq!(
        s.ops(&ana, json!([handing(&luca_id)])).await[0]["status"],
        "applied"
    );
    // Who handed it to whom is on record, once.
    let (handovers, detail): (i64, String) = sqlx::query_as(
        "SELECT COUNT(*), MAX(detail) FROM audit_log WHERE action = 'hand_over' AND order_id = ?",
    )
    .bind(&order)
    .fetch_one(&s.db().await)
    .await
    .unwrap();
    assert_eq!(handovers, 1);
    assert!(detail.contains("\"to_name\":\"Luca\""), "{detail}");
}
