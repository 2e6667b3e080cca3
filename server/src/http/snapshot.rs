//! `GET /api/v1/snapshot`: everything a phone needs to work, read by `crate::services::venue`.

use crate::http::auth::Session;
use crate::http::error::ApiResult;
use crate::http::extract::Json;
use crate::services::venue::load_snapshot;
use crate::state::AppState;
use app::api::{ApiErrorBody, Snapshot};
use axum::extract::State;

/// Menu, floor and open orders, read in one transaction so they agree with `seq`.
#[utoipa::path(get, path = "/api/v1/snapshot", tag = "venue", security(("token" = [])),
    responses((status = 200, body = Snapshot), (status = 401, body = ApiErrorBody)))]
pub async fn snapshot(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<Snapshot>> {
    let mut tx = state.db.reader.begin().await?;
    let snapshot = load_snapshot(&mut tx, session.staff.role).await?;
    tx.commit().await?;
    Ok(Json(snapshot))
}
