//! The append-only audit log: who changed what, when, and who approved it.

use crate::db::now_ms;
use crate::services::ServiceResult;
use app::domain::{OrderId, StaffId};
use sqlx::SqliteConnection;

/// Writes one entry to the append-only audit log: who, when, what (before and after in
/// `detail`), approved by whom, and the order it is about (None for a shift or a report).
pub(crate) async fn audit(
    conn: &mut SqliteConnection,
    by: StaffId,
    approved_by: Option<StaffId>,
    action: &str,
    order: Option<OrderId>,
    detail: serde_json::Value,
) -> ServiceResult<()> {
    let (now, detail) = (now_ms(), detail.to_string());
    sqlx::query!(
        "INSERT INTO audit_log (at, staff_id, approved_by, action, order_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
        now,
        by,
        approved_by,
        action,
        order,
        detail
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
