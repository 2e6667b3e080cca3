//! The back office over the API as a manager uses it: the menu, the floor, the staff and
//! the stations are added and changed with checks that name the field, only by those
//! allowed, and what changes reaches the waiters' phones.

mod fixture;

use fixture::{new_id, product, Server, ANA, KITCHEN, MANAGER};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn patch(s: &Server, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
    s.call(Method::PATCH, path, Some(token), Some(body)).await
}

/// Adds something as `token`, expecting it created; returns it.
async fn add(s: &Server, path: &str, token: &str, body: Value) -> Value {
    let (status, made) = s.post(path, token, body).await;
    assert_eq!(status, StatusCode::CREATED, "{path}: {made}");
    made
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn every_change_refuses_a_waiter_and_names_the_field_that_is_wrong() {
    let s = Server::start().await;
    let (manager, waiter) = (s.login(MANAGER).await, s.login(ANA).await);
    let snap = s.snapshot(&manager).await;
    let some = |list: &str| {
        snap[list.split('.').next().unwrap()][list.split('.').nth(1).unwrap()][0]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let creates = [
        "/api/v1/menu/categories",
        "/api/v1/menu/products",
        "/api/v1/menu/option-groups",
        "/api/v1/floor/rooms",
        "/api/v1/floor/tables",
        "/api/v1/staff",
        "/api/v1/stations",
    ];
    for path in creates {
        let (status, body) = s.post(path, &waiter, json!({ "name": "X" })).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "POST {path}: {body}");
        let (status, _) = s.get(path, &waiter).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "GET {path}");
    }
    let changes = [
        format!("/api/v1/menu/categories/{}", some("menu.categories")),
        format!("/api/v1/menu/products/{}", some("menu.products")),
        format!("/api/v1/menu/option-groups/{}", some("menu.option_groups")),
        format!("/api/v1/floor/rooms/{}", some("floor.rooms")),
        format!("/api/v1/floor/tables/{}", some("floor.tables")),
        format!(
            "/api/v1/staff/{}",
            s.get("/api/v1/staff", &manager).await.1[0]["id"]
                .as_str()
                .unwrap()
        ),
        "/api/v1/stations/bar".to_owned(),
    ];
    for path in &changes {
        let (status, body) = patch(&s, path, &waiter, json!({ "name": "X" })).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "PATCH {path}: {body}");
    }

    let category = some("menu.categories");
    let room = some("floor.rooms");
    let wrong = [
        ("/api/v1/menu/categories", json!({ "name": " " }), "name"),
        (
            "/api/v1/menu/categories",
            json!({ "name": "Pasta", "colour": "red" }),
            "colour",
        ),
        (
            "/api/v1/menu/products",
            json!({ "name": "Soup", "category_id": category, "station_id": "kitchen" }),
            "price_minor",
        ),
        (
            "/api/v1/menu/products",
            json!({ "name": "Soup", "price_minor": -1, "category_id": category, "station_id": "kitchen" }),
            "price_minor",
        ),
        (
            "/api/v1/menu/products",
            json!({ "name": "Soup", "price_minor": 500, "category_id": new_id(), "station_id": "kitchen" }),
            "category_id",
        ),
        (
            "/api/v1/menu/products",
            json!({ "name": "Soup", "price_minor": 500, "category_id": category, "station_id": "moon" }),
            "station_id",
        ),
        (
            "/api/v1/menu/products",
            json!({ "name": "Soup", "price_minor": 500, "category_id": category, "station_id": "kitchen", "tax_rate_bp": 9000 }),
            "tax_rate_bp",
        ),
        (
            "/api/v1/menu/products",
            json!({ "name": "Soup", "price_minor": 500, "category_id": category, "station_id": "kitchen", "barcode": "8001234500012" }),
            "barcode",
        ),
        (
            "/api/v1/menu/option-groups",
            json!({ "name": "Sauce", "kind": "choice", "options": [] }),
            "options",
        ),
        (
            "/api/v1/menu/option-groups",
            json!({ "name": "Sauce", "kind": "choice", "options": [{ "name": "" }] }),
            "options[0].name",
        ),
        ("/api/v1/floor/rooms", json!({ "name": "" }), "name"),
        (
            "/api/v1/floor/rooms",
            json!({ "name": "Loft", "sort_order": i64::MAX }),
            "sort_order",
        ),
        (
            "/api/v1/stations",
            json!({ "name": "Grill", "sort_order": -1 }),
            "sort_order",
        ),
        (
            "/api/v1/floor/tables",
            json!({ "room_id": room, "label": "1" }),
            "label",
        ),
        (
            "/api/v1/floor/tables",
            json!({ "room_id": room, "label": "40", "seats": 0 }),
            "seats",
        ),
        (
            "/api/v1/floor/tables",
            json!({ "room_id": new_id(), "label": "40" }),
            "room_id",
        ),
        (
            "/api/v1/staff",
            json!({ "name": "Rosa", "role": "waiter", "pin": "1234" }),
            "pin",
        ),
        (
            "/api/v1/staff",
            json!({ "name": "Rosa", "role": "waiter", "pin": "7777" }),
            "pin",
        ),
        (
            "/api/v1/staff",
            json!({ "name": "Rosa", "role": "waiter", "pin": ANA }),
            "pin",
        ),
        (
            "/api/v1/staff",
            json!({ "name": "", "role": "waiter", "pin": "5831" }),
            "name",
        ),
        (
            "/api/v1/stations",
            json!({ "name": "Grill", "warn_after_secs": 600, "late_after_secs": 300 }),
            "late_after_secs",
        ),
        ("/api/v1/stations", json!({ "name": "Bar" }), "id"),
    ];
    let before = s.snapshot(&manager).await;
    for (path, body, field) in wrong {
        let (status, answer) = s.post(path, &manager, body.clone()).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path} {body}: {answer}"
        );
        assert_eq!(answer["field"], field, "{path} {body}: {answer}");
    }
    // Nothing refused changed anything.
    let after = s.snapshot(&manager).await;
    assert_eq!(before["menu"], after["menu"]);
    assert_eq!(before["floor"], after["floor"]);
    assert_eq!(
        s.get("/api/v1/staff", &manager)
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        5
    );
}

