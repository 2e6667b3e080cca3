//! An order's lines: add them, send them to the stations (delta tickets, printed), serve
//! what is ready, take off a line never sent, or void one with a reason.

use super::{audit, finish, join, line_of, load_own, open_order, stations_of, Change};
use crate::db::direct::{is_unique_violation, sql, Conn};
use crate::db::now_ms;
use crate::services::venue::menu_for;
use crate::services::{json_ids, ServiceError, ServiceResult};
use crate::services::{print_queue, stock};
use app::api::EventKind;
use app::domain::courses::{self, Firing};
use app::domain::orders::{
    LineError, LineStatus, NewLine, OrderLine, MAX_COURSE, MAX_LINES_PER_REQUEST,
};
use app::domain::status::StationTicket;
use app::domain::{LineId, Money, OrderId, ProductId, StaffId, StationId, TableId, TicketId};

/// Adds lines, priced against the menu now. Any invalid line refuses them all, naming it.
pub fn add_lines(
    conn: &Conn,
    by: StaffId,
    order: OrderId,
    lines: &[NewLine],
) -> ServiceResult<Change> {
    if lines.is_empty() || lines.len() > MAX_LINES_PER_REQUEST {
        return Err(ServiceError::invalid(
            "lines",
            format!("send 1 to {MAX_LINES_PER_REQUEST} lines"),
        ));
    }
    let products: Vec<ProductId> = lines.iter().map(|l| l.product_id).collect();
    let menu = &menu_for(conn, &products)?;
    let mut priced = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let p = match line.price(menu) {
            Ok(p) => p,
            // A product taken off the menu since the phone queued the line is named.
            Err(LineError::UnknownProduct(id)) => {
                let why = crate::services::menu::off_the_menu(conn, id)?;
                return Err(ServiceError::invalid(format!("lines[{i}].product_id"), why));
            }
            Err(e) => {
                let field = format!("lines[{i}].{}", e.field());
                return Err(ServiceError::invalid(field, e.to_string()));
            }
        };
        let line_id = line.id.unwrap_or_else(LineId::new_v7);
        if priced.iter().any(|(seen, _)| *seen == line_id) {
            return Err(ServiceError::invalid(
                format!("lines[{i}].id"),
                format!("line id {line_id} appears twice"),
            ));
        }
        priced.push((line_id, p));
    }
    let (id, table_id) = open_order(conn, order)?;
    // Only the products counted down (with a number left in the menu just read, in this
    // transaction) are taken from; most are not, and then there is nothing to read.
    let wanted: Vec<_> = priced
        .iter()
        .enumerate()
        .filter(|(_, (_, p))| {
            menu.product(p.product_id)
                .is_some_and(|m| m.stock_left.is_some())
        })
        .map(|(i, (_, p))| (i, p.product_id, p.quantity))
        .collect();
    let counted = stock::take(conn, &wanted)?;
    let now = now_ms();
    for (line_id, p) in &priced {
        let options =
            serde_json::to_string(&p.options).map_err(|e| ServiceError::Internal(e.to_string()))?;
        sql!(
            conn,
            "INSERT INTO order_lines (id, order_id, product_id, product_name, kitchen_name, station_id, quantity,
                                      unit_price_minor, tax_rate_bp, options_json, note, course, seat, added_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            line_id,
            id,
            p.product_id,
            p.product_name,
            p.kitchen_name,
            p.station_id,
            p.quantity,
            p.unit_price_minor,
            p.tax_rate_bp,
            options,
            p.note,
            p.course,
            p.seat,
            by,
            now
        )
        .execute()
        // The line's client-made id is its key: one already taken is a conflict.
        .map_err(|e| match is_unique_violation(&e) {
            true => ServiceError::Conflict(format!("line {line_id} exists already")),
            false => e.into(),
        })?;
    }
    let categories: Vec<_> = priced
        .iter()
        .filter_map(|(line, p)| Some((*line, menu.product(p.product_id)?.category_id)))
        .collect();
    crate::services::discounts::apply_rules(conn, by, id, &categories)?;
    join(conn, id, by)?;
    let outcome = finish(
        conn,
        id,
        false,
        Some((EventKind::LinesAdded, by, table_id, &[])),
    )?;
    with_counted(conn, outcome, &counted)
}

/// Puts the products whose portions a change counted on its event, for the phones.
pub(super) fn with_counted(
    conn: &Conn,
    mut outcome: Change,
    counted: &[ProductId],
) -> ServiceResult<Change> {
    if let (Some(event), false) = (outcome.event.as_mut(), counted.is_empty()) {
        event.products = Some(stock::products(conn, counted)?);
    }
    Ok(outcome)
}

