//! Staff, as the manager sees them.

use crate::error::ApiResult;
use crate::http::auth::Session;
use crate::http::extract::Json;
use crate::state::AppState;
use app::api::ApiErrorBody;
use app::domain::staff::{Role, StaffMember};
use app::domain::StaffId;
use axum::extract::State;

/// Everyone on the staff list. Managers only.
#[utoipa::path(get, path = "/api/v1/staff", tag = "manager", security(("token" = [])),
    responses((status = 200, body = Vec<StaffMember>), (status = 403, description = "Not a manager", body = ApiErrorBody)))]
pub async fn list_staff(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<Vec<StaffMember>>> {
    session.require(Role::manages, "see the staff list")?;
    let staff = sqlx::query_as!(
        StaffMember,
        r#"SELECT id AS "id: StaffId", name, role AS "role: Role", active AS "active: bool"
           FROM staff ORDER BY role, name"#
    )
    .fetch_all(&state.db.reader)
    .await?;
    Ok(Json(staff))
}
