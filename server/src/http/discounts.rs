//! Discounts: staff give them on a line or an order (a manager's PIN over the venue's
//! limit); managers keep the rules that give them automatically (a happy hour).

use crate::discounts;
use crate::error::{ApiError, ApiResult};
use crate::http::auth::{Approval, Caller, Session};
use crate::http::extract::{Json, Path};
use crate::state::AppState;
use app::api::{ApiErrorBody, DiscountRuleChange};
use app::domain::discounts::{parse_clock, DiscountRule, NewDiscount};
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
    let approved_by = approval.approver();
    let mut tx = state.db.writer.begin().await?;
    let outcome = approval.settle(
        discounts::give(&mut tx, session.staff.id, order, &req, approved_by).await,
        "no discount was given",
    )?;
    tx.commit().await?;
    state.publish(outcome.event);
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
    Ok(Json(discounts::load_rules(&mut conn).await?))
}

/// The rule's fields as given, checked: (name, category, percent, starts, ends).
type RuleFields = (
    Option<String>,
    Option<app::domain::CategoryId>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

fn check(change: &DiscountRuleChange, creating: bool) -> ApiResult<RuleFields> {
    let name = change.name.as_deref().map(str::trim).map(str::to_owned);
    if name
        .as_deref()
        .is_some_and(|n| n.is_empty() || n.chars().count() > 60)
        || (creating && name.is_none())
    {
        return Err(ApiError::invalid(
            "name",
            "a rule's name is 1 to 60 characters",
        ));
    }
    if creating && change.category_id.is_none() {
        return Err(ApiError::invalid(
            "category_id",
            "choose the category it discounts",
        ));
    }
    if change
        .percent_bp
        .is_some_and(|p| !(1..=10_000).contains(&p))
        || (creating && change.percent_bp.is_none())
    {
        return Err(ApiError::invalid(
            "percent_bp",
            "the discount is 1 to 10000 basis points (0.01 % to 100 %)",
        ));
    }
    let clock = |field: &str, text: &Option<String>| match text {
        None if creating => Err(ApiError::invalid(field, "a time of day like 17:00")),
        None => Ok(None),
        Some(t) => parse_clock(t).map(Some).ok_or_else(|| {
            ApiError::invalid(field, format!("{t:?} is not a time of day like 17:00"))
        }),
    };
    let (starts, ends) = (
        clock("starts", &change.starts)?,
        clock("ends", &change.ends)?,
    );
    if starts.is_some() && starts == ends {
        return Err(ApiError::invalid(
            "ends",
            "a rule ends at another time than it starts",
        ));
    }
    Ok((name, change.category_id, change.percent_bp, starts, ends))
}

async fn one_rule(state: &AppState, id: &str) -> ApiResult<DiscountRule> {
    let mut conn = state.db.reader.acquire().await?;
    discounts::load_rules(&mut conn)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| ApiError::NotFound(format!("no discount rule {id}")))
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
    let (name, category, percent, starts, ends) = check(&req, true)?;
    let known = sqlx::query_scalar!("SELECT COUNT(*) FROM categories WHERE id = ?", category)
        .fetch_one(&state.db.reader)
        .await?;
    if known == 0 {
        return Err(ApiError::invalid(
            "category_id",
            "no such category on the menu",
        ));
    }
    let id = uuid::Uuid::now_v7().to_string();
    let active = req.active.unwrap_or(true);
    sqlx::query!(
        "INSERT INTO discount_rules (id, name, category_id, percent_bp, starts_minute, ends_minute, active)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        id,
        name,
        category,
        percent,
        starts,
        ends,
        active
    )
    .execute(&state.db.writer)
    .await?;
    Ok((StatusCode::CREATED, Json(one_rule(&state, &id).await?)))
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
    let current = one_rule(&state, &id).await?;
    let (name, category, percent, starts, ends) = check(&req, false)?;
    if starts.unwrap_or(current.starts_minute) == ends.unwrap_or(current.ends_minute) {
        return Err(ApiError::invalid(
            "ends",
            "a rule ends at another time than it starts",
        ));
    }
    if let Some(category) = category {
        let known = sqlx::query_scalar!("SELECT COUNT(*) FROM categories WHERE id = ?", category)
            .fetch_one(&state.db.reader)
            .await?;
        if known == 0 {
            return Err(ApiError::invalid(
                "category_id",
                "no such category on the menu",
            ));
        }
    }
    sqlx::query!(
        "UPDATE discount_rules SET name = COALESCE(?, name), category_id = COALESCE(?, category_id),
                percent_bp = COALESCE(?, percent_bp), starts_minute = COALESCE(?, starts_minute),
                ends_minute = COALESCE(?, ends_minute), active = COALESCE(?, active)
         WHERE id = ?",
        name,
        category,
        percent,
        starts,
        ends,
        req.active,
        id
    )
    .execute(&state.db.writer)
    .await?;
    Ok(Json(one_rule(&state, &id).await?))
}
