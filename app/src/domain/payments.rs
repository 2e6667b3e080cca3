//! Payments toward a bill: by cash (what was handed over and the change), card (with an
//! optional reference; no terminal integration), voucher, or house credit (customer
//! accounts come later). A tip rides on a payment for the waiter who took it. The rules a
//! payment must pass, and what is left to pay.

use super::money::{MAX_AMOUNT_MINOR, MIN_CEILING_MINOR};
use super::split::PaidItem;
use super::{OrderId, PaymentId, StaffId};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Longest card or voucher reference.
pub const MAX_REFERENCE_CHARS: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type, utoipa::ToSchema),
    sqlx(rename_all = "lowercase")
)]
pub enum PaymentMethod {
    Cash,
    Card,
    Voucher,
    /// On a customer's house account (not yet offered).
    House,
}

impl PaymentMethod {
    pub fn label(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "Cash",
            PaymentMethod::Card => "Card",
            PaymentMethod::Voucher => "Voucher",
            PaymentMethod::House => "House account",
        }
    }
}

/// A payment as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Payment {
    pub id: PaymentId,
    pub order_id: OrderId,
    pub method: PaymentMethod,
    /// What it pays of the bill, in minor units.
    pub amount_minor: i64,
    pub tip_minor: i64,
    /// Cash handed over.
    pub tendered_minor: Option<i64>,
    pub change_minor: i64,
    pub reference: Option<String>,
    /// The seat it paid for, when the bill was split by seat.
    #[serde(default)]
    pub seat: Option<i64>,
    /// The items it paid for, when the bill was split by item.
    #[serde(default)]
    pub items: Vec<PaidItem>,
    /// Cash rounding it settled (see `NewPayment::cash_rounding`): -2 when a bill of 12.33
    /// was paid as 12.35 in cash, +2 when 12.32 was paid as 12.30.
    #[serde(default)]
    pub rounding_minor: i64,
    pub taken_by: StaffId,
    /// UTC, milliseconds since the Unix epoch.
    pub created_at_ms: i64,
}

/// A payment as a phone asks to take it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewPayment {
    /// Client-made UUID v7.
    pub id: PaymentId,
    pub method: PaymentMethod,
    pub amount_minor: i64,
    #[serde(default)]
    pub tip_minor: i64,
    /// Cash: what the guest handed over (at least amount + tip); absent means exact.
    #[serde(default)]
    pub tendered_minor: Option<i64>,
    #[serde(default)]
    pub reference: Option<String>,
    /// The seat it pays for, when splitting by seat.
    #[serde(default)]
    pub seat: Option<i64>,
    /// The items (some units of some lines) it pays for, when splitting by item.
    #[serde(default)]
    pub items: Vec<PaidItem>,
}

/// The venue's rules for a payment: cash rounding and the limits on amounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaymentRules {
    /// Cash totals round to this step (5 = 0.05); 1 means exact.
    pub cash_increment: i64,
    /// The most a single amount (paid, tipped or handed over) may be, capped by
    /// `MAX_AMOUNT_MINOR`.
    pub max_amount_minor: i64,
    /// A tip above this needs a manager's PIN; None means above the bill's total.
    pub tip_approval_above_minor: Option<i64>,
}

impl PaymentRules {
    /// Exact cash, the widest ceiling and tips up to the bill: for tests and examples.
    pub const PLAIN: PaymentRules = PaymentRules {
        cash_increment: 1,
        max_amount_minor: MAX_AMOUNT_MINOR,
        tip_approval_above_minor: None,
    };

    /// The largest tip on a bill of `bill_total` that needs no manager.
    pub fn tip_limit(&self, bill_total: i64) -> i64 {
        self.tip_approval_above_minor.unwrap_or(bill_total).max(0)
    }

    /// Whether a tip of `tip` on a bill of `bill_total` needs a manager's approval.
    pub fn tip_needs_approval(&self, tip: i64, bill_total: i64) -> bool {
        tip > self.tip_limit(bill_total)
    }

