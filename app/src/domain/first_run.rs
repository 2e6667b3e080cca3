//! Setting up a new venue: the countries whose usual currency, time zone and tax rates
//! the setup form fills in, the currencies Comanda can count in, and the starting menus
//! an owner may pick.

use super::bill::TaxMode;
use serde::{Deserialize, Serialize};

/// What the setup form fills in when the owner picks their country; every field can
/// still be changed before saving.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CountryPreset {
    /// ISO 3166-1 alpha-2.
    pub code: &'static str,
    pub name: &'static str,
    pub currency: &'static str,
    pub time_zone: &'static str,
    pub tax_mode: TaxMode,
    /// The usual rate for food first, then the rate for alcohol where it differs, in
    /// basis points (1000 = 10 %).
    pub tax_rates_bp: &'static [i64],
}

const fn country(
    code: &'static str,
    name: &'static str,
    currency: &'static str,
    time_zone: &'static str,
    tax_rates_bp: &'static [i64],
) -> CountryPreset {
    CountryPreset {
        code,
        name,
        currency,
        time_zone,
        tax_mode: TaxMode::Inclusive,
        tax_rates_bp,
    }
}

/// Countries in the order the form lists them (by name). Rates are those restaurants
/// charge on food served and on alcohol; the owner checks them with their accountant.
pub const COUNTRIES: &[CountryPreset] = &[
    country("AU", "Australia", "AUD", "Australia/Sydney", &[1000]),
    country("AT", "Austria", "EUR", "Europe/Vienna", &[1000, 2000]),
    country("BE", "Belgium", "EUR", "Europe/Brussels", &[1200, 2100]),
    CountryPreset {
        tax_mode: TaxMode::Exclusive,
        ..country("CA", "Canada", "CAD", "America/Toronto", &[1300])
    },
    country("HR", "Croatia", "EUR", "Europe/Zagreb", &[1300, 2500]),
    country("DK", "Denmark", "DKK", "Europe/Copenhagen", &[2500]),
    country("FI", "Finland", "EUR", "Europe/Helsinki", &[1400, 2550]),
    country("FR", "France", "EUR", "Europe/Paris", &[1000, 2000]),
    country("DE", "Germany", "EUR", "Europe/Berlin", &[1900]),
    country("GR", "Greece", "EUR", "Europe/Athens", &[1300, 2400]),
    country("IE", "Ireland", "EUR", "Europe/Dublin", &[1350, 2300]),
    country("IT", "Italy", "EUR", "Europe/Rome", &[1000, 2200]),
    country("NL", "Netherlands", "EUR", "Europe/Amsterdam", &[900, 2100]),
    country("NZ", "New Zealand", "NZD", "Pacific/Auckland", &[1500]),
    country("NO", "Norway", "NOK", "Europe/Oslo", &[2500]),
    country("PL", "Poland", "PLN", "Europe/Warsaw", &[800, 2300]),
    country("PT", "Portugal", "EUR", "Europe/Lisbon", &[1300, 2300]),
    country("ES", "Spain", "EUR", "Europe/Madrid", &[1000]),
    country("SE", "Sweden", "SEK", "Europe/Stockholm", &[1200, 2500]),
    country("CH", "Switzerland", "CHF", "Europe/Zurich", &[810]),
    country("GB", "United Kingdom", "GBP", "Europe/London", &[2000]),
    CountryPreset {
        tax_mode: TaxMode::Exclusive,
        ..country("US", "United States", "USD", "America/New_York", &[800])
    },
];

/// The preset of the country with this code.
pub fn country_preset(code: &str) -> Option<&'static CountryPreset> {
    COUNTRIES.iter().find(|c| c.code == code)
}

/// Currencies with cents (two decimals), which is how Comanda counts money; a venue in
/// one of these can be set up.
pub const CURRENCIES: &[&str] = &[
    "AUD", "CAD", "CHF", "CZK", "DKK", "EUR", "GBP", "HUF", "NOK", "NZD", "PLN", "RON", "SEK",
    "USD",
];

/// The most tax rates a venue lists, and the highest rate (50 %).
pub const MAX_TAX_RATES: usize = 5;
pub const MAX_TAX_RATE_BP: i64 = 5000;

/// A starting menu and floor for a new venue; every item of it can be changed or retired
/// afterwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum VenueTemplate {
    /// Coffee, pastries and light lunches, with a bar, a kitchen and a few tables.
    Cafe,
    /// Starters, mains, desserts and drinks, with a kitchen and a bar, and two rooms.
    Restaurant,
    /// Beer, wine, cocktails and bar snacks, made at a bar and a kitchen.
    Bar,
}

impl VenueTemplate {
    pub const ALL: [VenueTemplate; 3] = [Self::Restaurant, Self::Cafe, Self::Bar];

    pub fn label(self) -> &'static str {
        match self {
            Self::Cafe => "Café",
            Self::Restaurant => "Restaurant",
            Self::Bar => "Bar",
        }
    }

    /// What the owner starts with, in a few words.
    pub fn summary(self) -> &'static str {
        match self {
            Self::Cafe => "Coffee, pastries and lunch; bar, kitchen, 6 tables",
            Self::Restaurant => "Starters to desserts and a drinks list; kitchen, bar, 12 tables",
            Self::Bar => "Beer, wine, cocktails and snacks; bar, kitchen, 8 tables",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_counts_in_a_known_currency_with_sane_rates() {
        for c in COUNTRIES {
            assert!(CURRENCIES.contains(&c.currency), "{}", c.code);
            assert!(!c.tax_rates_bp.is_empty() && c.tax_rates_bp.len() <= MAX_TAX_RATES);
            assert!(c
                .tax_rates_bp
                .iter()
                .all(|r| (0..=MAX_TAX_RATE_BP).contains(r)));
            assert_eq!(country_preset(c.code), Some(c));
        }
    }
}
