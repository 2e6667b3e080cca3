//! Kitchen tickets on a test printer (a TCP listener) through the real server: what is on
//! the paper, in which code page, and that every ticket prints exactly once whatever the
//! printer does (off, stalled, cut off mid-job, back on, the server restarted in between).

mod fixture;

use fixture::printer::{contains, Behaviour, TestPrinter};
use fixture::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Opens `table`, adds `lines` and sends; returns the order id.
async fn order(s: &Server, token: &str, table_label: &str, lines: Value) -> String {
    let order = s.sent_order_at(token, table_label, lines).await;
    order["id"].as_str().unwrap().to_owned()
}

fn text(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                '.'
            }
        })
        .collect()
}

const CUT: &[u8] = &[0x1D, 0x56];

/// The printer called `name` in a `GET /api/v1/printers` answer.
fn printer_named(printers: &Value, name: &str) -> Value {
    printers
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap()
        .clone()
}

async fn patch(s: &Server, url: &str, token: &str, body: Value) -> (StatusCode, Value) {
    s.call(reqwest::Method::PATCH, url, Some(token), Some(body))
        .await
}

#[tokio::test]
async fn a_sent_order_prints_its_kitchen_ticket_in_the_printers_code_page() {
    let s = Server::start().await;
    let printer = TestPrinter::start().await;
    s.set_printer("Kitchen", printer.addr).await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let burger = json!({ "product_id": product(&snap, "Burger"), "quantity": 2, "note": "sesame allergy",
                         "option_ids": [option(&snap, "Medium"), option(&snap, "Cheese"), option(&snap, "Onions")] });
    let id = order(
        &s,
        &ana,
        "3",
        json!([burger, { "product_id": product(&snap, "Crème brûlée"), "quantity": 1, "course": 3 },
                                         { "product_id": product(&snap, "Lager"), "quantity": 1 }]),
    )
    .await;

    let jobs = printer.wait_for(1).await;
    let ticket = &jobs[0];
    let t = text(ticket);
    for expected in [
        "Kitchen",
        "Table 3  #1",
        "Ana",
        "2x Burger",
        "   Medium",
        "   + Cheese",
        "   NO Onions",
        "   ! sesame allergy",
        "-- DESSERTS --",
    ] {
        assert!(t.contains(expected), "{expected:?} not on the ticket: {t}");
    }
    assert!(
        !t.contains("Lager"),
        "bar items stay off the kitchen ticket"
    );
    // "Crème brûlée" in CP858: è = 0x8A, û = 0x96, é = 0x82; never UTF-8.
    assert!(contains(ticket, b"1x Cr\x8Ame br\x96l\x82e"), "{t}");
    assert!(!contains(ticket, "è".as_bytes()));
    assert!(
        contains(&ticket[ticket.len() - 8..], CUT),
        "the ticket ends with a cut"
    );
    assert!(!t.contains("REPRINT") && !t.contains("ADDED"));

    // A follow-up send prints only the new line, marked ADDED.
    let more =
        json!({ "lines": [{ "product_id": product(&snap, "Garlic bread"), "quantity": 1 }] });
    s.post(&format!("/api/v1/orders/{id}/lines"), &ana, more)
        .await;
    s.post_empty(&format!("/api/v1/orders/{id}/send"), &ana)
        .await;
    let jobs = printer.wait_for(2).await;
    let t = text(&jobs[1]);
    assert!(
        t.contains("** ADDED **") && t.contains("1x Garlic bread") && !t.contains("Burger"),
        "{t}"
    );
}

