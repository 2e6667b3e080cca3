//! Discounts on the database: given by staff (a manager's approval over the venue's limit),
//! or by the venue's rules as lines are added (a happy hour). Each is written to the audit
//! log; the rules (`domain::discounts`) say what they take off. Managers keep those rules
//! here too (add, change, switch on or off), and phones get them with the venue's clock.

use crate::db::direct::{sql, Conn};
use crate::db::now_ms;
use crate::services::audit::audit_async;
use crate::services::orders::{finish_async, line_of, open_order_async, with_bill_async, Outcome};
use crate::services::{on, ServiceError, ServiceResult};
use app::api::{DiscountRuleChange, EventKind};
use app::domain::discounts::{self, parse_clock, DiscountRule, NewDiscount, VenueClock};
use app::domain::{CategoryId, DiscountId, LineId, Money, OrderId, StaffId};
use sqlx::SqliteConnection;

/// Minutes after local midnight in the time zone `tz` at `at_ms` (UTC).
pub fn local_minute(tz: &str, at_ms: i64) -> ServiceResult<i64> {
    let zone = jiff::tz::TimeZone::get(tz)
        .map_err(|e| ServiceError::Internal(format!("time zone {tz}: {e}")))?;
    let at = jiff::Timestamp::from_millisecond(at_ms)
        .map_err(|e| ServiceError::Internal(format!("time {at_ms}: {e}")))?
        .to_zoned(zone);
    Ok(i64::from(at.hour()) * 60 + i64::from(at.minute()))
}

/// The venue's clock for a phone offline: the offset of `tz` at `now_ms` and its next
/// change, so the phone reads local time as `local_minute` does here.
pub fn venue_clock(tz: &str, now_ms: i64) -> ServiceResult<VenueClock> {
    let zone = jiff::tz::TimeZone::get(tz)
        .map_err(|e| ServiceError::Internal(format!("time zone {tz}: {e}")))?;
    let now = jiff::Timestamp::from_millisecond(now_ms)
        .map_err(|e| ServiceError::Internal(format!("time {now_ms}: {e}")))?;
    let minutes = |offset: jiff::tz::Offset| i64::from(offset.seconds()) / 60;
    let next = zone.following(now).next();
    Ok(VenueClock {
        offset_minutes: minutes(zone.to_offset(now)),
        changes_at_ms: next.as_ref().map(|t| t.timestamp().as_millisecond()),
        offset_after_minutes: next.map_or(minutes(zone.to_offset(now)), |t| minutes(t.offset())),
    })
}

pub fn load_rules(conn: &Conn) -> ServiceResult<Vec<DiscountRule>> {
    Ok(sql!(
        conn,
        r#"SELECT id AS "id!", name, category_id AS "category_id: CategoryId", percent_bp, starts_minute,
                  ends_minute, active AS "active: bool"
           FROM discount_rules ORDER BY starts_minute, name"#
    )
    .rows(|r| {
        Ok(DiscountRule {
            id: r.get(0)?,
            name: r.get(1)?,
            category_id: r.get(2)?,
            percent_bp: r.get(3)?,
            starts_minute: r.get(4)?,
            ends_minute: r.get(5)?,
            active: r.get(6)?,
        })
    })?)
}

/// `load_rules` from code still on sqlx.
pub async fn load_rules_async(conn: &mut SqliteConnection) -> ServiceResult<Vec<DiscountRule>> {
    on(conn, load_rules).await
}

/// Gives the discounts of the rules that are on when each new line was taken.
pub fn apply_rules(
    conn: &Conn,
    by: StaffId,
    order: OrderId,
    lines: &[(LineId, CategoryId)],
) -> ServiceResult<()> {
    let rules = load_rules(conn)?;
    if !rules.iter().any(|r| r.active) {
        return Ok(());
    }
    let tz: String = sql!(conn, "SELECT time_zone FROM venue WHERE id = 1").scalar()?;
    let now = now_ms();
    for (line, category) in lines {
        let taken = discounts::taken_at(*line, now);
        let minute = local_minute(&tz, taken)?;
        for given in discounts::from_rules(&rules, *line, *category, (minute, taken), by) {
            let (d, rule_id) = (given.discount, given.rule_id);
            sql!(
                conn,
                "INSERT INTO discounts (id, order_id, line_id, kind, value, reason, rule_id, given_by, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                d.id,
                order,
                d.line_id,
                d.kind,
                d.value,
                d.reason,
                rule_id,
                d.given_by,
                d.created_at_ms
            )
            .execute()?;
        }
    }
    Ok(())
}

