//! Discounts: staff give them on a line or an order (a manager's PIN over the venue's
//! limit); managers keep the rules that give them automatically (a happy hour).

use crate::http::auth::{Approval, Caller, Session};
use crate::http::error::ApiResult;
use crate::http::extract::{Json, Path};
use crate::services::discounts;
use crate::state::AppState;
use app::api::{ApiErrorBody, DiscountRuleChange};
use app::domain::discounts::{DiscountRule, NewDiscount};
use app::domain::orders::Order;
use app::domain::staff::Role;
use app::domain::OrderId;
use axum::extract::State;
use axum::http::StatusCode;

/// Give a discount on a line or the whole order: a percentage or an amount, with a reason.
/// Taking off more than the venue's limit needs a manager's PIN (given on the same device).
#[utoipa::path(post, path = "/api/v1/orders/{order_id}/discounts", tag = "orders", security(("token" = [])),
    params(("order_id" = OrderId, Path)), request_body = NewDiscount,
    responses((status = 200, description = "The order with the discount", body = Order),
        (status = 403, description = "A manager's PIN is needed, or the PIN is not a manager's", body = ApiErrorBody),
        (status = 404, body = ApiErrorBody),
        (status = 409, description = "The order is closed, or the line void", body = ApiErrorBody),
        (status = 422, description = "A bad value or no reason", body = ApiErrorBody)))]
pub async fn give_discount(
    State(state): State<AppState>,
    session: Session,
    caller: Caller,
    Path(order): Path<OrderId>,
    Json(req): Json<NewDiscount>,
) -> ApiResult<Json<Order>> {
    session.require(Role::takes_orders, "give discounts")?;
    let approval = Approval::check(&state, &session, &caller, req.manager_pin.as_deref()).await?;
    let (by, approved_by) = (session.staff.id, approval.approver());
    let verdict = approval.verdict();
    let outcome = state
        .write(move |conn| {
            Box::pin(async move {
                let given = discounts::give(conn, by, order, &req, approved_by).await;
                verdict.on(given, "no discount was given")
            })
        })
        .await;
    approval.settled(&outcome);
    let outcome = outcome?;
    Ok(Json(outcome.order))
}

/// The discount rules, on and off.
#[utoipa::path(get, path = "/api/v1/discount-rules", tag = "venue", security(("token" = [])),
    responses((status = 200, body = [DiscountRule]), (status = 403, body = ApiErrorBody)))]
pub async fn list_rules(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<Vec<DiscountRule>>> {
    session.require(Role::manages, "see discount rules")?;
    let mut conn = state.db.reader.acquire().await?;
    Ok(Json(discounts::load_rules_async(&mut conn).await?))
}

/// A rule that discounts a category every day between two times of the venue's day.
#[utoipa::path(post, path = "/api/v1/discount-rules", tag = "venue", security(("token" = [])),
    request_body = DiscountRuleChange,
    responses((status = 201, body = DiscountRule), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_rule(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<DiscountRuleChange>,
) -> ApiResult<(StatusCode, Json<DiscountRule>)> {
    session.require(Role::manages, "set up discount rules")?;
    let rule = state
        .write_quiet(move |conn| Box::pin(async move { discounts::add_rule(conn, &req).await }))
        .await?;
    Ok((StatusCode::CREATED, Json(rule)))
}

/// Change a rule, or switch it on or off.
#[utoipa::path(patch, path = "/api/v1/discount-rules/{rule_id}", tag = "venue", security(("token" = [])),
    params(("rule_id" = String, Path)), request_body = DiscountRuleChange,
    responses((status = 200, body = DiscountRule), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn change_rule(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Json(req): Json<DiscountRuleChange>,
) -> ApiResult<Json<DiscountRule>> {
    session.require(Role::manages, "set up discount rules")?;
    let rule = state
        .write_quiet(move |conn| {
            Box::pin(async move { discounts::change_rule(conn, &id, &req).await })
        })
        .await?;
    Ok(Json(rule))
}