#[tokio::test]
async fn a_product_set_up_in_the_back_office_is_ordered_and_86ed() {
    let s = Server::start().await;
    let (manager, waiter, kitchen) = (
        s.login(MANAGER).await,
        s.login(ANA).await,
        s.login(KITCHEN).await,
    );
    let station = add(
        &s,
        "/api/v1/stations",
        &manager,
        json!({ "name": "Pizza oven", "warn_after_secs": 300, "late_after_secs": 600 }),
    )
    .await;
    assert_eq!(station["id"], "pizza-oven");
    let category = add(
        &s,
        "/api/v1/menu/categories",
        &manager,
        json!({ "name": "Pizza", "colour": "#C0392B" }),
    )
    .await;
    assert_eq!(category["colour"], "#c0392b");
    let size = add(
        &s,
        "/api/v1/menu/option-groups",
        &manager,
        json!({ "name": "Size", "kind": "choice",
        "options": [{ "name": "Regular" }, { "name": "Large", "price_delta_minor": 300 }] }),
    )
    .await;
    let extras = add(
        &s,
        "/api/v1/menu/option-groups",
        &manager,
        json!({ "name": "Toppings", "kind": "addon",
        "options": [{ "name": "Burrata", "price_delta_minor": 250 }] }),
    )
    .await;
    let pizza = add(&s, "/api/v1/menu/products", &manager, json!({ "name": "Pizza Lucia", "kitchen_name": "Lucia", "price_minor": 1100,
        "category_id": id(&category), "station_id": "pizza-oven", "option_group_ids": [id(&size), id(&extras)] })).await;
    // No rate given: the venue's usual one.
    assert_eq!(pizza["tax_rate_bp"], 1000);
    let room = add(
        &s,
        "/api/v1/floor/rooms",
        &manager,
        json!({ "name": "Garden" }),
    )
    .await;
    for label in ["G1", "G2", "G3"] {
        add(
            &s,
            "/api/v1/floor/tables",
            &manager,
            json!({ "room_id": id(&room), "label": label, "seats": 2 }),
        )
        .await;
    }
    let tables = s.get("/api/v1/floor/tables", &manager).await.1;
    let garden: Vec<_> = tables
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["room_id"] == room["id"])
        .collect();
    let places: Vec<_> = garden
        .iter()
        .map(|t| (t["grid_x"].as_i64().unwrap(), t["grid_y"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        places,
        [(0, 0), (1, 0), (2, 0)],
        "new tables go side by side"
    );

    // The waiter's phone has all of it; the required choice is enforced.
    let snap = s.snapshot(&waiter).await;
    let pizza_id = product(&snap, "Pizza Lucia");
    let option = |group: &Value, i: usize| group["options"][i]["id"].as_str().unwrap().to_owned();
    let (status, refused) = s
        .post(
            "/api/v1/orders",
            &waiter,
            json!({ "table_id": fixture::table(&snap, "G1") }),
        )
        .await;
    assert!(status.is_success(), "{refused}");
    let order = id(&refused);
    let (status, body) = s
        .post(
            &format!("/api/v1/orders/{order}/lines"),
            &waiter,
            json!({ "lines": [{ "product_id": pizza_id, "quantity": 1 }] }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, taken) = s.post(&format!("/api/v1/orders/{order}/lines"), &waiter,
        json!({ "lines": [{ "product_id": pizza_id, "quantity": 1, "option_ids": [option(&size, 1), option(&extras, 0)] }] })).await;
    assert_eq!(status, StatusCode::OK, "{taken}");
    assert_eq!(taken["lines"][0]["unit_price_minor"], 1650);
    let (status, sent) = s
        .post_empty(&format!("/api/v1/orders/{order}/send"), &waiter)
        .await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    let (status, tickets) = s.get("/api/v1/stations/pizza-oven/tickets", &kitchen).await;
    assert_eq!(status, StatusCode::OK, "{tickets}");
    // The cook reads the short kitchen name; the waiter and the bill the menu's.
    assert_eq!(tickets["active"][0]["lines"][0]["product_name"], "Lucia");
    assert_eq!(taken["lines"][0]["product_name"], "Pizza Lucia");

    // A new price is for lines taken from now on.
    let (status, _) = patch(
        &s,
        &format!("/api/v1/menu/products/{pizza_id}"),
        &manager,
        json!({ "price_minor": 1200 }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, order_now) = s.get(&format!("/api/v1/orders/{order}"), &waiter).await;
    assert_eq!(order_now["lines"][0]["unit_price_minor"], 1650);
    // So is a new kitchen name: the ticket on the screen keeps the one it was sent with.
    let (status, renamed) = patch(
        &s,
        &format!("/api/v1/menu/products/{pizza_id}"),
        &manager,
        json!({ "kitchen_name": "" }),
    )
    .await;
    assert_eq!(
        (status, renamed.get("kitchen_name")),
        (StatusCode::OK, None)
    );
    let (_, tickets) = s.get("/api/v1/stations/pizza-oven/tickets", &kitchen).await;
    assert_eq!(tickets["active"][0]["lines"][0]["product_name"], "Lucia");

    // The kitchen may say it is sold out, and nothing else; a waiter may not.
    let path = format!("/api/v1/menu/products/{pizza_id}");
    assert_eq!(
        patch(&s, &path, &waiter, json!({ "available": false }))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        patch(
            &s,
            &path,
            &kitchen,
            json!({ "available": false, "price_minor": 1 })
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let (status, sold_out) = patch(&s, &path, &kitchen, json!({ "available": false })).await;
    assert_eq!(
        (status, sold_out["available"].clone()),
        (StatusCode::OK, json!(false))
    );
    let snap = s.snapshot(&waiter).await;
    let listed = snap["menu"]["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Pizza Lucia")
        .unwrap()
        .clone();
    assert_eq!(listed["available"], false);
}

#[tokio::test]
async fn a_queued_line_for_a_product_taken_off_the_menu_is_refused_by_name() {
    let s = Server::start().await;
    let (manager, waiter) = (s.login(MANAGER).await, s.login(ANA).await);
    let snap = s.snapshot(&waiter).await;
    let (tiramisu, table) = (product(&snap, "Tiramisu"), fixture::table(&snap, "7"));
    let (status, _) = patch(
        &s,
        &format!("/api/v1/menu/products/{tiramisu}"),
        &manager,
        json!({ "retired": true }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let order = new_id();
    let results = s
        .ops(
            &waiter,
            json!([
                { "op_id": new_id(), "type": "open_table", "order_id": order, "table_id": table },
                { "op_id": new_id(), "type": "add_lines", "order_id": order,
                  "lines": [{ "id": new_id(), "product_id": tiramisu, "quantity": 1 }] },
            ]),
        )
        .await;
    assert_eq!(results[1]["status"], "rejected", "{results:?}");
    assert!(
        results[1]["reason"]
            .as_str()
            .unwrap()
            .contains("Tiramisu was taken off the menu"),
        "{results:?}"
    );
    // Retired, not deleted: the back office still lists it, the phones do not.
    let all = s.get("/api/v1/menu/products", &manager).await.1;
    assert!(all
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "Tiramisu" && p["retired"] == true));
    let snap = s.snapshot(&waiter).await;
    assert!(!snap["menu"]["products"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["name"] == "Tiramisu"));
}

#[tokio::test]
async fn the_last_manager_cannot_lock_the_venue_out_and_a_stopped_member_is_signed_out() {
    let s = Server::start().await;
    let manager = s.login(MANAGER).await;
    let staff = s.get("/api/v1/staff", &manager).await.1;
    let member = |name: &str| {
        staff
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .map(id)
            .unwrap()
    };
    let mara = format!("/api/v1/staff/{}", member("Mara"));
    for change in [json!({ "active": false }), json!({ "role": "waiter" })] {
        let (status, body) = patch(&s, &mara, &manager, change).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(body["message"].as_str().unwrap().contains("only manager"));
    }
    let rosa = add(
        &s,
        "/api/v1/staff",
        &manager,
        json!({ "name": "Rosa", "role": "manager", "pin": "5831" }),
    )
    .await;
    assert_eq!(
        (rosa["role"].clone(), rosa["active"].clone()),
        (json!("manager"), json!(true))
    );
    s.login("5831").await;

    // A new name keeps Ana signed in; with a second manager, her new PIN and her stop
    // both hold at once.
    let ana_token = s.login(ANA).await;
    let ana = format!("/api/v1/staff/{}", member("Ana"));
    let (status, renamed) = patch(
        &s,
        &ana,
        &manager,
        json!({ "name": "Anna", "role": "waiter" }),
    )
    .await;
    assert_eq!(
        (status, renamed["name"].clone()),
        (StatusCode::OK, json!("Anna"))
    );
    assert_eq!(s.get("/api/v1/me", &ana_token).await.0, StatusCode::OK);
    let (status, _) = patch(&s, &ana, &manager, json!({ "pin": "6142" })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        s.get("/api/v1/me", &ana_token).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        s.try_login(json!({ "pin": ANA })).await.0,
        StatusCode::UNAUTHORIZED
    );
    let ana_token = s.login("6142").await;
    let (status, stopped) = patch(&s, &ana, &manager, json!({ "active": false })).await;
    assert_eq!(
        (status, stopped["active"].clone()),
        (StatusCode::OK, json!(false))
    );
    assert_eq!(
        s.get("/api/v1/me", &ana_token).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        s.try_login(json!({ "pin": "6142" })).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_venue_is_renamed_and_its_tax_rates_changed_after_setup() {
    let s = Server::start().await;
    let manager = s.login(MANAGER).await;
    let settings = "/api/v1/venue/settings";
    let (status, now) = patch(
        &s,
        settings,
        &manager,
        json!({ "name": "Trattoria Mara", "tax_rates_bp": [1000, 2200, 400] }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{now}");
    assert_eq!(
        (now["name"].clone(), now["tax_rates_bp"].clone()),
        (json!("Trattoria Mara"), json!([1000, 2200, 400]))
    );
    let venue = s.snapshot(&manager).await["venue"].clone();
    assert_eq!(
        (venue["name"].clone(), venue["tax_rates_bp"].clone()),
        (json!("Trattoria Mara"), json!([1000, 2200, 400]))
    );
    for (body, field) in [
        (json!({ "tax_rates_bp": [] }), "tax_rates_bp"),
        (json!({ "tax_rates_bp": [1000, 1000] }), "tax_rates_bp"),
        (json!({ "name": "  " }), "name"),
    ] {
        let (status, answer) = patch(&s, settings, &manager, body.clone()).await;
        assert_eq!(
            (status, answer["field"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!(field)),
            "{body}"
        );
    }
    let waiter = s.login(ANA).await;
    assert_eq!(
        patch(&s, settings, &waiter, json!({ "name": "Mine" }))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        s.snapshot(&manager).await["venue"]["name"],
        "Trattoria Mara"
    );

    // A slip in the setup's country or currency is mended, the currency only before the
    // first order: every amount taken is in it.
    let (status, now) = patch(
        &s,
        settings,
        &manager,
        json!({ "currency": "chf", "country": "ch" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{now}");
    assert_eq!(
        (now["currency"].clone(), now["country"].clone()),
        (json!("CHF"), json!("CH"))
    );
    assert_eq!(s.snapshot(&manager).await["venue"]["currency"], "CHF");
    let (status, refused) = patch(&s, settings, &manager, json!({ "currency": "XYZ" })).await;
    assert_eq!(
        (status, refused["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("currency"))
    );
    let espresso = product(&s.snapshot(&waiter).await, "Espresso");
    s.order_at(
        &waiter,
        "4",
        json!([{ "product_id": espresso, "quantity": 1 }]),
    )
    .await;
    let (status, refused) = patch(&s, settings, &manager, json!({ "currency": "EUR" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(
        refused["message"],
        "the currency stays CHF: orders were taken in it already"
    );
    // The same currency, as the Money rules form sends it back, and a new country are fine.
    let (status, now) = patch(
        &s,
        settings,
        &manager,
        json!({ "currency": "CHF", "country": "LI" }),
    )
    .await;
    assert_eq!(
        (status, now["country"].clone()),
        (StatusCode::OK, json!("LI"))
    );
}

#[tokio::test]
async fn a_group_asks_for_as_many_picks_as_the_manager_set() {
    let s = Server::start().await;
    let (manager, waiter) = (s.login(MANAGER).await, s.login(ANA).await);
    let options = json!([{ "name": "Fries" }, { "name": "Salad" }, { "name": "Slaw" }]);
    // Limits that cannot be met are refused by name, and nothing is made.
    for (limits, field) in [
        (json!({ "min_picks": 4 }), "min_picks"),
        (json!({ "min_picks": 2, "max_picks": 1 }), "max_picks"),
        (json!({ "min_picks": 0, "max_picks": 0 }), "max_picks"),
        (json!({ "max_picks": 31 }), "max_picks"),
    ] {
        let mut body = json!({ "name": "Sides", "kind": "choice", "options": options });
        body.as_object_mut()
            .unwrap()
            .extend(limits.as_object().unwrap().clone());
        let (status, refused) = s.post("/api/v1/menu/option-groups", &manager, body).await;
        assert_eq!(
            (status, refused["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{limits}: {refused}"
        );
    }
    let all = s.get("/api/v1/menu/option-groups", &manager).await.1;
    assert!(!all.as_array().unwrap().iter().any(|g| g["name"] == "Sides"));

    let sides = add(
        &s,
        "/api/v1/menu/option-groups",
        &manager,
        json!({ "name": "Sides", "kind": "choice", "options": options, "min_picks": 2, "max_picks": 2 }),
    )
    .await;
    let snap = s.snapshot(&manager).await;
    let burger = product(&snap, "Burger");
    let (status, _) = patch(
        &s,
        &format!("/api/v1/menu/products/{burger}"),
        &manager,
        json!({ "option_group_ids": [id(&sides)] }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let side = |i: usize| sides["options"][i]["id"].clone();

    let table = fixture::table(&s.snapshot(&waiter).await, "1");
    let (status, order) = s
        .post("/api/v1/orders", &waiter, json!({ "table_id": table }))
        .await;
    assert!(status.is_success(), "{order}");
    let path = format!("/api/v1/orders/{}/lines", id(&order));
    let line = |picks: Vec<Value>| json!({ "lines": [{ "product_id": burger, "quantity": 1, "option_ids": picks }] });
    let (status, refused) = s.post(&path, &waiter, line(vec![side(0)])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["message"], "choose 2 for \"Sides\"");
    let (status, taken) = s.post(&path, &waiter, line(vec![side(0), side(2)])).await;
    assert_eq!(status, StatusCode::OK, "{taken}");
    let names: Vec<_> = taken["lines"][0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Fries", "Slaw"]);

    // Made optional later: none is fine, two are too many.
    let (status, changed) = patch(
        &s,
        &format!("/api/v1/menu/option-groups/{}", id(&sides)),
        &manager,
        json!({ "min_picks": 0, "max_picks": 1 }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(
        (changed["min_picks"].clone(), changed["max_picks"].clone()),
        (json!(0), json!(1))
    );
    let (status, _) = s.post(&path, &waiter, line(vec![])).await;
    assert_eq!(status, StatusCode::OK);
    let (status, refused) = s.post(&path, &waiter, line(vec![side(0), side(1)])).await;
    assert_eq!(
        (status, refused["message"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("choose up to 1 for \"Sides\"")
        )
    );
    // And back to the usual: exactly one.
    let (status, usual) = patch(
        &s,
        &format!("/api/v1/menu/option-groups/{}", id(&sides)),
        &manager,
        json!({ "min_picks": null, "max_picks": null }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{usual}");
    assert_eq!(
        (usual.get("min_picks"), usual.get("max_picks")),
        (None, None)
    );
    let (_, refused) = s.post(&path, &waiter, line(vec![])).await;
    assert_eq!(refused["message"], "choose one for \"Sides\"");
}

#[tokio::test]
async fn tables_have_shapes_and_are_taken_off_the_floor_only_when_free() {
    let s = Server::start().await;
    let (manager, waiter) = (s.login(MANAGER).await, s.login(ANA).await);
    let room = add(
        &s,
        "/api/v1/floor/rooms",
        &manager,
        json!({ "name": "Garden" }),
    )
    .await;
    let round = add(
        &s,
        "/api/v1/floor/tables",
        &manager,
        json!({ "room_id": id(&room), "label": "G1", "shape": "round" }),
    )
    .await;
    let long = add(
        &s,
        "/api/v1/floor/tables",
        &manager,
        json!({ "room_id": id(&room), "label": "G2", "shape": "long", "seats": 8 }),
    )
    .await;
    assert_eq!(round["shape"], "round");
    // A long table spans two cells unless told otherwise.
    assert_eq!(
        (long["shape"].clone(), long["grid_w"].clone()),
        (json!("long"), json!(2))
    );
    let (status, refused) = s
        .post(
            "/api/v1/floor/tables",
            &manager,
            json!({ "room_id": id(&room), "label": "G3", "shape": "oval" }),
        )
        .await;
    // Not a shape: refused as a body that does not parse, naming the field.
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("shape"));

    // A table with an open order stays; a free one goes, and its label is free again.
    s.order_at(
        &waiter,
        "G1",
        json!([{ "product_id": product(&s.snapshot(&waiter).await, "Espresso"), "quantity": 1 }]),
    )
    .await;
    let table_path = |t: &Value| format!("/api/v1/floor/tables/{}", id(t));
    let (status, refused) = patch(
        &s,
        &table_path(&round),
        &manager,
        json!({ "retired": true }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(refused["message"]
        .as_str()
        .unwrap()
        .contains("is open at this table"));
    let (status, gone) = patch(&s, &table_path(&long), &manager, json!({ "retired": true })).await;
    assert_eq!(
        (status, gone["retired"].clone()),
        (StatusCode::OK, json!(true))
    );
    let snap = s.snapshot(&waiter).await;
    let labels: Vec<_> = snap["floor"]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["label"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        labels.contains(&"G1".into()) && !labels.contains(&"G2".into()),
        "{labels:?}"
    );
    let newer = add(
        &s,
        "/api/v1/floor/tables",
        &manager,
        json!({ "room_id": id(&room), "label": "G2" }),
    )
    .await;
    // Put back, the old G2 would have a label another table has now.
    let (status, refused) = patch(
        &s,
        &table_path(&long),
        &manager,
        json!({ "retired": false }),
    )
    .await;
    assert_eq!(
        (status, refused["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("label"))
    );
    // A phone that queued opening the old table offline is told why it cannot.
    let results = s
        .ops(
            &waiter,
            json!([{ "op_id": new_id(), "type": "open_table", "order_id": new_id(), "table_id": id(&long) }]),
        )
        .await;
    assert_eq!(results[0]["status"], "rejected", "{results:?}");
    assert!(
        results[0]["reason"]
            .as_str()
            .unwrap()
            .contains("table G2 was taken off the floor"),
        "{results:?}"
    );

    // A room goes once it has no tables.
    let room_path = format!("/api/v1/floor/rooms/{}", id(&room));
    let (status, refused) = patch(&s, &room_path, &manager, json!({ "retired": true })).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    let other_room = fixture::id_where(
        &s.get("/api/v1/floor/rooms", &manager).await.1,
        "name",
        "Dining room",
    );
    for t in [&round, &newer] {
        let (status, moved) = patch(
            &s,
            &table_path(t),
            &manager,
            json!({ "room_id": other_room, "grid_y": 9 }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{moved}");
    }
    let (status, gone) = patch(&s, &room_path, &manager, json!({ "retired": true })).await;
    assert_eq!(
        (status, gone["retired"].clone()),
        (StatusCode::OK, json!(true))
    );
    let snap = s.snapshot(&waiter).await;
    assert!(!snap["floor"]["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["name"] == "Garden"));
    // A table whose room is off the floor too comes back only with another room.
    let (status, refused) = patch(
        &s,
        &table_path(&long),
        &manager,
        json!({ "retired": false }),
    )
    .await;
    assert_eq!(
        (status, refused["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("room_id")),
        "{refused}"
    );
}

#[tokio::test]
async fn portions_left_count_down_to_sold_out_and_come_back_when_a_line_is_taken_off() {
    let s = Server::start().await;
    let (manager, waiter, kitchen) = (
        s.login(MANAGER).await,
        s.login(ANA).await,
        s.login(KITCHEN).await,
    );
    let tiramisu = product(&s.snapshot(&waiter).await, "Tiramisu");
    let path = format!("/api/v1/menu/products/{tiramisu}");
    // The kitchen says how many are left; a waiter may not.
    assert_eq!(
        patch(&s, &path, &waiter, json!({ "stock_left": 2 }))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (status, counted) = patch(&s, &path, &kitchen, json!({ "stock_left": 2 })).await;
    assert_eq!(
        (status, counted["stock_left"].clone()),
        (StatusCode::OK, json!(2))
    );
    assert_eq!(
        patch(&s, &path, &kitchen, json!({ "stock_left": -1 }))
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let table = fixture::table(&s.snapshot(&waiter).await, "3");
    let (_, order) = s
        .post("/api/v1/orders", &waiter, json!({ "table_id": table }))
        .await;
    let lines = format!("/api/v1/orders/{}/lines", id(&order));
    let take = |n: i64| json!({ "lines": [{ "product_id": tiramisu, "quantity": n }] });
    let (status, refused) = s.post(&lines, &waiter, take(3)).await;
    assert_eq!(
        (
            status,
            refused["field"].as_str(),
            refused["message"].as_str()
        ),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("lines[0].quantity"),
            Some("only 2 Tiramisu left")
        )
    );
    // Two lines of one in one request: the second takes the last.
    let two = json!({ "lines": [{ "product_id": tiramisu, "quantity": 1 }, { "product_id": tiramisu, "quantity": 1 }] });
    let (status, taken) = s.post(&lines, &waiter, two).await;
    assert_eq!(status, StatusCode::OK, "{taken}");
    let listed = |snap: &Value| {
        snap["menu"]["products"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "Tiramisu")
            .map(|p| (p["stock_left"].clone(), p["available"].clone()))
            .unwrap()
    };
    assert_eq!(listed(&s.snapshot(&waiter).await), (json!(0), json!(false)));
    let (status, refused) = s.post(&lines, &waiter, take(1)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");

    // Taken off before it was sent: the portion is there to sell again.
    let line = taken["lines"][0]["id"].as_str().unwrap();
    let results = s
        .ops(
            &waiter,
            json!([{ "op_id": new_id(), "type": "remove_line", "order_id": id(&order), "line_id": line }]),
        )
        .await;
    assert_eq!(results[0]["status"], "applied", "{results:?}");
    assert_eq!(listed(&s.snapshot(&waiter).await), (json!(1), json!(true)));

    // Sold out by its count, then put back on sale by hand: no longer counted, or every
    // line would be refused.
    let (status, _) = patch(&s, &path, &kitchen, json!({ "stock_left": 0 })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed(&s.snapshot(&waiter).await), (json!(0), json!(false)));
    let (status, back) = patch(&s, &path, &kitchen, json!({ "available": true })).await;
    assert_eq!(
        (status, back.get("stock_left"), back["available"].clone()),
        (StatusCode::OK, None, json!(true))
    );

    // Counting stops with null; the manager can still sell it out by hand.
    let (status, uncounted) = patch(&s, &path, &manager, json!({ "stock_left": null })).await;
    assert_eq!(
        (status, uncounted.get("stock_left")),
        (StatusCode::OK, None)
    );
    let (status, _) = s.post(&lines, &waiter, take(5)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_manager_lets_a_role_do_more_and_the_server_holds_to_it() {
    let s = Server::start().await;
    let (manager, waiter, kitchen) = (
        s.login(MANAGER).await,
        s.login(ANA).await,
        s.login(KITCHEN).await,
    );
    let (status, roles) = s.get("/api/v1/roles", &manager).await;
    assert_eq!(status, StatusCode::OK, "{roles}");
    let sells_out: Vec<_> = roles
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["role"].as_str().unwrap(),
                r["sells_out"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        sells_out,
        [
            ("manager", true),
            ("waiter", false),
            ("cashier", false),
            ("kitchen", true)
        ]
    );
    assert_eq!(
        s.get("/api/v1/roles", &waiter).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        patch(
            &s,
            "/api/v1/roles/waiter",
            &waiter,
            json!({ "sells_out": true })
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let (status, refused) = patch(
        &s,
        "/api/v1/roles/manager",
        &manager,
        json!({ "sells_out": false }),
    )
    .await;
    assert_eq!(
        (status, refused["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("role"))
    );
    let (status, refused) = patch(
        &s,
        "/api/v1/roles/waiter",
        &manager,
        json!({ "discount_limit_minor": -5 }),
    )
    .await;
    assert_eq!(
        (status, refused["field"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("discount_limit_minor")
        )
    );

    // Sold out: the waiters may now, the kitchen no longer.
    let snap = s.snapshot(&waiter).await;
    let gelato = format!("/api/v1/menu/products/{}", product(&snap, "Gelato"));
    assert_eq!(
        patch(&s, &gelato, &waiter, json!({ "available": false }))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    for (role, allowed) in [("waiter", true), ("kitchen", false)] {
        let (status, now) = patch(
            &s,
            &format!("/api/v1/roles/{role}"),
            &manager,
            json!({ "sells_out": allowed }),
        )
        .await;
        assert_eq!(
            (status, now["sells_out"].as_bool()),
            (StatusCode::OK, Some(allowed)),
            "{now}"
        );
    }
    assert_eq!(
        patch(&s, &gelato, &waiter, json!({ "available": false }))
            .await
            .0,
        StatusCode::OK
    );
    let (status, refused) = patch(&s, &gelato, &kitchen, json!({ "available": true })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(refused["message"]
        .as_str()
        .unwrap()
        .contains("a manager can allow it under Staff"));

    // A head waiter's discount limit: €20 without a manager, where the venue's is €10.
    let placed = s
        .sent_order_at(
            &waiter,
            "3",
            json!([{ "product_id": product(&snap, "Lasagna"), "quantity": 2 }]),
        )
        .await;
    let discounts = format!("/api/v1/orders/{}/discounts", id(&placed));
    let fifteen_off = json!({ "kind": "amount", "value": 1500, "reason": "Birthday" });
    assert_eq!(
        s.post(&discounts, &waiter, fifteen_off.clone()).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, _) = patch(
        &s,
        "/api/v1/roles/waiter",
        &manager,
        json!({ "discount_limit_minor": 2000 }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // The phone is told, so it asks for a manager's PIN only when the server will.
    assert_eq!(
        s.snapshot(&waiter).await["discount_approval_above_minor"],
        2000
    );
    assert_eq!(
        s.snapshot(&kitchen).await["discount_approval_above_minor"],
        1000
    );
    let (status, given) = s.post(&discounts, &waiter, fifteen_off).await;
    assert_eq!(status, StatusCode::OK, "{given}");
    assert_eq!(given["discounts"][0]["approved_by"], Value::Null);
    let (status, _) = s
        .post(
            &discounts,
            &waiter,
            json!({ "kind": "amount", "value": 600, "reason": "Regular" }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "15 + 6 is over 20");

    // The cash drawer: a cashier opens it from the counter once allowed.
    let cashier = s.login(fixture::CASHIER).await;
    assert_eq!(
        s.post_empty("/api/v1/drawer", &cashier).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, _) = patch(
        &s,
        "/api/v1/roles/cashier",
        &manager,
        json!({ "opens_drawer": true }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        s.snapshot(&cashier).await["permissions"]["opens_drawer"],
        true
    );
    let (status, pulse) = s.post_empty("/api/v1/drawer", &cashier).await;
    assert_eq!(
        (status, pulse["kind"].as_str()),
        (StatusCode::ACCEPTED, Some("drawer_pulse")),
        "{pulse}"
    );
}