    fn ceiling(&self) -> i64 {
        self.max_amount_minor
            .clamp(MIN_CEILING_MINOR, MAX_AMOUNT_MINOR)
    }
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum PaymentError {
    #[error("the amount must be more than zero")]
    Amount,
    #[error("only {left} is left to pay")]
    MoreThanOwed { left: String },
    #[error("a tip cannot be negative")]
    Tip,
    #[error("that is more than this venue takes in one amount ({limit})")]
    TooLarge { field: &'static str, limit: String },
    #[error("a tip above {limit} needs a manager's PIN")]
    TipNeedsApproval { limit: String },
    #[error("the cash handed over must cover the amount and the tip")]
    Tendered,
    #[error("only cash is handed over; leave the tendered amount out for {0}")]
    TenderedNotCash(&'static str),
    #[error("a reference has at most {MAX_REFERENCE_CHARS} characters")]
    Reference,
    #[error("house accounts are not available yet")]
    House,
}

impl PaymentError {
    /// The request field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            PaymentError::Amount | PaymentError::MoreThanOwed { .. } => "amount_minor",
            PaymentError::Tip | PaymentError::TipNeedsApproval { .. } => "tip_minor",
            PaymentError::Tendered | PaymentError::TenderedNotCash(_) => "tendered_minor",
            PaymentError::Reference => "reference",
            PaymentError::House => "method",
            PaymentError::TooLarge { field, .. } => field,
        }
    }
}

/// Where cash is rounded (`increment` 5 for 0.05), what settles `left` in cash: `left`
/// rounded to the nearest step.
pub fn cash_due(left: i64, increment: i64) -> i64 {
    super::bill::round_cash(left, increment)
}

/// What a guest most likely hands over for `due`, beside the exact amount: for each of
/// `currency`'s notes, the least amount in that note above `due` (€75, €80 and €100 for
/// €73), the three smallest. Fewer when `due` is above every note.
pub fn quick_cash(due: i64, currency: &str) -> Vec<i64> {
    let mut amounts: Vec<i64> = notes(currency)
        .iter()
        .filter_map(|note| due.checked_div(*note)?.checked_add(1)?.checked_mul(*note))
        .filter(|_| due > 0)
        .collect();
    amounts.sort_unstable();
    amounts.dedup();
    amounts.truncate(3);
    amounts
}

/// The banknotes of `currency` a guest hands over for a meal, in minor units, smallest
/// first (the currencies of `first_run::CURRENCIES`; the euro's for any other).
fn notes(currency: &str) -> &'static [i64] {
    match currency {
        "USD" => &[100, 500, 1000, 2000, 5000, 10000],
        "GBP" => &[500, 1000, 2000, 5000],
        "AUD" | "NZD" | "CAD" => &[500, 1000, 2000, 5000, 10000],
        "CHF" | "PLN" => &[1000, 2000, 5000, 10000, 20000],
        "SEK" => &[2000, 5000, 10000, 20000, 50000],
        "DKK" | "NOK" => &[5000, 10000, 20000, 50000, 100000],
        "CZK" => &[10000, 20000, 50000, 100000, 200000],
        "RON" => &[1000, 5000, 10000, 20000, 50000],
        "HUF" => &[50000, 100000, 200000, 500000, 1000000, 2000000],
        _ => &[500, 1000, 2000, 5000, 10000, 20000],
    }
}

/// `percent` of `amount`, to the nearest minor unit: a tip button's tip. None when it
/// would not fit.
pub fn tip_of(amount: i64, percent: i64) -> Option<i64> {
    let tip = amount.checked_mul(percent)?.checked_add(50)? / 100;
    Some(tip.max(0))
}

impl NewPayment {
    /// The rounding this payment settles: for cash that pays exactly `cash_due` of what is
    /// `left`, the difference (`left` - amount), so the bill counts as paid; else 0.
    pub fn cash_rounding(&self, left: i64, increment: i64) -> i64 {
        let due = cash_due(left, increment);
        if self.method == PaymentMethod::Cash && increment > 1 && self.amount_minor == due {
            left - due
        } else {
            0
        }
    }

