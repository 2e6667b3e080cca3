//! The append-only audit log: who changed what, when, and who approved it.

use crate::db::direct::{sql, Conn};
use crate::db::now_ms;
use crate::services::ServiceResult;
use app::domain::{OrderId, StaffId};
use sqlx::SqliteConnection;

/// Writes one entry to the append-only audit log: who, when, what (before and after in
/// `detail`), approved by whom, and the order it is about (None for a shift or a report).
pub(crate) fn audit(
    conn: &Conn,
    by: StaffId,
    approved_by: Option<StaffId>,
    action: &str,
    order: Option<OrderId>,
    detail: serde_json::Value,
) -> ServiceResult<()> {
    let (now, detail) = (now_ms(), detail.to_string());
    sql!(
        conn,
        "INSERT INTO audit_log (at, staff_id, approved_by, action, order_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
        now,
        by,
        approved_by,
        action,
        order,
        detail
    )
    .execute()?;
    Ok(())
}

/// `audit` from code still on sqlx.
pub(crate) async fn audit_async(
    conn: &mut SqliteConnection,
    by: StaffId,
    approved_by: Option<StaffId>,
    action: &str,
    order: Option<OrderId>,
    detail: serde_json::Value,
) -> ServiceResult<()> {
    crate::services::on(conn, |c| audit(c, by, approved_by, action, order, detail)).await
}
