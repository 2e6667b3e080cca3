//! The back office's changes to the menu: categories, products and option groups. Each
//! change is checked field by field (a 422 names the field), written to the audit log,
//! and announced as `menu_changed`, so phones and screens fetch the menu again at once.
//! Products are retired, never deleted, and a price change never alters a line already
//! taken: lines keep the name, price and options they were taken with.

use crate::db::direct::Conn;
use crate::services::events;
use crate::services::fields::{name, required, sort_order};
use crate::services::venue::{load_venue_async, load_whole_menu};
use crate::services::{json_ids, Changed, ServiceError, ServiceResult};
use app::api::{CategoryChange, EventKind, LiveEvent, OptionGroupChange, ProductChange, Venue};
use app::domain::first_run::MAX_TAX_RATE_BP;
use app::domain::menu::{Category, OptionGroup, Product, MAX_PICKS};
use app::domain::{CategoryId, OptionGroupId, OptionId, ProductId, StaffId};
use serde_json::json;
use sqlx::SqliteConnection;

/// Most option groups on one product, and options in one group.
const MAX_GROUPS_PER_PRODUCT: usize = 10;
const MAX_OPTIONS_PER_GROUP: usize = 30;

/// Announces a change of the menu (`MenuChanged`) and audits it.
pub(crate) async fn announce(
    conn: &mut SqliteConnection,
    by: StaffId,
    action: &str,
    detail: serde_json::Value,
) -> ServiceResult<Vec<LiveEvent>> {
    events::announce_change(conn, by, EventKind::MenuChanged, action, detail, &[]).await
}

/// A thing of the menu, read back after a change as clients will read it.
async fn read_back<T>(
    conn: &mut SqliteConnection,
    find: impl FnOnce(app::domain::menu::Menu) -> Option<T>,
) -> ServiceResult<T> {
    let menu = load_whole_menu(conn).await?;
    find(menu).ok_or_else(|| ServiceError::Internal("a change was not read back".into()))
}

pub async fn add_category(
    conn: &mut SqliteConnection,
    by: StaffId,
    req: &CategoryChange,
) -> ServiceResult<Changed<Category>> {
    let id = insert_category(conn, req).await?;
    let events = announce(
        conn,
        by,
        "category_added",
        json!({ "id": id, "category": req }),
    )
    .await?;
    let category = read_back(conn, |m| m.categories.into_iter().find(|c| c.id == id)).await?;
    Ok((category, events))
}

/// Adds a category, unannounced (`add_category` and the import announce).
pub(crate) async fn insert_category(
    conn: &mut SqliteConnection,
    req: &CategoryChange,
) -> ServiceResult<CategoryId> {
    let name = name("name", required("name", req.name.as_deref())?, 40)?;
    let colour = colour(req.colour.as_deref().unwrap_or("#888888"))?;
    let id = CategoryId::new_v7();
    let order = sort_order(req.sort_order)?;
    let course = course(req.course)?.unwrap_or(1);
    sqlx::query!(
        "INSERT INTO categories (id, name, colour, sort_order, course)
         VALUES (?, ?, ?, COALESCE(?, (SELECT COALESCE(MAX(sort_order) + 1, 0) FROM categories)), ?)",
        id,
        name,
        colour,
        order,
        course
    )
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn change_category(
    conn: &mut SqliteConnection,
    by: StaffId,
    id: CategoryId,
    req: &CategoryChange,
) -> ServiceResult<Changed<Category>> {
    let name = req
        .name
        .as_deref()
        .map(|n| name("name", n, 40))
        .transpose()?;
    let colour = req.colour.as_deref().map(colour).transpose()?;
    let order = sort_order(req.sort_order)?;
    let course = course(req.course)?;
    let changed = sqlx::query!(
        "UPDATE categories SET name = COALESCE(?, name), colour = COALESCE(?, colour),
                sort_order = COALESCE(?, sort_order), course = COALESCE(?, course)
         WHERE id = ?",
        name,
        colour,
        order,
        course,
        id
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(ServiceError::NotFound(format!("no category {id}")));
    }
    let events = announce(
        conn,
        by,
        "category_changed",
        json!({ "id": id, "change": req }),
    )
    .await?;
    let category = read_back(conn, |m| m.categories.into_iter().find(|c| c.id == id)).await?;
    Ok((category, events))
}

/// A category's course, where one is given: 0 to 9.
fn course(value: Option<i64>) -> ServiceResult<Option<i64>> {
    value
        .map(app::domain::courses::check)
        .transpose()
        .map_err(|e| ServiceError::invalid("course", e))
}

fn colour(value: &str) -> ServiceResult<String> {
    let hex = value.trim().strip_prefix('#').unwrap_or("");
    if hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(format!("#{}", hex.to_ascii_lowercase()))
    } else {
        Err(ServiceError::invalid(
            "colour",
            "a colour is written like #e07a5f",
        ))
    }
}

