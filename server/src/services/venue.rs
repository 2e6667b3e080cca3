//! The venue as clients cache it, read from the database: its settings, menu, floor, and
//! the snapshot a phone works from (open orders, the money rules it applies offline:
//! limits, happy-hour rules and the venue's clock) and the staff it names, as of one
//! event number.

use crate::db::direct::{sql, Conn};
use crate::services::events;
use crate::services::{json_ids, on, stored, ServiceError, ServiceResult};
use app::api::{MergedOrder, Snapshot, StaffName, Venue, VoidReason};
use app::domain::bill::{TaxMode, TaxRounding};
use app::domain::floor::{DiningTable, Floor, Room, TableShape};
use app::domain::menu::{Category, Menu, MenuOption, OptionGroup, Product};
use app::domain::staff::Role;
use app::domain::{OptionGroupId, OrderId, ProductId, RoomId, StaffId, StationId, TableId};
use sqlx::SqliteConnection;

/// Whether the venue has station `id`.
pub async fn station_exists(conn: &mut SqliteConnection, id: &StationId) -> ServiceResult<bool> {
    let known = sqlx::query_scalar!(r#"SELECT 1 AS "one!: i64" FROM stations WHERE id = ?"#, id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(known.is_some())
}

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

/// The menu as waiters see it: retired products left out, 86'd ones marked unavailable.
///
/// One statement: SQLite builds the menu as the JSON `Menu` deserialises from. It is read
/// per snapshot, not per write (a write that prices lines reads `menu_for`).
pub fn load_menu(conn: &Conn) -> ServiceResult<Menu> {
    load_menu_with(conn, false)
}

/// `load_menu` from code still on sqlx.
pub async fn load_menu_async(conn: &mut SqliteConnection) -> ServiceResult<Menu> {
    on(conn, load_menu).await
}

/// The menu with retired products too, marked so, for the back office.
pub async fn load_whole_menu(conn: &mut SqliteConnection) -> ServiceResult<Menu> {
    on(conn, |c| load_menu_with(c, true)).await
}

fn load_menu_with(conn: &Conn, retired: bool) -> ServiceResult<Menu> {
    let json: String = sql!(
        conn,
        r#"SELECT json_object(
             'stations', json((SELECT json_group_array(json_object(
                 'id', id, 'name', name, 'warn_after_secs', warn_after_secs, 'late_after_secs', late_after_secs)
                 ORDER BY sort_order, name) FROM stations)),
             'categories', json((SELECT json_group_array(json_object(
                 'id', id, 'name', name, 'colour', colour, 'sort_order', sort_order, 'course', course)
                 ORDER BY sort_order, name) FROM categories)),
             'products', json((SELECT json_group_array(json_object(
                 'id', p.id, 'category_id', p.category_id, 'station_id', p.station_id, 'name', p.name,
                 'kitchen_name', p.kitchen_name,
                 'price_minor', p.price_minor, 'available', json(CASE WHEN p.available THEN 'true' ELSE 'false' END),
                 'stock_left', p.stock_left,
                 'sort_order', p.sort_order, 'barcode', p.barcode, 'tax_rate_bp', p.tax_rate_bp,
                 'retired', json(CASE WHEN p.retired THEN 'true' ELSE 'false' END),
                 'option_group_ids', json((SELECT json_group_array(l.group_id ORDER BY l.sort_order)
                   FROM product_option_groups l WHERE l.product_id = p.id)))
                 ORDER BY p.sort_order, p.name) FROM products p WHERE p.retired = 0 OR ?)),
             'option_groups', json((SELECT json_group_array(json_object(
                 'id', g.id, 'name', g.name, 'kind', g.kind, 'min_picks', g.min_picks, 'max_picks', g.max_picks,
                 'options', json((SELECT json_group_array(json_object(
                     'id', o.id, 'name', o.name, 'price_delta_minor', o.price_delta_minor)
                     ORDER BY o.sort_order, o.name) FROM options o WHERE o.group_id = g.id)))
                 ORDER BY g.sort_order, g.name) FROM option_groups g))
           ) AS "menu!: String""#,
        retired
    )
    .scalar()?;
    stored(&json, "menu")
}

