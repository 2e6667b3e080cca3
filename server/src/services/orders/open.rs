//! Opening an order: at a table (or joining the one open there), or a takeaway with its
//! customer; and marking a takeaway ready for pickup.

use super::{finish, join, load_own, open_order, resolve, stations_of, Change};
use crate::db::direct::{sql, Conn};
use crate::db::now_ms;
use crate::services::takeaway;
use crate::services::{json_ids, ServiceError, ServiceResult};
use app::api::{EventKind, OpenTakeawayRequest};
use app::domain::floor::check_guests;
use app::domain::takeaway::validate_customer;
use app::domain::{OrderId, StaffId, StationId, TableId};

/// Opens `table_id` under `requested`, or joins the order already open there.
pub fn open_table(
    conn: &Conn,
    by: StaffId,
    requested: OrderId,
    table_id: TableId,
    guests: Option<i64>,
) -> ServiceResult<Change> {
    let guests = guests
        .map(check_guests)
        .transpose()
        .map_err(|e| ServiceError::invalid("guests", e))?;
    let table = crate::services::floor::table_on_floor(conn, table_id)?;
    if let Some(known) = resolve(conn, requested)? {
        let (id, at) = open_order(conn, known)?;
        if at != Some(table_id) {
            return Err(ServiceError::Conflict(format!(
                "order id {requested} belongs to another table"
            )));
        }
        let joined = join(conn, id, by)? | seat_guests(conn, id, guests)?;
        let event = joined.then_some((EventKind::WaiterJoined, by, Some(table_id), &[][..]));
        return finish(conn, id, false, event);
    }
    let open: Option<OrderId> = sql!(
        conn,
        r#"SELECT id AS "id: OrderId" FROM orders WHERE table_id = ? AND status = 'open'"#,
        table_id
    )
    .scalar_optional()?;
    if let Some(existing) = open {
        tracing::info!(table = %table, %requested, %existing, "table already open: the new id joins its order");
        sql!(
            conn,
            "INSERT INTO order_aliases (alias_id, order_id) VALUES (?, ?)",
            requested,
            existing
        )
        .execute()?;
        let joined = join(conn, existing, by)? | seat_guests(conn, existing, guests)?;
        let event = joined.then_some((EventKind::WaiterJoined, by, Some(table_id), &[][..]));
        return finish(conn, existing, false, event);
    }
    let now = now_ms();
    sql!(
        conn,
        "INSERT INTO orders (id, number, table_id, opened_by, opened_at, guests)
         VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM orders), ?, ?, ?, ?)",
        requested,
        table_id,
        by,
        now,
        guests
    )
    .execute()?;
    join(conn, requested, by)?;
    finish(
        conn,
        requested,
        true,
        Some((EventKind::OrderOpened, by, Some(table_id), &[])),
    )
}

/// Gives an open order its guest count, when it has none yet; whether it did.
fn seat_guests(conn: &Conn, id: OrderId, guests: Option<i64>) -> ServiceResult<bool> {
    let Some(guests) = guests else {
        return Ok(false);
    };
    let seated = sql!(
        conn,
        "UPDATE orders SET guests = ? WHERE id = ? AND guests IS NULL",
        guests,
        id
    )
    .execute()?;
    Ok(seated > 0)
}

/// A takeaway customer's details, checked (`Customer::checked`).
pub struct Customer {
    pub name: String,
    pub phone: Option<String>,
    pub sms_consent: bool,
    pub language: String,
}

impl Customer {
    /// The customer of `req`, checked and tidied (`validate_customer`): a local phone
    /// number is read as one of the venue's country.
    pub fn checked(conn: &Conn, req: &OpenTakeawayRequest) -> ServiceResult<Customer> {
        let country = crate::services::venue::load_venue(conn)?.country;
        let (name, phone, language) = validate_customer(
            &req.customer_name,
            req.phone.as_deref(),
            req.sms_consent,
            req.language.as_deref().unwrap_or("en"),
            country.as_deref(),
        )
        .map_err(|e| ServiceError::invalid(e.field(), e.to_string()))?;
        Ok(Customer {
            name,
            phone,
            sms_consent: req.sms_consent,
            language,
        })
    }
}

/// Opens a takeaway order under `requested`; asking again with the same id returns it.
pub fn open_takeaway(
    conn: &Conn,
    by: StaffId,
    requested: OrderId,
    customer: &Customer,
) -> ServiceResult<Change> {
    if let Some(known) = resolve(conn, requested)? {
        let order = load_own(conn, known)?;
        if order.takeaway.is_none() {
            return Err(ServiceError::Conflict(format!(
                "order id {requested} belongs to a table"
            )));
        }
        return Ok(Change {
            order_id: order.id,
            created: false,
            event: None,
            also: None,
        });
    }
    let now = now_ms();
    sql!(
        conn,
        "INSERT INTO orders (id, number, table_id, opened_by, opened_at)
         VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM orders), NULL, ?, ?)",
        requested,
        by,
        now
    )
    .execute()?;
    sql!(
        conn,
        "INSERT INTO takeaways (order_id, customer_name, phone, sms_consent, language) VALUES (?, ?, ?, ?, ?)",
        requested,
        customer.name,
        customer.phone,
        customer.sms_consent,
        customer.language
    )
    .execute()?;
    join(conn, requested, by)?;
    finish(
        conn,
        requested,
        true,
        Some((EventKind::OrderOpened, by, None, &[])),
    )
}

/// Staff say a takeaway order is ready: every item still at a station becomes ready and
/// its tickets leave the station screens; the customer's text is queued.
pub fn ready_for_pickup(conn: &Conn, by: StaffId, order: OrderId) -> ServiceResult<Change> {
    let (id, _) = open_order(conn, order)?;
    let mut current = load_own(conn, id)?;
    let ready = current.ready_for_pickup()?;
    let mut stations = stations_of(&current, &ready);
    let (now, lines) = (now_ms(), json_ids(&ready)?);
    sql!(
        conn,
        "UPDATE order_lines SET status = 'ready', ready_at = ?
         WHERE id IN (SELECT value FROM json_each(?)) AND status IN ('sent', 'preparing')",
        now,
        lines
    )
    .execute()?;
    // Every ticket still open goes to "done", also one whose items were all ready.
    let bumped: Vec<StationId> = sql!(
        conn,
        r#"UPDATE tickets SET bumped_at = ? WHERE order_id = ? AND bumped_at IS NULL
           RETURNING station_id AS "station_id: StationId""#,
        now,
        id
    )
    .rows(|r| r.get(0))?;
    stations.extend(bumped);
    stations.sort();
    stations.dedup();
    if !takeaway::note_if_ready(conn, id)? && stations.is_empty() {
        // Already ready and announced: nothing changed.
        return finish(conn, id, false, None);
    }
    finish(
        conn,
        id,
        false,
        Some((EventKind::OrderReady, by, None, &stations)),
    )
}
