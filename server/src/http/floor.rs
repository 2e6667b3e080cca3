//! The floor in the back office: rooms and their tables, listed, added and changed by
//! managers. The rules and SQL are in `crate::services::floor`; every change reaches
//! phones as `floor_changed`.

use crate::http::auth::Session;
use crate::http::error::ApiResult;
use crate::http::extract::{Json, Path};
use crate::services::{floor, venue};
use crate::state::AppState;
use app::api::{ApiErrorBody, RoomChange, TableChange};
use app::domain::floor::{DiningTable, Floor, Room};
use app::domain::staff::Role;
use app::domain::{RoomId, TableId};
use axum::extract::State;
use axum::http::StatusCode;

const CHANGE_THE_FLOOR: &str = "change the floor plan";

async fn whole_floor(state: &AppState, session: &Session) -> ApiResult<Floor> {
    session.require(Role::manages, "see the floor plan's set-up")?;
    let mut conn = state.db.reader.acquire().await?;
    Ok(venue::load_whole_floor(&mut conn).await?)
}

/// The rooms, in order, those taken off the floor too (marked `retired`).
#[utoipa::path(get, path = "/api/v1/floor/rooms", tag = "floor", security(("token" = [])),
    responses((status = 200, body = [Room]), (status = 403, body = ApiErrorBody)))]
pub async fn list_rooms(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<Vec<Room>>> {
    Ok(Json(whole_floor(&state, &session).await?.rooms))
}

/// Adds a room (`name` required).
#[utoipa::path(post, path = "/api/v1/floor/rooms", tag = "floor", security(("token" = [])),
    request_body = RoomChange,
    responses((status = 201, body = Room), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_room(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<RoomChange>,
) -> ApiResult<(StatusCode, Json<Room>)> {
    session.require(Role::manages, CHANGE_THE_FLOOR)?;
    let by = session.staff.id;
    let (room, _) = state
        .write(move |conn| Box::pin(async move { floor::add_room(conn, by, &req).await }))
        .await?;
    Ok((StatusCode::CREATED, Json(room)))
}

/// Renames or reorders a room, or takes it off the floor (409 while it has tables).
#[utoipa::path(patch, path = "/api/v1/floor/rooms/{room_id}", tag = "floor", security(("token" = [])),
    params(("room_id" = String, Path)), request_body = RoomChange,
    responses((status = 200, body = Room), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn change_room(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<RoomId>,
    Json(req): Json<RoomChange>,
) -> ApiResult<Json<Room>> {
    session.require(Role::manages, CHANGE_THE_FLOOR)?;
    let by = session.staff.id;
    let (room, _) = state
        .write(move |conn| Box::pin(async move { floor::change_room(conn, by, id, &req).await }))
        .await?;
    Ok(Json(room))
}

/// Every table, placed on its room's grid, those taken off the floor too (marked `retired`).
#[utoipa::path(get, path = "/api/v1/floor/tables", tag = "floor", security(("token" = [])),
    responses((status = 200, body = [DiningTable]), (status = 403, body = ApiErrorBody)))]
pub async fn list_tables(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<Vec<DiningTable>>> {
    Ok(Json(whole_floor(&state, &session).await?.tables))
}

/// Adds a table (`room_id` and `label` required), at the end of the room's first row
/// unless placed.
#[utoipa::path(post, path = "/api/v1/floor/tables", tag = "floor", security(("token" = [])),
    request_body = TableChange,
    responses((status = 201, body = DiningTable), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_table(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<TableChange>,
) -> ApiResult<(StatusCode, Json<DiningTable>)> {
    session.require(Role::manages, CHANGE_THE_FLOOR)?;
    let by = session.staff.id;
    let (table, _) = state
        .write(move |conn| Box::pin(async move { floor::add_table(conn, by, &req).await }))
        .await?;
    Ok((StatusCode::CREATED, Json(table)))
}

/// Relabels, reseats, moves, resizes or reshapes a table, or takes it off the floor (409
/// while an order is open at it).
#[utoipa::path(patch, path = "/api/v1/floor/tables/{table_id}", tag = "floor", security(("token" = [])),
    params(("table_id" = String, Path)), request_body = TableChange,
    responses((status = 200, body = DiningTable), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn change_table(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<TableId>,
    Json(req): Json<TableChange>,
) -> ApiResult<Json<DiningTable>> {
    session.require(Role::manages, CHANGE_THE_FLOOR)?;
    let by = session.staff.id;
    let (table, _) = state
        .write(move |conn| Box::pin(async move { floor::change_table(conn, by, id, &req).await }))
        .await?;
    Ok(Json(table))
}