/// The products `ids` names that are on the menu (not retired), with their option groups
/// and categories: what pricing lines needs (`NewLine::price`, which takes a category's
/// course), and what an event that counted portions carries. Stations are left out.
///
/// Plain rows for these few products, on every write that adds lines, rather than the
/// whole menu as JSON (`load_menu`).
pub fn menu_for(conn: &Conn, ids: &[ProductId]) -> ServiceResult<Menu> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let ids = json_ids(&ids)?;
    // Each product with its category, whose course a line takes when it names none.
    let rows = sql!(
        conn,
        "SELECT p.id, p.category_id, p.station_id, p.name, p.kitchen_name, p.price_minor, p.available,
                p.stock_left, p.sort_order, p.barcode, p.tax_rate_bp,
                c.name AS category_name, c.colour, c.sort_order AS category_order, c.course
         FROM json_each(?1) j JOIN products p ON p.id = j.value JOIN categories c ON c.id = p.category_id
         WHERE p.retired = 0
         ORDER BY p.sort_order, p.name",
        ids
    )
    .rows(|r| {
        let product = Product {
            id: r.get(0)?,
            category_id: r.get(1)?,
            station_id: r.get(2)?,
            name: r.get(3)?,
            kitchen_name: r.get(4)?,
            price_minor: r.get(5)?,
            available: r.get(6)?,
            stock_left: r.get(7)?,
            sort_order: r.get(8)?,
            option_group_ids: Vec::new(),
            barcode: r.get(9)?,
            tax_rate_bp: r.get(10)?,
            retired: false,
        };
        let category = Category {
            id: product.category_id,
            name: r.get(11)?,
            colour: r.get(12)?,
            sort_order: r.get(13)?,
            course: r.get(14)?,
        };
        Ok((product, category))
    })?;
    let mut categories: Vec<Category> = Vec::new();
    let mut products = Vec::with_capacity(rows.len());
    for (product, category) in rows {
        if !categories.iter().any(|c| c.id == category.id) {
            categories.push(category);
        }
        products.push(product);
    }
    let offered = sql!(
        conn,
        "SELECT l.product_id, l.group_id FROM json_each(?1) j
         JOIN product_option_groups l ON l.product_id = j.value ORDER BY l.sort_order",
        ids
    )
    .rows(|r| Ok((r.get::<_, ProductId>(0)?, r.get::<_, OptionGroupId>(1)?)))?;
    let mut groups = Vec::new();
    for (product, group) in offered {
        if let Some(p) = products.iter_mut().find(|p| p.id == product) {
            p.option_group_ids.push(group);
            groups.push(group);
        }
    }
    // Most products offer no options: then there is nothing more to read.
    let option_groups = if groups.is_empty() {
        Vec::new()
    } else {
        option_groups(conn, &groups)?
    };
    Ok(Menu {
        categories,
        products,
        option_groups,
        ..Menu::default()
    })
}

/// The option groups `ids` names, each with its options, in menu order.
fn option_groups(conn: &Conn, ids: &[OptionGroupId]) -> ServiceResult<Vec<OptionGroup>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let ids = json_ids(&ids)?;
    let mut groups = sql!(
        conn,
        "SELECT g.id, g.name, g.kind, g.min_picks, g.max_picks
         FROM json_each(?1) j JOIN option_groups g ON g.id = j.value ORDER BY g.sort_order, g.name",
        ids
    )
    .rows(|r| {
        Ok(OptionGroup {
            id: r.get(0)?,
            name: r.get(1)?,
            kind: r.get(2)?,
            options: Vec::new(),
            min_picks: r.get(3)?,
            max_picks: r.get(4)?,
        })
    })?;
    let options = sql!(
        conn,
        "SELECT o.group_id, o.id, o.name, o.price_delta_minor FROM options o
         WHERE o.group_id IN (SELECT value FROM json_each(?1)) ORDER BY o.sort_order, o.name",
        ids
    )
    .rows(|r| {
        let option = MenuOption {
            id: r.get(1)?,
            name: r.get(2)?,
            price_delta_minor: r.get(3)?,
        };
        Ok((r.get::<_, OptionGroupId>(0)?, option))
    })?;
    for (group, option) in options {
        if let Some(g) = groups.iter_mut().find(|g| g.id == group) {
            g.options.push(option);
        }
    }
    Ok(groups)
}

/// The floor in use: the phones' and screens' plan.
pub async fn load_floor(conn: &mut SqliteConnection) -> ServiceResult<Floor> {
    load_floor_with(conn, false).await
}

/// The floor with the rooms and tables taken off it too, marked so, for the back office.
pub async fn load_whole_floor(conn: &mut SqliteConnection) -> ServiceResult<Floor> {
    load_floor_with(conn, true).await
}

