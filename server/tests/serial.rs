//! Serial devices through the real server, on `socat` pseudo-terminal pairs: the customer
//! pole display, a barcode scanner whose codes reach the counter screens as products, a
//! serial receipt printer, and a device unplugged and plugged back in.

mod fixture;

use fixture::printer::{contains, TestPrinter};
use fixture::serial::PtyPair;
use fixture::*;
use futures_util::StreamExt;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// The last whole screen a pole display got: (top line, bottom line).
fn last_screen(bytes: &[u8]) -> Option<(String, String)> {
    let start = bytes.iter().rposition(|&b| b == 0x0C)? + 1;
    let screen = bytes.get(start..start + 40)?;
    let text: Vec<char> = screen.iter().map(|&b| b as char).collect();
    Some((text[..20].iter().collect(), text[20..].iter().collect()))
}

fn shows(bytes: &[u8], top: &str, bottom: &str) -> bool {
    last_screen(bytes).is_some_and(|(t, b)| t == top && b == bottom)
}

async fn add_device(s: &Server, token: &str, body: Value) -> Value {
    let (status, device) = s.post("/api/v1/devices", token, body).await;
    assert_eq!(status, StatusCode::CREATED, "{device}");
    device
}

/// Polls `GET /devices` until the device called `name` is (dis)connected (at most 20 s).
async fn wait_until_connected(s: &Server, token: &str, name: &str, connected: bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let devices = s.get("/api/v1/devices", token).await.1;
        let device = devices
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == name)
            .cloned()
            .unwrap();
        if device["connected"] == connected {
            return device;
        }
        assert!(Instant::now() < deadline, "{device}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The scans stream a counter screen listens to.
struct Scans {
    stream: std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<Vec<u8>>>>>,
    text: String,
}

impl Scans {
    async fn open(s: &Server, token: &str) -> Self {
        let response = s
            .http
            .get(s.url("/api/v1/scans"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        Scans {
            stream: Box::pin(response.bytes_stream().map(|r| r.map(|b| b.to_vec()))),
            text: String::new(),
        }
    }

    /// The next scan (at most 10 s).
    async fn next(&mut self) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(end) = self.text.find("\n\n") {
                let event: String = self.text.drain(..end + 2).collect();
                if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data: ")) {
                    return serde_json::from_str(data).unwrap();
                }
                continue;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let chunk = tokio::time::timeout(left, self.stream.next())
                .await
                .expect("a scan arrives")
                .unwrap()
                .unwrap();
            self.text.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

#[tokio::test]
async fn the_pole_display_shows_the_last_item_and_the_total_then_thank_you() {
    let s = Server::start().await;
    let printer = TestPrinter::start().await;
    s.set_printer("Kitchen", printer.addr).await;
    s.set_printer("Bar", printer.addr).await;
    let dir = tempfile::tempdir().unwrap();
    let pair = PtyPair::start(dir.path(), "display").await;
    let mut display = pair.open();
    let manager = s.login(MANAGER).await;
    let body = json!({ "name": "Counter display", "kind": "pole_display", "port": pair.device_path(), "baud": 9600 });
    add_device(&s, &manager, body).await;
    wait_until_connected(&s, &manager, "Counter display", true).await;
    display
        .read_until(|b| shows(b, &" ".repeat(20), "Welcome             "))
        .await;

    let ana = s.login(ANA).await;
    let (_, order) = s
        .post("/api/v1/takeaways", &ana, json!({ "customer_name": "Ana" }))
        .await;
    let id = order["id"].as_str().unwrap();
    let snap = s.snapshot(&ana).await;
    let add = |name: &str, quantity: i64| json!({ "lines": [{ "product_id": product(&snap, name), "quantity": quantity }] });
    s.post(
        &format!("/api/v1/orders/{id}/lines"),
        &ana,
        add("Crème brûlée", 1),
    )
    .await;
    let shown = display
        .read_until(|b| {
            shows(
                b,
                "Cr\u{8A}me br\u{96}l\u{82}e EUR7.00",
                "TOTAL        EUR7.00",
            )
        })
        .await;
    assert!(!contains(&shown, "€".as_bytes()), "no UTF-8 on the display");
    s.post(
        &format!("/api/v1/orders/{id}/lines"),
        &ana,
        add("Espresso", 2),
    )
    .await;
    display
        .read_until(|b| shows(b, "2x Espresso  EUR3.60", "TOTAL       EUR10.60"))
        .await;

    // Handed over: thanks.
    s.post_empty(&format!("/api/v1/orders/{id}/send"), &ana)
        .await;
    s.post_empty(&format!("/api/v1/orders/{id}/ready"), &ana)
        .await;
    let (status, _) = s
        .post_empty(&format!("/api/v1/orders/{id}/served"), &ana)
        .await;
    assert_eq!(status, StatusCode::OK);
    display
        .read_until(|b| shows(b, "     Thank you!     ", " Trattoria Comanda  "))
        .await;

    // Orders at tables are not the counter's business.
    let before = display.received.len();
    let (_, at_table) = s
        .post(
            "/api/v1/orders",
            &ana,
            json!({ "table_id": table(&snap, "2") }),
        )
        .await;
    let table_order = at_table["id"].as_str().unwrap();
    s.post(
        &format!("/api/v1/orders/{table_order}/lines"),
        &ana,
        add("Espresso", 1),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    display.read_until(|_| true).await;
    assert_eq!(display.received.len(), before);
}

#[tokio::test]
async fn a_scanned_code_reaches_the_counter_screens_as_a_product() {
    let s = Server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let pair = PtyPair::start(dir.path(), "scanner").await;
    let mut scanner = pair.open();
    let manager = s.login(MANAGER).await;
    let body = json!({ "name": "Counter scanner", "kind": "scanner", "port": pair.device_path() });
    add_device(&s, &manager, body).await;
    wait_until_connected(&s, &manager, "Counter scanner", true).await;

    let ana = s.login(ANA).await;
    let mut scans = Scans::open(&s, &ana).await;
    scanner.write(b"8001234500012\r\n").await;
    let scan = scans.next().await;
    assert_eq!(scan["code"], "8001234500012");
    assert_eq!(scan["product_name"], "Sparkling water");
    assert_eq!(
        scan["product_id"].as_str().unwrap(),
        product(&s.snapshot(&ana).await, "Sparkling water")
    );
    assert_eq!(scan["device_name"], "Counter scanner");

    // Codes arrive in pieces and with LF only; an unknown code says so.
    scanner.write(b"99999").await;
    scanner.write(b"12345\n").await;
    let unknown = scans.next().await;
    assert_eq!(unknown["code"], "9999912345");
    assert_eq!(unknown["product_id"], Value::Null);

    // Noise is no code.
    scanner.write(b"\r\n12\r\n8001234500029\r").await;
    assert_eq!(scans.next().await["product_name"], "Still water");

    let kim = s.login(KITCHEN).await;
    let response = s
        .http
        .get(s.url("/api/v1/scans"))
        .bearer_auth(&kim)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::FORBIDDEN,
        "the kitchen has no counter"
    );
}

#[tokio::test]
async fn a_device_unplugged_is_reported_and_works_again_when_plugged_back_in() {
    let s = Server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut pair = PtyPair::start(dir.path(), "scanner").await;
    let manager = s.login(MANAGER).await;
    let body = json!({ "name": "Scanner", "kind": "scanner", "port": pair.device_path() });
    add_device(&s, &manager, body).await;
    wait_until_connected(&s, &manager, "Scanner", true).await;

    pair.stop().await;
    let gone = wait_until_connected(&s, &manager, "Scanner", false).await;
    assert!(
        gone["last_error"].as_str().unwrap().contains("scanner"),
        "says which port: {gone}"
    );

    let pair = PtyPair::start(dir.path(), "scanner").await;
    wait_until_connected(&s, &manager, "Scanner", true).await;
    let ana = s.login(ANA).await;
    let mut scans = Scans::open(&s, &ana).await;
    pair.open().write(b"8001234500036\r\n").await;
    assert_eq!(scans.next().await["product_name"], "Orange juice");
}

#[tokio::test]
async fn a_serial_receipt_printer_prints_its_tickets_and_opens_its_drawer() {
    let s = Server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let pair = PtyPair::start(dir.path(), "bar-printer").await;
    let mut paper = pair.open();
    let manager = s.login(MANAGER).await;
    let printers = s.get("/api/v1/printers", &manager).await.1;
    let bar = id_where(&printers, "name", "Bar");
    let (status, changed) = s
        .call(
            Method::PATCH,
            &format!("/api/v1/printers/{bar}"),
            Some(&manager),
            Some(json!({ "connection": pair.device_path(), "baud": 19200 })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");

    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let (_, order) = s
        .post(
            "/api/v1/orders",
            &ana,
            json!({ "table_id": table(&snap, "6") }),
        )
        .await;
    let id = order["id"].as_str().unwrap();
    s.post(
        &format!("/api/v1/orders/{id}/lines"),
        &ana,
        json!({ "lines": [{ "product_id": product(&snap, "Espresso"), "quantity": 2 }] }),
    )
    .await;
    s.post_empty(&format!("/api/v1/orders/{id}/send"), &ana)
        .await;
    let ticket = paper.read_until(|b| contains(b, &[0x1D, 0x56])).await;
    assert!(contains(&ticket, b"2x Espresso") && contains(&ticket, b"Table 6"));

    let (status, _) = s
        .post_empty(&format!("/api/v1/printers/{bar}/drawer"), &manager)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    paper.read_until(|b| contains(b, &[0x1B, b'p'])).await;
}

#[tokio::test]
async fn bad_device_setups_and_wrong_roles_are_refused() {
    let s = Server::start().await;
    let manager = s.login(MANAGER).await;
    for (body, field) in [
        (
            json!({ "name": "X", "kind": "scanner", "port": "ttyUSB0" }),
            "port",
        ),
        (
            json!({ "name": "X", "kind": "scanner", "port": "/dev/ttyUSB0", "baud": 1234 }),
            "baud",
        ),
        (json!({ "kind": "scanner", "port": "/dev/ttyUSB0" }), "name"),
        (json!({ "name": "X", "port": "/dev/ttyUSB0" }), "kind"),
    ] {
        let (status, err) = s.post("/api/v1/devices", &manager, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(err["field"], field, "{err}");
    }
    let (status, err) = s
        .post(
            "/api/v1/devices",
            &manager,
            json!({ "name": "X", "kind": "printer", "port": "/dev/ttyUSB0" }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    let ana = s.login(ANA).await;
    let body = json!({ "name": "X", "kind": "scanner", "port": "/dev/ttyUSB0" });
    assert_eq!(
        s.post("/api/v1/devices", &ana, body).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        s.get("/api/v1/devices", &manager).await.1,
        json!([]),
        "nothing was added"
    );

    // A device whose port does not exist is set up, and says why it is not connected.
    let body =
        json!({ "name": "Display", "kind": "pole_display", "port": "/dev/nonexistent-comanda" });
    add_device(&s, &manager, body).await;
    let mut device = wait_until_connected(&s, &manager, "Display", false).await;
    for _ in 0..50 {
        if device["last_error"] != "starting" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        device = wait_until_connected(&s, &manager, "Display", false).await;
    }
    assert!(
        device["last_error"]
            .as_str()
            .unwrap()
            .contains("cannot open /dev/nonexistent-comanda"),
        "{device}"
    );
}