/// Sends the lines never sent of the courses up to `up_to_course`, holding the later
/// ones until they are fired, or all of them (holding none) when it is None: one ticket per
/// station (`StationTicket::group` says which). Nothing new, no ticket.
pub fn send(
    conn: &Conn,
    by: StaffId,
    order: OrderId,
    up_to_course: Option<i64>,
) -> ServiceResult<Change> {
    let up_to_course = up_to_course
        .map(courses::check)
        .transpose()
        .map_err(|e| ServiceError::invalid("up_to_course", e))?;
    let (id, table_id) = open_order(conn, order)?;
    send_firing(conn, by, id, table_id, Firing::send(up_to_course))
}

/// Fires a held course: it goes with every course before it; later held courses stay
/// held (`Firing::fire`).
pub fn fire_course(conn: &Conn, by: StaffId, order: OrderId, course: i64) -> ServiceResult<Change> {
    let course = courses::check(course).map_err(|e| ServiceError::invalid("course", e))?;
    let (id, table_id) = open_order(conn, order)?;
    let held_from: Option<i64> =
        sql!(conn, "SELECT held_from FROM orders WHERE id = ?", id).scalar()?;
    send_firing(conn, by, id, table_id, Firing::fire(held_from, course))
}

/// Sends what `firing` takes of the order `id` (resolved and open) and holds what it holds.
fn send_firing(
    conn: &Conn,
    by: StaffId,
    id: OrderId,
    table_id: Option<TableId>,
    firing: Firing,
) -> ServiceResult<Change> {
    // Only the unsent lines, not the whole order: a send is on every order's path. They
    // come in the order's line order (`load_these`), as `Order::fire` takes them.
    let through = firing.through.unwrap_or(MAX_COURSE);
    let unsent = sql!(
        conn,
        r#"SELECT id AS "id: LineId", station_id AS "station_id: StationId" FROM order_lines
           WHERE order_id = ? AND status = 'new' AND course <= ? ORDER BY created_at, id"#,
        id,
        through
    )
    .rows(|r| Ok((r.get(0)?, r.get(1)?)))?;
    let held = sql!(
        conn,
        "UPDATE orders SET held_from = ?1 WHERE id = ?2 AND held_from IS NOT ?1",
        firing.held_from,
        id
    )
    .execute()?;
    // Grouped as `Order::fire` groups them, so the rule is written once; the line ids it
    // lists are not needed here, as the UPDATE below picks the same lines.
    let tickets = StationTicket::group(unsent);
    let now = now_ms();
    for StationTicket { station_id, .. } in &tickets {
        let ticket = TicketId::new_v7();
        sql!(
            conn,
            "INSERT INTO tickets (id, order_id, station_id, sent_by, created_at) VALUES (?, ?, ?, ?, ?)",
            ticket,
            id,
            station_id,
            by,
            now
        )
        .execute()?;
        // The ticket's lines are the station's unsent ones, read above in this transaction.
        sql!(
            conn,
            "UPDATE order_lines SET status = 'sent', ticket_id = ?
             WHERE order_id = ? AND station_id = ? AND status = 'new' AND course <= ?",
            ticket,
            id,
            station_id,
            through
        )
        .execute()?;
        // Printing happens later, in the printer workers; the job is durable from now on.
        print_queue::queue_ticket(conn, ticket, station_id, false)?;
    }
    let stations: Vec<StationId> = tickets.into_iter().map(|t| t.station_id).collect();
    // A send that only holds (nothing to send yet) still changes what phones show.
    let event = match (stations.is_empty(), held > 0) {
        (false, _) => Some((EventKind::OrderSent, by, table_id, stations.as_slice())),
        (true, true) => Some((EventKind::LinesAdded, by, table_id, &[][..])),
        (true, false) => None,
    };
    finish(conn, id, false, event)
}

/// Takes off a line that was never sent (a mis-tap): it goes with its discounts, as if
/// it had never been added, unless a payment paid for it by item.
pub fn remove_line(
    conn: &Conn,
    by: StaffId,
    order: OrderId,
    line: LineId,
) -> ServiceResult<Change> {
    let (id, table_id) = open_order(conn, order)?;
    let current = load_own(conn, id)?;
    let taken = line_of(&current, line)?;
    current
        .check_remove_line(line)
        .map_err(|e| ServiceError::Conflict(e.to_string()))?;
    let (product, quantity) = (taken.product_id, taken.quantity);
    sql!(conn, "DELETE FROM discounts WHERE line_id = ?", line).execute()?;
    sql!(
        conn,
        "DELETE FROM order_lines WHERE id = ? AND status = 'new'",
        line
    )
    .execute()?;
    let counted = match stock::give_back(conn, product, quantity)? {
        true => vec![product],
        false => vec![],
    };
    let outcome = finish(
        conn,
        id,
        false,
        Some((EventKind::LinesAdded, by, table_id, &[])),
    )?;
    with_counted(conn, outcome, &counted)
}