#[tokio::test]
async fn a_printer_that_is_off_holds_up_no_order_and_prints_each_ticket_once_when_back() {
    let s = Server::start().await;
    let off = TestPrinter::switched_off();
    s.set_printer("Kitchen", off).await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    order(
        &s,
        &ana,
        "1",
        json!([{ "product_id": product(&snap, "Lasagna"), "quantity": 1 }]),
    )
    .await;
    order(
        &s,
        &ana,
        "2",
        json!([{ "product_id": product(&snap, "Tiramisu"), "quantity": 1 }]),
    )
    .await;

    let pool = s.db().await;
    let waiting = || async {
        sqlx::query_as::<_, (String, Option<String>)>(
            "SELECT status, last_error FROM print_jobs j JOIN printers p ON p.id = j.printer_id WHERE p.name = 'Kitchen' ORDER BY j.created_at",
        )
        .fetch_all(&pool)
        .await
        .unwrap()
    };
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let jobs = waiting().await;
    assert_eq!(jobs.len(), 2);
    assert!(
        jobs.iter().all(|(status, _)| status == "queued"),
        "{jobs:?}"
    );
    assert!(
        jobs[0]
            .1
            .as_deref()
            .is_some_and(|e| e.contains(&off.to_string())),
        "the error says which printer: {jobs:?}"
    );

    let printer = TestPrinter::start_at(off).await;
    let printed = printer.wait_for(2).await;
    assert!(
        text(&printed[0]).contains("Lasagna") && text(&printed[1]).contains("Tiramisu"),
        "in order"
    );
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(printer.jobs().len(), 2, "each ticket once");
    assert!(waiting().await.iter().all(|(status, _)| status == "done"));
}

#[tokio::test]
async fn jobs_pending_at_a_restart_print_once_after_it_and_interrupted_ones_as_reprints() {
    let s = Server::start().await;
    let off = TestPrinter::switched_off();
    s.set_printer("Kitchen", off).await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    order(
        &s,
        &ana,
        "5",
        json!([{ "product_id": product(&snap, "Mushroom risotto"), "quantity": 1 }]),
    )
    .await;
    order(&s, &ana, "6", json!([{ "product_id": product(&snap, "Gelato"), "quantity": 1, "option_ids": [option(&snap, "Pistachio")] }])).await;

    let data = s.data.clone();
    let dir = s.stop();
    // The second job was on the wire when the server stopped.
    let pool = db_at(&data).await;
    sqlx::query("UPDATE print_jobs SET status = 'sending' WHERE id = (SELECT MAX(id) FROM print_jobs WHERE ticket_id IN (SELECT id FROM tickets WHERE station_id = 'kitchen'))")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let printer = TestPrinter::start_at(off).await;
    let s = Server::start_on(&data).await;
    let printed = printer.wait_for(2).await;
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(printer.jobs().len(), 2, "nothing printed twice");
    assert!(
        !text(&printed[0]).contains("REPRINT") && text(&printed[0]).contains("Mushroom risotto")
    );
    assert!(text(&printed[1]).contains("REPRINT") && text(&printed[1]).contains("Gelato"));
    drop((s, dir));
}

