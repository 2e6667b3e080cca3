//! The first run: a box whose database has no staff is set up once, by its owner, who
//! names the venue, its currency, time zone and taxes, may start from a template, and
//! becomes its first manager. Afterwards setting up is refused.

use crate::services::audit::audit_async;
use crate::services::fields::{country, currency, name, tax_rates};
use crate::services::staff::{self, NewPin};
use crate::services::{json_ids, templates, ServiceError, ServiceResult};
use app::api::SetupRequest;
use app::domain::staff::{Role, StaffMember};
use sqlx::SqliteConnection;

/// Whether the venue still has to be set up: nobody is on its staff, so nobody could
/// sign in.
pub async fn needed(conn: &mut SqliteConnection) -> ServiceResult<bool> {
    Ok(
        sqlx::query_scalar!(r#"SELECT NOT EXISTS (SELECT 1 FROM staff) AS "needed!: bool""#)
            .fetch_one(conn)
            .await?,
    )
}

/// The owner's answers but the PIN, checked and tidied (names trimmed, codes upper-case),
/// before anything is hashed or written; the PIN is checked as it is hashed
/// (`NewPin::checked`).
pub fn check(req: &SetupRequest) -> ServiceResult<SetupRequest> {
    let currency = currency("currency", &req.currency)?;
    let time_zone = req.time_zone.trim();
    if jiff::tz::TimeZone::get(time_zone).is_err() {
        return Err(ServiceError::invalid(
            "time_zone",
            format!("{time_zone:?} is not a time zone; use a name like Europe/Rome"),
        ));
    }
    let country = req
        .country
        .as_deref()
        .map(|c| country("country", c))
        .transpose()?;
    let rates = &req.tax_rates_bp;
    // Absent means no tax at all; given, the rates follow the venue's rule.
    if !rates.is_empty() {
        tax_rates("tax_rates_bp", rates)?;
    }
    Ok(SetupRequest {
        venue_name: name("venue_name", &req.venue_name, 60)?,
        currency,
        time_zone: time_zone.to_owned(),
        tax_mode: req.tax_mode,
        owner_name: name("owner_name", &req.owner_name, 60)?,
        owner_pin: req.owner_pin.clone(),
        template: req.template,
        country,
        tax_rates_bp: rates.clone(),
    })
}

/// Sets the venue up from answers `check` passed, with the owner's PIN hashed already:
/// the venue, the template's menu and floor if one was picked, and the owner as its first
/// manager. Refused (409) once anyone is on the staff.
pub async fn set_up(
    conn: &mut SqliteConnection,
    req: &SetupRequest,
    owner_pin: &NewPin,
) -> ServiceResult<StaffMember> {
    if !needed(conn).await? {
        return Err(ServiceError::Conflict(
            "this venue is set up already; sign in with your PIN".into(),
        ));
    }
    let rates = json_ids(&req.tax_rates_bp)?;
    sqlx::query!(
        "INSERT INTO venue (id, name, currency, time_zone, tax_mode, country, tax_rates_json)
         VALUES (1, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, currency = excluded.currency,
             time_zone = excluded.time_zone, tax_mode = excluded.tax_mode,
             country = excluded.country, tax_rates_json = excluded.tax_rates_json",
        req.venue_name,
        req.currency,
        req.time_zone,
        req.tax_mode,
        req.country,
        rates
    )
    .execute(&mut *conn)
    .await?;
    if let Some(template) = req.template {
        let has_menu =
            sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM stations) AS "has!: bool""#)
                .fetch_one(&mut *conn)
                .await?;
        if has_menu {
            return Err(ServiceError::invalid(
                "template",
                "this venue has a menu already; start without a template",
            ));
        }
        templates::seed(conn, template, &req.tax_rates_bp).await?;
    }
    let id = staff::insert(conn, &req.owner_name, Role::Manager, owner_pin).await?;
    let detail = serde_json::json!({ "venue": req.venue_name, "template": req.template });
    audit_async(conn, id, None, "venue_set_up", None, detail).await?;
    Ok(StaffMember {
        id,
        name: req.owner_name.clone(),
        role: Role::Manager,
        active: true,
    })
}