async fn load_floor_with(conn: &mut SqliteConnection, retired: bool) -> ServiceResult<Floor> {
    let rooms = sqlx::query_as!(
        Room,
        r#"SELECT id AS "id: RoomId", name, sort_order, retired AS "retired: bool"
           FROM rooms WHERE retired = 0 OR ? ORDER BY sort_order, name"#,
        retired
    )
    .fetch_all(&mut *conn)
    .await?;
    let tables = sqlx::query_as!(
        DiningTable,
        r#"SELECT id AS "id: TableId", room_id AS "room_id: RoomId", label, seats, grid_x, grid_y, grid_w, grid_h,
                  shape AS "shape: TableShape", retired AS "retired: bool"
           FROM dining_tables WHERE retired = 0 OR ? ORDER BY grid_y, grid_x, label"#,
        retired
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(Floor { rooms, tables })
}

pub fn load_venue(conn: &Conn) -> ServiceResult<Venue> {
    // The tax rates are JSON, read once the row is.
    let (venue, tax_rates) = sql!(
        conn,
        r#"SELECT name, currency,
                  EXISTS (SELECT 1 FROM sms_provider WHERE enabled = 1) AS "sms_enabled!: bool",
                  tax_mode AS "tax_mode: TaxMode", tax_rounding AS "tax_rounding: TaxRounding", cash_rounding_minor,
                  max_amount_minor, tip_approval_above_minor, tax_rates_json, country
           FROM venue WHERE id = 1"#
    )
    .optional(|r| {
        let venue = Venue {
            name: r.get(0)?,
            currency: r.get(1)?,
            sms_enabled: r.get(2)?,
            tax_mode: r.get(3)?,
            tax_rounding: r.get(4)?,
            cash_rounding_minor: r.get(5)?,
            max_amount_minor: r.get(6)?,
            tip_approval_above_minor: r.get(7)?,
            tax_rates_bp: Default::default(),
            country: r.get(9)?,
        };
        Ok((venue, r.get::<_, String>(8)?))
    })?
    .ok_or_else(|| ServiceError::Conflict("the venue is not set up yet; open /setup".into()))?;
    Ok(Venue {
        tax_rates_bp: stored(&tax_rates, "tax rates")?,
        ..venue
    })
}

/// `load_venue` from code still on sqlx.
pub async fn load_venue_async(conn: &mut SqliteConnection) -> ServiceResult<Venue> {
    on(conn, load_venue).await
}

/// The snapshot as `role` sees it (takeaway contacts hidden from who does not need
/// them). Run it in one read transaction so menu, floor and orders agree with `seq`.
pub async fn load_snapshot(tx: &mut SqliteConnection, role: Role) -> ServiceResult<Snapshot> {
    let seq = events::last_seq(&mut *tx).await?;
    let time_zone = sqlx::query_scalar!("SELECT time_zone FROM venue WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    // What is on the direct path is read in one go (one lock of the connection). The
    // role's own limits go with it, so the phone asks for a manager's PIN when the server
    // will.
    let ((discount_limit, void_limit), mut orders, venue, menu, rules) = on(&mut *tx, |c| {
        Ok((
            crate::services::permissions::limits_for_role(c, role)?,
            crate::services::orders::load_orders(c, None)?,
            load_venue(c)?,
            load_menu(c)?,
            crate::services::discounts::load_rules(c)?,
        ))
    })
    .await?;
    app::domain::takeaway::hide_contacts_from(role, &mut orders);
    let snapshot = Snapshot {
        venue,
        menu,
        floor: load_floor(&mut *tx).await?,
        orders,
        void_reasons: sqlx::query_as!(
            VoidReason,
            r#"SELECT id AS "id!", label, active AS "active: bool" FROM void_reasons WHERE active = 1
               ORDER BY sort_order, label"#
        )
        .fetch_all(&mut *tx)
        .await?,
        permissions: Some(crate::services::permissions::of(&mut *tx, role).await?),
        void_approval_above_minor: void_limit,
        discount_approval_above_minor: discount_limit,
        discount_rules: rules.into_iter().filter(|r| r.active).collect(),
        // A zone this build does not know (it was valid when saved) must not stop every
        // phone from loading: the phone then reads rules in UTC, and the box logs why.
        clock: crate::services::discounts::venue_clock(&time_zone, crate::db::now_ms())
            .unwrap_or_else(|e| {
                tracing::warn!("venue clock for phones: {e}");
                Default::default()
            }),
        // Whose table a tile shows: for those who see the floor, not the station screens.
        staff: match role.sees_floor() {
            false => vec![],
            true => sqlx::query_as!(
            StaffName,
            r#"SELECT id AS "id: StaffId", name, role AS "role: Role", active AS "active: bool" FROM staff
               WHERE active = 1 OR id IN (SELECT COALESCE(handed_to, opened_by) FROM orders WHERE status = 'open')
               ORDER BY name"#
            )
            .fetch_all(&mut *tx)
            .await?,
        },
        merged: sqlx::query_as!(
            MergedOrder,
            r#"SELECT m.id AS "order_id!: OrderId", m.merged_into AS "into_order_id!: OrderId"
               FROM orders m JOIN orders o ON o.id = m.merged_into
               WHERE m.merged_into IS NOT NULL AND o.status = 'open'"#
        )
        .fetch_all(&mut *tx)
        .await?,
        seq,
    };
    Ok(snapshot)
}