/// The Kitchen printer's state as every screen sees it: (online, waiting, last error).
async fn kitchen_state(s: &Server, token: &str) -> (bool, i64, String) {
    let kitchen = printer_named(&s.get("/api/v1/printers", token).await.1, "Kitchen");
    (
        kitchen["online"].as_bool().unwrap(),
        kitchen["waiting"].as_i64().unwrap(),
        kitchen["last_error"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

/// Polls until the Kitchen printer reports offline (at most 20 s).
async fn wait_until_offline(s: &Server, token: &str) -> (bool, i64, String) {
    for _ in 0..200 {
        let state = kitchen_state(s, token).await;
        if !state.0 {
            return state;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the Kitchen printer never reported a problem");
}

#[tokio::test]
async fn a_printer_that_stalls_fails_its_job_and_prints_it_marked_reprint_when_it_recovers() {
    let s = Server::start().await;
    let printer = TestPrinter::start().await;
    printer.behave(Behaviour::Stalls);
    s.set_printer("Kitchen", printer.addr).await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    order(
        &s,
        &ana,
        "1",
        json!([{ "product_id": product(&snap, "Lasagna"), "quantity": 1 }]),
    )
    .await;

    let (_, waiting, error) = wait_until_offline(&s, &ana).await;
    assert_eq!(waiting, 1);
    assert!(error.contains("stalled"), "{error}");
    // Orders go on while the printer hangs.
    order(
        &s,
        &ana,
        "2",
        json!([{ "product_id": product(&snap, "Tiramisu"), "quantity": 2 }]),
    )
    .await;
    assert!(printer.jobs().is_empty());

    printer.behave(Behaviour::Prints);
    let printed = printer.wait_for(2).await;
    let (first, second) = (text(&printed[0]), text(&printed[1]));
    // The stalled ticket may have been half on the paper: it comes again, marked.
    assert!(
        first.contains("REPRINT") && first.contains("1x Lasagna"),
        "{first}"
    );
    assert!(
        !second.contains("REPRINT") && second.contains("2x Tiramisu"),
        "{second}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(printer.jobs().len(), 2, "nothing more");
    assert_eq!(kitchen_state(&s, &ana).await, (true, 0, String::new()));
}

#[tokio::test]
async fn a_printer_that_drops_the_connection_mid_job_gets_the_whole_ticket_again_as_a_reprint() {
    let s = Server::start().await;
    let printer = TestPrinter::start().await;
    printer.behave(Behaviour::DropsAfter(24));
    s.set_printer("Kitchen", printer.addr).await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    order(
        &s,
        &ana,
        "3",
        json!([{ "product_id": product(&snap, "Lasagna"), "quantity": 3 }]),
    )
    .await;

    let partial = printer.wait_for(1).await.remove(0);
    assert_eq!(partial.len(), 24);
    assert!(!contains(&partial, CUT), "half a ticket, no cut");
    let (_, waiting, _) = wait_until_offline(&s, &ana).await;
    assert_eq!(waiting, 1, "the job is kept");

    printer.behave(Behaviour::Prints);
    let printed = printer.wait_for(2).await;
    let again = text(&printed[1]);
    assert!(
        again.contains("REPRINT") && again.contains("3x Lasagna"),
        "{again}"
    );
    assert!(contains(&printed[1], CUT));
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(
        printer.jobs().len(),
        2,
        "the whole ticket once more, no more"
    );
}

#[tokio::test]
async fn a_printer_added_by_the_manager_prints_at_once_in_its_own_code_page() {
    let s = Server::start().await;
    let printer = TestPrinter::start().await;
    let mara = s.login(MANAGER).await;
    let pass = json!({ "name": "Pass", "connection": format!("tcp://{}", printer.addr),
        "columns": 32, "code_page": "CP737", "station_ids": ["kitchen"] });
    let (status, added) = s.post("/api/v1/printers", &mara, pass).await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    assert_eq!(added["station_ids"], json!(["kitchen"]));
    assert_eq!(added["code_page"], "CP737");

    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    order(
        &s,
        &ana,
        "11",
        json!([{ "product_id": product(&snap, "Lasagna"), "quantity": 1, "note": "Ελληνικά" }]),
    )
    .await;
    let ticket = printer.wait_for(1).await.remove(0);
    // "Ελληνικά" in CP737, never UTF-8.
    assert!(
        contains(&ticket, &[0x84, 0xA2, 0xA2, 0x9E, 0xA4, 0xA0, 0xA1, 0xE1]),
        "{}",
        text(&ticket)
    );
    assert!(!contains(&ticket, "Ε".as_bytes()));

    // Bad setups are refused and add nothing.
    let printers_before = s.get("/api/v1/printers", &mara).await.1;
    for (body, field) in [
        (json!({ "connection": "tcp://10.0.0.9:9100" }), "name"),
        (json!({ "name": "X" }), "connection"),
        (json!({ "name": "X", "connection": "lpt1" }), "connection"),
        (
            json!({ "name": "X", "connection": "/dev/ttyUSB0", "baud": 1000 }),
            "baud",
        ),
        (
            json!({ "name": "X", "connection": "tcp://10.0.0.9:9100", "station_ids": ["grill"] }),
            "station_ids",
        ),
    ] {
        let (status, err) = s.post("/api/v1/printers", &mara, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(err["field"], field, "{err}");
    }
    let body = json!({ "name": "X", "connection": "tcp://10.0.0.9:9100" });
    assert_eq!(
        s.post("/api/v1/printers", &ana, body).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(s.get("/api/v1/printers", &mara).await.1, printers_before);

    // Moved to the bar: kitchen tickets no longer come here.
    let id = added["id"].as_str().unwrap();
    let (status, moved) = patch(
        &s,
        &format!("/api/v1/printers/{id}"),
        &mara,
        json!({ "station_ids": ["bar"] }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["station_ids"], json!(["bar"]));
    order(
        &s,
        &ana,
        "12",
        json!([
            { "product_id": product(&snap, "Lasagna"), "quantity": 1 },
            { "product_id": product(&snap, "Espresso"), "quantity": 1 },
        ]),
    )
    .await;
    let printed = printer.wait_for(2).await;
    let t = text(&printed[1]);
    assert!(t.contains("1x Espresso") && !t.contains("Lasagna"), "{t}");
}

#[tokio::test]
async fn printers_show_their_state_and_managers_set_them_up() {
    let s = Server::start().await;
    let ana = s.login(ANA).await;
    let mara = s.login(MANAGER).await;
    let (status, printers) = s.get("/api/v1/printers", &ana).await;
    assert_eq!(status, StatusCode::OK);
    let kitchen = printer_named(&printers, "Kitchen");
    assert_eq!(kitchen["station_ids"], json!(["kitchen"]));
    let url = format!("/api/v1/printers/{}", kitchen["id"].as_str().unwrap());

    // Switched off: the job waits, the printer shows offline with its queue.
    let off = TestPrinter::switched_off();
    assert_eq!(
        patch(
            &s,
            &url,
            &ana,
            json!({ "connection": format!("tcp://{off}") })
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    for (body, field) in [
        (json!({ "connection": "lpt1" }), "connection"),
        (json!({ "connection": "tcp://printer" }), "connection"),
        (json!({ "columns": 40 }), "columns"),
        (json!({ "code_page": "UTF-8" }), "code_page"),
        (json!({ "name": " " }), "name"),
    ] {
        let (status, err) = patch(&s, &url, &mara, body).await;
        assert_eq!(
            (status, err["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field))
        );
    }
    let (status, changed) = patch(
        &s,
        &url,
        &mara,
        json!({ "connection": format!("tcp://{off}"), "columns": 32 }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["columns"], 32);
    order(
        &s,
        &ana,
        "4",
        json!([{ "product_id": product(&s.snapshot(&ana).await, "Lasagna"), "quantity": 1 }]),
    )
    .await;

    let live = s
        .http
        .get(s.url("/api/v1/events"))
        .bearer_auth(&ana)
        .send()
        .await
        .unwrap();
    let state = || async {
        let (_, list) = s.get("/api/v1/printers", &ana).await;
        printer_named(&list, "Kitchen")
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while state().await["online"] != false {
        assert!(
            std::time::Instant::now() < deadline,
            "the printer never showed offline"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let offline = state().await;
    assert_eq!(offline["waiting"], 1);
    assert!(offline["last_error"]
        .as_str()
        .unwrap()
        .contains(&off.to_string()));

    // Pointed at a working printer: the job prints at once and the printer is back.
    let printer = TestPrinter::start().await;
    patch(
        &s,
        &url,
        &mara,
        json!({ "connection": format!("tcp://{}", printer.addr) }),
    )
    .await;
    let printed = printer.wait_for(1).await;
    assert!(text(&printed[0]).contains("Lasagna"));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while state().await["waiting"] != 0 || state().await["online"] != true {
        assert!(
            std::time::Instant::now() < deadline,
            "the printer never showed back"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Screens heard about it: offline, then back.
    use futures_util::StreamExt;
    let mut stream = live.bytes_stream();
    let mut seen = String::new();
    while seen.matches("printer_changed").count() < 2 {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), stream.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::test]
async fn managers_reroute_cancel_retry_reprint_and_open_the_drawer() {
    let s = Server::start().await;
    let off = TestPrinter::switched_off();
    let bar = TestPrinter::start().await;
    s.set_printer("Kitchen", off).await;
    s.set_printer("Bar", bar.addr).await;
    let (ana, mara) = (s.login(ANA).await, s.login(MANAGER).await);
    let snap = s.snapshot(&ana).await;
    let (_, printers) = s.get("/api/v1/printers", &mara).await;
    let (kitchen_id, bar_id) = (
        id_where(&printers, "name", "Kitchen"),
        id_where(&printers, "name", "Bar"),
    );
    order(
        &s,
        &ana,
        "9",
        json!([{ "product_id": product(&snap, "Lasagna"), "quantity": 1 }]),
    )
    .await;

    for (path, body) in [
        ("/api/v1/print-jobs".to_owned(), None),
        (format!("/api/v1/printers/{bar_id}/drawer"), Some(json!({}))),
    ] {
        let method = if body.is_some() {
            reqwest::Method::POST
        } else {
            reqwest::Method::GET
        };
        assert_eq!(
            s.call(method, &path, Some(&ana), body).await.0,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let (_, jobs) = s.get("/api/v1/print-jobs", &mara).await;
    let lasagna = jobs
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["destination"] == "Table 9")
        .unwrap()
        .clone();
    assert_eq!(lasagna["printer_name"], "Kitchen");
    let lasagna_id = lasagna["id"].as_str().unwrap().to_owned();

    // The kitchen printer is broken: print its ticket at the bar. A job caught in the
    // middle of a retry cannot move (it may be printing); the manager tries again.
    wait_until_offline(&s, &mara).await;
    let reroute = format!("/api/v1/print-jobs/{lasagna_id}/reroute");
    let mut answer = s
        .post(&reroute, &mara, json!({ "printer_id": bar_id }))
        .await;
    for _ in 0..50 {
        if answer.0 != StatusCode::CONFLICT {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        answer = s
            .post(&reroute, &mara, json!({ "printer_id": bar_id }))
            .await;
    }
    let (status, moved) = answer;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert!(text(&bar.wait_for(1).await[0]).contains("1x Lasagna"));
    let (status, _) = s
        .post(
            &format!("/api/v1/print-jobs/{lasagna_id}/reroute"),
            &mara,
            json!({ "printer_id": "nope" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // A cancelled job does not print when the printer comes back; retried, it does.
    order(
        &s,
        &ana,
        "10",
        json!([{ "product_id": product(&snap, "Tiramisu"), "quantity": 1 }]),
    )
    .await;
    let (_, jobs) = s.get("/api/v1/print-jobs", &mara).await;
    let tiramisu = jobs
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["destination"] == "Table 10")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, cancelled) = s
        .post_empty(&format!("/api/v1/print-jobs/{tiramisu}/cancel"), &mara)
        .await;
    assert_eq!(
        (status, cancelled["status"].as_str()),
        (StatusCode::OK, Some("cancelled"))
    );
    let kitchen = TestPrinter::start_at(off).await;
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let printed: Vec<String> = kitchen.jobs().iter().map(|j| text(j)).collect();
    assert!(printed.is_empty(), "printed after the cancel: {printed:?}");
    assert_eq!(
        s.post_empty(&format!("/api/v1/print-jobs/{tiramisu}/retry"), &mara)
            .await
            .0,
        StatusCode::OK
    );
    assert!(text(&kitchen.wait_for(1).await[0]).contains("1x Tiramisu"));
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        s.post_empty(&format!("/api/v1/print-jobs/{tiramisu}/cancel"), &mara)
            .await
            .0,
        StatusCode::CONFLICT
    );

    // A reprint says so on the paper.
    let ticket = lasagna["ticket_id"].as_str().unwrap();
    let (status, queued) = s
        .post_empty(&format!("/api/v1/tickets/{ticket}/reprint"), &mara)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{queued}");
    let reprint = text(&kitchen.wait_for(2).await[1]);
    assert!(
        reprint.contains("REPRINT") && reprint.contains("1x Lasagna"),
        "{reprint}"
    );

    // The drawer opens with ESC p, only where there is one, and the log says who opened it.
    assert_eq!(
        s.post_empty(&format!("/api/v1/printers/{kitchen_id}/drawer"), &mara)
            .await
            .0,
        StatusCode::CONFLICT
    );
    assert_eq!(
        s.post_empty(&format!("/api/v1/printers/{bar_id}/drawer"), &mara)
            .await
            .0,
        StatusCode::ACCEPTED
    );
    let pulse = &bar.wait_for(2).await[1];
    assert!(contains(pulse, &[0x1B, b'p', 0x00]));
    let pool = s.db().await;
    let who: String = sqlx::query_scalar("SELECT s.name FROM events e JOIN staff s ON s.id = e.staff_id WHERE e.kind = 'drawer_opened'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(who, "Mara");
}

#[tokio::test]
async fn the_bill_prints_on_the_receipt_printer_with_prices_total_and_a_qr_code() {
    let s = Server::start().await;
    let kitchen = TestPrinter::start().await;
    let receipt = TestPrinter::start().await;
    s.set_printer("Kitchen", kitchen.addr).await;
    s.set_printer("Bar", receipt.addr).await;
    let ana = s.login(ANA).await;
    let snap = s.snapshot(&ana).await;
    let burger = json!({ "product_id": product(&snap, "Burger"), "quantity": 2,
                         "option_ids": [option(&snap, "Medium"), option(&snap, "Cheese"), option(&snap, "Onions")] });
    let id = order(
        &s,
        &ana,
        "4",
        json!([burger, { "product_id": product(&snap, "Crème brûlée"), "quantity": 1 }]),
    )
    .await;
    let number = s.get(&format!("/api/v1/orders/{id}"), &ana).await.1["number"]
        .as_i64()
        .unwrap();

    let (status, jobs) = s
        .post_empty(&format!("/api/v1/orders/{id}/bill"), &ana)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{jobs}");
    assert_eq!(jobs[0]["printer_name"], "Bar");
    assert_eq!(jobs[0]["kind"], "bill");
    let bill = receipt.wait_for(1).await.remove(0);
    let t = text(&bill);
    assert!(t.contains("Trattoria Comanda"), "{t}");
    assert!(
        t.contains("Table 4  ") && t.contains(&format!("Order #{number}")),
        "{t}"
    );
    // 32 columns: item left, price right; options below; € is 0xD5 in CP858.
    assert!(
        contains(&bill, b"2x Burger                 \xD531.00\n"),
        "{t}"
    );
    assert!(
        contains(&bill, b"   + Cheese\n") && contains(&bill, b"   no Onions\n"),
        "{t}"
    );
    assert!(
        contains(&bill, b"1x Cr\x8Ame br\x96l\x82e            \xD57.00\n"),
        "{t}"
    );
    assert!(
        contains(&bill, b"TOTAL                     \xD538.00\n"),
        "{t}"
    );
    // All food at 10 %: 38.00 x 10/110 = 3.4545... -> 3.45.
    assert!(
        contains(&bill, b"incl. tax 10% of \xD538.00    \xD53.45\n"),
        "{t}"
    );
    assert!(!contains(&bill, "€".as_bytes()), "never UTF-8");
    // The order number as a QR code (GS ( k), then the cut.
    assert!(contains(&bill, &[0x1D, 0x28, 0x6B]), "{t}");
    assert!(contains(&bill, format!("ORDER-{number}").as_bytes()));
    assert!(contains(&bill, CUT));

    // A printer without QR support gets none; a manager's reprint says REPRINT.
    let mara = s.login(MANAGER).await;
    let printers = s.get("/api/v1/printers", &mara).await.1;
    let bar = id_where(&printers, "name", "Bar");
    patch(
        &s,
        &format!("/api/v1/printers/{bar}"),
        &mara,
        json!({ "supports_qr": false }),
    )
    .await;
    let job = jobs[0]["id"].as_str().unwrap();
    let (status, _) = s
        .post_empty(&format!("/api/v1/print-jobs/{job}/reprint"), &ana)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only managers reprint");
    let (status, copy) = s
        .post_empty(&format!("/api/v1/print-jobs/{job}/reprint"), &mara)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{copy}");
    let again = receipt.wait_for(2).await.remove(1);
    assert!(text(&again).contains("REPRINT") && contains(&again, b"TOTAL"));
    assert!(!contains(&again, &[0x1D, 0x28, 0x6B]), "no QR code");

    // A venue whose prices exclude tax adds it; cash rounds to 0.50 here.
    sqlx::query("UPDATE venue SET tax_mode = 'exclusive', cash_rounding_minor = 50")
        .execute(&s.db().await)
        .await
        .unwrap();
    let (status, _) = s
        .post_empty(&format!("/api/v1/orders/{id}/bill"), &ana)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let us = receipt.wait_for(3).await.remove(2);
    let t = text(&us);
    assert!(
        contains(&us, b"Subtotal                  \xD538.00\n"),
        "{t}"
    );
    assert!(
        contains(&us, b"Tax 10% on \xD538.00          \xD53.80\n"),
        "{t}"
    );
    assert!(
        contains(&us, b"TOTAL                     \xD541.80\n"),
        "{t}"
    );
    assert!(
        contains(&us, b"Paid in cash              \xD542.00\n"),
        "{t}"
    );

    // No bill printer: the waiter is told, nothing is queued.
    patch(
        &s,
        &format!("/api/v1/printers/{bar}"),
        &mara,
        json!({ "prints_bills": false }),
    )
    .await;
    let (status, err) = s
        .post_empty(&format!("/api/v1/orders/{id}/bill"), &ana)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("no printer prints bills"));
    // An order without items has no bill.
    let (_, empty) = s
        .post(
            "/api/v1/orders",
            &ana,
            json!({ "table_id": table(&snap, "12") }),
        )
        .await;
    let empty = empty["id"].as_str().unwrap();
    let (status, err) = s
        .post_empty(&format!("/api/v1/orders/{empty}/bill"), &ana)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
}
