//! The menu in the back office: categories, products (retired ones too) and option
//! groups, listed, added and changed by managers, and the whole menu exported and imported
//! as CSV. Roles allowed to sell out (the kitchen, unless the managers say otherwise) may
//! also mark a product unavailable and back (an 86) and count its portions. The rules and
//! SQL are in
//! `crate::services::menu`; every change reaches phones as `menu_changed`.

use crate::http::auth::Session;
use crate::http::error::ApiResult;
use crate::http::extract::{Json, Path, Query};
use crate::services::{menu, menu_csv, venue, ServiceError};
use crate::state::AppState;
use app::api::{ApiErrorBody, CategoryChange, MenuImport, OptionGroupChange, ProductChange};
use app::domain::menu::{Category, Menu, OptionGroup, Product};
use app::domain::staff::Role;
use app::domain::{CategoryId, OptionGroupId, ProductId};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const CHANGE_THE_MENU: &str = "change the menu";

async fn whole_menu(state: &AppState, session: &Session) -> ApiResult<Menu> {
    session.require(Role::manages, "see the whole menu")?;
    let mut conn = state.db.reader.acquire().await?;
    Ok(venue::load_whole_menu(&mut conn).await?)
}

/// The categories, in menu order.
#[utoipa::path(get, path = "/api/v1/menu/categories", tag = "menu", security(("token" = [])),
    responses((status = 200, body = [Category]), (status = 403, body = ApiErrorBody)))]
