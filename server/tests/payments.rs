//! Payments through the real server: cash with change opens the drawer on the receipt
//! printer, card and cash together settle a bill, nothing is paid twice or beyond the bill,
//! a table closes only when paid and is then free, and the bill shows the payments.

mod fixture;

use fixture::printer::{contains, TestPrinter};
use fixture::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Opens `table` with one Tiramisu (6.50); its order's id.
async fn tiramisu_at(s: &Server, token: &str, table: &str) -> String {
    let snap = s.snapshot(token).await;
    let order = s
        .order_at(
            token,
            table,
            json!([{ "product_id": product(&snap, "Tiramisu"), "quantity": 1 }]),
        )
        .await;
    order["id"].as_str().unwrap().to_owned()
}

fn close(order: &str) -> Value {
    json!({ "op_id": new_id(), "type": "close_order", "order_id": order })
}

#[tokio::test]
async fn cash_with_change_opens_the_drawer_and_a_paid_table_closes_and_is_free() {
    let s = Server::start().await;
    let receipt = TestPrinter::start().await;
    let kitchen = TestPrinter::start().await;
    s.set_printer("Bar", receipt.addr).await;
    s.set_printer("Kitchen", kitchen.addr).await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    // Lasagna 13.50 + Tiramisu 6.50 = 20.00
    let order = s
        .sent_order_at(
            &ana,
            "7",
            json!([{ "product_id": product(&snap, "Lasagna"), "quantity": 1 },
               { "product_id": product(&snap, "Tiramisu"), "quantity": 1 }]),
        )
        .await;
    let order_id = order["id"].as_str().unwrap();

    // Closing an unpaid table is refused, saying what is left.
    let refused = s.ops(&ana, json!([close(order_id)])).await;
    assert_eq!(refused[0]["status"], "rejected");
    assert!(
        refused[0]["reason"]
            .as_str()
            .unwrap()
            .contains("€20.00 to pay"),
        "{refused:?}"
    );

    // Too much is refused and changes nothing.
    let too_much = s
        .ops(
            &ana,
            json!([pay_op(
                order_id,
                json!({ "id": new_id(), "method": "card", "amount_minor": 2001 })
            )]),
        )
        .await;
    assert_eq!(too_much[0]["status"], "rejected");
    assert!(too_much[0]["reason"]
        .as_str()
        .unwrap()
        .contains("only €20.00 is left to pay"));

    // Card 5.00, then cash 15.00 with a 1.00 tip from a 20.00 note; the batch arrives twice.
    let batch = json!([
        pay_op(
            order_id,
            json!({ "id": new_id(), "method": "card", "amount_minor": 500, "reference": "4242" })
        ),
        pay_op(
            order_id,
            json!({ "id": new_id(), "method": "cash", "amount_minor": 1500, "tip_minor": 100, "tendered_minor": 2000 })
        ),
        close(order_id),
    ]);
    for expected in ["applied", "duplicate"] {
        let results = s.ops(&ana, batch.clone()).await;
        assert!(
            results.iter().all(|r| r["status"] == expected),
            "{results:?}"
        );
    }
    let (_, closed) = s.get(&format!("/api/v1/orders/{order_id}"), &ana).await;
    assert_eq!(closed["status"], "closed");
    let payments = closed["payments"].as_array().unwrap();
    assert_eq!(payments.len(), 2, "each payment once");
    assert_eq!(payments[1]["change_minor"], 400);
    assert_eq!(payments[1]["tip_minor"], 100);
    // Every change to money is in the audit log, once.
    let audited: Vec<(String, String)> = sqlx::query_as(
        "SELECT a.action, s.name FROM audit_log a JOIN staff s ON s.id = a.staff_id WHERE a.order_id = ? ORDER BY a.seq",
    )
    .bind(order_id)
    .fetch_all(&s.db().await)
    .await
    .unwrap();
    let actions: Vec<_> = audited
        .iter()
        .map(|(a, who)| format!("{a} by {who}"))
        .collect();
    assert_eq!(
        actions,
        [
            "take_payment by Ana",
            "take_payment by Ana",
            "close_order by Ana"
        ]
    );

    // The cash payment opened the drawer (ESC p), once; the card did not.
    receipt.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let pulses = receipt
        .jobs()
        .iter()
        .filter(|j| contains(j, &[0x1B, b'p']))
        .count();
    assert_eq!(pulses, 1);

    // The table is free again: the next guests get a new order.
    let snap = s.snapshot(&ana).await;
    assert!(snap["orders"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["id"] != order_id));
    let (status, next) = s
        .post(
            "/api/v1/orders",
            &ana,
            json!({ "table_id": table(&snap, "7") }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_ne!(next["id"], order_id);

    // The bill of the closed order shows how it was paid.
    let mara = s.login(MANAGER).await;
    let (status, _) = s
        .post_empty(&format!("/api/v1/orders/{order_id}/bill"), &mara)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    receipt.wait_for(2).await;
    let bill = receipt
        .jobs()
        .into_iter()
        .find(|j| contains(j, b"TOTAL"))
        .unwrap();
    for expected in [
        &b"Card                       \xD55.00\n"[..],
        b"Cash                      \xD515.00\n",
        b"  Tip                      \xD51.00\n",
        b"  Given                   \xD520.00\n",
        b"  Change                   \xD54.00\n",
    ] {
        assert!(
            contains(&bill, expected),
            "{:?} in {}",
            String::from_utf8_lossy(expected),
            String::from_utf8_lossy(&bill)
        );
    }
}

#[tokio::test]
async fn only_staff_who_take_orders_take_payments_and_cash_must_cover_the_amount() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let order = s
        .sent_order_at(
            &ana,
            "8",
            json!([{ "product_id": product(&snap, "Espresso"), "quantity": 2 }]),
        )
        .await;
    let order_id = order["id"].as_str().unwrap();
    let kim = s.login(KITCHEN).await;
    let (status, _) = s
        .post(
            "/api/v1/ops",
            &kim,
            json!({ "ops": [pay_op(order_id, json!({ "id": new_id(), "method": "cash", "amount_minor": 360 }))] }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let short = s.ops(&ana,
        json!([pay_op(
            order_id,
            json!({ "id": new_id(), "method": "cash", "amount_minor": 360, "tendered_minor": 300 })
        )]),
    )
    .await;
    assert_eq!(short[0]["status"], "rejected");
    let house = s
        .ops(
            &ana,
            json!([pay_op(
                order_id,
                json!({ "id": new_id(), "method": "house", "amount_minor": 360 })
            )]),
        )
        .await;
    assert_eq!(house[0]["status"], "rejected");
    let (_, now) = s.get(&format!("/api/v1/orders/{order_id}"), &ana).await;
    assert_eq!(now["payments"], json!([]), "nothing was paid");
}

#[tokio::test]
async fn a_tip_beyond_any_real_amount_is_rejected_and_the_rest_of_the_batch_applies() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let order_id = &tiramisu_at(&s, &ana, "8").await;
    let results = s
        .ops(
            &ana,
            json!([
                pay_op(order_id, json!({ "id": new_id(), "method": "cash", "amount_minor": 1, "tip_minor": i64::MAX })),
                pay_op(order_id, json!({ "id": new_id(), "method": "cash", "amount_minor": 1, "tendered_minor": i64::MAX })),
                pay_op(order_id, json!({ "id": new_id(), "method": "cash", "amount_minor": 650, "tip_minor": 50 })),
            ]),
        )
        .await;
    for bad in &results[..2] {
        assert_eq!(bad["status"], "rejected", "{results:?}");
        assert!(
            bad["reason"]
                .as_str()
                .unwrap()
                .contains("more than this venue takes in one amount (€100000.00)"),
            "{results:?}"
        );
    }
    assert_eq!(results[2]["status"], "applied", "{results:?}");

    // Only the real payment counts: the drawer expects what was really taken.
    let (_, order) = s.get(&format!("/api/v1/orders/{order_id}"), &ana).await;
    let payments = order["payments"].as_array().unwrap();
    assert_eq!(payments.len(), 1, "{order}");
    assert_eq!(payments[0]["tip_minor"], 50);
}

#[tokio::test]
async fn a_tip_above_the_bill_needs_a_managers_pin_and_the_venue_sets_its_limits() {
    let s = Server::start().await;
    let (ana, mara) = (s.login(ANA).await, s.login(MANAGER).await);
    // Tiramisu 6.50: by default a tip up to the bill's total needs no manager.
    let order_id = &tiramisu_at(&s, &ana, "8").await;
    let big_tip =
        || json!({ "id": new_id(), "method": "card", "amount_minor": 100, "tip_minor": 651 });
    let refused = s.ops(&ana, json!([pay_op(order_id, big_tip())])).await;
    assert_eq!(refused[0]["status"], "rejected", "{refused:?}");
    assert_eq!(
        refused[0]["reason"], "a tip above €6.50 needs a manager's PIN",
        "{refused:?}"
    );
    let fine = s
        .ops(
            &ana,
            json!([pay_op(
                order_id,
                json!({ "id": new_id(), "method": "card", "amount_minor": 100, "tip_minor": 650 })
            )]),
        )
        .await;
    assert_eq!(fine[0]["status"], "applied", "{fine:?}");

    // Online, the waiter's payment goes with a manager's PIN; a wrong PIN takes nothing.
    let path = format!("/api/v1/orders/{order_id}/payments");
    let (status, body) = s
        .post(
            &path,
            &ana,
            json!({ "payment": big_tip(), "manager_pin": "2222" }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("not a manager's"),
        "{body}"
    );
    let (status, body) = s.post(&path, &ana, json!({ "payment": big_tip() })).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::FORBIDDEN, Some("approval_needed")),
        "{body}"
    );
    let approved = big_tip();
    let (status, paid) = s
        .post(
            &path,
            &ana,
            json!({ "payment": approved.clone(), "manager_pin": MANAGER }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    assert_eq!(paid["payments"].as_array().unwrap().len(), 2, "{paid}");
    // The same payment again changes nothing.
    let (status, again) = s
        .post(
            &path,
            &ana,
            json!({ "payment": approved, "manager_pin": MANAGER }),
        )
        .await;
    assert_eq!(
        (status, again["payments"].as_array().unwrap().len()),
        (StatusCode::OK, 2)
    );
    let db = s.db().await;
    let approver: Option<String> = sqlx::query_scalar(
        "SELECT a.approved_by FROM audit_log a WHERE action = 'take_payment' ORDER BY seq DESC LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert!(approver.is_some(), "the manager's approval is on record");

    // The venue sets a tip limit of its own and a ceiling on any single amount.
    let (status, rules) = s
        .call(
            reqwest::Method::PATCH,
            "/api/v1/venue/settings",
            Some(&mara),
            Some(json!({ "tip_approval_above_minor": 200, "max_amount_minor": 20_000 })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{rules}");
    assert_eq!(
        (
            rules["tip_approval_above_minor"].as_i64(),
            rules["max_amount_minor"].as_i64()
        ),
        (Some(200), Some(20_000))
    );
    let other_id = &tiramisu_at(&s, &ana, "9").await;
    let results = s
        .ops(
            &ana,
            json!([
                pay_op(other_id, json!({ "id": new_id(), "method": "card", "amount_minor": 100, "tip_minor": 201 })),
                pay_op(other_id, json!({ "id": new_id(), "method": "cash", "amount_minor": 100, "tendered_minor": 20_001 })),
                pay_op(other_id, json!({ "id": new_id(), "method": "cash", "amount_minor": 100, "tip_minor": 200, "tendered_minor": 20_000 })),
            ]),
        )
        .await;
    assert_eq!(
        results[0]["reason"], "a tip above €2.00 needs a manager's PIN",
        "{results:?}"
    );
    assert_eq!(
        results[1]["reason"], "that is more than this venue takes in one amount (€200.00)",
        "{results:?}"
    );
    assert_eq!(results[2]["status"], "applied", "{results:?}");
    // A manager signed in approves their own tips, offline too.
    let own = s
        .ops(
            &mara,
            json!([pay_op(
                other_id,
                json!({ "id": new_id(), "method": "card", "amount_minor": 100, "tip_minor": 5_000 })
            )]),
        )
        .await;
    assert_eq!(own[0]["status"], "applied", "{own:?}");
    // A float beyond the ceiling is refused; "null" sets the tip limit back to the bill.
    let (status, body) = s
        .post("/api/v1/shifts", &mara, json!({ "float_minor": 20_001 }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (_, rules) = s
        .call(
            reqwest::Method::PATCH,
            "/api/v1/venue/settings",
            Some(&mara),
            Some(json!({ "tip_approval_above_minor": null })),
        )
        .await;
    assert_eq!(
        (
            rules["tip_approval_above_minor"].clone(),
            rules["max_amount_minor"].as_i64()
        ),
        (Value::Null, Some(20_000))
    );
    for bad in [
        json!({ "max_amount_minor": 99 }),
        json!({ "max_amount_minor": i64::MAX }),
        json!({ "tip_approval_above_minor": -1 }),
    ] {
        let (status, body) = s
            .call(
                reqwest::Method::PATCH,
                "/api/v1/venue/settings",
                Some(&mara),
                Some(bad),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
}

#[tokio::test]
async fn a_day_holding_an_amount_no_guest_paid_is_refused_never_wrapped() {
    let s = Server::start().await;
    let (ana, mara) = (s.login(ANA).await, s.login(MANAGER).await);
    let order_id = &tiramisu_at(&s, &ana, "8").await;
    let results = s
        .ops(&ana, json!([
            pay_op(order_id, json!({ "id": new_id(), "method": "cash", "amount_minor": 300, "tip_minor": 100 })),
            pay_op(order_id, json!({ "id": new_id(), "method": "cash", "amount_minor": 350, "tip_minor": 100 })),
        ]))
        .await;
    assert!(
        results.iter().all(|r| r["status"] == "applied"),
        "{results:?}"
    );
    // Rows written before the ceilings could hold such a tip (the upgrade caps them; this
    // one is written behind the server's back).
    let db = s.db().await;
    sqlx::query("UPDATE payments SET tip_minor = ? WHERE amount_minor = 300")
        .bind(i64::MAX)
        .execute(&db)
        .await
        .unwrap();
    let (status, body) = s.get("/api/v1/reports/x", &mara).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("too large to add up"),
        "{body}"
    );
}