/// The fields of a product change that are checked against the venue: its price, tax
/// rate, category, station, option groups and barcode. Returns the venue it read.
async fn check_product(
    conn: &mut SqliteConnection,
    id: Option<ProductId>,
    req: &ProductChange,
) -> ServiceResult<Venue> {
    let venue = load_venue_async(conn).await?;
    if req
        .price_minor
        .is_some_and(|p| !(0..=venue.max_amount_minor).contains(&p))
    {
        return Err(ServiceError::invalid(
            "price_minor",
            "a price is 0 or more, up to the venue's largest amount",
        ));
    }
    if req
        .tax_rate_bp
        .is_some_and(|r| !(0..=MAX_TAX_RATE_BP).contains(&r))
    {
        return Err(ServiceError::invalid(
            "tax_rate_bp",
            "a tax rate is 0 to 50 %",
        ));
    }
    let menu = load_whole_menu(conn).await?;
    if let Some(category) = req.category_id {
        if !menu.categories.iter().any(|c| c.id == category) {
            return Err(ServiceError::invalid(
                "category_id",
                format!("there is no category {category}"),
            ));
        }
    }
    if let Some(station) = &req.station_id {
        if !menu.stations.iter().any(|s| &s.id == station) {
            return Err(ServiceError::invalid(
                "station_id",
                format!("there is no station {station}"),
            ));
        }
    }
    if let Some(groups) = &req.option_group_ids {
        // The length first: the other checks look at every pair.
        let too_many = groups.len() > MAX_GROUPS_PER_PRODUCT;
        let unknown = || {
            groups
                .iter()
                .any(|g| !menu.option_groups.iter().any(|known| known.id == *g))
        };
        let repeated = || {
            groups
                .iter()
                .enumerate()
                .any(|(i, g)| groups[..i].contains(g))
        };
        if too_many || unknown() || repeated() {
            return Err(ServiceError::invalid(
                "option_group_ids",
                format!("offer up to {MAX_GROUPS_PER_PRODUCT} different option groups that exist"),
            ));
        }
    }
    if let Some(Some(code)) = &req.barcode {
        let code = code.trim();
        if !(4..=32).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ServiceError::invalid(
                "barcode",
                "a barcode is 4 to 32 letters or digits",
            ));
        }
        if let Some(other) = menu
            .products
            .iter()
            .find(|p| p.barcode.as_deref() == Some(code) && Some(p.id) != id)
        {
            return Err(ServiceError::invalid(
                "barcode",
                format!("{} has this barcode already", other.name),
            ));
        }
    }
    Ok(venue)
}

/// The kitchen name a change sets: `Some(None)` takes it away (so does an empty one).
fn kitchen_name(req: &ProductChange) -> ServiceResult<Option<Option<String>>> {
    Ok(match &req.kitchen_name {
        None => None,
        Some(None) => Some(None),
        Some(Some(n)) if n.trim().is_empty() => Some(None),
        Some(Some(n)) => Some(Some(name("kitchen_name", n, 24)?)),
    })
}

/// The portions left a change sets (`None`: not counted, or no change).
fn stock_left(req: &ProductChange) -> ServiceResult<Option<i64>> {
    match req.stock_left.flatten() {
        Some(n) if !(0..=100_000).contains(&n) => Err(ServiceError::invalid(
            "stock_left",
            "portions left are 0 to 100000",
        )),
        n => Ok(n),
    }
}

