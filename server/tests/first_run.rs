//! A new box, started without `--demo`, as its owner meets it: every page leads to the
//! setup, which takes the venue's and the owner's details once, refuses what is wrong
//! field by field, and signs the owner in.

mod fixture;

use fixture::Server;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn answers(template: Option<&str>) -> Value {
    json!({
        "venue_name": "  Osteria Lucia ",
        "currency": "eur",
        "time_zone": "Europe/Rome",
        "tax_mode": "inclusive",
        "owner_name": "Lucia",
        "owner_pin": "4711",
        "country": "it",
        "tax_rates_bp": [1000, 2200],
        "template": template,
    })
}

async fn setup(s: &Server, body: Value) -> (StatusCode, Value) {
    s.call(Method::POST, "/api/v1/setup", None, Some(body))
        .await
}

async fn needed(s: &Server) -> bool {
    let (status, body) = s.call(Method::GET, "/api/v1/setup", None, None).await;
    assert_eq!(status, StatusCode::OK);
    body["needed"].as_bool().unwrap()
}

/// Where a page a person opens ends up after the box's redirects.
async fn lands_on(s: &Server, page: &str) -> String {
    let r = s
        .http
        .get(s.url(page))
        .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .send()
        .await
        .unwrap();
    r.url().path().to_owned()
}

#[tokio::test]
async fn a_new_box_is_set_up_once_by_its_owner_who_is_signed_in() {
    let s = Server::start_empty().await;
    assert!(needed(&s).await);
    for page in ["/", "/floor", "/manager", "/kitchen/bar", "/pickup"] {
        assert_eq!(lands_on(&s, page).await, "/setup", "{page}");
    }
    // The service worker keeping the shell gets it as it is, not a redirect.
    let shell = s.http.get(s.url("/")).header("accept", "*/*").send().await;
    assert_eq!(shell.unwrap().url().path(), "/");
    // Nobody can sign in yet, whatever the PIN.
    let (status, _) = s.try_login(json!({ "pin": "4711" })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, body) = setup(&s, answers(Some("restaurant"))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["staff"]["name"], "Lucia");
    assert_eq!(body["staff"]["role"], "manager");
    let token = body["token"].as_str().unwrap().to_owned();

    // The owner is signed in, and the venue is as they said, with the restaurant's menu.
    let (status, me) = s.get("/api/v1/me", &token).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    let snapshot = s.snapshot(&token).await;
    let venue = &snapshot["venue"];
    assert_eq!(venue["name"], "Osteria Lucia");
    assert_eq!(venue["currency"], "EUR");
    assert_eq!(venue["country"], "IT");
    assert_eq!(venue["tax_rates_bp"], json!([1000, 2200]));
    let products = snapshot["menu"]["products"].as_array().unwrap();
    assert_eq!(products.len(), 31);
    let rate_of = |name: &str| {
        products.iter().find(|p| p["name"] == name).unwrap()["tax_rate_bp"]
            .as_i64()
            .unwrap()
    };
    assert_eq!((rate_of("Lasagna"), rate_of("Negroni")), (1000, 2200));
    assert_eq!(snapshot["floor"]["tables"].as_array().unwrap().len(), 12);

    // Set up once: a second owner is refused and changes nothing.
    let mut again = answers(None);
    again["owner_pin"] = json!("8642");
    let (status, body) = setup(&s, again).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(!needed(&s).await);
    assert_eq!(lands_on(&s, "/").await, "/");
    let (status, _) = s.try_login(json!({ "pin": "8642" })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    s.login("4711").await;
}

#[tokio::test]
async fn wrong_answers_are_named_by_field_and_change_nothing() {
    let s = Server::start_empty().await;
    let cases = [
        ("owner_pin", json!("1234")),
        ("owner_pin", json!("0000")),
        ("owner_pin", json!("12")),
        ("currency", json!("JPY")),
        ("time_zone", json!("Mars/Olympus")),
        ("venue_name", json!("   ")),
        ("owner_name", json!("x".repeat(61))),
        ("country", json!("Italy")),
        ("tax_rates_bp", json!([1000, 1000])),
        ("tax_rates_bp", json!([9000])),
    ];
    for (field, value) in cases {
        let mut body = answers(Some("cafe"));
        body[field] = value.clone();
        let (status, answer) = setup(&s, body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field} = {value}: {answer}"
        );
        assert_eq!(answer["field"], field, "{answer}");
        assert!(needed(&s).await, "{field} = {value} set the venue up");
    }
    // A template that does not exist is not the expected JSON at all.
    let mut body = answers(Some("cafe"));
    body["template"] = json!("spaceship");
    let (status, answer) = setup(&s, body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert!(answer["message"].as_str().unwrap().contains("spaceship"));
    assert!(needed(&s).await);
}

#[tokio::test]
async fn a_venue_started_empty_has_no_menu_and_no_floor() {
    let s = Server::start_empty().await;
    let (status, body) = setup(&s, answers(None)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let snapshot = s.snapshot(body["token"].as_str().unwrap()).await;
    assert_eq!(snapshot["menu"]["products"], json!([]));
    assert_eq!(snapshot["menu"]["stations"], json!([]));
    assert_eq!(snapshot["floor"]["tables"], json!([]));
}
