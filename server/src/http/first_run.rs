//! The first run over HTTP: whether the venue still needs setting up, and setting it up.
//! Both work without a session, since nobody can sign in before the owner exists; the
//! rules are in `crate::services::first_run`.

use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::Json;
use crate::services::{first_run, sessions, staff::NewPin};
use crate::state::AppState;
use app::api::{ApiErrorBody, LoginResponse, SetupRequest, SetupStatus};
use axum::extract::State;
use axum::http::StatusCode;

/// Whether the venue still has to be set up (no staff yet).
#[utoipa::path(get, path = "/api/v1/setup", tag = "setup",
    responses((status = 200, body = SetupStatus)))]
pub async fn setup_status(State(state): State<AppState>) -> ApiResult<Json<SetupStatus>> {
    Ok(Json(SetupStatus {
        needed: state.needs_setup().await?,
    }))
}

/// Sets the venue up and signs the owner in as its first manager. Allowed only while no
/// staff exist; afterwards 409.
#[utoipa::path(post, path = "/api/v1/setup", tag = "setup", request_body = SetupRequest,
    responses((status = 201, body = LoginResponse),
        (status = 409, description = "Set up already", body = ApiErrorBody),
        (status = 422, description = "A field is not acceptable", body = ApiErrorBody)))]
pub async fn set_up(
    State(state): State<AppState>,
    Json(req): Json<SetupRequest>,
) -> ApiResult<(StatusCode, Json<LoginResponse>)> {
    // Refused before any hashing, so a flood after the first run costs one read each.
    if !state.needs_setup().await? {
        return Err(ApiError::Conflict(
            "this venue is set up already; sign in with your PIN".into(),
        ));
    }
    let req = first_run::check(&req)?;
    let pin = NewPin::checked(&state.pins, &req.owner_pin, "owner_pin").await?;
    let owner = state
        .write_quiet(move |conn| Box::pin(async move { first_run::set_up(conn, &req, &pin).await }))
        .await?;
    state.set_up_done();
    let token = sessions::create(&state, owner.id).await?;
    tracing::info!(owner = %owner.name, "venue set up");
    Ok((
        StatusCode::CREATED,
        Json(LoginResponse {
            token,
            staff: owner,
        }),
    ))
}
