//! The venue's name and money rules as managers keep them: taxes and their rates, cash rounding, the limits over
//! which voids, discounts and tips need a manager's PIN, the largest single amount, the
//! time zone and the hour the business day ends, and the list of reasons a line may be
//! voided for. Phones pick changes up with their next snapshot.

use crate::services::{fields, json_ids, stored, ServiceError, ServiceResult};
use app::api::{VenueSettings, VoidReason, VoidReasonChange};
use app::domain::bill::{TaxMode, TaxRounding};
use app::domain::discounts::{clock, parse_clock};
use app::domain::money::{MAX_AMOUNT_MINOR, MIN_CEILING_MINOR};
use sqlx::SqliteConnection;

/// The venue's money rules as they are.
pub async fn load(conn: &mut SqliteConnection) -> ServiceResult<VenueSettings> {
    let row = sqlx::query!(
        r#"SELECT tax_mode AS "tax_mode: TaxMode", tax_rounding AS "tax_rounding: TaxRounding", cash_rounding_minor,
                  void_approval_above_minor, discount_approval_above_minor, time_zone, business_day_ends_minute,
                  max_amount_minor, tip_approval_above_minor, name, tax_rates_json, currency, country
           FROM venue WHERE id = 1"#
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(VenueSettings {
        name: Some(row.name),
        currency: Some(row.currency),
        country: row.country,
        tax_rates_bp: Some(stored(&row.tax_rates_json, "tax rates")?),
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

/// Changes the venue's money rules (absent fields stay); returns them as they are now.
pub async fn change(
    conn: &mut SqliteConnection,
    req: &VenueSettings,
) -> ServiceResult<VenueSettings> {
    if req
        .cash_rounding_minor
        .is_some_and(|c| ![1, 5, 10, 50, 100].contains(&c))
    {
        return Err(ServiceError::invalid(
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
            return Err(ServiceError::invalid(
                field,
                "a limit is 0 or more, in minor units",
            ));
        }
    }
    if req
        .max_amount_minor
        .is_some_and(|v| !(MIN_CEILING_MINOR..=MAX_AMOUNT_MINOR).contains(&v))
    {
        return Err(ServiceError::invalid(
            "max_amount_minor",
            "the largest single amount is between 1.00 and 10,000,000.00",
        ));
    }
    if req
        .tip_approval_above_minor
        .flatten()
        .is_some_and(|v| !(0..=MAX_AMOUNT_MINOR).contains(&v))
    {
        return Err(ServiceError::invalid(
            "tip_approval_above_minor",
            "a tip limit is 0 or more, in minor units; leave it empty for the bill's total",
        ));
    }
    // Absent keeps the tip limit; null (the bill's total) or a number sets it.
    let (set_tip_limit, tip_limit) = (
        req.tip_approval_above_minor.is_some(),
        req.tip_approval_above_minor.flatten(),
    );
    let name = req
        .name
        .as_deref()
        .map(|n| fields::name("name", n, 60))
        .transpose()?;
    let rates = match &req.tax_rates_bp {
        Some(rates) => {
            fields::tax_rates("tax_rates_bp", rates)?;
            Some(json_ids(rates)?)
        }
        None => None,
    };
    let currency = match req.currency.as_deref() {
        Some(code) => Some(fields::currency("currency", code)?),
        None => None,
    };
    if let Some(code) = &currency {
        // EXISTS stops at the first order; a count would read them all on every save.
        let taken = sqlx::query!(
            r#"SELECT currency, EXISTS (SELECT 1 FROM orders) AS "any!: bool" FROM venue WHERE id = 1"#
        )
        .fetch_one(&mut *conn)
        .await?;
        if *code != taken.currency && taken.any {
            return Err(ServiceError::Conflict(format!(
                "the currency stays {}: orders were taken in it already",
                taken.currency
            )));
        }
    }
    let country = req
        .country
        .as_deref()
        .map(|c| fields::country("country", c))
        .transpose()?;
    let zone = req.time_zone.as_deref().map(str::trim);
    if let Some(zone) = zone {
        jiff::tz::TimeZone::get(zone).map_err(|_| {
            ServiceError::invalid(
                "time_zone",
                format!("{zone:?} is not a time zone; use a name like Europe/Rome"),
            )
        })?;
    }
    let day_ends = match req.business_day_ends.as_deref() {
        None => None,
        Some(text) => Some(parse_clock(text).ok_or_else(|| {
            ServiceError::invalid(
                "business_day_ends",
                format!("{text:?} is not a time of day like 04:00"),
            )
        })?),
    };
    sqlx::query!(
        "UPDATE venue SET name = COALESCE(?, name), tax_rates_json = COALESCE(?, tax_rates_json),
                tax_mode = COALESCE(?, tax_mode), tax_rounding = COALESCE(?, tax_rounding),
                cash_rounding_minor = COALESCE(?, cash_rounding_minor),
                void_approval_above_minor = COALESCE(?, void_approval_above_minor),
                discount_approval_above_minor = COALESCE(?, discount_approval_above_minor),
                time_zone = COALESCE(?, time_zone),
                business_day_ends_minute = COALESCE(?, business_day_ends_minute),
                max_amount_minor = COALESCE(?, max_amount_minor),
                tip_approval_above_minor = CASE WHEN ? THEN ? ELSE tip_approval_above_minor END,
                currency = COALESCE(?, currency), country = COALESCE(?, country)
         WHERE id = 1",
        name,
        rates,
        req.tax_mode,
        req.tax_rounding,
        req.cash_rounding_minor,
        req.void_approval_above_minor,
        req.discount_approval_above_minor,
        zone,
        day_ends,
        req.max_amount_minor,
        set_tip_limit,
        tip_limit,
        currency,
        country
    )
    .execute(&mut *conn)
    .await?;
    load(conn).await
}

fn check_label(label: Option<&str>, creating: bool) -> ServiceResult<Option<String>> {
    let label = label.map(str::trim);
    if label.is_some_and(|l| l.is_empty() || l.chars().count() > 60)
        || (creating && label.is_none())
    {
        return Err(ServiceError::invalid(
            "label",
            "a reason is 1 to 60 characters",
        ));
    }
    Ok(label.map(str::to_owned))
}

/// Every void reason (retired ones too), or only the one `only` names.
pub async fn void_reasons(
    conn: &mut SqliteConnection,
    only: Option<&str>,
) -> ServiceResult<Vec<VoidReason>> {
    Ok(sqlx::query_as!(
        VoidReason,
        r#"SELECT id AS "id!", label, active AS "active: bool" FROM void_reasons
           WHERE ?1 IS NULL OR id = ?1 ORDER BY sort_order, label"#,
        only
    )
    .fetch_all(&mut *conn)
    .await?)
}

/// Adds a reason to void a line for, offered after the existing ones.
pub async fn add_void_reason(
    conn: &mut SqliteConnection,
    req: &VoidReasonChange,
) -> ServiceResult<VoidReason> {
    let label = check_label(req.label.as_deref(), true)?.unwrap_or_default();
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query!(
        "INSERT INTO void_reasons (id, label, sort_order)
         VALUES (?, ?, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM void_reasons))",
        id,
        label
    )
    .execute(&mut *conn)
    .await?;
    Ok(VoidReason {
        id,
        label,
        active: true,
    })
}

/// Renames a void reason, or retires it (lines voided for it keep their reason).
pub async fn change_void_reason(
    conn: &mut SqliteConnection,
    id: &str,
    req: &VoidReasonChange,
) -> ServiceResult<VoidReason> {
    let label = check_label(req.label.as_deref(), false)?;
    let changed = sqlx::query!(
        "UPDATE void_reasons SET label = COALESCE(?, label), active = COALESCE(?, active) WHERE id = ?",
        label,
        req.active,
        id
    )
    .execute(&mut *conn)
    .await?;
    if changed.rows_affected() == 0 {
        return Err(ServiceError::NotFound(format!("no void reason {id}")));
    }
    let mut reasons = void_reasons(conn, Some(id)).await?;
    reasons
        .pop()
        .ok_or_else(|| ServiceError::NotFound(format!("no void reason {id}")))
}

/// Why a line is voided, as the audit log and the VOID ticket say it: an active reason
/// from the venue's list, and the waiter's note if any.
pub async fn void_reason(
    conn: &mut SqliteConnection,
    reason_id: &str,
    note: &str,
) -> ServiceResult<String> {
    let label = sqlx::query_scalar!(
        "SELECT label FROM void_reasons WHERE id = ? AND active = 1",
        reason_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| ServiceError::invalid("reason_id", "choose a reason from the list"))?;
    let note = note.trim();
    if note.chars().count() > 140 {
        return Err(ServiceError::invalid(
            "note",
            "a note has at most 140 characters",
        ));
    }
    Ok(if note.is_empty() {
        label
    } else {
        format!("{label}: {note}")
    })
}
