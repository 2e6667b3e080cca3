//! Discounts: on one line or the whole order, a percentage or an amount, always with a
//! reason and the name of who gave it (and the manager who approved it, over the venue's
//! limit). Rules such as a happy hour give them automatically. What each line is charged
//! once the discounts are taken off, exactly to the minor unit.

use super::bill::{div_round, FULL_RATE_BP};
use super::orders::{LineStatus, Order};
use super::split::allocate;
use super::{DiscountId, LineId, StaffId};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Longest reason for a discount.
pub const MAX_REASON_CHARS: usize = 120;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type, utoipa::ToSchema),
    sqlx(rename_all = "lowercase")
)]
pub enum DiscountKind {
    /// `value` is in basis points: 2000 is 20 %.
    Percent,
    /// `value` is in minor units.
    Amount,
}

/// A discount as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Discount {
    pub id: DiscountId,
    /// The line it is on; None for the whole order.
    pub line_id: Option<LineId>,
    pub kind: DiscountKind,
    pub value: i64,
    pub reason: String,
    /// The automatic rule that gave it, if one did.
    pub rule: Option<String>,
    pub given_by: StaffId,
    pub approved_by: Option<StaffId>,
    /// UTC, milliseconds since the Unix epoch.
    pub created_at_ms: i64,
}

/// A discount as staff ask to give it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewDiscount {
    /// The line to discount; absent for the whole order.
    #[serde(default)]
    pub line_id: Option<LineId>,
    pub kind: DiscountKind,
    /// Basis points for a percentage (1 to 10000), minor units for an amount.
    pub value: i64,
    pub reason: String,
    /// A manager's PIN, where the discount is over the venue's limit.
    #[serde(default)]
    pub manager_pin: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DiscountError {
    #[error("a percentage is between 0.01 % and 100 %")]
    Percent,
    #[error("the amount must be more than zero")]
    Amount,
    #[error("that is more than any single amount can be")]
    TooLarge,
    #[error("say why: a discount needs a reason")]
    NoReason,
    #[error("a reason has at most {MAX_REASON_CHARS} characters")]
    LongReason,
}

impl DiscountError {
    pub fn field(&self) -> &'static str {
        match self {
            DiscountError::Percent | DiscountError::Amount | DiscountError::TooLarge => "value",
            DiscountError::NoReason | DiscountError::LongReason => "reason",
        }
    }
}

impl NewDiscount {
    /// Checks the value and the reason; returns the reason trimmed.
    pub fn check(&self) -> Result<String, DiscountError> {
        match self.kind {
            DiscountKind::Percent if !(1..=FULL_RATE_BP).contains(&self.value) => {
                return Err(DiscountError::Percent)
            }
            DiscountKind::Amount if self.value <= 0 => return Err(DiscountError::Amount),
            // Bounded like every amount a client sends (see `money::MAX_AMOUNT_MINOR`).
            DiscountKind::Amount if self.value > super::money::MAX_AMOUNT_MINOR => {
                return Err(DiscountError::TooLarge)
            }
            _ => {}
        }
        let reason = self.reason.trim();
        if reason.is_empty() {
            return Err(DiscountError::NoReason);
        }
        if reason.chars().count() > MAX_REASON_CHARS {
            return Err(DiscountError::LongReason);
        }
        Ok(reason.to_owned())
    }
}

/// What a discount takes off `amount`: never more than the amount itself.
pub fn off(kind: DiscountKind, value: i64, amount: i64) -> i64 {
    match kind {
        DiscountKind::Percent => div_round(amount * value, FULL_RATE_BP),
        DiscountKind::Amount => value,
    }
    .clamp(0, amount.max(0))
}

/// Each line that is not void with what it is charged after its own discounts and its part
/// of the order's, in the order's line order. Order discounts apply one after another to
/// what is left, and are shared among the lines in proportion to what they cost.
pub fn charged(order: &Order) -> Vec<(LineId, i64)> {
    apply(order).0
}

/// What each of the order's discounts takes off, in the order's discount order (0 for a
/// discount on a void line).
pub fn taken(order: &Order) -> Vec<i64> {
    apply(order).1
}

