//! Operations from the phones' outboxes (`POST /api/v1/ops`), each applied exactly once.
//!
//! A batch is one write on the direct path (`AppState::write_direct`): one transaction,
//! shared with other requests' writes by the group commit. It is tried whole under one
//! savepoint; if an operation does not apply, it is undone and run again with a savepoint
//! per operation (`apply_all`). Every operation carries a client-made `op_id`, and its
//! result is recorded in `ops` in the same transaction as its changes, so:
//! - a replay (the answer was lost, the phone reloaded, the batch was sent twice) finds
//!   the record and gets the first result back as `duplicate`, changing nothing;
//! - a rejection (closed order, invalid line) rolls back to the operation's savepoint,
//!   undoing its changes alone, and is recorded too: a replay is refused the same way,
//!   with the same reason.
//!
//! An operation about an order the server has never heard of (its `open_table` has not
//! arrived) is answered `retry` and not recorded. The rest of that batch is then answered
//! `retry` as well, so one device's operations always apply in the order it made them:
//! a send never overtakes the lines it was meant to send.
//!
//! The rules for conflicts between devices are those of `crate::services::orders`.

use crate::db::direct::{sql, Conn, Savepoint};
use crate::db::now_ms;
use crate::services::orders;
use crate::services::{json_ids, ServiceError, ServiceResult};
use crate::state::Announces;
use crate::state::AppState;
use app::api::{LiveEvent, Op, OpAction, OpResult, OpStatus};
use app::domain::staff::StaffMember;
use app::domain::{OpId, StaffId};
use std::collections::HashMap;

/// Most operations in one batch.
pub const MAX_OPS_PER_BATCH: usize = 200;

/// What a batch did: one result per operation, and the events to publish once committed.
pub struct Applied {
    pub results: Vec<OpResult>,
    events: Vec<LiveEvent>,
}

impl Announces for Applied {
    fn take_events(&mut self) -> Vec<LiveEvent> {
        std::mem::take(&mut self.events)
    }
}

/// Applies `ops` made by `who` in order, in one write; one result per operation.
pub async fn apply_batch(
    state: &AppState,
    who: &StaffMember,
    ops: Vec<Op>,
) -> ServiceResult<Vec<OpResult>> {
    if ops.is_empty() || ops.len() > MAX_OPS_PER_BATCH {
        return Err(ServiceError::invalid(
            "ops",
            format!("send 1 to {MAX_OPS_PER_BATCH} operations"),
        ));
    }
    let who = who.clone();
    let applied = state
        .write_direct(move |conn| apply_all(conn, &who, &ops))
        .await?;
    Ok(applied.results)
}

/// Applies the batch in the write's transaction: one result per operation, and its events
/// carrying the orders as the batch left them.
fn apply_all(conn: &Conn, who: &StaffMember, ops: &[Op]) -> ServiceResult<Applied> {
    // Nearly every batch applies whole, so it is first tried under one savepoint. A
    // savepoint makes SQLite copy each page the first time it is written after the
    // savepoint opened, so one per operation would copy the order's pages once per
    // operation. Only if an operation does not apply is the batch undone and run again
    // with a savepoint per operation, to keep the others. (In a group's first run these
    // savepoints are not made, and an undo makes the group run again with real ones:
    // `direct::optimistically`.)
    let whole = Savepoint::start(conn)?;
    let mut applied = match run_ops(conn, who, ops, Savepoints::WholeBatch)? {
        Some(applied) => {
            whole.release()?;
            applied
        }
        None => {
            whole.undo()?;
            run_ops(conn, who, ops, Savepoints::EachOp)?
                .ok_or_else(|| ServiceError::Internal("an op asked for savepoints twice".into()))?
        }
    };
    carry_orders(conn, &mut applied.events)?;
    Ok(applied)
}

/// Whether each operation gets a savepoint of its own.
#[derive(Clone, Copy, PartialEq)]
enum Savepoints {
    /// None: the batch has one (`apply_all`). The first operation that does not apply
    /// stops the run (`run_ops` gives None), and the caller undoes the batch.
    WholeBatch,
    /// One each, so an operation that does not apply is undone alone.
    EachOp,
}

