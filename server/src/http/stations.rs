//! Stations in the back office: listed, added and changed by managers. The rules and SQL
//! are in `crate::services::stations`; every change reaches screens as `menu_changed`.

use crate::http::auth::Session;
use crate::http::error::ApiResult;
use crate::http::extract::{Json, Path};
use crate::services::{stations, venue};
use crate::state::AppState;
use app::api::{ApiErrorBody, StationChange};
use app::domain::menu::Station;
use app::domain::staff::Role;
use app::domain::StationId;
use axum::extract::State;
use axum::http::StatusCode;

const CHANGE_STATIONS: &str = "change the stations";

/// Every station, in order.
#[utoipa::path(get, path = "/api/v1/stations", tag = "stations", security(("token" = [])),
    responses((status = 200, body = [Station]), (status = 403, body = ApiErrorBody)))]
pub async fn list_stations(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<Vec<Station>>> {
    session.require(Role::manages, "see the stations' set-up")?;
    let mut conn = state.db.reader.acquire().await?;
    Ok(Json(venue::load_whole_menu(&mut conn).await?.stations))
}

/// Adds a station (`name` required; its `id` is made from the name unless given).
#[utoipa::path(post, path = "/api/v1/stations", tag = "stations", security(("token" = [])),
    request_body = StationChange,
    responses((status = 201, body = Station), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_station(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<StationChange>,
) -> ApiResult<(StatusCode, Json<Station>)> {
    session.require(Role::manages, CHANGE_STATIONS)?;
    let by = session.staff.id;
    let (station, _) = state
        .write(move |conn| Box::pin(async move { stations::add_station(conn, by, &req).await }))
        .await?;
    Ok((StatusCode::CREATED, Json(station)))
}

/// Renames a station or changes when its tickets show yellow and red (its `id` stays).
#[utoipa::path(patch, path = "/api/v1/stations/{station_id}", tag = "stations", security(("token" = [])),
    params(("station_id" = String, Path)), request_body = StationChange,
    responses((status = 200, body = Station), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn change_station(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<StationId>,
    Json(req): Json<StationChange>,
) -> ApiResult<Json<Station>> {
    session.require(Role::manages, CHANGE_STATIONS)?;
    let by = session.staff.id;
    let (station, _) = state
        .write(move |conn| {
            Box::pin(async move { stations::change_station(conn, by, id, &req).await })
        })
        .await?;
    Ok(Json(station))
}
