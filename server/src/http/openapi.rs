//! The OpenAPI document of the sync API, served at `GET /api/v1/openapi.json`.

use crate::http::{
    auth, backups, cash_day, devices, discounts, first_run, floor, health, kitchen, live, menu,
    ops, orders, print_jobs, printers, reports, settings, sms, snapshot, staff, stations, takeaway,
};
use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Comanda sync API", description = "Local-first restaurant POS. Every call but `health`, `login`, \
        the pickup board and this document needs `Authorization: Bearer <token>` from `login`. Errors are `ApiErrorBody` with a \
        stable `error` code. Money is integer minor units; times are UTC milliseconds since the Unix epoch."),
    paths(
        health::health, health::metrics, backups::list_backups, backups::take_backup, backups::download_backup,
        first_run::setup_status, first_run::set_up, auth::login, auth::logout, auth::me, snapshot::snapshot, staff::list_staff, staff::wrong_pins,
        staff::add_staff, staff::change_staff, staff::list_roles, staff::change_role,
        menu::list_categories, menu::add_category, menu::change_category, menu::list_products, menu::add_product,
        menu::change_product, menu::list_option_groups, menu::add_option_group, menu::change_option_group,
        menu::export_menu, menu::import_menu,
        floor::list_rooms, floor::add_room, floor::change_room, floor::list_tables, floor::add_table, floor::change_table,
        stations::list_stations, stations::add_station, stations::change_station,
        orders::open_table, orders::get_order, orders::add_lines, orders::send_order, orders::serve_ready, orders::take_payment,
        orders::void_line,
        ops::apply_ops, live::live_events, auth::stream_ticket,
        kitchen::station_tickets, kitchen::mark_ready, kitchen::unmark_ready, kitchen::bump_ticket, kitchen::recall_ticket,
        printers::list_printers, printers::add_printer, printers::change_printer, print_jobs::open_drawer, print_jobs::open_venue_drawer,
        print_jobs::list_jobs, print_jobs::retry_job, print_jobs::cancel_job, print_jobs::reroute_job,
        print_jobs::reprint_ticket, print_jobs::reprint_job, print_jobs::print_bill,
        takeaway::open_takeaway, takeaway::ready_for_pickup, takeaway::pickup_board, takeaway::pickup_live,
        sms::get_settings, sms::set_provider, sms::set_template, sms::list_messages, sms::retry_message,
        devices::list_devices, devices::add_device, devices::change_device, devices::scans,
        discounts::give_discount, discounts::list_rules, discounts::add_rule, discounts::change_rule,
        settings::get_settings, settings::change_settings, settings::list_void_reasons,
        settings::add_void_reason, settings::change_void_reason,
        cash_day::current_shift, cash_day::open_shift, cash_day::close_shift, cash_day::x_report,
        cash_day::print_x_report, cash_day::z_blockers, cash_day::take_z_report, cash_day::list_z_reports,
        cash_day::closed_orders, cash_day::refund, cash_day::write_off,
        reports::ranges, reports::sales, reports::sales_csv, reports::sales_xlsx, reports::journal_csv, reports::journal_xlsx,
        reports::start_journal, reports::journal_job, reports::journal_job_file,
    ),
    modifiers(&BearerToken)
)]
pub struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
