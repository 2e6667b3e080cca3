//! `POST /api/v1/ops`: the phones' outbox flush. The rules are in `crate::services::ops`.

use crate::http::auth::Session;
use crate::http::error::ApiResult;
use crate::http::extract::Json;
use crate::services::ops;
use crate::state::AppState;
use app::api::{ApiErrorBody, OpsRequest, OpsResponse};
use app::domain::staff::Role;
use axum::extract::State;

/// Apply a batch of queued operations, each exactly once, in order.
///
/// The batch is one transaction, each operation in a savepoint of its own, answered `applied`, `duplicate`
/// (seen before: `first` says how it fared then; nothing changes), `rejected` (for good,
/// with a `reason` for the waiter; replays get the same answer) or `retry` (it needs an
/// earlier operation the server has not seen; the rest of the batch waits too).
///
/// Conflicts between devices: two waiters adding to one table both succeed (lines are
/// never merged or overwritten); a phone that opened an already-open table offline joins
/// that order, and its order id keeps working as an alias; lines for an order closed
/// elsewhere are rejected, saying who closed it and when; a send tickets only lines never
/// sent before, so a replayed send makes no second ticket.
#[utoipa::path(post, path = "/api/v1/ops", tag = "sync", security(("token" = [])), request_body = OpsRequest,
    responses(
        (status = 200, description = "One result per operation, in order", body = OpsResponse),
        (status = 400, description = "The body is not a batch of operations", body = ApiErrorBody),
        (status = 403, description = "The role may not take orders", body = ApiErrorBody),
        (status = 422, description = "Empty, or more than 200 operations", body = ApiErrorBody),
    ))]
pub async fn apply_ops(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<OpsRequest>,
) -> ApiResult<Json<OpsResponse>> {
    session.require(Role::takes_orders, "take orders")?;
    let results = ops::apply_batch(&state, &session.staff, req.ops).await?;
    Ok(Json(OpsResponse { results }))
}
