//! The menu as a spreadsheet, as a manager moves it between boxes or edits it in bulk:
//! exported, imported elsewhere, exported again to the same file; a dry run first; and a
//! file with mistakes refused as a whole, each mistake named by line and column.

mod fixture;

use fixture::{Server, MANAGER};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn export(s: &Server, token: &str) -> String {
    let r = s
        .http
        .get(s.url("/api/v1/menu/export.csv"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    r.text().await.unwrap()
}

async fn import(s: &Server, token: &str, csv: &str, dry_run: bool) -> (StatusCode, Value) {
    let r = s
        .http
        .post(s.url(&format!("/api/v1/menu/import?dry_run={dry_run}")))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv.to_owned())
        .send()
        .await
        .unwrap();
    let status = r.status();
    (
        status,
        serde_json::from_str(&r.text().await.unwrap()).unwrap(),
    )
}

/// A new box set up empty, with the demo's two stations.
async fn empty_venue() -> (Server, String) {
    let s = Server::start_empty().await;
    let (status, owner) = s
        .call(
            reqwest::Method::POST,
            "/api/v1/setup",
            None,
            Some(json!({ "venue_name": "Copy", "currency": "EUR", "time_zone": "Europe/Rome",
                "tax_mode": "inclusive", "owner_name": "Lucia", "owner_pin": "4711", "tax_rates_bp": [1000, 2200] })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{owner}");
    let token = owner["token"].as_str().unwrap().to_owned();
    for name in ["Kitchen", "Bar"] {
        let (status, _) = s
            .post("/api/v1/stations", &token, json!({ "name": name }))
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    (s, token)
}

#[tokio::test]
async fn a_menu_exported_and_imported_elsewhere_exports_the_same_file() {
    let demo = Server::start().await;
    let manager = demo.login(MANAGER).await;
    let burger = fixture::product(&demo.snapshot(&manager).await, "Burger");
    let (status, _) = demo
        .call(
            Method::PATCH,
            &format!("/api/v1/menu/products/{burger}"),
            Some(&manager),
            Some(json!({ "kitchen_name": "Burg" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let file = export(&demo, &manager).await;
    assert!(file.starts_with(
        "category,category_colour,product,kitchen_name,price,tax_rate,station,barcode,available,options_1"
    ));
    assert!(file.contains("Mains,#3d405b,Burger,Burg,14.50,10,Kitchen,,yes,Doneness [choose one]: Rare; Medium rare; Medium; Well done,Extras [add-ons]: Cheese +1.00; Bacon +1.50; Fried egg +1.20,Leave out [leave out]: Onions; Pickles; Tomato"), "{file}");
    assert!(
        file.contains("Sparkling water,,3.00,10,Bar,8001234500012,yes"),
        "{file}"
    );

    let (copy, token) = empty_venue().await;
    let (status, report) = import(&copy, &token, &file, false).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["products_added"].as_array().unwrap().len(), 31);
    assert_eq!(report["categories_added"].as_array().unwrap().len(), 5);
    assert_eq!(export(&copy, &token).await, file);

    // Imported again, nothing changes.
    let (status, again) = import(&copy, &token, &file, false).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            again["products_unchanged"].clone(),
            again["products_added"].clone()
        ),
        (json!(31), json!([]))
    );
}

#[tokio::test]
async fn a_dry_run_says_what_would_change_and_changes_nothing() {
    let s = Server::start().await;
    let token = s.login(MANAGER).await;
    let file = export(&s, &token).await;
    let edited = file.replace("Tiramisu,,6.50", "Tiramisu,,7.00")
        + "Desserts,#81b29a,Affogato,,5.00,10,Kitchen,,yes,\n";
    let (status, report) = import(&s, &token, &edited, true).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["products_changed"], json!(["Tiramisu"]));
    assert_eq!(report["products_added"], json!(["Affogato"]));
    assert_eq!(export(&s, &token).await, file);

    let (status, report) = import(&s, &token, &edited, false).await;
    assert_eq!(
        (status, report["dry_run"].clone()),
        (StatusCode::OK, json!(false))
    );
    let snap = s.snapshot(&token).await;
    let price = |name: &str| {
        snap["menu"]["products"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()["price_minor"]
            .clone()
    };
    assert_eq!(
        (price("Tiramisu"), price("Affogato")),
        (json!(700), json!(500))
    );
}

#[tokio::test]
async fn a_file_with_mistakes_is_refused_whole_naming_each_line_and_column() {
    let s = Server::start().await;
    let token = s.login(MANAGER).await;
    let before = export(&s, &token).await;
    let file =
        "category,category_colour,product,kitchen_name,price,tax_rate,station,barcode,available,options_1\n\
        Pizza,#c0392b,Pizza Lucia,,11.00,10,Kitchen,,yes,Size [choose one]: Regular; Large +3.00\n\
        Pizza,#c0392b,Pizza Rosa,,eleven,10,Kitchen,,yes,\n\
        Pizza,#c0392b,Pizza Oven,,9.00,10,Grill,,yes,\n\
        Pizza,#c0392b,Pizza Verde,,9.00,10,Kitchen,,maybe,Size: Regular\n";
    let (status, report) = import(&s, &token, file, false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{report}");
    let problems: Vec<(u64, String)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        (3, "price"),
        (4, "station"),
        (5, "available"),
        (5, "options_1"),
    ];
    assert_eq!(
        problems,
        expected.map(|(l, f)| (l, f.to_owned())),
        "{report}"
    );
    assert!(report["problems"][1]["message"]
        .as_str()
        .unwrap()
        .contains("\"Grill\""));
    // Nothing was taken, not even the good row.
    assert_eq!(export(&s, &token).await, before);

    // A row the database refuses (a barcode another product has) undoes the rows before.
    let file =
        "category,category_colour,product,kitchen_name,price,tax_rate,station,barcode,available,options_1\n\
        Pizza,#c0392b,Pizza Lucia,,11.00,10,Kitchen,,yes,\n\
        Pizza,#c0392b,Pizza Rosa,,12.00,10,Kitchen,8001234500012,yes,\n";
    let (status, report) = import(&s, &token, file, false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{report}");
    assert_eq!(
        (
            report["problems"][0]["line"].clone(),
            report["problems"][0]["field"].clone()
        ),
        (json!(3), json!("barcode"))
    );
    assert_eq!(export(&s, &token).await, before);
    // A waiter may do neither.
    let waiter = s.login(fixture::ANA).await;
    assert_eq!(
        import(&s, &waiter, file, true).await.0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_file_from_before_kitchen_names_still_imports() {
    let s = Server::start().await;
    let token = s.login(MANAGER).await;
    let file =
        "category,category_colour,product,price,tax_rate,station,barcode,available,options_1\n\
        Pizza,#c0392b,Pizza Lucia,11.00,10,Kitchen,,yes,Size [choose one]: Regular; Large +3.00\n";
    let (status, report) = import(&s, &token, file, false).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["products_added"], json!(["Pizza Lucia"]));
    assert!(export(&s, &token).await.contains(
        "Pizza,#c0392b,Pizza Lucia,,11.00,10,Kitchen,,yes,Size [choose one]: Regular; Large +3.00"
    ));
}
