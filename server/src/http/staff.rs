//! Staff, as the manager sees and sets them up. The rules and SQL are in
//! `crate::services::staff`.

use crate::db::now_ms;
use crate::http::auth::Session;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{Json, Path};
use crate::services::staff::NewPin;
use crate::services::{permissions, sessions, staff};
use crate::state::AppState;
use app::api::{ApiErrorBody, RoleChange, StaffChange, WrongPins};
use app::domain::staff::{Role, RolePermissions, StaffMember};
use app::domain::StaffId;
use axum::extract::State;
use axum::http::StatusCode;

const CHANGE_STAFF: &str = "change the staff";

/// Everyone on the staff list. Managers only.
#[utoipa::path(get, path = "/api/v1/staff", tag = "manager", security(("token" = [])),
    responses((status = 200, body = Vec<StaffMember>), (status = 403, description = "Not a manager", body = ApiErrorBody)))]
pub async fn list_staff(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<Vec<StaffMember>>> {
    session.require(Role::manages, "see the staff list")?;
    let mut conn = state.db.reader.acquire().await?;
    Ok(Json(crate::services::staff::list(&mut conn).await?))
}

/// Wrong PINs in the last 24 hours: failed sign-ins and wrong managers' PINs (each is in
/// the audit log with the address and device it came from). Managers only.
#[utoipa::path(get, path = "/api/v1/staff/wrong-pins", tag = "manager", security(("token" = [])),
    responses((status = 200, body = WrongPins), (status = 403, description = "Not a manager", body = ApiErrorBody)))]
pub async fn wrong_pins(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<WrongPins>> {
    session.require(Role::manages, "see failed sign-ins")?;
    let since_ms = now_ms() - 24 * 3_600_000;
    Ok(Json(
        sessions::wrong_pins_since(&state.db.reader, since_ms).await?,
    ))
}

/// Adds a member of staff (`name`, `role` and `pin` required). Managers only.
#[utoipa::path(post, path = "/api/v1/staff", tag = "manager", security(("token" = [])),
    request_body = StaffChange,
    responses((status = 201, body = StaffMember), (status = 403, body = ApiErrorBody),
        (status = 422, description = "A field is not acceptable, or the PIN is someone else's", body = ApiErrorBody)))]
pub async fn add_staff(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<StaffChange>,
) -> ApiResult<(StatusCode, Json<StaffMember>)> {
    session.require(Role::manages, CHANGE_STAFF)?;
    let pin = req
        .pin
        .as_deref()
        .ok_or_else(|| ApiError::invalid("pin", "pin is required"))?;
    let pin = NewPin::checked(&state.pins, pin, "pin").await?;
    let by = session.staff.id;
    let member = state
        .write_quiet(move |conn| {
            Box::pin(async move { staff::add_member(conn, by, &req, &pin).await })
        })
        .await?;
    Ok((StatusCode::CREATED, Json(member)))
}

/// Renames someone, gives them another role or PIN, or stops them signing in (their
/// sessions end). The last active manager cannot be stopped or given another role.
#[utoipa::path(patch, path = "/api/v1/staff/{staff_id}", tag = "manager", security(("token" = [])),
    params(("staff_id" = String, Path)), request_body = StaffChange,
    responses((status = 200, body = StaffMember), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, description = "The last manager", body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
pub async fn change_staff(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<StaffId>,
    Json(req): Json<StaffChange>,
) -> ApiResult<Json<StaffMember>> {
    session.require(Role::manages, CHANGE_STAFF)?;
    let pin = match req.pin.as_deref() {
        Some(pin) => Some(NewPin::checked(&state.pins, pin, "pin").await?),
        None => None,
    };
    let by = session.staff.id;
    let (member, ended) = state
        .write_quiet(move |conn| {
            Box::pin(async move { staff::change_member(conn, by, id, &req, pin.as_ref()).await })
        })
        .await?;
    for digest in &ended {
        sessions::ended(&state, digest);
    }
    Ok(Json(member))
}

/// What each role may do beyond its fixed work, the manager's (everything) first.
/// Managers only.
#[utoipa::path(get, path = "/api/v1/roles", tag = "manager", security(("token" = [])),
    responses((status = 200, body = Vec<RolePermissions>), (status = 403, description = "Not a manager", body = ApiErrorBody)))]
pub async fn list_roles(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<Vec<RolePermissions>>> {
    session.require(Role::manages, "see what each role may do")?;
    let mut conn = state.db.reader.acquire().await?;
    Ok(Json(permissions::list(&mut conn).await?))
}

/// Change what a role may do: mark products sold out, open the cash drawer, and its own
/// limits for discounts and voids without a manager's PIN (`null`: the venue's). Announced
/// as `menu_changed`, so phones read their limits again at once. Managers only; the
/// manager's role is not changed (422).
#[utoipa::path(patch, path = "/api/v1/roles/{role}", tag = "manager", security(("token" = [])),
    params(("role" = Role, Path)), request_body = RoleChange,
    responses((status = 200, body = RolePermissions), (status = 403, description = "Not a manager", body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
pub async fn change_role(
    State(state): State<AppState>,
    session: Session,
    Path(role): Path<Role>,
    Json(req): Json<RoleChange>,
) -> ApiResult<Json<RolePermissions>> {
    session.require(Role::manages, "change what a role may do")?;
    let by = session.staff.id;
    let (changed, _) = state
        .write(move |conn| Box::pin(async move { permissions::change(conn, by, role, &req).await }))
        .await?;
    Ok(Json(changed))
}
