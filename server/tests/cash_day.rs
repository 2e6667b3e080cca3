//! A whole business day through the real server: a shift opened with a float, orders
//! with a discount, a void, cash and card with tips, a refund and a write-off (both a
//! manager's), the shift closed with a cash count, and the Z report, whose every figure
//! is recomputed here from the prices, independently of the server. Waiters are refused
//! what needs a manager, with a clear message.

mod fixture;

use fixture::printer::{contains, TestPrinter};
use fixture::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn pay(s: &Server, token: &str, order: &str, payment: Value) {
    let op =
        json!({ "op_id": new_id(), "type": "take_payment", "order_id": order, "payment": payment });
    let close = json!({ "op_id": new_id(), "type": "close_order", "order_id": order });
    let (status, body) = s
        .post("/api/v1/ops", token, json!({ "ops": [op, close] }))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["results"][0]["status"], "applied", "{body}");
}

/// Tax contained in a tax-inclusive `amount` at `rate_bp`, rounded half up.
fn tax_in(amount: i64, rate_bp: i64) -> i64 {
    (2 * amount * rate_bp + 10_000 + rate_bp) / (2 * (10_000 + rate_bp))
}

#[tokio::test]
async fn a_business_day_closes_with_a_cash_count_and_a_z_report_that_adds_up() {
    let s = Server::start().await;
    let receipt = TestPrinter::start().await;
    s.set_printer("Bar", receipt.addr).await;
    let (boss, ana, luca, cleo) = (
        s.login(MANAGER).await,
        s.login(ANA).await,
        s.login(LUCA).await,
        s.login(CASHIER).await,
    );
    let snap = s.snapshot(&ana).await;
    let p = |name: &str| product(&snap, name);

    // The cashier opens the shift with €100.00 in the drawer; one shift at a time.
    let (status, shift) = s
        .post("/api/v1/shifts", &cleo, json!({ "float_minor": 10_000 }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{shift}");
    let (status, _) = s
        .post("/api/v1/shifts", &boss, json!({ "float_minor": 0 }))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = s
        .post("/api/v1/shifts", &ana, json!({ "float_minor": 0 }))
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "waiters do not run the drawer"
    );

    // A: 2 Lasagna (27.00) and a Lager (5.50, 22 %), 10 % off; cash with a €2 tip.
    let a = s
        .sent_order_at(
            &ana,
            "2",
            json!([{ "product_id": p("Lasagna"), "quantity": 2 }, { "product_id": p("Lager"), "quantity": 1 }]),
        )
        .await;
    let a_id = a["id"].as_str().unwrap();
    let lager_line = a["lines"][1]["id"].as_str().unwrap().to_owned();
    let (status, body) = s
        .post(
            &format!("/api/v1/orders/{a_id}/discounts"),
            &ana,
            json!({ "kind": "percent", "value": 1000, "reason": "Regulars" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // 10 % of 32.50 is 3.25, shared by what each line costs: 2.70 lasagna, 0.55 lager.
    let (a_food, a_lager) = (2700 - 270, 550 - 55);
    let a_total = a_food + a_lager;
    pay(&s, &ana, a_id, json!({ "id": new_id(), "method": "cash", "amount_minor": a_total, "tip_minor": 200, "tendered_minor": 4000 })).await;

    // B: Tiramisu and 2 Espresso (10.10); a Burrata entered by mistake is voided; Luca's card, €1 tip.
    let b = s
        .order_at(
            &luca,
            "3",
            json!([{ "product_id": p("Tiramisu"), "quantity": 1 }, { "product_id": p("Espresso"), "quantity": 2 },
                   { "product_id": p("Burrata"), "quantity": 1 }]),
        )
        .await;
    let b_id = b["id"].as_str().unwrap();
    let (status, body) = s
        .post(
            &format!(
                "/api/v1/orders/{b_id}/lines/{}/void",
                b["lines"][2]["id"].as_str().unwrap()
            ),
            &luca,
            json!({ "reason_id": "wrong-entry" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let b_total = 650 + 360;
    pay(
        &s,
        &luca,
        b_id,
        json!({ "id": new_id(), "method": "card", "amount_minor": b_total, "tip_minor": 100 }),
    )
    .await;

    // C: Grilled salmon (19.50); the guest pays €10 by card and a manager writes off the rest.
    let c = s
        .sent_order_at(
            &ana,
            "6",
            json!([{ "product_id": p("Grilled salmon"), "quantity": 1 }]),
        )
        .await;
    let c_id = c["id"].as_str().unwrap();
    pay(
        &s,
        &ana,
        c_id,
        json!({ "id": new_id(), "method": "card", "amount_minor": 1000 }),
    )
    .await;
    let write_off = format!("/api/v1/orders/{c_id}/write-off");
    let (status, body) = s
        .post(&write_off, &ana, json!({ "reason": "Wallet forgotten" }))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body["message"],
        "a waiter may not do this alone: a manager's PIN is needed; nothing was written off"
    );
    let (status, closed) = s
        .post(
            &write_off,
            &ana,
            json!({ "reason": "Wallet forgotten", "manager_pin": MANAGER }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(closed["status"], "closed");

    // The lager of A is refunded in cash: not by a waiter alone, never beyond what was paid.
    let refunds = format!("/api/v1/orders/{a_id}/refunds");
    let lager_refund = json!({ "method": "cash", "line_ids": [lager_line], "reason": "Flat beer" });
    let (status, body) = s.post(&refunds, &ana, lager_refund.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // An empty refund is not "all of it": that is an explicit choice.
    let (status, body) = s
        .post(
            &refunds,
            &boss,
            json!({ "method": "cash", "reason": "Flat beer" }),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("line_ids")),
        "{body}"
    );
    // The same line listed twice would refund it twice: refused, nothing refunded.
    let twice =
        json!({ "method": "cash", "line_ids": [lager_line, lager_line], "reason": "Flat beer" });
    let (status, body) = s.post(&refunds, &boss, twice).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("line_ids")),
        "{body}"
    );
    let (status, refund) = s.post(&refunds, &boss, lager_refund.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{refund}");
    assert_eq!(refund["amount_minor"], a_lager);
    let (status, _) = s.post(&refunds, &boss, lager_refund).await;
    assert_eq!(status, StatusCode::CONFLICT, "a line is refunded once");
    let (status, body) = s
        .post(
            &refunds,
            &boss,
            json!({ "method": "card", "amount_minor": 1, "reason": "x" }),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("method")),
        "A was paid in cash: {body}"
    );
    let (status, body) = s
        .post(
            &refunds,
            &boss,
            json!({ "method": "cash", "amount_minor": a_total, "reason": "x" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("of what was paid is left to refund"));

    // The Z report waits for the cash count; waiters take neither.
    let (status, body) = s.post_empty("/api/v1/reports/z", &ana).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body["message"].as_str().unwrap().contains("only a manager"));
    let (status, _) = s.get("/api/v1/reports/x", &ana).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = s.post_empty("/api/v1/reports/z", &boss).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["message"].as_str().unwrap().contains("cash count"));

    // The drawer should hold the float, A's cash and tip, less the refund: 126.30.
    let expected_cash = 10_000 + a_total + 200 - a_lager;
    let (_, open) = s.get("/api/v1/shifts/current", &cleo).await;
    assert_eq!(open["expected_minor"], expected_cash);
    // Counted by coin and note, ten cents short.
    let counts = json!({ "10000": 1, "2000": 1, "500": 1, "100": 1, "20": 1 });
    let (status, body) = s
        .post(
            "/api/v1/shifts/current/close",
            &cleo,
            json!({ "counts": { "300": 1 } }),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("counts"))
    );
    // A count that differs needs a reason, which the audit log keeps.
    let (status, body) = s
        .post(
            "/api/v1/shifts/current/close",
            &cleo,
            json!({ "counts": counts, "reason": "  " }),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("reason"))
    );
    assert_eq!(
        body["message"],
        "the count is €0.10 short of the €126.30 expected: say why before closing"
    );
    let (status, closed_shift) = s
        .post(
            "/api/v1/shifts/current/close",
            &cleo,
            json!({ "counts": counts, "reason": "Change given wrong" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{closed_shift}");
    let kept: String = sqlx::query_scalar(
        "SELECT json_extract(detail, '$.reason') FROM audit_log WHERE action = 'close_shift'",
    )
    .fetch_one(&s.db().await)
    .await
    .unwrap();
    assert_eq!(kept, "Change given wrong");
    assert_eq!(closed_shift["counted_minor"], expected_cash - 10);
    assert_eq!(closed_shift["discrepancy_minor"], -10);

    let (_, blockers) = s.get("/api/v1/reports/z/blockers", &boss).await;
    assert_eq!(blockers["open_shift_by"], Value::Null, "{blockers}");
    assert_eq!(blockers["open_orders"], json!([]), "{blockers}");
    assert_eq!(blockers["anything_to_report"], true);
    let (_, x) = s.get("/api/v1/reports/x", &boss).await;
    let (status, z) = s.post_empty("/api/v1/reports/z", &boss).await;
    assert_eq!(status, StatusCode::CREATED, "{z}");
    assert_eq!(z["number"], 1);
    // A second click: nothing happened since, so no Z #2.
    let (status, body) = s.post_empty("/api/v1/reports/z", &boss).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("nothing has happened since the last Z report"));
    assert_eq!(
        x["sales_minor"], z["sales_minor"],
        "an X report is the Z so far"
    );

    // Every figure, recomputed from the prices.
    let c_total = 1950;
    let sales = a_total + b_total + c_total;
    let food_tax = tax_in(a_food, 1000) + tax_in(b_total, 1000) + tax_in(c_total, 1000);
    let drink_tax = tax_in(a_lager, 2200);
    assert_eq!(z["orders"], 3);
    assert_eq!(z["covers"], 3);
    assert_eq!(z["gross_sales_minor"], 3250 + b_total + c_total);
    assert_eq!(z["discounts_minor"], 325);
    assert_eq!(z["sales_minor"], sales);
    assert_eq!(z["taxes"][0]["rate_bp"], 1000);
    assert_eq!(z["taxes"][0]["tax_minor"], food_tax);
    assert_eq!(z["taxes"][1]["tax_minor"], drink_tax);
    assert_eq!(z["net_sales_minor"], sales - food_tax - drink_tax);
    assert_eq!(
        (z["voids"].as_i64(), z["voids_minor"].as_i64()),
        (Some(1), Some(1150))
    );
    assert_eq!(z["refunds_minor"], a_lager);
    assert_eq!(z["write_offs_minor"], c_total - 1000);
    assert_eq!(z["average_ticket_minor"], (sales * 2 + 3) / 6);
    let methods = z["payments"].as_array().unwrap();
    assert_eq!(methods[0]["method"], "cash");
    assert_eq!(methods[0]["amount_minor"], a_total);
    assert_eq!(methods[0]["refunded_minor"], a_lager);
    assert_eq!(methods[1]["method"], "card");
    assert_eq!(
        (
            methods[1]["count"].as_i64(),
            methods[1]["amount_minor"].as_i64()
        ),
        (Some(2), Some(b_total + 1000))
    );
    let tips: Vec<(String, i64)> = z["tips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap().to_owned(),
                t["tip_minor"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(tips, vec![("Ana".into(), 200), ("Luca".into(), 100)]);
    assert_eq!(z["shifts"][0]["discrepancy_minor"], -10);

    // Printed on the receipt printer; kept unchanged for good; the next day starts empty.
    wait_for_count("Z reports printed", 1, || {
        receipt
            .jobs()
            .iter()
            .filter(|j| contains(j, b"Z REPORT #1") && contains(j, b"Discrepancy"))
            .count()
    })
    .await;
    let db = s.db().await;
    let changed = sqlx::query("UPDATE z_reports SET report_json = '{}' WHERE number = 1")
        .execute(&db)
        .await;
    assert!(changed
        .unwrap_err()
        .to_string()
        .contains("immutable once taken"));
    let (_, x) = s.get("/api/v1/reports/x", &boss).await;
    assert_eq!(x["orders"], 0);
    let (_, all) = s.get("/api/v1/reports/z", &boss).await;
    assert_eq!(all.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn no_z_report_while_orders_are_open_and_the_refusal_says_which() {
    let s = Server::start().await;
    let (boss, ana) = (s.login(MANAGER).await, s.login(ANA).await);
    let snap = s.snapshot(&ana).await;
    // A table opened by mistake holds nothing: it does not stop the day's end.
    let (status, _) = s
        .post(
            "/api/v1/orders",
            &ana,
            json!({ "table_id": table(&snap, "12") }),
        )
        .await;
    assert!(status.is_success());
    let (_, blockers) = s.get("/api/v1/reports/z/blockers", &boss).await;
    assert_eq!(blockers["open_orders"], json!([]), "{blockers}");
    // Table 5 has a Lasagna on it.
    s.sent_order_at(
        &ana,
        "5",
        json!([{ "product_id": product(&snap, "Lasagna"), "quantity": 1 }]),
    )
    .await;
    let (_, blockers) = s.get("/api/v1/reports/z/blockers", &boss).await;
    assert_eq!(blockers["open_orders"], json!(["Table 5"]), "{blockers}");
    let (status, body) = s.post_empty("/api/v1/reports/z", &boss).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        body["message"],
        "1 order is still open (Table 5): have it paid and closed, or written off, before the Z report"
    );
    let (_, list) = s.get("/api/v1/reports/z", &boss).await;
    assert_eq!(list, json!([]), "no Z report was taken");
    assert_eq!(
        s.get("/api/v1/reports/z/blockers", &ana).await.0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn cash_settles_a_bill_rounded_to_five_cents_and_the_report_shows_the_rounding() {
    let s = Server::start().await;
    let (boss, ana) = (s.login(MANAGER).await, s.login(ANA).await);
    let (status, _) = s
        .call(
            reqwest::Method::PATCH,
            "/api/v1/venue/settings",
            Some(&boss),
            Some(json!({ "tax_mode": "exclusive", "cash_rounding_minor": 5 })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let snap = s.snapshot(&ana).await;
    // An espresso, 1.80 + 10 % tax = 1.98: 2.00 in cash.
    let order = s
        .sent_order_at(
            &ana,
            "8",
            json!([{ "product_id": product(&snap, "Espresso"), "quantity": 1 }]),
        )
        .await;
    let order_id = order["id"].as_str().unwrap();
    let take = |method: &str, amount: i64| {
        json!({ "op_id": new_id(), "type": "take_payment", "order_id": order_id,
                "payment": { "id": new_id(), "method": method, "amount_minor": amount } })
    };
    let close = json!({ "op_id": new_id(), "type": "close_order", "order_id": order_id });
    let (_, body) = s
        .post(
            "/api/v1/ops",
            &ana,
            json!({ "ops": [take("card", 200), take("cash", 205), take("cash", 200), close] }),
        )
        .await;
    let statuses: Vec<_> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].clone())
        .collect();
    assert_eq!(
        statuses,
        vec!["rejected", "rejected", "applied", "applied"],
        "{body}"
    );
    assert_eq!(body["results"][0]["reason"], "only €1.98 is left to pay");
    assert_eq!(body["results"][1]["reason"], "only €2.00 is left to pay");
    let (_, x) = s.get("/api/v1/reports/x", &boss).await;
    assert_eq!(x["sales_minor"], 198);
    assert_eq!(x["payments"][0]["amount_minor"], 200);
    assert_eq!(x["cash_rounding_minor"], -2);
}
