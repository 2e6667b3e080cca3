//! Staff, as the manager sees them.

use crate::db::now_ms;
use crate::http::auth::Session;
use crate::http::error::ApiResult;
use crate::http::extract::Json;
use crate::services::sessions;
use crate::state::AppState;
use app::api::{ApiErrorBody, WrongPins};
use app::domain::staff::{Role, StaffMember};
use axum::extract::State;

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
