//! The venue as clients cache it, read from the database: its settings, menu, floor, and
//! the snapshot a phone works from (open orders, the money rules it applies offline:
//! limits, happy-hour rules and the venue's clock), as of one event number.

use crate::services::events;
use crate::services::orders::load_orders;
use crate::services::{ServiceError, ServiceResult};
use app::api::{Snapshot, Venue, VoidReason};
use app::domain::bill::{TaxMode, TaxRounding};
use app::domain::floor::{DiningTable, Floor, Room};
use app::domain::menu::{Category, Menu, MenuOption, OptionGroup, OptionKind, Product, Station};
use app::domain::staff::Role;
use app::domain::{CategoryId, OptionGroupId, OptionId, ProductId, RoomId, StationId, TableId};
use sqlx::SqliteConnection;

/// Whether the venue has station `id`.
pub async fn station_exists(conn: &mut SqliteConnection, id: &StationId) -> ServiceResult<bool> {
    let known = sqlx::query_scalar!(r#"SELECT 1 AS "one!: i64" FROM stations WHERE id = ?"#, id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(known.is_some())
}

/// The menu as waiters see it: retired products left out, 86'd ones marked unavailable.
/// The product (id and name) a scanned code names, if one is on sale.
pub async fn product_by_barcode(
    conn: &mut SqliteConnection,
    code: &str,
) -> ServiceResult<Option<(ProductId, String)>> {
    let row = sqlx::query!(
        r#"SELECT id AS "id: ProductId", name FROM products WHERE barcode = ? AND retired = 0"#,
        code
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.id, r.name)))
}

pub async fn load_menu(conn: &mut SqliteConnection) -> ServiceResult<Menu> {
    let stations = sqlx::query_as!(
        Station,
        r#"SELECT id AS "id: StationId", name, warn_after_secs, late_after_secs
           FROM stations ORDER BY sort_order, name"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let categories = sqlx::query_as!(
        Category,
        r#"SELECT id AS "id: CategoryId", name, colour, sort_order FROM categories ORDER BY sort_order, name"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let links = sqlx::query!(
        r#"SELECT product_id AS "product_id: ProductId", group_id AS "group_id: OptionGroupId"
           FROM product_option_groups ORDER BY sort_order"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let products = sqlx::query!(
        r#"SELECT id AS "id: ProductId", category_id AS "category_id: CategoryId",
                  station_id AS "station_id: StationId", name, price_minor,
                  available AS "available: bool", sort_order, barcode, tax_rate_bp
           FROM products WHERE retired = 0 ORDER BY sort_order, name"#
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|p| Product {
        option_group_ids: links
            .iter()
            .filter(|l| l.product_id == p.id)
            .map(|l| l.group_id)
            .collect(),
        id: p.id,
        category_id: p.category_id,
        station_id: p.station_id,
        name: p.name,
        price_minor: p.price_minor,
        available: p.available,
        sort_order: p.sort_order,
        barcode: p.barcode,
        tax_rate_bp: p.tax_rate_bp,
    })
    .collect();
    let options = sqlx::query!(
        r#"SELECT id AS "id: OptionId", group_id AS "group_id: OptionGroupId", name, price_delta_minor
           FROM options ORDER BY sort_order, name"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let option_groups = sqlx::query!(
        r#"SELECT id AS "id: OptionGroupId", name, kind AS "kind: OptionKind"
           FROM option_groups ORDER BY sort_order, name"#
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|g| OptionGroup {
        options: options
            .iter()
            .filter(|o| o.group_id == g.id)
            .map(|o| MenuOption {
                id: o.id,
                name: o.name.clone(),
                price_delta_minor: o.price_delta_minor,
            })
            .collect(),
        id: g.id,
        name: g.name,
        kind: g.kind,
    })
    .collect();
    Ok(Menu {
        stations,
        categories,
        products,
        option_groups,
    })
}

pub async fn load_floor(conn: &mut SqliteConnection) -> ServiceResult<Floor> {
    let rooms = sqlx::query_as!(
        Room,
        r#"SELECT id AS "id: RoomId", name, sort_order FROM rooms ORDER BY sort_order, name"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let tables = sqlx::query_as!(
        DiningTable,
        r#"SELECT id AS "id: TableId", room_id AS "room_id: RoomId", label, seats, grid_x, grid_y, grid_w, grid_h
           FROM dining_tables ORDER BY grid_y, grid_x, label"#
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(Floor { rooms, tables })
}

pub async fn load_venue(conn: &mut SqliteConnection) -> ServiceResult<Venue> {
    sqlx::query_as!(
        Venue,
        r#"SELECT name, currency,
                  EXISTS (SELECT 1 FROM sms_provider WHERE enabled = 1) AS "sms_enabled!: bool",
                  tax_mode AS "tax_mode: TaxMode", tax_rounding AS "tax_rounding: TaxRounding", cash_rounding_minor,
                  max_amount_minor, tip_approval_above_minor
           FROM venue WHERE id = 1"#
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| {
        ServiceError::Internal(
            "the venue row is missing; start once with --demo or configure it".into(),
        )
    })
}

/// The snapshot as `role` sees it (takeaway contacts hidden from who does not need
/// them). Run it in one read transaction so menu, floor and orders agree with `seq`.
pub async fn load_snapshot(tx: &mut SqliteConnection, role: Role) -> ServiceResult<Snapshot> {
    let seq = events::last_seq(&mut *tx).await?;
    let limits = sqlx::query!(
        "SELECT void_approval_above_minor, discount_approval_above_minor, time_zone FROM venue WHERE id = 1"
    )
    .fetch_one(&mut *tx)
    .await?;
    let mut orders = load_orders(&mut *tx, None).await?;
    app::domain::takeaway::hide_contacts_from(role, &mut orders);
    let snapshot = Snapshot {
        venue: load_venue(&mut *tx).await?,
        menu: load_menu(&mut *tx).await?,
        floor: load_floor(&mut *tx).await?,
        orders,
        void_reasons: sqlx::query_as!(
            VoidReason,
            r#"SELECT id AS "id!", label, active AS "active: bool" FROM void_reasons WHERE active = 1
               ORDER BY sort_order, label"#
        )
        .fetch_all(&mut *tx)
        .await?,
        void_approval_above_minor: limits.void_approval_above_minor,
        discount_approval_above_minor: limits.discount_approval_above_minor,
        discount_rules: crate::services::discounts::load_rules(&mut *tx)
            .await?
            .into_iter()
            .filter(|r| r.active)
            .collect(),
        // A zone this build does not know (it was valid when saved) must not stop every
        // phone from loading: the phone then reads rules in UTC, and the box logs why.
        clock: crate::services::discounts::venue_clock(&limits.time_zone, crate::db::now_ms())
            .unwrap_or_else(|e| {
                tracing::warn!("venue clock for phones: {e}");
                Default::default()
            }),
        seq,
    };
    Ok(snapshot)
}