/// Marks every ready line of the order served (`Order::serve_ready`).
pub fn serve_ready(conn: &Conn, by: StaffId, order: OrderId) -> ServiceResult<Change> {
    let (id, table_id) = open_order(conn, order)?;
    let mut current = load_own(conn, id)?;
    let served = current.serve_ready();
    let lines = json_ids(&served)?;
    sql!(
        conn,
        "UPDATE order_lines SET status = 'served' WHERE id IN (SELECT value FROM json_each(?)) AND status = 'ready'",
        lines
    )
    .execute()?;
    // Their tickets show them served.
    let stations = stations_of(&current, &served);
    let event =
        (!served.is_empty()).then_some((EventKind::LinesServed, by, table_id, &stations[..]));
    finish(conn, id, false, event)
}

/// Why voiding a line needs a manager: None when it does not.
pub fn void_needs_approval(line: &OrderLine, threshold_minor: i64) -> Option<&'static str> {
    match line.status {
        LineStatus::New | LineStatus::Void => None,
        LineStatus::Preparing | LineStatus::Ready | LineStatus::Served => {
            Some("the kitchen has already made it")
        }
        LineStatus::Sent if line.total_minor() > threshold_minor => Some("it is over the limit"),
        LineStatus::Sent => None,
    }
}

/// Voids a line with a reason. A line never sent just goes; a sent one gets a VOID ticket
/// at its station (printed like any ticket). `approved_by` is the manager whose PIN was
/// given, if any; the rules say when one is needed. Written to the audit log.
pub fn void_line(
    conn: &Conn,
    by: StaffId,
    order: OrderId,
    line_id: LineId,
    reason: &str,
    approved_by: Option<StaffId>,
) -> ServiceResult<Change> {
    let (id, table_id) = open_order(conn, order)?;
    let current = load_own(conn, id)?;
    let line = line_of(&current, line_id)?;
    if line.status == LineStatus::Void {
        return Err(ServiceError::Conflict(format!(
            "{} is void already",
            line.product_name
        )));
    }
    let venue = crate::services::venue::load_venue(conn)?;
    let (_, threshold) = crate::services::permissions::limits_of(conn, by)?;
    if let (Some(why), None) = (void_needs_approval(line, threshold), approved_by) {
        return Err(ServiceError::ApprovalNeeded(format!(
            "voiding {}x {} ({}) needs a manager's PIN: {why}",
            line.quantity,
            line.product_name,
            Money::new(line.total_minor(), venue.currency.as_str())
        )));
    }
    let now = now_ms();
    sql!(
        conn,
        "UPDATE order_lines SET status = 'void', void_reason = ?, voided_by = ?, void_approved_by = ?, voided_at = ?
         WHERE id = ?",
        reason,
        by,
        approved_by,
        now,
        line_id
    )
    .execute()?;
    let detail = serde_json::json!({
        "line_id": line_id, "product": line.product_name, "quantity": line.quantity,
        "amount_minor": line.total_minor(), "status_before": line.status, "reason": reason,
        "order_total_before_minor": current.total_minor(),
        "order_total_after_minor": current.total_minor() - line.total_minor(),
    });
    audit(conn, by, approved_by, "void_line", Some(id), detail)?;
    let mut stations = vec![];
    if line.status != LineStatus::New {
        let ticket = TicketId::new_v7();
        sql!(
            conn,
            "INSERT INTO tickets (id, order_id, station_id, sent_by, created_at, kind) VALUES (?, ?, ?, ?, ?, 'void')",
            ticket,
            id,
            line.station_id,
            by,
            now
        )
        .execute()?;
        sql!(
            conn,
            "INSERT INTO void_ticket_lines (ticket_id, line_id) VALUES (?, ?)",
            ticket,
            line_id
        )
        .execute()?;
        print_queue::queue_ticket(conn, ticket, &line.station_id, false)?;
        stations.push(line.station_id.clone());
    }
    // Never sent, never made: its portions are there to sell again.
    let counted = match line.status == LineStatus::New
        && stock::give_back(conn, line.product_id, line.quantity)?
    {
        true => vec![line.product_id],
        false => vec![],
    };
    let outcome = finish(
        conn,
        id,
        false,
        Some((EventKind::LineVoided, by, table_id, &stations)),
    )?;
    with_counted(conn, outcome, &counted)
}
