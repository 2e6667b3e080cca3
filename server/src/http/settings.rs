//! The venue's money rules as managers keep them: taxes, cash rounding, the limits over
//! which voids, discounts and tips need a manager's PIN, the largest single amount, the
//! time zone and the hour the business day ends, and the list of reasons a line may be
//! voided for.

use crate::error::{ApiError, ApiResult};
use crate::http::auth::Session;
use crate::http::extract::{Json, Path};
use crate::state::AppState;
use app::api::{ApiErrorBody, VenueSettings, VoidReason, VoidReasonChange};
use app::domain::bill::{TaxMode, TaxRounding};
use app::domain::discounts::{clock, parse_clock};
use app::domain::money::{MAX_AMOUNT_MINOR, MIN_CEILING_MINOR};
use app::domain::staff::Role;
use axum::extract::State;
use axum::http::StatusCode;

async fn load(state: &AppState) -> ApiResult<VenueSettings> {
    let row = sqlx::query!(
        r#"SELECT tax_mode AS "tax_mode: TaxMode", tax_rounding AS "tax_rounding: TaxRounding", cash_rounding_minor,
                  void_approval_above_minor, discount_approval_above_minor, time_zone, business_day_ends_minute,
                  max_amount_minor, tip_approval_above_minor
           FROM venue WHERE id = 1"#
    )
    .fetch_one(&state.db.reader)
    .await?;
    Ok(VenueSettings {
        tax_mode: Some(row.tax_mode),
        tax_rounding: Some(row.tax_rounding),
        cash_rounding_minor: Some(row.cash_rounding_minor),
        void_approval_above_minor: Some(row.void_approval_above_minor),
        discount_approval_above_minor: Some(row.discount_approval_above_minor),
        max_amount_minor: Some(row.max_amount_minor),
        tip_approval_above_minor: Some(row.tip_approval_above_minor),
        time_zone: Some(row.time_zone),
        business_day_ends: Some(clock(row.business_day_ends_minute)),
    })
}

/// The venue's money rules.
#[utoipa::path(get, path = "/api/v1/venue/settings", tag = "venue", security(("token" = [])),
    responses((status = 200, body = VenueSettings), (status = 403, body = ApiErrorBody)))]
pub async fn get_settings(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<VenueSettings>> {
    session.require(Role::manages, "see the venue's settings")?;
    Ok(Json(load(&state).await?))
}

/// Change the venue's money rules (absent fields stay). Phones pick them up with their
/// next snapshot.
#[utoipa::path(patch, path = "/api/v1/venue/settings", tag = "venue", security(("token" = [])),
    request_body = VenueSettings,
    responses((status = 200, body = VenueSettings), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn change_settings(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<VenueSettings>,
) -> ApiResult<Json<VenueSettings>> {
    session.require(Role::manages, "change the venue's settings")?;
    if req
        .cash_rounding_minor
        .is_some_and(|c| ![1, 5, 10, 50, 100].contains(&c))
    {
        return Err(ApiError::invalid(
            "cash_rounding_minor",
            "cash rounds to 1, 5, 10, 50 or 100 minor units",
        ));
    }
    for (field, value) in [
        ("void_approval_above_minor", req.void_approval_above_minor),
        (
            "discount_approval_above_minor",
            req.discount_approval_above_minor,
        ),
    ] {
        if value.is_some_and(|v| !(0..=100_000_000).contains(&v)) {
            return Err(ApiError::invalid(
                field,
                "a limit is 0 or more, in minor units",
            ));
        }
    }
    if req
        .max_amount_minor
        .is_some_and(|v| !(MIN_CEILING_MINOR..=MAX_AMOUNT_MINOR).contains(&v))
    {
        return Err(ApiError::invalid(
            "max_amount_minor",
            "the largest single amount is between 1.00 and 10,000,000.00",
        ));
    }
    if req
        .tip_approval_above_minor
        .flatten()
        .is_some_and(|v| !(0..=MAX_AMOUNT_MINOR).contains(&v))
    {
        return Err(ApiError::invalid(
            "tip_approval_above_minor",
            "a tip limit is 0 or more, in minor units; leave it empty for the bill's total",
        ));
    }
    // Absent keeps the tip limit; null (the bill's total) or a number sets it.
    let (set_tip_limit, tip_limit) = (
        req.tip_approval_above_minor.is_some(),
        req.tip_approval_above_minor.flatten(),
    );
    let zone = req.time_zone.as_deref().map(str::trim);
    if let Some(zone) = zone {
        jiff::tz::TimeZone::get(zone).map_err(|_| {
            ApiError::invalid(
                "time_zone",
                format!("{zone:?} is not a time zone; use a name like Europe/Rome"),
            )
        })?;
    }
    let day_ends = match req.business_day_ends.as_deref() {
        None => None,
        Some(text) => Some(parse_clock(text).ok_or_else(|| {
            ApiError::invalid(
                "business_day_ends",
                format!("{text:?} is not a time of day like 04:00"),
            )
        })?),
    };
    sqlx::query!(
        "UPDATE venue SET tax_mode = COALESCE(?, tax_mode), tax_rounding = COALESCE(?, tax_rounding),
                cash_rounding_minor = COALESCE(?, cash_rounding_minor),
                void_approval_above_minor = COALESCE(?, void_approval_above_minor),
                discount_approval_above_minor = COALESCE(?, discount_approval_above_minor),
                time_zone = COALESCE(?, time_zone),
                business_day_ends_minute = COALESCE(?, business_day_ends_minute),
                max_amount_minor = COALESCE(?, max_amount_minor),
                tip_approval_above_minor = CASE WHEN ? THEN ? ELSE tip_approval_above_minor END
         WHERE id = 1",
        req.tax_mode,
        req.tax_rounding,
        req.cash_rounding_minor,
        req.void_approval_above_minor,
        req.discount_approval_above_minor,
        zone,
        day_ends,
        req.max_amount_minor,
        set_tip_limit,
        tip_limit
    )
    .execute(&state.db.writer)
    .await?;
    tracing::info!(by = %session.staff.name, "venue settings changed");
    Ok(Json(load(&state).await?))
}

fn check_label(label: Option<&str>, creating: bool) -> ApiResult<Option<String>> {
    let label = label.map(str::trim);
    if label.is_some_and(|l| l.is_empty() || l.chars().count() > 60)
        || (creating && label.is_none())
    {
        return Err(ApiError::invalid("label", "a reason is 1 to 60 characters"));
    }
    Ok(label.map(str::to_owned))
}

/// Every void reason, retired ones too.
#[utoipa::path(get, path = "/api/v1/void-reasons", tag = "venue", security(("token" = [])),
    responses((status = 200, body = [VoidReason]), (status = 403, body = ApiErrorBody)))]