pub async fn list_categories(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<Vec<Category>>> {
    Ok(Json(whole_menu(&state, &session).await?.categories))
}

/// Adds a category (`name` required), last unless `sort_order` says where.
#[utoipa::path(post, path = "/api/v1/menu/categories", tag = "menu", security(("token" = [])),
    request_body = CategoryChange,
    responses((status = 201, body = Category), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_category(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<CategoryChange>,
) -> ApiResult<(StatusCode, Json<Category>)> {
    session.require(Role::manages, CHANGE_THE_MENU)?;
    let by = session.staff.id;
    let (category, _) = state
        .write(move |conn| Box::pin(async move { menu::add_category(conn, by, &req).await }))
        .await?;
    Ok((StatusCode::CREATED, Json(category)))
}

/// Renames, recolours or moves a category.
#[utoipa::path(patch, path = "/api/v1/menu/categories/{category_id}", tag = "menu", security(("token" = [])),
    params(("category_id" = String, Path)), request_body = CategoryChange,
    responses((status = 200, body = Category), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn change_category(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<CategoryId>,
    Json(req): Json<CategoryChange>,
) -> ApiResult<Json<Category>> {
    session.require(Role::manages, CHANGE_THE_MENU)?;
    let by = session.staff.id;
    let (category, _) = state
        .write(move |conn| Box::pin(async move { menu::change_category(conn, by, id, &req).await }))
        .await?;
    Ok(Json(category))
}

/// Every product, retired ones too (`retired: true`), in menu order.
#[utoipa::path(get, path = "/api/v1/menu/products", tag = "menu", security(("token" = [])),
    responses((status = 200, body = [Product]), (status = 403, body = ApiErrorBody)))]
pub async fn list_products(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<Vec<Product>>> {
    Ok(Json(whole_menu(&state, &session).await?.products))
}

/// Adds a product (`name`, `price_minor`, `category_id` and `station_id` required).
#[utoipa::path(post, path = "/api/v1/menu/products", tag = "menu", security(("token" = [])),
    request_body = ProductChange,
    responses((status = 201, body = Product), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_product(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<ProductChange>,
) -> ApiResult<(StatusCode, Json<Product>)> {
    session.require(Role::manages, CHANGE_THE_MENU)?;
    let by = session.staff.id;
    let (product, _) = state
        .write(move |conn| Box::pin(async move { menu::add_product(conn, by, &req).await }))
        .await?;
    Ok((StatusCode::CREATED, Json(product)))
}

/// Changes a product. A new price applies to lines taken from now on. `available`
/// alone (an 86, or back) may also be set by staff who work stations; `retired: true`
/// takes it off the menu for good.
#[utoipa::path(patch, path = "/api/v1/menu/products/{product_id}", tag = "menu", security(("token" = [])),
    params(("product_id" = String, Path)), request_body = ProductChange,
    responses((status = 200, body = Product), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn change_product(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<ProductId>,
    Json(req): Json<ProductChange>,
) -> ApiResult<Json<Product>> {
    if menu::only_availability(&req) {
        session
            .allowed(&state, |p| p.sells_out, "say what is sold out")
            .await?;
    } else {
        session.require(Role::manages, CHANGE_THE_MENU)?;
    }
    let by = session.staff.id;
    let (product, _) = state
        .write(move |conn| Box::pin(async move { menu::change_product(conn, by, id, &req).await }))
        .await?;
    Ok(Json(product))
}

/// Every option group with its options.
#[utoipa::path(get, path = "/api/v1/menu/option-groups", tag = "menu", security(("token" = [])),
    responses((status = 200, body = [OptionGroup]), (status = 403, body = ApiErrorBody)))]
pub async fn list_option_groups(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<Vec<OptionGroup>>> {
    Ok(Json(whole_menu(&state, &session).await?.option_groups))
}

/// Adds an option group (`name`, `kind` and `options` required): a choice of exactly
/// one, add-ons with prices, or things to leave out.
#[utoipa::path(post, path = "/api/v1/menu/option-groups", tag = "menu", security(("token" = [])),
    request_body = OptionGroupChange,
    responses((status = 201, body = OptionGroup), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_option_group(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<OptionGroupChange>,
) -> ApiResult<(StatusCode, Json<OptionGroup>)> {
    session.require(Role::manages, CHANGE_THE_MENU)?;
    let by = session.staff.id;
    let (group, _) = state
        .write(move |conn| Box::pin(async move { menu::add_option_group(conn, by, &req).await }))
        .await?;
    Ok((StatusCode::CREATED, Json(group)))
}

/// Changes an option group; `options` replaces its options (kept by `id`).
#[utoipa::path(patch, path = "/api/v1/menu/option-groups/{group_id}", tag = "menu", security(("token" = [])),
    params(("group_id" = String, Path)), request_body = OptionGroupChange,
    responses((status = 200, body = OptionGroup), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn change_option_group(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<OptionGroupId>,
    Json(req): Json<OptionGroupChange>,
) -> ApiResult<Json<OptionGroup>> {
    session.require(Role::manages, CHANGE_THE_MENU)?;
    let by = session.staff.id;
    let (group, _) = state
        .write(move |conn| {
            Box::pin(async move { menu::change_option_group(conn, by, id, &req).await })
        })
        .await?;
    Ok(Json(group))
}

/// The menu as a CSV file (UTF-8), one row per product on the menu, its option groups
/// in the `options_*` columns. Importing it gives the same menu.
#[utoipa::path(get, path = "/api/v1/menu/export.csv", tag = "menu", security(("token" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ApiErrorBody)))]
pub async fn export_menu(State(state): State<AppState>, session: Session) -> ApiResult<Response> {
    let csv = menu_csv::export(&whole_menu(&state, &session).await?)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"menu.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct ImportParams {
    /// Say what would change, and change nothing.
    #[serde(default)]
    dry_run: bool,
}

/// Imports a menu CSV (as exported): products matched by name are changed, new ones
/// added, with their categories and option groups. All or nothing: with any problem
/// (each named by line and column) nothing changes and the answer is 422.
#[utoipa::path(post, path = "/api/v1/menu/import", tag = "menu", security(("token" = [])),
    params(ImportParams), request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = MenuImport), (status = 403, body = ApiErrorBody),
        (status = 422, description = "Problems in the file; nothing changed", body = MenuImport)))]
pub async fn import_menu(
    State(state): State<AppState>,
    session: Session,
    Query(params): Query<ImportParams>,
    text: String,
) -> ApiResult<(StatusCode, Json<MenuImport>)> {
    session.require(Role::manages, CHANGE_THE_MENU)?;
    let by = session.staff.id;
    let done = state
        .write(move |conn| {
            Box::pin(async move { menu_csv::import(conn, by, &text, params.dry_run).await })
        })
        .await;
    let report = match done {
        Ok((report, _)) => report,
        Err(ServiceError::ImportUndone(report)) => *report,
        Err(e) => return Err(e.into()),
    };
    let status = match report.problems.is_empty() {
        true => StatusCode::OK,
        false => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok((status, Json(report)))
}