fn apply(order: &Order) -> (Vec<(LineId, i64)>, Vec<i64>) {
    let mut taken = vec![0; order.discounts.len()];
    let mut lines: Vec<(LineId, i64)> = order
        .lines
        .iter()
        .filter(|l| l.status != LineStatus::Void)
        .map(|l| {
            let mut left = l.total_minor();
            for (i, d) in order.discounts.iter().enumerate() {
                if d.line_id == Some(l.id) {
                    taken[i] = off(d.kind, d.value, left);
                    left -= taken[i];
                }
            }
            (l.id, left)
        })
        .collect();
    for (i, d) in order.discounts.iter().enumerate() {
        if d.line_id.is_some() {
            continue;
        }
        let sum: i64 = lines.iter().map(|(_, a)| a).sum();
        let weights: Vec<i64> = lines.iter().map(|(_, a)| *a).collect();
        taken[i] = off(d.kind, d.value, sum);
        for ((_, amount), part) in lines.iter_mut().zip(allocate(taken[i], &weights)) {
            *amount -= part;
        }
    }
    (lines, taken)
}

/// What staff's discounts given without a manager already take off the order (automatic
/// rules and approved discounts left out). The approval limit counts these and the new
/// one together, so several small discounts cannot add up past it unseen.
pub fn unapproved_off(order: &Order) -> i64 {
    order
        .discounts
        .iter()
        .zip(taken(order))
        .filter(|(d, _)| d.rule.is_none() && d.approved_by.is_none())
        .map(|(_, t)| t)
        .sum()
}

/// Whether a new discount taking off `takes` needs a manager, on this order, under the
/// venue's `limit`.
pub fn needs_approval(order: &Order, takes: i64, limit: i64) -> bool {
    unapproved_off(order).saturating_add(takes) > limit
}

/// What the discounts take off the order's menu prices in all.
pub fn total_off(order: &Order) -> i64 {
    order.total_minor() - charged(order).iter().map(|(_, a)| a).sum::<i64>()
}

/// A rule that discounts a category in a daily window of the venue's local time, e.g. a
/// happy hour from 17:00 to 19:00, 20 % off the bar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DiscountRule {
    pub id: String,
    pub name: String,
    pub category_id: super::CategoryId,
    pub percent_bp: i64,
    /// Minutes after local midnight it starts (1020 = 17:00).
    pub starts_minute: i64,
    /// Minutes after local midnight it ends; before `starts_minute` means it runs past
    /// midnight.
    pub ends_minute: i64,
    pub active: bool,
}

impl DiscountRule {
    /// Whether the rule is on at `minute` after local midnight.
    pub fn applies_at(&self, minute: i64) -> bool {
        if !self.active {
            return false;
        }
        if self.starts_minute <= self.ends_minute {
            (self.starts_minute..self.ends_minute).contains(&minute)
        } else {
            minute >= self.starts_minute || minute < self.ends_minute
        }
    }
}

/// The venue's clock as a phone needs it offline: its UTC offset now, and the next change
/// of offset (summer time) with the offset after it. The server fills it in from the
/// venue's time zone; both sides read local time through it or through that zone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VenueClock {
    pub offset_minutes: i64,
    /// UTC, milliseconds since the Unix epoch.
    #[serde(default)]
    pub changes_at_ms: Option<i64>,
    #[serde(default)]
    pub offset_after_minutes: i64,
}

impl VenueClock {
    /// Minutes after local midnight at `at_ms` (UTC).
    pub fn local_minute(&self, at_ms: i64) -> i64 {
        let offset = match self.changes_at_ms {
            Some(change) if at_ms >= change => self.offset_after_minutes,
            _ => self.offset_minutes,
        };
        (at_ms.div_euclid(60_000) + offset).rem_euclid(24 * 60)
    }
}

/// When the waiter took a line: its id's time (UUID v7, made on the phone, offline too),
/// if that is within the twelve hours before `now`; else `now`. A happy hour counts when
/// the order was taken, not when a phone that was offline got round to sending it.
pub fn taken_at(line: LineId, now: i64) -> i64 {
    let made = line
        .0
        .get_timestamp()
        .map(|t| {
            let (secs, nanos) = t.to_unix();
            i64::try_from(secs).map_or(now, |s| s.saturating_mul(1000))
                + i64::from(nanos / 1_000_000)
        })
        .unwrap_or(now);
    if (now - 12 * 3_600_000..=now).contains(&made) {
        made
    } else {
        now
    }
}

/// A discount a rule gives a line, and the rule's id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleDiscount {
    pub discount: Discount,
    pub rule_id: String,
}