/// Gives a discount on a line or the whole order. Over the venue's limit it needs
/// `approved_by`, a manager.
pub async fn give(
    conn: &mut SqliteConnection,
    by: StaffId,
    order: OrderId,
    new: &NewDiscount,
    approved_by: Option<StaffId>,
) -> ServiceResult<Outcome> {
    let reason = new
        .check()
        .map_err(|e| ServiceError::invalid(e.field(), e.to_string()))?;
    let (id, table_id) = open_order_async(conn, order).await?;
    let (current, venue, _) = with_bill_async(conn, id).await?;
    let charged = discounts::charged(&current);
    let base = match new.line_id {
        Some(line_id) => {
            let line = line_of(&current, line_id)?;
            charged
                .iter()
                .find(|(id, _)| *id == line_id)
                .map(|(_, a)| *a)
                .ok_or_else(|| {
                    ServiceError::Conflict(format!(
                        "{} is void; there is nothing to discount",
                        line.product_name
                    ))
                })?
        }
        None => charged.iter().map(|(_, a)| a).sum(),
    };
    let takes = discounts::off(new.kind, new.value, base);
    if takes == 0 {
        return Err(ServiceError::Conflict(
            "there is nothing left to discount there".into(),
        ));
    }
    let money = |m: i64| Money::new(m, venue.currency.as_str()).to_string();
    // The giver's role may have its own limit (the managers set it), else the venue's.
    let (limit, _) = crate::services::permissions::limits_of_async(conn, by).await?;
    if discounts::needs_approval(&current, takes, limit) && approved_by.is_none() {
        let before = discounts::unapproved_off(&current);
        return Err(ServiceError::ApprovalNeeded(if before == 0 {
            format!(
                "a discount of {} needs a manager's PIN: it is over the {} limit",
                money(takes),
                money(limit)
            )
        } else {
            format!(
                "a discount of {} needs a manager's PIN: with the {} already given on this order it is over the {} limit",
                money(takes),
                money(before),
                money(limit)
            )
        }));
    }
    let total_before = current
        .totals(venue.tax_mode, venue.tax_rounding)
        .total_minor;
    let (discount, now) = (DiscountId::new_v7(), now_ms());
    sqlx::query!(
        "INSERT INTO discounts (id, order_id, line_id, kind, value, reason, given_by, approved_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        discount,
        id,
        new.line_id,
        new.kind,
        new.value,
        reason,
        by,
        approved_by,
        now
    )
    .execute(&mut *conn)
    .await?;
    // The order as it now is, read once: for the answer and for the audit's "after".
    let outcome = finish_async(
        conn,
        id,
        false,
        Some((EventKind::DiscountGiven, by, table_id, &[])),
    )
    .await?;
    let total_after = outcome
        .order
        .totals(venue.tax_mode, venue.tax_rounding)
        .total_minor;
    let detail = serde_json::json!({
        "discount_id": discount, "line_id": new.line_id, "kind": new.kind, "value": new.value,
        "reason": reason, "amount_minor": takes, "total_before_minor": total_before,
        "total_after_minor": total_after,
    });
    audit_async(conn, by, approved_by, "discount", Some(id), detail).await?;
    Ok(outcome)
}