/// Replaces a product's option groups with `groups`, in order.
async fn set_groups(
    conn: &mut SqliteConnection,
    product: ProductId,
    groups: &[OptionGroupId],
) -> ServiceResult<()> {
    sqlx::query!(
        "DELETE FROM product_option_groups WHERE product_id = ?",
        product
    )
    .execute(&mut *conn)
    .await?;
    let groups = json_ids(groups)?;
    sqlx::query!(
        "INSERT INTO product_option_groups (product_id, group_id, sort_order)
         SELECT ?, value, key FROM json_each(?)",
        product,
        groups
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn add_product(
    conn: &mut SqliteConnection,
    by: StaffId,
    req: &ProductChange,
) -> ServiceResult<Changed<Product>> {
    let id = insert_product(conn, req).await?;
    let events = announce(
        conn,
        by,
        "product_added",
        json!({ "id": id, "product": req }),
    )
    .await?;
    let product = read_back(conn, |m| m.products.into_iter().find(|p| p.id == id)).await?;
    Ok((product, events))
}

/// Adds a product, unannounced (`add_product` and the import announce).
pub(crate) async fn insert_product(
    conn: &mut SqliteConnection,
    req: &ProductChange,
) -> ServiceResult<ProductId> {
    let name = name("name", required("name", req.name.as_deref())?, 60)?;
    let price = required("price_minor", req.price_minor)?;
    let category = required("category_id", req.category_id)?;
    let station = required("station_id", req.station_id.as_ref())?;
    let venue = check_product(conn, None, req).await?;
    let rate = match req.tax_rate_bp {
        Some(rate) => rate,
        None => venue.tax_rates_bp.first().copied().unwrap_or(0),
    };
    let id = ProductId::new_v7();
    let barcode = req.barcode.clone().flatten().map(|b| b.trim().to_owned());
    let short = kitchen_name(req)?.flatten();
    let stock = stock_left(req)?;
    let available = req.available.unwrap_or(stock != Some(0));
    let order = sort_order(req.sort_order)?;
    sqlx::query!(
        "INSERT INTO products (id, category_id, station_id, name, kitchen_name, price_minor, tax_rate_bp, barcode, available, stock_left, sort_order)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                 COALESCE(?, (SELECT COALESCE(MAX(sort_order) + 1, 0) FROM products WHERE category_id = ?)))",
        id, category, station, name, short, price, rate, barcode, available, stock, order, category
    )
    .execute(&mut *conn)
    .await?;
    set_groups(conn, id, req.option_group_ids.as_deref().unwrap_or(&[])).await?;
    Ok(id)
}

/// Whether a change only says whether the product can be ordered now, and how many are
/// left (an 86, a count), which staff who work stations may make too.
pub fn only_availability(req: &ProductChange) -> bool {
    (req.available.is_some() || req.stock_left.is_some())
        && ProductChange {
            available: None,
            stock_left: None,
            ..req.clone()
        } == ProductChange::default()
}

pub async fn change_product(
    conn: &mut SqliteConnection,
    by: StaffId,
    id: ProductId,
    req: &ProductChange,
) -> ServiceResult<Changed<Product>> {
    update_product(conn, id, req).await?;
    let action = match (req.available, req.retired) {
        (_, Some(true)) => "product_retired",
        (Some(false), _) if only_availability(req) => "product_86",
        (Some(true), _) if only_availability(req) => "product_back",
        (None, _) if only_availability(req) => "product_counted",
        _ => "product_changed",
    };
    let events = announce(conn, by, action, json!({ "id": id, "change": req })).await?;
    let product = read_back(conn, |m| m.products.into_iter().find(|p| p.id == id)).await?;
    Ok((product, events))
}

/// Changes a product, unannounced (`change_product` and the import announce).
pub(crate) async fn update_product(
    conn: &mut SqliteConnection,
    id: ProductId,
    req: &ProductChange,
) -> ServiceResult<()> {
    let name = req
        .name
        .as_deref()
        .map(|n| name("name", n, 60))
        .transpose()?;
    check_product(conn, Some(id), req).await?;
    let order = sort_order(req.sort_order)?;
    let (set_barcode, barcode) = (
        req.barcode.is_some(),
        req.barcode.clone().flatten().map(|b| b.trim().to_owned()),
    );
    let short = kitchen_name(req)?;
    let (set_short, short) = (short.is_some(), short.flatten());
    let (mut set_stock, stock) = (req.stock_left.is_some(), stock_left(req)?);
    // A count of 0 sells it out; more puts it back on sale, unless told otherwise.
    let available = req.available.or(stock.map(|left| left > 0));
    // Back on sale by hand with none left counted: it is no longer counted, or every
    // line would be refused.
    if req.available == Some(true) && req.stock_left.is_none() {
        let none_left = sqlx::query_scalar!(
            "SELECT COALESCE(stock_left = 0, 0) AS \"none_left!: bool\" FROM products WHERE id = ?",
            id
        )
        .fetch_optional(&mut *conn)
        .await?
        .unwrap_or(false);
        set_stock |= none_left;
    }
    let changed = sqlx::query!(
        "UPDATE products SET name = COALESCE(?, name), price_minor = COALESCE(?, price_minor),
                kitchen_name = CASE WHEN ? THEN ? ELSE kitchen_name END,
                category_id = COALESCE(?, category_id), station_id = COALESCE(?, station_id),
                tax_rate_bp = COALESCE(?, tax_rate_bp), available = COALESCE(?, available),
                stock_left = CASE WHEN ? THEN ? ELSE stock_left END,
                retired = COALESCE(?, retired), sort_order = COALESCE(?, sort_order),
                barcode = CASE WHEN ? THEN ? ELSE barcode END
         WHERE id = ?",
        name,
        req.price_minor,
        set_short,
        short,
        req.category_id,
        req.station_id,
        req.tax_rate_bp,
        available,
        set_stock,
        stock,
        req.retired,
        order,
        set_barcode,
        barcode,
        id
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(ServiceError::NotFound(format!("no product {id}")));
    }
    if let Some(groups) = &req.option_group_ids {
        set_groups(conn, id, groups).await?;
    }
    Ok(())
}

/// The options of a group change, checked: 1 to 30, each named, prices within bounds.
fn check_options(req: &OptionGroupChange) -> ServiceResult<()> {
    for (field, picks) in [
        ("min_picks", req.min_picks.flatten()),
        ("max_picks", req.max_picks.flatten()),
    ] {
        if picks.is_some_and(|n| !(0..=MAX_PICKS).contains(&n)) {
            return Err(ServiceError::invalid(
                field,
                format!("a guest picks 0 to {MAX_PICKS} options"),
            ));
        }
    }
    let Some(options) = &req.options else {
        return Ok(());
    };
    if !(1..=MAX_OPTIONS_PER_GROUP).contains(&options.len()) {
        return Err(ServiceError::invalid(
            "options",
            format!("a group has 1 to {MAX_OPTIONS_PER_GROUP} options"),
        ));
    }
    for (i, option) in options.iter().enumerate() {
        name(&format!("options[{i}].name"), &option.name, 40)?;
        if !(-100_000..=100_000).contains(&option.price_delta_minor) {
            return Err(ServiceError::invalid(
                format!("options[{i}].price_delta_minor"),
                "an option adds or takes off at most 1,000.00",
            ));
        }
    }
    Ok(())
}

/// Checks a group's limits on picks as they are after a change (a change may give new
/// limits, new options or both), so the caller's write is undone when they do not fit.
async fn check_picks(conn: &mut SqliteConnection, id: OptionGroupId) -> ServiceResult<()> {
    let group = read_back(conn, |m| m.option_groups.into_iter().find(|g| g.id == id)).await?;
    group
        .check_limits()
        .map_err(|(field, why)| ServiceError::invalid(field, why))
}

/// Makes the group's options those of `req`, in order: kept by id, added without.
async fn set_options(
    conn: &mut SqliteConnection,
    group: OptionGroupId,
    req: &OptionGroupChange,
) -> ServiceResult<()> {
    let Some(options) = &req.options else {
        return Ok(());
    };
    let kept: Vec<OptionId> = options.iter().filter_map(|o| o.id).collect();
    let kept_json = json_ids(&kept)?;
    sqlx::query!(
        "DELETE FROM options WHERE group_id = ? AND id NOT IN (SELECT value FROM json_each(?))",
        group,
        kept_json
    )
    .execute(&mut *conn)
    .await?;
    for (order, option) in options.iter().enumerate() {
        let (name, order) = (option.name.trim(), order as i64);
        let done = match option.id {
            Some(id) => sqlx::query!(
                "UPDATE options SET name = ?, price_delta_minor = ?, sort_order = ? WHERE id = ? AND group_id = ?",
                name, option.price_delta_minor, order, id, group
            )
            .execute(&mut *conn)
            .await?
            .rows_affected(),
            None => {
                let id = OptionId::new_v7();
                sqlx::query!(
                    "INSERT INTO options (id, group_id, name, price_delta_minor, sort_order) VALUES (?, ?, ?, ?, ?)",
                    id, group, name, option.price_delta_minor, order
                )
                .execute(&mut *conn)
                .await?
                .rows_affected()
            }
        };
        if done == 0 {
            return Err(ServiceError::invalid(
                format!("options[{order}].id"),
                "this group has no such option",
            ));
        }
    }
    Ok(())
}

pub async fn add_option_group(
    conn: &mut SqliteConnection,
    by: StaffId,
    req: &OptionGroupChange,
) -> ServiceResult<Changed<OptionGroup>> {
    let id = insert_option_group(conn, req).await?;
    let events = announce(
        conn,
        by,
        "option_group_added",
        json!({ "id": id, "group": req }),
    )
    .await?;
    let group = read_back(conn, |m| m.option_groups.into_iter().find(|g| g.id == id)).await?;
    Ok((group, events))
}

/// Adds an option group, unannounced (`add_option_group` and the import announce).
pub(crate) async fn insert_option_group(
    conn: &mut SqliteConnection,
    req: &OptionGroupChange,
) -> ServiceResult<OptionGroupId> {
    let name = name("name", required("name", req.name.as_deref())?, 40)?;
    let kind = required("kind", req.kind)?;
    required("options", req.options.as_ref())?;
    check_options(req)?;
    let id = OptionGroupId::new_v7();
    let (min, max) = (req.min_picks.flatten(), req.max_picks.flatten());
    sqlx::query!(
        "INSERT INTO option_groups (id, name, kind, min_picks, max_picks, sort_order)
         VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX(sort_order) + 1, 0) FROM option_groups))",
        id,
        name,
        kind,
        min,
        max
    )
    .execute(&mut *conn)
    .await?;
    set_options(conn, id, req).await?;
    check_picks(conn, id).await?;
    Ok(id)
}

