//! Payments through the real server: cash with change opens the drawer on the receipt
//! printer, card and cash together settle a bill, nothing is paid twice or beyond the bill,
//! a table closes only when paid and is then free, and the bill shows the payments.

mod fixture;

use fixture::printer::{contains, TestPrinter};
use fixture::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

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
    let snap = s.snapshot(&ana).await;
    // Tiramisu 6.50
    let order = s
        .order_at(
            &ana,
            "8",
            json!([{ "product_id": product(&snap, "Tiramisu"), "quantity": 1 }]),
        )
        .await;
    let order_id = order["id"].as_str().unwrap();
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
                .contains("more than any single amount"),
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
