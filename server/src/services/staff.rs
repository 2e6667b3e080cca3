//! The staff list on the database. (PINs are `crate::pins`; sign-ins `crate::sessions`.)

use crate::services::ServiceResult;
use app::domain::staff::{Role, StaffMember};
use app::domain::StaffId;
use sqlx::SqliteConnection;

/// Everyone on the staff list, by role and name.
pub async fn list(conn: &mut SqliteConnection) -> ServiceResult<Vec<StaffMember>> {
    Ok(sqlx::query_as!(
        StaffMember,
        r#"SELECT id AS "id: StaffId", name, role AS "role: Role", active AS "active: bool"
           FROM staff ORDER BY role, name"#
    )
    .fetch_all(conn)
    .await?)
}
