//! The venue's money rules and void reasons, for managers. The rules and SQL are in
//! `crate::services::settings`.

use crate::http::auth::Session;
use crate::http::error::ApiResult;
use crate::http::extract::{Json, Path};
use crate::services::settings;
use crate::state::AppState;
use app::api::{ApiErrorBody, VenueSettings, VoidReason, VoidReasonChange};
use app::domain::staff::Role;
use axum::extract::State;
use axum::http::StatusCode;

/// The venue's money rules.
#[utoipa::path(get, path = "/api/v1/venue/settings", tag = "venue", security(("token" = [])),
    responses((status = 200, body = VenueSettings), (status = 403, body = ApiErrorBody)))]
pub async fn get_settings(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<VenueSettings>> {
    session.require(Role::manages, "see the venue's settings")?;
    let mut conn = state.db.reader.acquire().await?;
    Ok(Json(settings::load(&mut conn).await?))
}

/// Change the venue's money rules, name, country or currency (absent fields stay;
/// `tip_approval_above_minor: null` makes the tip limit the bill's total). Phones pick them
/// up with their next snapshot.
#[utoipa::path(patch, path = "/api/v1/venue/settings", tag = "venue", security(("token" = [])),
    request_body = VenueSettings,
    responses((status = 200, body = VenueSettings), (status = 403, body = ApiErrorBody),
        (status = 409, description = "A new currency after the first order", body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
pub async fn change_settings(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<VenueSettings>,
) -> ApiResult<Json<VenueSettings>> {
    session.require(Role::manages, "change the venue's settings")?;
    let now = state
        .write_quiet(move |conn| Box::pin(async move { settings::change(conn, &req).await }))
        .await?;
    tracing::info!(by = %session.staff.name, "venue settings changed");
    Ok(Json(now))
}

/// Every void reason, retired ones too.
#[utoipa::path(get, path = "/api/v1/void-reasons", tag = "venue", security(("token" = [])),
    responses((status = 200, body = [VoidReason]), (status = 403, body = ApiErrorBody)))]
pub async fn list_void_reasons(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<Vec<VoidReason>>> {
    session.require(Role::manages, "see void reasons")?;
    let mut conn = state.db.reader.acquire().await?;
    Ok(Json(settings::void_reasons(&mut conn, None).await?))
}

/// A new reason to void a line for, offered after the existing ones.
#[utoipa::path(post, path = "/api/v1/void-reasons", tag = "venue", security(("token" = [])),
    request_body = VoidReasonChange,
    responses((status = 201, body = VoidReason), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_void_reason(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<VoidReasonChange>,
) -> ApiResult<(StatusCode, Json<VoidReason>)> {
    session.require(Role::manages, "change void reasons")?;
    let reason = state
        .write_quiet(move |conn| {
            Box::pin(async move { settings::add_void_reason(conn, &req).await })
        })
        .await?;
    Ok((StatusCode::CREATED, Json(reason)))
}

/// Rename a void reason, or retire it (lines voided for it keep their reason).
#[utoipa::path(patch, path = "/api/v1/void-reasons/{reason_id}", tag = "venue", security(("token" = [])),
    params(("reason_id" = String, Path)), request_body = VoidReasonChange,
    responses((status = 200, body = VoidReason), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn change_void_reason(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Json(req): Json<VoidReasonChange>,
) -> ApiResult<Json<VoidReason>> {
    session.require(Role::manages, "change void reasons")?;
    let reason = state
        .write_quiet(move |conn| {
            Box::pin(async move { settings::change_void_reason(conn, &id, &req).await })
        })
        .await?;
    Ok(Json(reason))
}