/// Applies `ops` in order: their results and events, or None when an operation did not
/// apply and it ran without savepoints (`Savepoints::WholeBatch`).
fn run_ops(
    conn: &Conn,
    who: &StaffMember,
    ops: &[Op],
    savepoints: Savepoints,
) -> ServiceResult<Option<Applied>> {
    let mut applied = Applied {
        results: Vec::with_capacity(ops.len()),
        events: Vec::new(),
    };
    let mut recorded = on_record(conn, ops)?;
    let mut waiting = false;
    for op in ops {
        let result = if waiting {
            retry(op.op_id, "waiting for an earlier operation")
        } else {
            match apply(
                conn,
                who,
                op,
                savepoints,
                &mut recorded,
                &mut applied.events,
            ) {
                Ok(Some(result)) => result,
                Ok(None) => return Ok(None),
                // The box failed on this op (its savepoint is rolled back): the ops before
                // it keep their answers, and it and the rest are tried again later.
                Err(e) if !applied.results.is_empty() => {
                    if savepoints == Savepoints::WholeBatch {
                        return Ok(None);
                    }
                    tracing::error!(op = %op.op_id, error = %e, "an operation failed; the rest of its batch waits");
                    retry(
                        op.op_id,
                        "the box could not apply it; it will be sent again",
                    )
                }
                Err(e) => return Err(e),
            }
        };
        waiting |= result.status == OpStatus::Retry;
        applied.results.push(result);
    }
    Ok(Some(applied))
}