/// The discounts the venue's `rules` give a line of `category`, taken at `minute` after
/// local midnight (`taken_ms`, UTC): one per rule that is on. The server records them as
/// lines are added; a phone offline applies the same ones to its own view. A rule gives a
/// line one discount, so its id is made from the line's and the rule's: the phone and the
/// server agree on it, and the phone's view is the same each time it is worked out.
pub fn from_rules(
    rules: &[DiscountRule],
    line: LineId,
    category: super::CategoryId,
    (minute, taken_ms): (i64, i64),
    by: StaffId,
) -> Vec<RuleDiscount> {
    rules
        .iter()
        .filter(|r| r.category_id == category && r.applies_at(minute))
        .map(|r| RuleDiscount {
            discount: Discount {
                id: rule_discount_id(line, &r.id),
                line_id: Some(line),
                kind: DiscountKind::Percent,
                value: r.percent_bp,
                reason: r.name.clone(),
                rule: Some(r.name.clone()),
                given_by: by,
                approved_by: None,
                created_at_ms: taken_ms,
            },
            rule_id: r.id.clone(),
        })
        .collect()
}

/// A UUID v7 with the line's time, its random part mixed with the rule's id (FNV-1a).
fn rule_discount_id(line: LineId, rule_id: &str) -> DiscountId {
    let hash = rule_id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut bytes = *line.0.as_bytes();
    for (byte, mix) in bytes[8..].iter_mut().zip(hash.to_be_bytes()) {
        *byte ^= mix;
    }
    DiscountId(
        uuid::Builder::from_bytes(bytes)
            .with_variant(uuid::Variant::RFC4122)
            .with_version(uuid::Version::SortRand)
            .into_uuid(),
    )
}