pub async fn change_option_group(
    conn: &mut SqliteConnection,
    by: StaffId,
    id: OptionGroupId,
    req: &OptionGroupChange,
) -> ServiceResult<Changed<OptionGroup>> {
    let name = req
        .name
        .as_deref()
        .map(|n| name("name", n, 40))
        .transpose()?;
    check_options(req)?;
    let (set_min, min) = (req.min_picks.is_some(), req.min_picks.flatten());
    let (set_max, max) = (req.max_picks.is_some(), req.max_picks.flatten());
    let changed = sqlx::query!(
        "UPDATE option_groups SET name = COALESCE(?, name), kind = COALESCE(?, kind),
                min_picks = CASE WHEN ? THEN ? ELSE min_picks END,
                max_picks = CASE WHEN ? THEN ? ELSE max_picks END
         WHERE id = ?",
        name,
        req.kind,
        set_min,
        min,
        set_max,
        max,
        id
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(ServiceError::NotFound(format!("no option group {id}")));
    }
    set_options(conn, id, req).await?;
    check_picks(conn, id).await?;
    let events = announce(
        conn,
        by,
        "option_group_changed",
        json!({ "id": id, "change": req }),
    )
    .await?;
    let group = read_back(conn, |m| m.option_groups.into_iter().find(|g| g.id == id)).await?;
    Ok((group, events))
}

/// Why a line names a product no longer on the menu, in the venue's words: retired
/// products are named (they are never deleted).
pub fn off_the_menu(conn: &Conn, id: ProductId) -> ServiceResult<String> {
    let name: Option<String> = crate::db::direct::sql!(
        conn,
        "SELECT name FROM products WHERE id = ? AND retired = 1",
        id
    )
    .scalar_optional()?;
    Ok(match name {
        Some(name) => format!("{name} was taken off the menu"),
        None => format!("no product {id} on the menu"),
    })
}
