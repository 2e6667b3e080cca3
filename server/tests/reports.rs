//! Sales reports through the real server: a day traded (cash and card, tips, a void, a
//! refund) and ended with a Z report; the day's sales report says what the Z report says,
//! in every view, and its CSV and XLSX files read back to the same figures. Managers only;
//! a range that makes no sense is refused by name.

mod fixture;

use calamine::{Data, DataType, Reader, Xlsx};
use fixture::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn pay(s: &Server, token: &str, order: &str, method: &str, amount: i64, tip: i64) {
    let ops = json!([
        { "op_id": new_id(), "type": "take_payment", "order_id": order,
          "payment": { "id": new_id(), "method": method, "amount_minor": amount, "tip_minor": tip } },
        { "op_id": new_id(), "type": "close_order", "order_id": order },
    ]);
    for r in s.ops(token, ops).await {
        assert_eq!(r["status"], "applied", "{r}");
    }
}

/// The column `key` of every row of a report view.
fn column(report: &Value, key: &str) -> Vec<Value> {
    let at = report["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c["key"] == key)
        .unwrap_or_else(|| panic!("no column {key} in {}", report["columns"]));
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[at].clone())
        .collect()
}

fn sum(report: &Value, key: &str) -> i64 {
    column(report, key)
        .iter()
        .map(|v| v.as_i64().unwrap())
        .sum()
}

