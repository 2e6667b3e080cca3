//! Money: integer minor units (cents) with an ISO 4217 currency code. Never floats.

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// The most any single amount a client sends may be (a payment, a tip, cash handed over):
/// 10,000,000.00 in a two-decimal currency. Billions of such amounts still add up within
/// an `i64`, so no total built from amounts that passed this check can overflow.
pub const MAX_AMOUNT_MINOR: i64 = 1_000_000_000;

/// A venue's own ceiling on a single amount unless it sets one: 100,000.00.
pub const DEFAULT_CEILING_MINOR: i64 = 10_000_000;

/// The lowest ceiling a venue may set: 1.00.
pub const MIN_CEILING_MINOR: i64 = 100;

/// A sum of money beyond what an `i64` holds. Amounts that passed the ceilings cannot make
/// one; only rows that bypassed them could, and then the sum is refused, never wrapped.
#[derive(Clone, Copy, Debug, Error, PartialEq, Eq)]
#[error("a sum of money is too large to add up; an amount in it is beyond any real one")]
pub struct Overflow;

/// `a + b`, or `Overflow`.
pub fn add(a: i64, b: i64) -> Result<i64, Overflow> {
    a.checked_add(b).ok_or(Overflow)
}

/// `a - b`, or `Overflow`.
pub fn sub(a: i64, b: i64) -> Result<i64, Overflow> {
    a.checked_sub(b).ok_or(Overflow)
}

/// The sum of `amounts`, or `Overflow`.
pub fn total(amounts: impl IntoIterator<Item = i64>) -> Result<i64, Overflow> {
    amounts.into_iter().try_fold(0i64, add)
}

/// An amount in minor units of `currency` (e.g. 1250 EUR is €12.50).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Money {
    /// Amount in minor units (cents); may be negative for discounts and refunds.
    pub minor: i64,
    /// ISO 4217 code, e.g. `EUR`.
    pub currency: String,
}

impl Money {
    pub fn new(minor: i64, currency: impl Into<String>) -> Self {
        Self {
            minor,
            currency: currency.into(),
        }
    }
}

impl fmt::Display for Money {
    /// `€12.50`, `$3.05`, `-€0.50`; currencies without a symbol here print their code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        let symbol = match self.currency.as_str() {
            "EUR" => "€",
            "USD" => "$",
            "GBP" => "£",
            other => return write!(f, "{sign}{}.{:02} {other}", abs / 100, abs % 100),
        };
        write!(f, "{sign}{symbol}{}.{:02}", abs / 100, abs % 100)
    }
}

/// An amount as a person types it back: `3.00`, `-1.50` (two decimals, no symbol).
pub fn plain(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// An amount as a person types it ("20", "20.5", "20,50", "€ 3.05") in minor units, for
/// two-decimal currencies; None when it is not an amount (or has more than two decimals).
pub fn parse_amount(typed: &str) -> Option<i64> {
    let cleaned: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '€' | '$' | '£'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty()
        || !digits(whole)
        || !digits(fraction)
        || fraction.len() > 2
        || whole.len() > 9
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let cents: i64 = format!("{fraction:0<2}").parse().ok()?;
    Some(whole * 100 + cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_amounts_become_minor_units() {
        assert_eq!(parse_amount("20"), Some(2000));
        assert_eq!(parse_amount("20.5"), Some(2050));
        assert_eq!(parse_amount("20,50"), Some(2050));
        assert_eq!(parse_amount(" € 3.05 "), Some(305));
        assert_eq!(parse_amount(".5"), Some(50));
        for bad in ["", ".", "1.234", "-5", "abc", "1.2.3", "9999999999"] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }

    #[test]
    fn sums_refuse_to_wrap() {
        assert_eq!(total([1, 2, 3]), Ok(6));
        assert_eq!(total([i64::MAX, 1]), Err(Overflow));
        assert_eq!(sub(i64::MIN, 1), Err(Overflow));
        assert_eq!(
            total(std::iter::repeat_n(MAX_AMOUNT_MINOR, 1000)),
            Ok(MAX_AMOUNT_MINOR * 1000)
        );
    }

    #[test]
    fn formats_minor_units_exactly() {
        assert_eq!(Money::new(1250, "EUR").to_string(), "€12.50");
        assert_eq!(Money::new(5, "USD").to_string(), "$0.05");
        assert_eq!(Money::new(-50, "EUR").to_string(), "-€0.50");
        assert_eq!(Money::new(100_000, "CHF").to_string(), "1000.00 CHF");
    }
}
