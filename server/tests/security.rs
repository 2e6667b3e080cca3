//! The box as a stranger on the venue's Wi-Fi meets it: PIN floods, guessing a manager's
//! PIN through approvals, tokens that outlive a sign-out, secrets and headers. Each test
//! runs the real binary.

mod fixture;

use fixture::{free_port, product, Server, ANA, KITCHEN, MANAGER};
use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// The server's resident memory, in bytes.
fn rss_bytes(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap();
    kb * 1024
}

/// Signs in with `pin` until the throttle lets it, waiting as `Retry-After` says (at most
/// `tries` waits); returns the last status.
async fn login_after_backoff(s: &Server, pin: &str, tries: usize) -> StatusCode {
    for _ in 0..tries {
        let r = s
            .http
            .post(s.url("/api/v1/login"))
            .json(&json!({ "pin": pin }))
            .send()
            .await
            .unwrap();
        if r.status() != StatusCode::TOO_MANY_REQUESTS {
            return r.status();
        }
        let wait: u64 = r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(wait <= 300, "Retry-After {wait}");
        tokio::time::sleep(Duration::from_secs(wait)).await;
    }
    StatusCode::TOO_MANY_REQUESTS
}

#[tokio::test]
async fn a_flood_of_wrong_pins_keeps_memory_flat_is_throttled_and_the_right_pin_still_works() {
    let s = Server::start().await;
    // One sign-in first, so the baseline includes what any running box has.
    s.login(MANAGER).await;
    let before = rss_bytes(s.pid());
    let attempts = (0..200).map(|i| {
        let (http, url) = (s.http.clone(), s.url("/api/v1/login"));
        // 4-digit PINs that no demo staff member has
        let pin = format!("{:04}", 5000 + i);
        async move {
            let r = http
                .post(url)
                .header("x-comanda-device", format!("phone-{}", i % 7))
                .json(&json!({ "pin": pin }))
                .send()
                .await
                .unwrap();
            let retry_after = r.headers().get("retry-after").cloned();
            (r.status(), retry_after)
        }
    });
    let answers = futures_util::future::join_all(attempts).await;
    let count = |code| answers.iter().filter(|(s, _)| *s == code).count();
    assert_eq!(
        count(StatusCode::UNAUTHORIZED) + count(StatusCode::TOO_MANY_REQUESTS),
        200,
        "only wrong-PIN and wait answers"
    );
    assert!(
        count(StatusCode::TOO_MANY_REQUESTS) >= 190,
        "{} of 200 waited",
        count(StatusCode::TOO_MANY_REQUESTS)
    );
    assert!(answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::TOO_MANY_REQUESTS)
        .all(|(_, r)| r.is_some()));
    let after = rss_bytes(s.pid());
    assert!(
        after < before + 50 * 1024 * 1024,
        "memory grew from {} MiB to {} MiB",
        before >> 20,
        after >> 20
    );

    // The manager, on the same address, gets in once the back-off is over.
    assert_eq!(login_after_backoff(&s, MANAGER, 3).await, StatusCode::OK);

    // Every checked wrong PIN is in the audit log, and the manager sees the count.
    let manager = s.login(MANAGER).await;
    let (status, wrong) = s.get("/api/v1/staff/wrong-pins", &manager).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(wrong["sign_in"], count(StatusCode::UNAUTHORIZED) as i64);
    let ana = s.login(ANA).await;
    assert_eq!(
        s.get("/api/v1/staff/wrong-pins", &ana).await.0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_pin_set_before_lookups_existed_still_signs_in_and_is_found_directly_after() {
    let s = Server::start().await;
    let db = s.db().await;
    sqlx::query("UPDATE staff SET pin_lookup = NULL WHERE name = 'Ana'")
        .execute(&db)
        .await
        .unwrap();
    s.login(ANA).await;
    let lookup: Option<String> =
        sqlx::query_scalar("SELECT pin_lookup FROM staff WHERE name = 'Ana'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(lookup.is_some_and(|l| l.len() == 64));
}

#[tokio::test]
async fn a_pin_hashed_with_older_parameters_signs_in_and_is_rehashed() {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let s = Server::start().await;
    let db = s.db().await;
    // argon2's default (19 MiB, 2 passes), as PINs were hashed before.
    let old = argon2::Argon2::default()
        .hash_password(ANA.as_bytes(), &SaltString::generate(&mut OsRng))
        .unwrap()
        .to_string();
    sqlx::query("UPDATE staff SET pin_hash = ? WHERE name = 'Ana'")
        .bind(&old)
        .execute(&db)
        .await
        .unwrap();
    s.login(ANA).await;
    let hash: String = sqlx::query_scalar("SELECT pin_hash FROM staff WHERE name = 'Ana'")
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"), "{hash}");
    // The new hash is the same PIN, and is kept from then on.
    s.login(ANA).await;
    let kept: String = sqlx::query_scalar("SELECT pin_hash FROM staff WHERE name = 'Ana'")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(kept, hash);

    // A PIN from before lookups existed, with an old hash: both are renewed at once.
    sqlx::query("UPDATE staff SET pin_hash = ?, pin_lookup = NULL WHERE name = 'Ana'")
        .bind(&old)
        .execute(&db)
        .await
        .unwrap();
    s.login(ANA).await;
    let (hash, lookup): (String, Option<String>) =
        sqlx::query_as("SELECT pin_hash, pin_lookup FROM staff WHERE name = 'Ana'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"), "{hash}");
    assert!(lookup.is_some());
}

/// POSTs `body`, waiting out `Retry-After` if the throttle asks (at most three times).
async fn post_after_backoff(
    s: &Server,
    path: &str,
    token: &str,
    body: Value,
) -> (StatusCode, Value) {
    for _ in 0..3 {
        let r = s
            .http
            .post(s.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        if r.status() != StatusCode::TOO_MANY_REQUESTS {
            let status = r.status();
            return (status, r.json().await.unwrap_or(Value::Null));
        }
        let wait: u64 = r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        tokio::time::sleep(Duration::from_secs(wait)).await;
    }
    panic!("{path} still throttled after three waits");
}

/// Ana's sent order at `table` with one Lasagna; returns (order id, line id).
async fn sent_lasagna(s: &Server, ana: &str, table_label: &str) -> (String, String) {
    let snap = s.snapshot(ana).await;
    let order = s
        .sent_order_at(
            ana,
            table_label,
            json!([{ "product_id": product(&snap, "Lasagna"), "quantity": 1 }]),
        )
        .await;
    let id = order["id"].as_str().unwrap().to_owned();
    let line = order["lines"][0]["id"].as_str().unwrap().to_owned();
    (id, line)
}

#[tokio::test]
async fn a_managers_pin_cannot_be_learnt_from_approvals() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let missing = fixture::new_id();
    // Every PIN attempt below counts in the throttle (a right PIN on a request that fails
    // too, or it would stand out): after five, each waits as Retry-After says.
    let post = |path: String, body: Value| {
        let (s, ana) = (&s, ana.clone());
        async move { post_after_backoff(s, &path, &ana, body).await }
    };
    // A refund of an order that does not exist: the same answer for the right PIN and a
    // wrong one, so trying PINs there tells nothing.
    let refund = |pin: &str| json!({ "method": "cash", "amount_minor": 100, "reason": "cold", "manager_pin": pin });
    let refunds = format!("/api/v1/orders/{missing}/refunds");
    let right = post(refunds.clone(), refund(MANAGER)).await;
    let wrong = post(refunds.clone(), refund("8765")).await;
    assert_eq!(right.0, StatusCode::NOT_FOUND, "{}", right.1);
    assert_eq!(wrong.0, right.0, "{}", wrong.1);
    assert_eq!(wrong.1["error"], right.1["error"]);

    // The same for a void of a line that is not there, and a write-off.
    let (order, line) = sent_lasagna(&s, &ana, "7").await;
    let reason = s.snapshot(&ana).await["void_reasons"][0]["id"].clone();
    let void = |pin: &str| json!({ "reason_id": reason, "manager_pin": pin });
    let no_line = format!("/api/v1/orders/{order}/lines/{}/void", fixture::new_id());
    for pin in [MANAGER, "8765"] {
        let (status, body) = post(no_line.clone(), void(pin)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "PIN {pin}: {body}");
    }
    let write_off = json!({ "reason": "walked out", "manager_pin": "8765" });
    let (status, _) = post(format!("/api/v1/orders/{missing}/write-off"), write_off).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // On a request that is fine otherwise, a wrong PIN (a waiter's too) is refused and
    // changes nothing; the right one approves.
    let path = format!("/api/v1/orders/{order}/lines/{line}/void");
    for pin in ["8765", ANA] {
        let (status, body) = post(path.clone(), void(pin)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert!(body["message"]
            .as_str()
            .unwrap()
            .contains("not a manager's"));
    }
    let kept = s.get(&format!("/api/v1/orders/{order}"), &ana).await.1;
    assert_ne!(kept["lines"][0]["status"], "void");
    let (status, voided) = post(path, void(MANAGER)).await;
    assert_eq!(status, StatusCode::OK, "{voided}");

    // Guessing on: seven failures count still (a success takes back only its own), so
    // the next guess goes through and the one after it waits.
    let (status, _) = s.post(&refunds, &ana, refund("6000")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = s.post(&refunds, &ana, refund("6001")).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "approvals are throttled"
    );
    let manager = s.login(MANAGER).await;
    let wrong = s.get("/api/v1/staff/wrong-pins", &manager).await.1;
    assert_eq!(wrong["approval"], 6, "five wrong PINs, then 6000: {wrong}");
    assert_eq!(wrong["sign_in"], 0, "approvals are not sign-ins: {wrong}");
}

/// A stream ticket for `token`'s session.
async fn ticket(s: &Server, token: &str) -> String {
    let (status, body) = s.post_empty("/api/v1/stream-tickets", token).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["ticket"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn signing_out_ends_the_session_its_tickets_and_its_live_stream() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    // A browser opens its stream with a ticket: the session token never goes in a URL.
    let t = ticket(&s, &ana).await;
    let stream = s
        .http
        .get(s.url(&format!("/api/v1/events?ticket={t}")))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    let mut body = stream.bytes_stream();

    assert_eq!(
        s.post_empty("/api/v1/logout", &ana).await.0,
        StatusCode::NO_CONTENT
    );
    // The stream closes (keep-alive comments may come first).
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(chunk) = body.next().await {
            if chunk.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the live stream outlived the session");
    assert_eq!(s.get("/api/v1/me", &ana).await.0, StatusCode::UNAUTHORIZED);
    let again = s
        .http
        .get(s.url(&format!("/api/v1/events?ticket={t}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.status(),
        StatusCode::UNAUTHORIZED,
        "the ticket ended too"
    );

    // Tokens are never taken from a URL, and tickets only on live streams.
    let luca = s.login(fixture::LUCA).await;
    let luca_ticket = ticket(&s, &luca).await;
    for path in [
        format!("/api/v1/events?token={luca}"),
        format!("/api/v1/snapshot?token={luca}"),
        format!("/api/v1/snapshot?ticket={luca_ticket}"),
    ] {
        let (status, _) = s.call(Method::GET, &path, None, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
    }
    let scans = s
        .http
        .get(s.url(&format!("/api/v1/scans?ticket={luca_ticket}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        scans.status(),
        StatusCode::OK,
        "a ticket opens the scanner stream"
    );
}

#[tokio::test]
async fn an_idle_session_ends_and_ended_sessions_are_deleted() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let luca = s.login(fixture::LUCA).await;
    let db = s.db().await;
    // Ana's phone has not been used for nine hours (the demo's idle limit is eight).
    let nine_hours_ago = chrono_ms() - 9 * 3_600_000;
    sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE staff_id = (SELECT id FROM staff WHERE name = 'Ana')")
        .bind(nine_hours_ago)
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(s.get("/api/v1/me", &ana).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(s.get("/api/v1/me", &luca).await.0, StatusCode::OK);
    let deleted = server::services::sessions::delete_ended(&db, 480)
        .await
        .unwrap();
    assert_eq!(deleted, 1);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(left, 1);
}

fn chrono_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[tokio::test]
async fn the_kitchen_sees_takeaway_orders_without_the_customers_phone() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let kim = s.login(KITCHEN).await;
    let stream = |token: String| {
        s.http
            .get(s.url("/api/v1/events"))
            .bearer_auth(token)
            .send()
    };
    let (waiter_live, kitchen_live) = (
        stream(ana.clone()).await.unwrap(),
        stream(kim.clone()).await.unwrap(),
    );
    let (status, order) = s
        .post(
            "/api/v1/takeaways",
            &ana,
            json!({ "customer_name": "Zoe", "phone": "+39 333 765 4321", "sms_consent": true }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let find = |snap: &Value| {
        snap["orders"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == order["id"])
            .unwrap()["takeaway"]
            .clone()
    };
    let waiter_view = find(&s.snapshot(&ana).await);
    assert_eq!(waiter_view["phone"], "+393337654321");
    let kitchen_view = find(&s.snapshot(&kim).await);
    assert_eq!(kitchen_view["customer_name"], "Zoe");
    assert!(kitchen_view["phone"].is_null(), "{kitchen_view}");
    // The live events carry the order: the same holds there.
    let waiter_event = first_event(waiter_live).await;
    assert_eq!(waiter_event["order"]["takeaway"]["phone"], "+393337654321");
    let kitchen_event = first_event(kitchen_live).await;
    assert_eq!(kitchen_event["order"]["takeaway"]["customer_name"], "Zoe");
    assert!(
        kitchen_event["order"]["takeaway"]["phone"].is_null(),
        "{kitchen_event}"
    );
}

/// The first event on a live stream (within 10 s).
async fn first_event(resp: reqwest::Response) -> Value {
    use futures_util::StreamExt;
    let mut stream = resp.bytes_stream();
    let mut buf = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let chunk = tokio::time::timeout_at(deadline, stream.next())
            .await
            .expect("an event within 10 s")
            .expect("the stream stays open")
            .unwrap();
        buf.push_str(&String::from_utf8_lossy(&chunk));
        if let Some(data) = buf
            .split("\n\n")
            .filter(|block| buf.contains("\n\n") && !block.is_empty())
            .find_map(|block| block.lines().find_map(|l| l.strip_prefix("data:")))
        {
            return serde_json::from_str(data.trim()).unwrap();
        }
    }
}

#[tokio::test]
async fn a_new_sms_address_needs_the_token_typed_again() {
    let s = Server::start().await;
    let manager = s.login(MANAGER).await;
    let put = |body: Value| {
        s.call(
            Method::PUT,
            "/api/v1/sms/provider",
            Some(&manager),
            Some(body),
        )
    };
    let provider = |url: &str, token: Option<&str>| json!({ "base_url": url, "account_sid": "AC0123", "auth_token": token, "sender": "Trattoria", "enabled": true });
    assert_eq!(
        put(provider("https://sms.example", Some("s3cret"))).await.0,
        StatusCode::OK
    );
    // Same address: the stored token is kept.
    assert_eq!(
        put(provider("https://sms.example", None)).await.0,
        StatusCode::OK
    );
    // Another address: refused until the token is typed again, and nothing changes.
    let (status, err) = put(provider("http://10.0.0.66:8000", None)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["field"], "auth_token");
    assert!(err["message"].as_str().unwrap().contains("again"), "{err}");
    let settings = s.get("/api/v1/sms/settings", &manager).await.1;
    assert_eq!(settings["base_url"], "https://sms.example", "{settings}");
    assert_eq!(
        put(provider("http://10.0.0.66:8000", Some("other")))
            .await
            .0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn wrong_methods_get_405_and_answers_carry_security_headers() {
    let s = Server::start().await;
    let (status, body) = s.call(Method::DELETE, "/api/v1/login", None, None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
    assert_eq!(body["error"], "method_not_allowed");
    for path in ["/", "/floor", "/api/v1/health"] {
        let r = s.http.get(s.url(path)).send().await.unwrap();
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("'unsafe-eval'"), "{path}: {csp}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        // Plain HTTP (behind a proxy): no HSTS here.
        assert!(h.get("strict-transport-security").is_none());
    }
}

#[tokio::test]
async fn pickup_screens_are_capped_and_a_closed_one_frees_its_place() {
    let s = Server::start_with(&["--max-pickup-screens", "2"]).await;
    let open = || s.http.get(s.url("/api/v1/pickup/live")).send();
    let first = open().await.unwrap();
    let second = open().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(second.status(), StatusCode::OK);
    let third = open().await.unwrap();
    assert_eq!(third.status(), StatusCode::SERVICE_UNAVAILABLE);
    drop(first);
    // The place frees once the server notices the screen went away.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if open().await.unwrap().status() == StatusCode::OK {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the closed screen's place stayed taken"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(second);
}

#[tokio::test]
async fn https_with_the_boxs_own_ca_and_a_setup_page_for_phones() {
    let setup_port = free_port();
    let s = Server::start_https(Some(setup_port)).await;
    // `s.http` trusts only the box's CA: this request proves the certificate chain and
    // that it names 127.0.0.1.
    let r = s.http.get(s.url("/api/v1/health")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
    let ana = s.login(ANA).await;
    assert_eq!(s.get("/api/v1/me", &ana).await.0, StatusCode::OK);

    // A client that does not trust the CA is refused the connection.
    let stranger = reqwest::Client::new();
    assert!(stranger.get(s.url("/api/v1/health")).send().await.is_err());

    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let setup = format!("http://127.0.0.1:{setup_port}");
    let page = plain.get(format!("{setup}/")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Set up a phone"));
    // Opened on the box itself, the page still shows an address a phone can reach.
    let port = s.base.rsplit(':').next().unwrap();
    assert!(html.contains(&format!(":{port}/")), "the QR's address");
    assert!(
        !html.contains("https://127.0.0.1"),
        "never loopback for a phone"
    );
    assert!(html.contains("<svg"), "a QR code");
    assert!(html.contains("/ca.mobileconfig") && html.contains("/ca.crt"));

    let ca = plain.get(format!("{setup}/ca.crt")).send().await.unwrap();
    assert_eq!(ca.headers()["content-type"], "application/x-x509-ca-cert");
    let on_disk = std::fs::read_to_string(s.data.join("tls/ca.crt")).unwrap();
    assert_eq!(ca.text().await.unwrap(), on_disk);
    let profile = plain
        .get(format!("{setup}/ca.mobileconfig"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        profile.headers()["content-type"],
        "application/x-apple-aspen-config"
    );
    let profile = profile.text().await.unwrap();
    assert!(profile.contains("com.apple.security.root"));
    let der: String = on_disk.lines().filter(|l| !l.starts_with("---")).collect();
    assert!(profile.contains(&der));

    // Anything else on the setup port goes to HTTPS, path and all.
    let floor = plain
        .get(format!("{setup}/floor?x=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(floor.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(floor.headers()["location"], format!("{}/floor?x=1", s.base));
    let api = plain
        .post(format!("{setup}/api/v1/login"))
        .json(&json!({ "pin": ANA }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        api.status(),
        StatusCode::PERMANENT_REDIRECT,
        "no PIN over plain HTTP"
    );

    // Keys, the CA and the database are the box user's alone.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in [
            "comanda.db",
            "tls/ca.key",
            "tls/ca.crt",
            "tls/server.key",
            "secrets/pin.key",
        ] {
            let mode = std::fs::metadata(s.data.join(file))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{file}");
        }
    }
}

/// Five wrong sign-ins from `forwarded_for`, then one more from `then_from`: its status.
async fn sixth_wrong_pin(s: &Server, forwarded_for: &str, then_from: &str) -> StatusCode {
    let attempt = |from: String, pin: &'static str| {
        s.http
            .post(s.url("/api/v1/login"))
            .header("x-forwarded-for", from)
            .json(&json!({ "pin": pin }))
            .send()
    };
    for _ in 0..5 {
        let r = attempt(forwarded_for.to_owned(), "8765").await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    attempt(then_from.to_owned(), "8766")
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn behind_a_local_proxy_each_client_is_throttled_by_its_forwarded_address_and_nowhere_else() {
    // --no-tls: a reverse proxy on this machine tells who the client is.
    let proxied = Server::start().await;
    assert_eq!(
        sixth_wrong_pin(&proxied, "192.0.2.10", "192.0.2.11").await,
        StatusCode::UNAUTHORIZED,
        "another client behind the proxy is not held back"
    );
    assert_eq!(
        sixth_wrong_pin(&proxied, "192.0.2.12", "192.0.2.12").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Served directly, the header is anyone's to write: it changes nothing.
    let direct = Server::start_https(None).await;
    assert_eq!(
        sixth_wrong_pin(&direct, "192.0.2.10", "192.0.2.11").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}