async fn bytes(s: &Server, path: &str, token: &str) -> (StatusCode, String, Vec<u8>) {
    let resp = s
        .http
        .get(s.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let kind = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, resp.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn a_days_sales_report_says_what_its_z_report_says_in_every_view_and_file() {
    let s = Server::start().await;
    let (boss, ana, luca) = (
        s.login(MANAGER).await,
        s.login(ANA).await,
        s.login(LUCA).await,
    );
    let snap = s.snapshot(&ana).await;
    let p = |name: &str| product(&snap, name);

    // Ana's table: 2 Lasagna (27.00) and a Lager (5.50), card with a €3 tip.
    let a = s
        .sent_order_at(&ana, "2", json!([{ "product_id": p("Lasagna"), "quantity": 2 }, { "product_id": p("Lager"), "quantity": 1 }]))
        .await;
    pay(&s, &ana, a["id"].as_str().unwrap(), "card", 3250, 300).await;
    // Luca's: a Tiramisu and 2 Espresso (10.10); a Burrata voided by mistake; cash.
    let b = s
        .order_at(&luca, "3", json!([{ "product_id": p("Tiramisu"), "quantity": 1 },
            { "product_id": p("Espresso"), "quantity": 2 }, { "product_id": p("Burrata"), "quantity": 1 }]))
        .await;
    let b_id = b["id"].as_str().unwrap();
    let burrata = b["lines"][2]["id"].as_str().unwrap();
    let (status, body) = s
        .post(
            &format!("/api/v1/orders/{b_id}/lines/{burrata}/void"),
            &luca,
            json!({ "reason_id": "wrong-entry" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    pay(&s, &luca, b_id, "cash", 1010, 0).await;
    // The Lager was flat: refunded in cash.
    let lager = a["lines"][1]["id"].as_str().unwrap();
    let (status, body) = s
        .post(
            &format!("/api/v1/orders/{}/refunds", a["id"].as_str().unwrap()),
            &boss,
            json!({ "method": "cash", "line_ids": [lager], "reason": "Flat beer" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let (status, z) = s.post_empty("/api/v1/reports/z", &boss).await;
    assert_eq!(status, StatusCode::CREATED, "{z}");
    let day = z["business_day"].as_str().unwrap();
    let q = |by: &str| format!("/api/v1/reports/sales?from={day}&to={day}&by={by}");

    // By day: the one day, with the Z report's figures.
    let (status, by_day) = s.get(&q("day"), &boss).await;
    assert_eq!(status, StatusCode::OK, "{by_day}");
    assert_eq!(column(&by_day, "day"), [json!(day)]);
    let totals = &by_day["period"]["totals"];
    for (key, z_key) in [
        ("orders", "orders"),
        ("covers", "covers"),
        ("gross_sales_minor", "gross_sales_minor"),
        ("discounts_minor", "discounts_minor"),
        ("sales_minor", "sales_minor"),
        ("net_sales_minor", "net_sales_minor"),
        ("voids", "voids"),
        ("voids_minor", "voids_minor"),
        ("refunds", "refunds"),
        ("refunds_minor", "refunds_minor"),
    ] {
        assert_eq!(totals[key], z[z_key], "{key}");
    }
    assert_eq!(totals["sales_minor"], 3250 + 1010);
    assert_eq!(totals["taxes"], z["taxes"]);
    assert_eq!(totals["methods"], z["payments"]);
    assert_eq!(sum(&by_day, "sales_minor"), 4260);
    assert_eq!(sum(&by_day, "tips_minor"), 300);
    assert_eq!(
        sum(&by_day, "voids_minor"),
        z["voids_minor"].as_i64().unwrap()
    );
    // Nothing was sold the day before.
    assert_eq!(by_day["previous"]["totals"]["sales_minor"], 0);

    // Every view adds up to the same day.
    let (_, by_product) = s.get(&q("product"), &boss).await;
    assert_eq!(sum(&by_product, "sales_minor"), 4260);
    assert_eq!(
        sum(&by_product, "quantity"),
        2 + 1 + 1 + 2,
        "the Burrata was voided"
    );
    assert_eq!(
        column(&by_product, "product")[0],
        "Lasagna",
        "best seller first"
    );
    let (_, by_category) = s.get(&q("category"), &boss).await;
    assert_eq!(sum(&by_category, "sales_minor"), 4260);
    let (_, by_hour) = s.get(&q("hour"), &boss).await;
    assert_eq!(by_hour["rows"].as_array().unwrap().len(), 24);
    assert_eq!(sum(&by_hour, "sales_minor"), 4260);
    assert_eq!(sum(&by_hour, "orders"), 2);
    let (_, by_waiter) = s.get(&q("waiter"), &boss).await;
    assert_eq!(sum(&by_waiter, "sales_minor"), 4260);
    let waiters = column(&by_waiter, "waiter");
    let tips = column(&by_waiter, "tips_minor");
    let voids = column(&by_waiter, "voids");
    let ana_at = waiters.iter().position(|w| w == "Ana").unwrap();
    let luca_at = waiters.iter().position(|w| w == "Luca").unwrap();
    assert_eq!(
        (tips[ana_at].clone(), voids[luca_at].clone()),
        (json!(300), json!(1))
    );
    let (_, by_method) = s.get(&q("method"), &boss).await;
    assert_eq!(column(&by_method, "method"), [json!("Cash"), json!("Card")]);
    assert_eq!(
        column(&by_method, "amount_minor"),
        [json!(1010), json!(3250)]
    );
    assert_eq!(column(&by_method, "refunded_minor"), [json!(550), json!(0)]);
    let (_, by_tax) = s.get(&q("tax"), &boss).await;
    assert_eq!(sum(&by_tax, "gross_minor"), 4260);
    assert_eq!(
        sum(&by_tax, "tax_minor"),
        z["taxes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["tax_minor"].as_i64().unwrap())
            .sum::<i64>()
    );
    let (_, voids) = s.get(&q("voids"), &boss).await;
    assert_eq!(
        column(&voids, "kind"),
        [json!("Refund"), json!("Void")],
        "newest first"
    );
    assert_eq!(column(&voids, "reason")[0], "Flat beer");
    assert_eq!(column(&voids, "item")[1], "1× Burrata");
    assert_eq!(column(&voids, "by")[1], "Luca");

    // The CSV reads back to the same figures, amounts in euros.
    let (status, kind, csv) = bytes(
        &s,
        &format!("/api/v1/reports/sales.csv?from={day}&to={day}&by=day"),
        &boss,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/csv"), "{kind}");
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let headers = reader.headers().unwrap().clone();
    let sales_at = headers.iter().position(|h| h == "Sales (EUR)").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!((&rows[0][0], &rows[0][sales_at]), (day, "42.60"));

    // The workbook has every view, a sheet each, with typed cells.
    let (status, _, xlsx) = bytes(
        &s,
        &format!("/api/v1/reports/sales.xlsx?from={day}&to={day}"),
        &boss,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
    assert_eq!(book.sheet_names().len(), 8);
    let sheet = book.worksheet_range("Sales by day").unwrap();
    let headings: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let at = headings.iter().position(|h| h == "Sales").unwrap();
    let row = sheet.rows().nth(1).unwrap();
    assert_eq!(row[at], Data::Float(42.6));
    assert!(
        matches!(row[0], Data::DateTime(_)),
        "the day is a date: {:?}",
        row[0]
    );
    let products = book.worksheet_range("Product mix").unwrap();
    let sold: f64 = products
        .rows()
        .skip(1)
        .map(|r| r[2].as_f64().unwrap())
        .sum();
    assert_eq!(sold, 6.0);

    // The journal: every line (the voided one at nothing, with its reason), payment,
    // refund and Z report of the day, adding up to the same.
    let (status, _, journal) = bytes(
        &s,
        &format!("/api/v1/reports/journal.xlsx?from={day}&to={day}"),
        &boss,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(journal)).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Orders", "Lines", "Payments", "Refunds", "Z reports"]
    );
    let column_of = |sheet: &calamine::Range<Data>, heading: &str| -> Vec<Data> {
        let at = sheet
            .rows()
            .next()
            .unwrap()
            .iter()
            .position(|c| *c == heading)
            .unwrap();
        sheet.rows().skip(1).map(|r| r[at].clone()).collect()
    };
    let lines = book.worksheet_range("Lines").unwrap();
    assert_eq!(lines.rows().count() - 1, 5);
    let amounts: f64 = column_of(&lines, "Amount")
        .iter()
        .map(|a| a.as_f64().unwrap())
        .sum();
    assert!((amounts - 42.6).abs() < 1e-9, "{amounts}");
    let reasons = column_of(&lines, "Void reason");
    assert_eq!(
        reasons.iter().filter(|r| !r.to_string().is_empty()).count(),
        1
    );
    let payments = book.worksheet_range("Payments").unwrap();
    let paid: f64 = column_of(&payments, "Amount")
        .iter()
        .map(|a| a.as_f64().unwrap())
        .sum();
    assert!((paid - 42.6).abs() < 1e-9, "{paid}");
    let refunds = book.worksheet_range("Refunds").unwrap();
    assert_eq!(
        column_of(&refunds, "Reason"),
        [Data::String("Flat beer".into())]
    );
    let zs = book.worksheet_range("Z reports").unwrap();
    assert_eq!(column_of(&zs, "Sales"), [Data::Float(42.6)]);
    let (status, kind, csv) = bytes(
        &s,
        &format!("/api/v1/reports/journal.csv?from={day}&to={day}&part=payments"),
        &boss,
    )
    .await;
    assert_eq!(
        (status, kind.starts_with("text/csv")),
        (StatusCode::OK, true)
    );
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let methods: Vec<String> = reader.records().map(|r| r.unwrap()[3].to_owned()).collect();
    assert_eq!(methods, ["Card", "Cash"]);

    // The same journal as a job whose progress shows (a day of each of five sheets),
    // downloaded once.
    let jobs = format!("/api/v1/reports/journal/jobs?from={day}&to={day}");
    let (status, _) = s.post_empty(&jobs, &ana).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, job) = s.post_empty(&jobs, &boss).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    assert_eq!(job["total"], 5);
    let id = job["id"].as_str().unwrap().to_owned();
    let mut progress = job;
    for _ in 0..200 {
        if progress["ready"] == true {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        progress = s
            .get(&format!("/api/v1/reports/journal/jobs/{id}"), &boss)
            .await
            .1;
    }
    assert_eq!(
        (progress["ready"].clone(), progress["done"].clone()),
        (json!(true), json!(5)),
        "{progress}"
    );
    let file = format!("/api/v1/reports/journal/jobs/{id}/file");
    let (status, _, made) = bytes(&s, &file, &boss).await;
    assert_eq!(status, StatusCode::OK);
    let book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(made)).unwrap();
    assert_eq!(book.sheet_names().len(), 5);
    let (status, _, _) = bytes(&s, &file, &boss).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "downloaded once");

    // Only managers read them; ranges are checked.
    let (status, _) = s.get(&q("day"), &ana).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = bytes(
        &s,
        &format!("/api/v1/reports/journal.xlsx?from={day}&to={day}"),
        &ana,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for (query, field) in [
        ("from=2026-11-22&to=2026-11-21", "to"),
        ("from=2024-01-01&to=2026-01-01", "to"),
        ("from=22/11/2026&to=2026-11-22", "from"),
    ] {
        let (status, body) = s
            .get(&format!("/api/v1/reports/sales?{query}"), &boss)
            .await;
        assert_eq!(
            (status, body["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{query}: {body}"
        );
    }
    let (status, _) = s
        .get(
            &format!("/api/v1/reports/sales?from={day}&to={day}&by=colour"),
            &boss,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