/// Puts into each event the order it is about, as the batch left it. A batch that opens a
/// table, adds, sends, pays and closes reads its order once, not after every operation;
/// every event carries the order's end state, which is what a phone applying them in a row
/// ends with anyway (`app::delta`).
fn carry_orders(conn: &Conn, events: &mut [LiveEvent]) -> ServiceResult<()> {
    let mut ids: Vec<_> = events.iter().filter_map(|e| e.order_id).collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    let orders = orders::load_these(conn, &ids)?;
    for event in events.iter_mut() {
        let order = orders.iter().find(|o| Some(o.id) == event.order_id);
        event.order = order.map(|o| Box::new(o.clone()));
    }
    Ok(())
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

/// Applies one operation once, in a savepoint of its own where `savepoints` says so; its
/// event goes to `events`. `recorded` holds the results on record for the batch's
/// operations, and gets this one's. None if it did not apply and had no savepoint to undo
/// it.
fn apply(
    conn: &Conn,
    who: &StaffMember,
    op: &Op,
    savepoints: Savepoints,
    recorded: &mut Recorded,
    events: &mut Vec<LiveEvent>,
) -> ServiceResult<Option<OpResult>> {
    let by = who.id;
    if let Some(first) = recorded.get(&op.op_id).cloned() {
        return Ok(Some(OpResult {
            status: OpStatus::Duplicate,
            first: Some(first.status),
            ..first
        }));
    }
    let savepoint = match savepoints {
        Savepoints::EachOp => Some(Savepoint::start(conn)?),
        Savepoints::WholeBatch => None,
    };
    let outcome = match &op.action {
        OpAction::OpenTable {
            order_id,
            table_id,
            guests,
        } => orders::open_table(conn, by, *order_id, *table_id, *guests),
        OpAction::AddLines { order_id, lines } => orders::add_lines(conn, by, *order_id, lines),
        OpAction::SendOrder {
            order_id,
            up_to_course,
        } => orders::send(conn, by, *order_id, *up_to_course),
        OpAction::FireCourse { order_id, course } => {
            orders::fire_course(conn, by, *order_id, *course)
        }
        OpAction::ServeReady { order_id } => orders::serve_ready(conn, by, *order_id),
        OpAction::ReadyForPickup { order_id } => orders::ready_for_pickup(conn, by, *order_id),
        OpAction::TakePayment { order_id, payment } => {
            // An op carries no PIN: a waiter's tip that needs a manager is taken online.
            let manager = who.role.manages().then_some(by);
            orders::take_payment(conn, by, *order_id, payment, manager)
        }
        OpAction::CloseOrder { order_id } => orders::close(conn, by, *order_id),
        OpAction::CancelOrder { order_id } => orders::cancel(conn, by, *order_id),
        OpAction::RemoveLine { order_id, line_id } => {
            orders::remove_line(conn, by, *order_id, *line_id)
        }
        OpAction::ChangeLine {
            order_id,
            line_id,
            change,
        } => orders::change_line(conn, by, *order_id, *line_id, change),
        OpAction::MoveOrder { order_id, table_id } => {
            orders::move_order(conn, by, *order_id, *table_id)
        }
        OpAction::MergeOrders {
            order_id,
            into_order_id,
        } => orders::merge_orders(conn, by, *order_id, *into_order_id),
        OpAction::HandOver { order_id, staff_id } => {
            orders::hand_over(conn, by, *order_id, *staff_id)
        }
    };
    match outcome {
        Ok(change) => {
            let result = OpResult {
                op_id: op.op_id,
                status: OpStatus::Applied,
                first: None,
                reason: None,
                order_id: Some(change.order_id),
            };
            record(conn, by, op, &result, recorded)?;
            if let Some(savepoint) = savepoint {
                savepoint.release()?;
            }
            events.extend(change.also);
            events.extend(change.event);
            Ok(Some(result))
        }
        // Dropping the savepoint undoes the operation.
        Err(e) if e.is_failure() => Err(e),
        // Without a savepoint, what it did cannot be undone alone.
        Err(_) if savepoint.is_none() => Ok(None),
        // The order is not here yet: its opening operation has not arrived. Nothing is
        // remembered, so this one is applied when it comes again after that.
        Err(ServiceError::NoSuchOrder(id)) if id == op.action.order_id() => {
            savepoint.map(Savepoint::undo).transpose()?;
            Ok(Some(retry(
                op.op_id,
                "waiting for the operation that opens this order",
            )))
        }
        Err(refusal) => {
            // Nothing of the operation stays; only the refusal is remembered.
            savepoint.map(Savepoint::undo).transpose()?;
            let result = OpResult {
                op_id: op.op_id,
                status: OpStatus::Rejected,
                first: None,
                reason: Some(refusal.to_string()),
                order_id: orders::resolve(conn, op.action.order_id())?,
            };
            record(conn, by, op, &result, recorded)?;
            tracing::info!(op = %op.op_id, action = op.action.name(), reason = %refusal, "operation rejected");
            Ok(Some(result))
        }
    }
}

/// The results on record for operations of a batch, by id.
type Recorded = HashMap<OpId, OpResult>;

/// The results on record for any of `ops`, read in one statement.
fn on_record(conn: &Conn, ops: &[Op]) -> ServiceResult<Recorded> {
    let ids: Vec<OpId> = ops.iter().map(|op| op.op_id).collect();
    let ids = json_ids(&ids)?;
    let rows = sql!(
        conn,
        r#"SELECT o.op_id AS "op_id: OpId", o.result FROM json_each(?1) j JOIN ops o ON o.op_id = j.value"#,
        ids
    )
    .rows(|r| Ok((r.get::<_, OpId>(0)?, r.get::<_, String>(1)?)))?;
    rows.into_iter()
        .map(|(op_id, result)| {
            serde_json::from_str(&result)
                .map(|result| (op_id, result))
                .map_err(|e| ServiceError::Internal(format!("stored result of op {op_id}: {e}")))
        })
        .collect()
}

/// Puts `result` on record for `op`, in the database and in `recorded` (an operation
/// sent twice in one batch is a duplicate the second time).
fn record(
    conn: &Conn,
    by: StaffId,
    op: &Op,
    result: &OpResult,
    recorded: &mut Recorded,
) -> ServiceResult<()> {
    let (action, now) = (op.action.name(), now_ms());
    let text = serde_json::to_string(result).map_err(|e| ServiceError::Internal(e.to_string()))?;
    sql!(
        conn,
        "INSERT INTO ops (op_id, staff_id, action, status, result, received_at) VALUES (?, ?, ?, ?, ?, ?)",
        op.op_id,
        by,
        action,
        result.status,
        text,
        now
    )
    .execute()?;
    recorded.insert(op.op_id, result.clone());
    Ok(())
}
