//! The HTTP surface: the versioned sync API under `/api/v1/`, and the web app for
//! everything else.

pub mod assets;
pub mod auth;
pub mod backups;
pub mod cash_day;
pub mod devices;
pub mod discounts;
pub mod download;
pub mod error;
pub mod extract;
pub mod first_run;
pub mod floor;
pub mod headers;
pub mod health;
pub mod kitchen;
pub mod live;
pub mod menu;
pub mod openapi;
pub mod ops;
pub mod orders;
pub mod print_jobs;
pub mod printers;
pub mod reports;
pub mod settings;
pub mod setup;
pub mod sms;
pub mod snapshot;
pub mod staff;
pub mod stations;
pub mod takeaway;

use crate::http::error::ApiError;
use crate::state::AppState;
use axum::routing::{get, patch, post};
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// Counts an API request answered, by the route it matched, for `/metrics`.
async fn counted(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    // Methods a client makes up would each make a series: only the known ones count.
    let method = match *request.method() {
        axum::http::Method::GET => "GET",
        axum::http::Method::POST => "POST",
        axum::http::Method::PATCH => "PATCH",
        axum::http::Method::PUT => "PUT",
        axum::http::Method::DELETE => "DELETE",
        _ => "OTHER",
    };
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or("unmatched".to_owned(), |m| m.as_str().to_owned());
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let seconds = started.elapsed().as_secs_f64();
    state
        .metrics
        .observe(method, &route, response.status().as_u16(), seconds);
    response
}