    /// Checks the payment against what is `left` of a bill of `bill_total` and the venue's
    /// `rules`; returns the change to give. A tip above the venue's limit passes only
    /// `tip_approved` (by a manager's PIN). `money` formats an amount for the message.
    pub fn check(
        &self,
        left: i64,
        bill_total: i64,
        rules: &PaymentRules,
        tip_approved: bool,
        money: impl Fn(i64) -> String,
    ) -> Result<i64, PaymentError> {
        let cash_increment = rules.cash_increment;
        if self.method == PaymentMethod::House {
            return Err(PaymentError::House);
        }
        if self.amount_minor <= 0 {
            return Err(PaymentError::Amount);
        }
        // Bounded before any sum: no total of payments, tips or change can overflow.
        for (field, value) in [
            ("amount_minor", Some(self.amount_minor)),
            ("tip_minor", Some(self.tip_minor)),
            ("tendered_minor", self.tendered_minor),
        ] {
            if value.is_some_and(|v| v > rules.ceiling()) {
                return Err(PaymentError::TooLarge {
                    field,
                    limit: money(rules.ceiling()),
                });
            }
        }
        // Cash may settle the bill rounded up to the venue's step.
        let most = match self.method {
            PaymentMethod::Cash => left.max(cash_due(left, cash_increment)),
            _ => left,
        };
        if self.amount_minor > most {
            return Err(PaymentError::MoreThanOwed { left: money(most) });
        }
        if self.tip_minor < 0 {
            return Err(PaymentError::Tip);
        }
        if rules.tip_needs_approval(self.tip_minor, bill_total) && !tip_approved {
            return Err(PaymentError::TipNeedsApproval {
                limit: money(rules.tip_limit(bill_total)),
            });
        }
        if self
            .reference
            .as_deref()
            .is_some_and(|r| r.chars().count() > MAX_REFERENCE_CHARS)
        {
            return Err(PaymentError::Reference);
        }
        match (self.method, self.tendered_minor) {
            (PaymentMethod::Cash, Some(tendered)) => {
                // Both are at most MAX_AMOUNT_MINOR here, so neither sum can overflow.
                let due = self.amount_minor + self.tip_minor;
                if tendered < due {
                    return Err(PaymentError::Tendered);
                }
                Ok(tendered - due)
            }
            (PaymentMethod::Cash, None) => Ok(0),
            (method, Some(_)) => Err(PaymentError::TenderedNotCash(method.label())),
            (_, None) => Ok(0),
        }
    }
}

/// What the payments have paid of the bill (tips not included, cash rounding settled).
pub fn paid(payments: &[Payment]) -> i64 {
    payments
        .iter()
        .map(|p| p.amount_minor + p.rounding_minor)
        .sum()
}

#[cfg(test)]
mod tests {
    #[test]
    fn quick_cash_offers_the_next_two_notes_above_what_is_due() {
        use super::quick_cash;
        assert_eq!(quick_cash(7300, "EUR"), [7500, 8000, 10000]);
        assert_eq!(quick_cash(1240, "EUR"), [1500, 2000, 5000]);
        // Exactly a note's worth: Exact is its button; the next amounts up are offered.
        assert_eq!(quick_cash(2000, "EUR"), [2500, 3000, 4000]);
        assert_eq!(quick_cash(0, "EUR"), Vec::<i64>::new());
        // Each currency its own notes: a $1 bill, no £100, kroner in fifties.
        assert_eq!(quick_cash(80, "USD"), [100, 500, 1000]);
        assert_eq!(quick_cash(4500, "GBP"), [5000, 6000]);
        assert_eq!(quick_cash(12400, "DKK"), [15000, 20000, 50000]);
        assert_eq!(quick_cash(1240, "HUF"), [50000, 100000, 200000]);
        for currency in crate::domain::first_run::CURRENCIES {
            let notes = super::notes(currency);
            assert!(notes.windows(2).all(|w| w[0] < w[1]), "{currency}");
        }
    }

    #[test]
    fn a_tip_button_tips_a_share_of_the_amount_rounded() {
        assert_eq!(super::tip_of(4250, 10), Some(425));
        assert_eq!(super::tip_of(1234, 15), Some(185));
        assert_eq!(super::tip_of(i64::MAX, 10), None);
    }

    use super::*;

    fn cash(amount: i64, tip: i64, tendered: Option<i64>) -> NewPayment {
        NewPayment {
            id: PaymentId::new_v7(),
            method: PaymentMethod::Cash,
            amount_minor: amount,
            tip_minor: tip,
            tendered_minor: tendered,
            reference: None,
            seat: None,
            items: vec![],
        }
    }

    const FIVES: PaymentRules = PaymentRules {
        cash_increment: 5,
        ..PaymentRules::PLAIN
    };

    fn money(m: i64) -> String {
        format!("{}.{:02}", m / 100, m % 100)
    }

    #[test]
    fn no_tip_or_cash_handed_over_is_beyond_the_ceiling() {
        let plain = PaymentRules::PLAIN;
        let too_large = |field| PaymentError::TooLarge {
            field,
            limit: money(MAX_AMOUNT_MINOR),
        };
        assert_eq!(
            cash(1, i64::MAX, None).check(3800, 3800, &plain, true, money),
            Err(too_large("tip_minor"))
        );
        assert_eq!(
            cash(1, 0, Some(i64::MAX)).check(3800, 3800, &plain, false, money),
            Err(too_large("tendered_minor"))
        );
        assert_eq!(too_large("tip_minor").field(), "tip_minor");
        assert_eq!(
            cash(1, MAX_AMOUNT_MINOR - 1, Some(MAX_AMOUNT_MINOR))
                .check(3800, 3800, &plain, true, money),
            Ok(0)
        );
        // The venue's own ceiling is lower still.
        let venue = PaymentRules {
            max_amount_minor: 50_000,
            ..plain
        };
        assert_eq!(
            cash(3800, 0, Some(60_000)).check(3800, 3800, &venue, false, money),
            Err(PaymentError::TooLarge {
                field: "tendered_minor",
                limit: money(50_000)
            })
        );
    }