pub async fn list_void_reasons(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<Vec<VoidReason>>> {
    session.require(Role::manages, "see void reasons")?;
    Ok(Json(load_void_reasons(&state, None).await?))
}

async fn load_void_reasons(state: &AppState, only: Option<&str>) -> ApiResult<Vec<VoidReason>> {
    Ok(sqlx::query_as!(
        VoidReason,
        r#"SELECT id AS "id!", label, active AS "active: bool" FROM void_reasons
           WHERE ?1 IS NULL OR id = ?1 ORDER BY sort_order, label"#,
        only
    )
    .fetch_all(&state.db.writer)
    .await?)
}

/// A new reason to void a line for, offered after the existing ones.
#[utoipa::path(post, path = "/api/v1/void-reasons", tag = "venue", security(("token" = [])),
    request_body = VoidReasonChange,
    responses((status = 201, body = VoidReason), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_void_reason(
    State(state): State<AppState>,
    session: Session,
    Json(req): Json<VoidReasonChange>,
) -> ApiResult<(StatusCode, Json<VoidReason>)> {
    session.require(Role::manages, "change void reasons")?;
    let label = check_label(req.label.as_deref(), true)?.unwrap_or_default();
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query!(
        "INSERT INTO void_reasons (id, label, sort_order)
         VALUES (?, ?, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM void_reasons))",
        id,
        label
    )
    .execute(&state.db.writer)
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(VoidReason {
            id,
            label,
            active: true,
        }),
    ))
}

/// Rename a void reason, or retire it (lines voided for it keep their reason).
#[utoipa::path(patch, path = "/api/v1/void-reasons/{reason_id}", tag = "venue", security(("token" = [])),
    params(("reason_id" = String, Path)), request_body = VoidReasonChange,
    responses((status = 200, body = VoidReason), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn change_void_reason(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Json(req): Json<VoidReasonChange>,
) -> ApiResult<Json<VoidReason>> {
    session.require(Role::manages, "change void reasons")?;
    let label = check_label(req.label.as_deref(), false)?;
    let changed = sqlx::query!(
        "UPDATE void_reasons SET label = COALESCE(?, label), active = COALESCE(?, active) WHERE id = ?",
        label,
        req.active,
        id
    )
    .execute(&state.db.writer)
    .await?;
    if changed.rows_affected() == 0 {
        return Err(ApiError::NotFound(format!("no void reason {id}")));
    }
    let mut reasons = load_void_reasons(&state, Some(&id)).await?;
    reasons
        .pop()
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no void reason {id}")))
}