/// The rule's fields as given, checked: (name, category, percent, starts, ends).
type RuleFields = (
    Option<String>,
    Option<app::domain::CategoryId>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

fn check(change: &DiscountRuleChange, creating: bool) -> ServiceResult<RuleFields> {
    let name = change.name.as_deref().map(str::trim).map(str::to_owned);
    if name
        .as_deref()
        .is_some_and(|n| n.is_empty() || n.chars().count() > 60)
        || (creating && name.is_none())
    {
        return Err(ServiceError::invalid(
            "name",
            "a rule's name is 1 to 60 characters",
        ));
    }
    if creating && change.category_id.is_none() {
        return Err(ServiceError::invalid(
            "category_id",
            "choose the category it discounts",
        ));
    }
    if change
        .percent_bp
        .is_some_and(|p| !(1..=10_000).contains(&p))
        || (creating && change.percent_bp.is_none())
    {
        return Err(ServiceError::invalid(
            "percent_bp",
            "the discount is 1 to 10000 basis points (0.01 % to 100 %)",
        ));
    }
    let clock = |field: &str, text: &Option<String>| match text {
        None if creating => Err(ServiceError::invalid(field, "a time of day like 17:00")),
        None => Ok(None),
        Some(t) => parse_clock(t).map(Some).ok_or_else(|| {
            ServiceError::invalid(field, format!("{t:?} is not a time of day like 17:00"))
        }),
    };
    let (starts, ends) = (
        clock("starts", &change.starts)?,
        clock("ends", &change.ends)?,
    );
    if starts.is_some() && starts == ends {
        return Err(ServiceError::invalid(
            "ends",
            "a rule ends at another time than it starts",
        ));
    }
    Ok((name, change.category_id, change.percent_bp, starts, ends))
}

async fn one_rule(conn: &mut SqliteConnection, id: &str) -> ServiceResult<DiscountRule> {
    load_rules_async(conn)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| ServiceError::NotFound(format!("no discount rule {id}")))
}

/// Refuses a rule for a category the menu does not have.
async fn check_category(
    conn: &mut SqliteConnection,
    category: Option<app::domain::CategoryId>,
) -> ServiceResult<()> {
    let known = sqlx::query_scalar!("SELECT COUNT(*) FROM categories WHERE id = ?", category)
        .fetch_one(&mut *conn)
        .await?;
    if known == 0 {
        return Err(ServiceError::invalid(
            "category_id",
            "no such category on the menu",
        ));
    }
    Ok(())
}

/// Adds a rule that discounts a category every day between two times of the venue's day.
pub async fn add_rule(
    conn: &mut SqliteConnection,
    req: &DiscountRuleChange,
) -> ServiceResult<DiscountRule> {
    let (name, category, percent, starts, ends) = check(req, true)?;
    check_category(conn, category).await?;
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
    .execute(&mut *conn)
    .await?;
    one_rule(conn, &id).await
}

/// Changes a rule, or switches it on or off.
pub async fn change_rule(
    conn: &mut SqliteConnection,
    id: &str,
    req: &DiscountRuleChange,
) -> ServiceResult<DiscountRule> {
    let current = one_rule(conn, id).await?;
    let (name, category, percent, starts, ends) = check(req, false)?;
    if starts.unwrap_or(current.starts_minute) == ends.unwrap_or(current.ends_minute) {
        return Err(ServiceError::invalid(
            "ends",
            "a rule ends at another time than it starts",
        ));
    }
    if category.is_some() {
        check_category(conn, category).await?;
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
    .execute(&mut *conn)
    .await?;
    one_rule(conn, id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_reads_the_venues_local_time_as_the_server_does() {
        // 2026-12-01 16:30 UTC, in Rome.
        let now = 1_796_142_600_000;
        let clock = venue_clock("Europe/Rome", now).unwrap();
        assert_eq!(
            clock,
            VenueClock {
                offset_minutes: 60,
                changes_at_ms: Some(1_806_195_600_000),
                offset_after_minutes: 120,
            }
        );
        // Every quarter of an hour until after summer time starts, the two agree.
        for step in 0..(120 * 24 * 4) {
            let at = now + step * 15 * 60_000;
            assert_eq!(
                clock.local_minute(at),
                local_minute("Europe/Rome", at).unwrap()
            );
        }
        assert_eq!(venue_clock("UTC", now).unwrap(), VenueClock::default());
    }
}