    #[test]
    fn a_tip_above_the_limit_needs_a_manager() {
        let plain = PaymentRules::PLAIN;
        // The limit is the bill's total unless the venue sets one.
        assert_eq!(
            cash(3800, 3800, None).check(3800, 3800, &plain, false, money),
            Ok(0)
        );
        assert_eq!(
            cash(1000, 3801, None).check(3800, 3800, &plain, false, money),
            Err(PaymentError::TipNeedsApproval { limit: money(3800) })
        );
        assert_eq!(
            cash(1000, 3801, None).check(3800, 3800, &plain, true, money),
            Ok(0)
        );
        let venue = PaymentRules {
            tip_approval_above_minor: Some(500),
            ..plain
        };
        assert_eq!(
            cash(1000, 501, None).check(3800, 3800, &venue, false, money),
            Err(PaymentError::TipNeedsApproval { limit: money(500) })
        );
        assert_eq!(
            cash(1000, 500, None).check(3800, 3800, &venue, false, money),
            Ok(0)
        );
    }

    #[test]
    fn cash_gives_change_from_what_was_handed_over() {
        let plain = PaymentRules::PLAIN;
        assert_eq!(
            cash(3800, 200, Some(5000)).check(3800, 3800, &plain, false, money),
            Ok(1000)
        );
        assert_eq!(
            cash(1000, 0, None).check(3800, 3800, &plain, false, money),
            Ok(0)
        );
        assert_eq!(
            cash(3800, 300, Some(4000)).check(3800, 3800, &plain, false, money),
            Err(PaymentError::Tendered)
        );
    }

    #[test]
    fn a_payment_never_pays_more_than_is_owed() {
        let e = cash(3801, 0, None)
            .check(3800, 3800, &PaymentRules::PLAIN, false, money)
            .unwrap_err();
        assert_eq!(e.to_string(), "only 38.00 is left to pay");
        assert_eq!(e.field(), "amount_minor");
        assert_eq!(
            cash(0, 0, None).check(3800, 3800, &PaymentRules::PLAIN, false, money),
            Err(PaymentError::Amount)
        );
        assert_eq!(
            cash(100, -1, None).check(3800, 3800, &PaymentRules::PLAIN, false, money),
            Err(PaymentError::Tip)
        );
    }

    #[test]
    fn cash_settles_a_bill_rounded_to_the_venues_step() {
        // 12.33 is paid as 12.35 in cash; 12.32 as 12.30; cards pay it exactly.
        assert_eq!(
            cash(1235, 0, None).check(1233, 1233, &FIVES, false, money),
            Ok(0)
        );
        assert_eq!(cash(1235, 0, None).cash_rounding(1233, 5), -2);
        assert_eq!(cash(1230, 0, None).cash_rounding(1232, 5), 2);
        assert_eq!(
            cash(1000, 0, None).cash_rounding(1232, 5),
            0,
            "part of it: no rounding"
        );
        assert_eq!(
            cash(1240, 0, None)
                .check(1233, 1233, &FIVES, false, money)
                .unwrap_err()
                .to_string(),
            "only 12.35 is left to pay"
        );
        let mut card = cash(1235, 0, None);
        card.method = PaymentMethod::Card;
        assert!(card.check(1233, 1233, &FIVES, false, money).is_err());
        assert_eq!(card.cash_rounding(1233, 5), 0);
    }

    #[test]
    fn only_cash_is_tendered_and_house_accounts_wait() {
        let mut card = cash(1000, 0, Some(2000));
        card.method = PaymentMethod::Card;
        assert_eq!(
            card.check(3800, 3800, &PaymentRules::PLAIN, false, money)
                .unwrap_err()
                .field(),
            "tendered_minor"
        );
        card.tendered_minor = None;
        card.reference = Some("x".repeat(65));
        assert_eq!(
            card.check(3800, 3800, &PaymentRules::PLAIN, false, money),
            Err(PaymentError::Reference)
        );
        card.method = PaymentMethod::House;
        assert_eq!(
            card.check(3800, 3800, &PaymentRules::PLAIN, false, money),
            Err(PaymentError::House)
        );
    }
}