/// "17:00" for minutes after midnight.
pub fn clock(minute: i64) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Minutes after midnight for "17:00"; None if it is not a time of day.
pub fn parse_clock(text: &str) -> Option<i64> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bill::{TaxMode, TaxRounding};
    use crate::domain::split::tests::{line, order};
    use proptest::prelude::*;

    fn discount(line_id: Option<LineId>, kind: DiscountKind, value: i64) -> Discount {
        Discount {
            id: DiscountId::new_v7(),
            line_id,
            kind,
            value,
            reason: "regular".into(),
            rule: None,
            given_by: StaffId::new_v7(),
            approved_by: None,
            created_at_ms: 0,
        }
    }

    #[test]
    fn line_and_order_discounts_come_off_the_bill_and_its_taxes() {
        let mut o = order(vec![line(1000, 2, 1000, None), line(500, 1, 2200, None)]);
        let first = o.lines[0].id;
        o.discounts = vec![
            discount(Some(first), DiscountKind::Percent, 2000), // 2000 -> 1600
            discount(None, DiscountKind::Amount, 210),          // 2100 -> 1890
        ];
        let charged = charged(&o);
        assert_eq!(charged.iter().map(|(_, a)| a).sum::<i64>(), 1890);
        assert_eq!(charged[0], (first, 1440)); // 1600 - 160
        assert_eq!(total_off(&o), 610);
        assert_eq!(taken(&o), vec![400, 210]);
        let bill = o.totals(TaxMode::Inclusive, TaxRounding::PerBill);
        assert_eq!(bill.total_minor, 1890);
        assert_eq!(bill.taxes[0].gross_minor, 1440);
        assert_eq!(bill.taxes[1].gross_minor, 450);
    }

    #[test]
    fn the_approval_limit_counts_every_discount_given_without_a_manager() {
        let mut o = order(vec![line(3000, 1, 0, None)]);
        let limit = 1000;
        assert!(!needs_approval(&o, 999, limit));
        o.discounts = vec![discount(None, DiscountKind::Amount, 600)];
        assert_eq!(unapproved_off(&o), 600);
        assert!(needs_approval(&o, 500, limit), "600 + 500 is over 1000");
        assert!(!needs_approval(&o, 400, limit));
        // Approved and automatic discounts do not count against it.
        let mut approved = discount(None, DiscountKind::Amount, 900);
        approved.approved_by = Some(StaffId::new_v7());
        let mut happy_hour = discount(None, DiscountKind::Amount, 900);
        happy_hour.rule = Some("happy hour".into());
        o.discounts.extend([approved, happy_hour]);
        assert_eq!(unapproved_off(&o), 600);
        assert!(!needs_approval(&o, i64::MAX - 100, i64::MAX));
    }

    #[test]
    fn a_discount_never_takes_more_than_the_line_and_needs_a_reason() {
        let mut o = order(vec![line(300, 1, 0, None)]);
        o.discounts = vec![discount(Some(o.lines[0].id), DiscountKind::Amount, 900)];
        assert_eq!(charged(&o)[0].1, 0);
        let mut new = NewDiscount {
            line_id: None,
            kind: DiscountKind::Percent,
            value: 10_001,
            reason: " regular ".into(),
            manager_pin: None,
        };
        assert_eq!(new.check(), Err(DiscountError::Percent));
        new.value = 1000;
        assert_eq!(new.check().as_deref(), Ok("regular"));
        new.reason = "  ".into();
        assert_eq!(new.check().unwrap_err().field(), "reason");
        new.reason = "regular".into();
        new.kind = DiscountKind::Amount;
        new.value = i64::MAX;
        assert_eq!(new.check(), Err(DiscountError::TooLarge));
    }

    #[test]
    fn a_happy_hour_runs_in_its_window_even_past_midnight() {
        let mut rule = DiscountRule {
            id: "happy".into(),
            name: "Happy hour".into(),
            category_id: crate::domain::CategoryId(uuid::Uuid::nil()),
            percent_bp: 2000,
            starts_minute: 17 * 60,
            ends_minute: 19 * 60,
            active: true,
        };
        assert!(rule.applies_at(17 * 60) && rule.applies_at(18 * 60 + 59));
        assert!(!rule.applies_at(19 * 60) && !rule.applies_at(16 * 60 + 59));
        (rule.starts_minute, rule.ends_minute) = (23 * 60, 60);
        assert!(rule.applies_at(30) && rule.applies_at(23 * 60 + 30) && !rule.applies_at(90));
        rule.active = false;
        assert!(!rule.applies_at(30));
        assert_eq!(parse_clock("17:05"), Some(1025));
        assert_eq!(parse_clock("24:00"), None);
        assert_eq!(clock(1025), "17:05");
    }

    #[test]
    fn the_venue_clock_reads_local_time_across_a_change_of_offset() {
        // Rome: +01:00 until 2027-03-28 01:00 UTC, then +02:00.
        let rome = VenueClock {
            offset_minutes: 60,
            changes_at_ms: Some(1_806_195_600_000),
            offset_after_minutes: 120,
        };
        // 2026-12-01 16:30 UTC is 17:30 in Rome.
        assert_eq!(rome.local_minute(1_796_142_600_000), 17 * 60 + 30);
        // 2027-03-28 16:30 UTC is 18:30 in Rome.
        assert_eq!(rome.local_minute(1_806_251_400_000), 18 * 60 + 30);
        // West of Greenwich, shortly after midnight UTC: the evening before.
        let west = VenueClock {
            offset_minutes: -300,
            ..VenueClock::default()
        };
        assert_eq!(west.local_minute(1_796_083_260_000), 19 * 60 + 1);
    }

    proptest! {
        #[test]
        fn discounts_never_make_a_line_negative_and_add_up(
            prices in prop::collection::vec((1i64..5_000, 1i64..4), 1..8),
            cuts in prop::collection::vec((any::<bool>(), any::<bool>(), 1i64..12_000), 0..5),
        ) {
            let mut o = order(prices.iter().map(|&(p, q)| line(p, q, 1000, None)).collect());
            for (i, &(on_line, percent, value)) in cuts.iter().enumerate() {
                let line_id = on_line.then(|| o.lines[i % o.lines.len()].id);
                let (kind, value) = if percent { (DiscountKind::Percent, value.min(10_000)) } else { (DiscountKind::Amount, value) };
                o.discounts.push(discount(line_id, kind, value));
            }
            let charged = charged(&o);
            prop_assert!(charged.iter().all(|(_, a)| *a >= 0));
            let sum: i64 = charged.iter().map(|(_, a)| a).sum();
            prop_assert_eq!(sum + total_off(&o), o.total_minor());
            prop_assert_eq!(taken(&o).iter().sum::<i64>(), total_off(&o));
            prop_assert_eq!(o.totals(TaxMode::Inclusive, TaxRounding::PerLine).total_minor, sum);
        }
    }
}
