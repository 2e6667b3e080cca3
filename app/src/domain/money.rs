//! Money: integer minor units (cents) with an ISO 4217 currency code. Never floats.

use serde::{Deserialize, Serialize};
use std::fmt;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_minor_units_exactly() {
        assert_eq!(Money::new(1250, "EUR").to_string(), "€12.50");
        assert_eq!(Money::new(5, "USD").to_string(), "$0.05");
        assert_eq!(Money::new(-50, "EUR").to_string(), "-€0.50");
        assert_eq!(Money::new(100_000, "CHF").to_string(), "1000.00 CHF");
    }
}