/// The app and the API; `https` adds HSTS.
pub fn router(state: AppState, https: bool) -> Router {
    let api = Router::new()
        .route("/health", get(health::health))
        .route("/openapi.json", get(openapi::openapi_json))
        .route(
            "/setup",
            get(first_run::setup_status).post(first_run::set_up),
        )
        .route("/login", post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route("/snapshot", get(snapshot::snapshot))
        .route("/staff", get(staff::list_staff).post(staff::add_staff))
        .route("/staff/{staff_id}", patch(staff::change_staff))
        .route("/roles", get(staff::list_roles))
        .route("/roles/{role}", patch(staff::change_role))
        .route(
            "/menu/categories",
            get(menu::list_categories).post(menu::add_category),
        )
        .route(
            "/menu/categories/{category_id}",
            patch(menu::change_category),
        )
        .route(
            "/menu/products",
            get(menu::list_products).post(menu::add_product),
        )
        .route("/menu/products/{product_id}", patch(menu::change_product))
        .route("/menu/export.csv", get(menu::export_menu))
        .route("/menu/import", post(menu::import_menu))
        .route(
            "/menu/option-groups",
            get(menu::list_option_groups).post(menu::add_option_group),
        )
        .route(
            "/menu/option-groups/{group_id}",
            patch(menu::change_option_group),
        )
        .route("/floor/rooms", get(floor::list_rooms).post(floor::add_room))
        .route("/floor/rooms/{room_id}", patch(floor::change_room))
        .route(
            "/floor/tables",
            get(floor::list_tables).post(floor::add_table),
        )
        .route("/floor/tables/{table_id}", patch(floor::change_table))
        .route(
            "/stations",
            get(stations::list_stations).post(stations::add_station),
        )
        .route("/stations/{station_id}", patch(stations::change_station))
        .route("/staff/wrong-pins", get(staff::wrong_pins))
        .route("/orders", post(orders::open_table))
        .route("/orders/closed", get(cash_day::closed_orders))
        .route("/orders/{order_id}", get(orders::get_order))
        .route("/orders/{order_id}/lines", post(orders::add_lines))
        .route("/orders/{order_id}/send", post(orders::send_order))
        .route("/orders/{order_id}/served", post(orders::serve_ready))
        .route("/orders/{order_id}/payments", post(orders::take_payment))
        .route(
            "/orders/{order_id}/lines/{line_id}/void",
            post(orders::void_line),
        )
        .route(
            "/stations/{station_id}/tickets",
            get(kitchen::station_tickets),
        )
        .route("/lines/{line_id}/ready", post(kitchen::mark_ready))
        .route("/lines/{line_id}/unready", post(kitchen::unmark_ready))
        .route("/tickets/{ticket_id}/bump", post(kitchen::bump_ticket))
        .route("/tickets/{ticket_id}/recall", post(kitchen::recall_ticket))
        .route("/ops", post(ops::apply_ops))
        .route(
            "/printers",
            get(printers::list_printers).post(printers::add_printer),
        )
        .route(
            "/printers/{printer_id}",
            axum::routing::patch(printers::change_printer),
        )
        .route(
            "/printers/{printer_id}/drawer",
            post(print_jobs::open_drawer),
        )
        .route("/drawer", post(print_jobs::open_venue_drawer))
        .route("/print-jobs", get(print_jobs::list_jobs))
        .route("/print-jobs/{job_id}/retry", post(print_jobs::retry_job))
        .route("/print-jobs/{job_id}/cancel", post(print_jobs::cancel_job))
        .route(
            "/print-jobs/{job_id}/reprint",
            post(print_jobs::reprint_job),
        )
        .route("/orders/{order_id}/bill", post(print_jobs::print_bill))
        .route(
            "/print-jobs/{job_id}/reroute",
            post(print_jobs::reroute_job),
        )
        .route(
            "/tickets/{ticket_id}/reprint",
            post(print_jobs::reprint_ticket),
        )
        .route("/events", get(live::live_events))
        .route("/stream-tickets", post(auth::stream_ticket))
        .route("/takeaways", post(takeaway::open_takeaway))
        .route("/orders/{order_id}/ready", post(takeaway::ready_for_pickup))
        .route("/pickup", get(takeaway::pickup_board))
        .route("/pickup/live", get(takeaway::pickup_live))
        .route("/sms/settings", get(sms::get_settings))
        .route("/sms/provider", axum::routing::put(sms::set_provider))
        .route(
            "/sms/templates/{language}",
            axum::routing::put(sms::set_template),
        )
        .route("/sms/messages", get(sms::list_messages))
        .route("/sms/messages/{message_id}/retry", post(sms::retry_message))
        .route(
            "/devices",
            get(devices::list_devices).post(devices::add_device),
        )
        .route(
            "/devices/{device_id}",
            axum::routing::patch(devices::change_device),
        )
        .route("/scans", get(devices::scans))
        .route(
            "/orders/{order_id}/discounts",
            post(discounts::give_discount),
        )
        .route(
            "/discount-rules",
            get(discounts::list_rules).post(discounts::add_rule),
        )
        .route(
            "/discount-rules/{rule_id}",
            axum::routing::patch(discounts::change_rule),
        )
        .route("/shifts", post(cash_day::open_shift))
        .route("/shifts/current", get(cash_day::current_shift))
        .route("/shifts/current/close", post(cash_day::close_shift))
        .route("/reports/x", get(cash_day::x_report))
        .route("/reports/x/print", post(cash_day::print_x_report))
        .route(
            "/reports/z",
            get(cash_day::list_z_reports).post(cash_day::take_z_report),
        )
        .route("/reports/z/blockers", get(cash_day::z_blockers))
        .route(
            "/backups",
            get(backups::list_backups).post(backups::take_backup),
        )
        .route("/backups/{name}", get(backups::download_backup))
        .route("/reports/ranges", get(reports::ranges))
        .route("/reports/sales", get(reports::sales))
        .route("/reports/sales.csv", get(reports::sales_csv))
        .route("/reports/sales.xlsx", get(reports::sales_xlsx))
        .route("/reports/journal.csv", get(reports::journal_csv))
        .route("/reports/journal.xlsx", get(reports::journal_xlsx))
        .route("/reports/journal/jobs", post(reports::start_journal))
        .route("/reports/journal/jobs/{id}", get(reports::journal_job))
        .route(
            "/reports/journal/jobs/{id}/file",
            get(reports::journal_job_file),
        )
        .route("/orders/{order_id}/refunds", post(cash_day::refund))
        .route("/orders/{order_id}/write-off", post(cash_day::write_off))
        .route(
            "/venue/settings",
            get(settings::get_settings).patch(settings::change_settings),
        )
        .route(
            "/void-reasons",
            get(settings::list_void_reasons).post(settings::add_void_reason),
        )
        .route(
            "/void-reasons/{reason_id}",
            axum::routing::patch(settings::change_void_reason),
        )
        .fallback(|| async {
            ApiError::NotFound("no such API endpoint; see /api/v1/openapi.json".into())
        })
        .method_not_allowed_fallback(|| async {
            ApiError::MethodNotAllowed(
                "this path does not take that method; see /api/v1/openapi.json".into(),
            )
        })
        // Counted for /metrics by the route matched, after the routes are known.
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), counted));
    let app = Router::new()
        .nest("/api/v1", api)
        .route("/metrics", get(health::metrics))
        .route(
            "/api",
            get(|| async { ApiError::NotFound("the API lives under /api/v1/".into()) }),
        )
        .fallback(assets::site)
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(headers::security_headers));
    let app = if https {
        app.layer(axum::middleware::from_fn(headers::strict_transport))
    } else {
        app
    };
    app.layer(TraceLayer::new_for_http()).with_state(state)
}
