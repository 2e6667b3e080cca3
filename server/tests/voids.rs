//! Voids through the real server: a reason always; a manager's PIN above the venue's limit
//! or once the kitchen has made the item; a VOID ticket to the station for a sent line; an
//! audit entry for every void, naming who approved it.

mod fixture;

use fixture::printer::TestPrinter;
use fixture::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn void(
    s: &Server,
    token: &str,
    order: &Value,
    line: usize,
    body: Value,
) -> (StatusCode, Value) {
    let (id, line) = (
        order["id"].as_str().unwrap(),
        order["lines"][line]["id"].as_str().unwrap(),
    );
    s.post(
        &format!("/api/v1/orders/{id}/lines/{line}/void"),
        token,
        body,
    )
    .await
}

/// The audit log's void entries: (staff, approved by, detail).
async fn audit(s: &Server) -> Vec<(String, Option<String>, String)> {
    sqlx::query_as(
        "SELECT s.name, m.name, a.detail FROM audit_log a JOIN staff s ON s.id = a.staff_id
         LEFT JOIN staff m ON m.id = a.approved_by WHERE a.action = 'void_line' ORDER BY a.seq",
    )
    .fetch_all(&s.db().await)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_voided_sent_line_goes_to_the_station_as_a_void_ticket_and_is_audited() {
    let s = Server::start().await;
    let kitchen = TestPrinter::start().await;
    s.set_printer("Kitchen", kitchen.addr).await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let order = s
        .sent_order_at(
            &ana,
            "9",
            json!([{ "product_id": product(&snap, "Tiramisu"), "quantity": 1 }]),
        )
        .await;
    kitchen.wait_for(1).await;

    let (status, voided) = void(
        &s,
        &ana,
        &order,
        0,
        json!({ "reason_id": "changed-mind", "note": "too full" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{voided}");
    assert_eq!(voided["lines"][0]["status"], "void");
    let printed = kitchen.wait_for(2).await;
    let ticket = String::from_utf8_lossy(&printed[1]).into_owned();
    assert!(
        ticket.contains("VOID - DO NOT MAKE") && ticket.contains("VOID 1x Tiramisu"),
        "{ticket}"
    );
    assert!(ticket.contains("Table 9"), "{ticket}");

    // The kitchen screen shows it too, marked.
    let kim = s.login(KITCHEN).await;
    let screen = s.get("/api/v1/stations/kitchen/tickets", &kim).await.1;
    let voids: Vec<_> = screen["active"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["void"] == true)
        .collect();
    assert_eq!(voids.len(), 1, "{screen}");
    assert_eq!(voids[0]["lines"][0]["product_name"], "Tiramisu");
    // The ticket it came on marks it too: on screen, and when reprinted.
    let original = screen["active"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["void"] == false)
        .unwrap();
    assert_eq!(original["lines"][0]["status"], "void", "{original}");
    let mara = s.login(MANAGER).await;
    let reprint = format!(
        "/api/v1/tickets/{}/reprint",
        original["id"].as_str().unwrap()
    );
    assert!(s.post_empty(&reprint, &mara).await.0.is_success());
    let printed = kitchen.wait_for(3).await;
    let again = String::from_utf8_lossy(&printed[2]).into_owned();
    assert!(
        again.contains("VOID 1x Tiramisu") && !again.contains("VOID - DO NOT MAKE"),
        "{again}"
    );

    let entries = audit(&s).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0, "Ana");
    assert_eq!(
        entries[0].1, None,
        "small and not started: no approval needed"
    );
    let detail: Value = serde_json::from_str(&entries[0].2).unwrap();
    assert_eq!(detail["reason"], "Guest changed their mind: too full");
    assert_eq!(detail["order_total_before_minor"], 650);
    assert_eq!(detail["order_total_after_minor"], 0);

    // Twice is refused; a line never sent goes without a ticket.
    let (status, _) = void(&s, &ana, &order, 0, json!({ "reason_id": "changed-mind" })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let unsent = s
        .order_at(
            &ana,
            "10",
            json!([{ "product_id": product(&snap, "Lasagna"), "quantity": 3 }]),
        )
        .await;
    let (status, _) = void(&s, &ana, &unsent, 0, json!({ "reason_id": "wrong-entry" })).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a line never sent needs no approval"
    );
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(kitchen.jobs().len(), 3, "no ticket for a line never sent");
}

#[tokio::test]
async fn voids_over_the_limit_or_already_made_need_a_managers_pin() {
    let s = Server::start().await;
    let kitchen = TestPrinter::start().await;
    s.set_printer("Kitchen", kitchen.addr).await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    // Lasagna 13.50 is over the demo's 10.00 limit; the Tiramisu will be made.
    let order = s
        .sent_order_at(
            &ana,
            "11",
            json!([{ "product_id": product(&snap, "Lasagna"), "quantity": 1 },
               { "product_id": product(&snap, "Tiramisu"), "quantity": 1 }]),
        )
        .await;
    let reason = |pin: Option<&str>| json!({ "reason_id": "complaint", "manager_pin": pin });

    let (status, err) = void(&s, &ana, &order, 0, reason(None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    assert_eq!(
        err["message"],
        "voiding 1x Lasagna (€13.50) needs a manager's PIN: it is over the limit"
    );
    let (status, err) = void(&s, &ana, &order, 0, reason(Some(LUCA))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    assert!(err["message"].as_str().unwrap().contains("not a manager's"));
    let (status, err) = void(&s, &ana, &order, 0, json!({ "reason_id": "nonsense" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["field"], "reason_id");
    assert!(audit(&s).await.is_empty(), "nothing was voided");

    let (status, voided) = void(&s, &ana, &order, 0, reason(Some(MANAGER))).await;
    assert_eq!(status, StatusCode::OK, "{voided}");
    let entries = audit(&s).await;
    assert_eq!(
        entries[0].1.as_deref(),
        Some("Mara"),
        "approved by the manager"
    );

    // Made in the kitchen: a manager's PIN whatever the price.
    let kim = s.login(KITCHEN).await;
    let line = order["lines"][1]["id"].as_str().unwrap();
    s.post_empty(&format!("/api/v1/lines/{line}/ready"), &kim)
        .await;
    let (status, err) = void(&s, &ana, &order, 1, reason(None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    assert!(err["message"]
        .as_str()
        .unwrap()
        .ends_with("the kitchen has already made it"));
    let kim_void = void(&s, &kim, &order, 1, reason(None)).await;
    assert_eq!(
        kim_void.0,
        StatusCode::FORBIDDEN,
        "the kitchen does not void"
    );
}
