//! Operations from the phones' outboxes (`POST /api/v1/ops`), each applied exactly once.
//!
//! Every operation carries a client-made `op_id`. It is applied in a transaction of its
//! own, and its result is recorded in `ops` in that same transaction, so:
//! - a replay (the answer was lost, the phone reloaded, the batch was sent twice) finds
//!   the record and gets the first result back as `duplicate`, changing nothing;
//! - a rejection (closed order, invalid line) is recorded too, and a replay is refused
//!   the same way, with the same reason.
//!
//! An operation about an order the server has never heard of (its `open_table` has not
//! arrived) is answered `retry` and not recorded. The rest of that batch is then answered
//! `retry` as well, so one device's operations always apply in the order it made them:
//! a send never overtakes the lines it was meant to send.
//!
//! The rules for conflicts between devices are those of `crate::services::orders`.

use crate::db::now_ms;
use crate::services::orders;
use crate::services::venue::load_menu;
use crate::services::{ServiceError, ServiceResult};
use crate::state::AppState;
use app::api::{Op, OpAction, OpResult, OpStatus};
use app::domain::menu::Menu;
use app::domain::staff::StaffMember;
use app::domain::{OpId, OrderId, StaffId};
use sqlx::SqliteConnection;

/// Most operations in one batch.
pub const MAX_OPS_PER_BATCH: usize = 200;

/// Applies `ops` made by `who` in order; one result per operation.
pub async fn apply_batch(
    state: &AppState,
    who: &StaffMember,
    ops: &[Op],
) -> ServiceResult<Vec<OpResult>> {
    if ops.is_empty() || ops.len() > MAX_OPS_PER_BATCH {
        return Err(ServiceError::invalid(
            "ops",
            format!("send 1 to {MAX_OPS_PER_BATCH} operations"),
        ));
    }
    let menu = if ops
        .iter()
        .any(|op| matches!(op.action, OpAction::AddLines { .. }))
    {
        load_menu(&mut *state.db.reader.acquire().await?).await?
    } else {
        Menu::default()
    };
    let mut results = Vec::with_capacity(ops.len());
    let mut waiting = false;
    for op in ops {
        let result = if waiting {
            retry(op.op_id, "waiting for an earlier operation")
        } else {
            apply(state, who, op, &menu).await?
        };
        waiting |= result.status == OpStatus::Retry;
        results.push(result);
    }
    Ok(results)
}

fn retry(op_id: OpId, reason: &str) -> OpResult {
    OpResult {
        op_id,
        status: OpStatus::Retry,
        first: None,
        reason: Some(reason.to_owned()),
        order_id: None,
    }
}

/// Applies one operation once.
pub async fn apply(
    state: &AppState,
    who: &StaffMember,
    op: &Op,
    menu: &Menu,
) -> ServiceResult<OpResult> {
    let by = who.id;
    let mut tx = state.db.writer.begin().await?;
    if let Some(first) = recorded(&mut tx, op.op_id).await? {
        return Ok(OpResult {
            status: OpStatus::Duplicate,
            first: Some(first.status),
            ..first
        });
    }
    let opens = matches!(op.action, OpAction::OpenTable { .. });
    if !opens
        && orders::resolve(&mut tx, op.action.order_id())
            .await?
            .is_none()
    {
        return Ok(retry(
            op.op_id,
            "waiting for the operation that opens this order",
        ));
    }
    let outcome = match &op.action {
        OpAction::OpenTable { order_id, table_id } => {
            orders::open_table(&mut tx, by, *order_id, *table_id).await
        }
        OpAction::AddLines { order_id, lines } => {
            orders::add_lines(&mut tx, by, *order_id, lines, menu).await
        }
        OpAction::SendOrder { order_id } => orders::send(&mut tx, by, *order_id).await,
        OpAction::ServeReady { order_id } => orders::serve_ready(&mut tx, by, *order_id).await,
        OpAction::ReadyForPickup { order_id } => {
            orders::ready_for_pickup(&mut tx, by, *order_id).await
        }
        OpAction::TakePayment { order_id, payment } => {
            // An op carries no PIN: a waiter's tip that needs a manager is taken online.
            let manager = who.role.manages().then_some(by);
            orders::take_payment(&mut tx, by, *order_id, payment, manager).await
        }
        OpAction::CloseOrder { order_id } => orders::close(&mut tx, by, *order_id).await,
        OpAction::CancelOrder { order_id } => orders::cancel(&mut tx, by, *order_id).await,
        OpAction::RemoveLine { order_id, line_id } => {
            orders::remove_line(&mut tx, by, *order_id, *line_id).await
        }
    };
    match outcome {
        Ok(outcome) => {
            let result = OpResult {
                op_id: op.op_id,
                status: OpStatus::Applied,
                first: None,
                reason: None,
                order_id: Some(outcome.order.id),
            };
            record(&mut tx, by, op, &result).await?;
            tx.commit().await?;
            state.publish(outcome.event);
            Ok(result)
        }
        Err(e) if e.is_failure() => Err(e),
        Err(refusal) => {
            // Nothing of the operation stays; only the refusal is remembered.
            tx.rollback().await?;
            let result = OpResult {
                op_id: op.op_id,
                status: OpStatus::Rejected,
                first: None,
                reason: Some(refusal.to_string()),
                order_id: rejected_order(state, op.action.order_id()).await?,
            };
            let mut tx = state.db.writer.begin().await?;
            record(&mut tx, by, op, &result).await?;
            tx.commit().await?;
            tracing::info!(op = %op.op_id, action = op.action.name(), reason = %refusal, "operation rejected");
            Ok(result)
        }
    }
}

async fn rejected_order(state: &AppState, id: OrderId) -> ServiceResult<Option<OrderId>> {
    orders::resolve(&mut *state.db.writer.acquire().await?, id).await
}

async fn recorded(conn: &mut SqliteConnection, op_id: OpId) -> ServiceResult<Option<OpResult>> {
    let Some(result) = sqlx::query_scalar!("SELECT result FROM ops WHERE op_id = ?", op_id)
        .fetch_optional(conn)
        .await?
    else {
        return Ok(None);
    };
    serde_json::from_str(&result)
        .map(Some)
        .map_err(|e| ServiceError::Internal(format!("stored result of op {op_id}: {e}")))
}

async fn record(
    conn: &mut SqliteConnection,
    by: StaffId,
    op: &Op,
    result: &OpResult,
) -> ServiceResult<()> {
    let (action, now) = (op.action.name(), now_ms());
    let text = serde_json::to_string(result).map_err(|e| ServiceError::Internal(e.to_string()))?;
    sqlx::query!(
        "INSERT INTO ops (op_id, staff_id, action, status, result, received_at) VALUES (?, ?, ?, ?, ?, ?)",
        op.op_id,
        by,
        action,
        result.status,
        text,
        now
    )
    .execute(conn)
    .await?;
    Ok(())
}
