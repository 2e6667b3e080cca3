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
    pub dialling: Dialling,
}

/// How a local phone number becomes an international one (`takeaway::normalize_phone`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dialling {
    /// The country's calling code: "39".
    pub code: &'static str,
    /// Dialled before a local number and dropped from the international form: "0" in the
    /// UK, "1" in North America; none in Italy, where a landline's leading 0 stays.
    pub trunk: &'static str,
    /// How many digits a number has there without the trunk prefix (its national
    /// significant number): a number typed with its country code but no + is too long.
    pub digits: (usize, usize),
}

const fn dial(code: &'static str, trunk: &'static str, min: usize, max: usize) -> Dialling {
    Dialling {
        code,
        trunk,
        digits: (min, max),
    }
}

const fn country(
    code: &'static str,
    name: &'static str,
    currency: &'static str,
    time_zone: &'static str,
    tax_rates_bp: &'static [i64],
    dialling: Dialling,
) -> CountryPreset {
    CountryPreset {
        code,
        name,
        currency,
        time_zone,
        tax_mode: TaxMode::Inclusive,
        tax_rates_bp,
        dialling,
    }
}

/// Countries in the order the form lists them (by name). Rates are those restaurants
/// charge on food served and on alcohol; the owner checks them with their accountant.
pub const COUNTRIES: &[CountryPreset] = &[
    country(
        "AU",
        "Australia",
        "AUD",
        "Australia/Sydney",
        &[1000],
        dial("61", "0", 9, 9),
    ),
    country(
        "AT",
        "Austria",
        "EUR",
        "Europe/Vienna",
        &[1000, 2000],
        dial("43", "0", 7, 13),
    ),
    country(
        "BE",
        "Belgium",
        "EUR",
        "Europe/Brussels",
        &[1200, 2100],
        dial("32", "0", 8, 9),
    ),
    CountryPreset {
        tax_mode: TaxMode::Exclusive,
        ..country(
            "CA",
            "Canada",
            "CAD",
            "America/Toronto",
            &[1300],
            dial("1", "1", 10, 10),
        )
    },
    country(
        "HR",
        "Croatia",
        "EUR",
        "Europe/Zagreb",
        &[1300, 2500],
        dial("385", "0", 8, 9),
    ),
    country(
        "DK",
        "Denmark",
        "DKK",
        "Europe/Copenhagen",
        &[2500],
        dial("45", "", 8, 8),
    ),
    country(
        "FI",
        "Finland",
        "EUR",
        "Europe/Helsinki",
        &[1400, 2550],
        dial("358", "0", 6, 11),
    ),
    country(
        "FR",
        "France",
        "EUR",
        "Europe/Paris",
        &[1000, 2000],
        dial("33", "0", 9, 9),
    ),
    country(
        "DE",
        "Germany",
        "EUR",
        "Europe/Berlin",
        &[1900],
        dial("49", "0", 7, 13),
    ),
    country(
        "GR",
        "Greece",
        "EUR",
        "Europe/Athens",
        &[1300, 2400],
        dial("30", "", 10, 10),
    ),
    country(
        "IE",
        "Ireland",
        "EUR",
        "Europe/Dublin",
        &[1350, 2300],
        dial("353", "0", 7, 9),
    ),
    country(
        "IT",
        "Italy",
        "EUR",
        "Europe/Rome",
        &[1000, 2200],
        dial("39", "", 6, 11),
    ),
    country(
        "NL",
        "Netherlands",
        "EUR",
        "Europe/Amsterdam",
        &[900, 2100],
        dial("31", "0", 9, 9),
    ),
    country(
        "NZ",
        "New Zealand",
        "NZD",
        "Pacific/Auckland",
        &[1500],
        dial("64", "0", 8, 10),
    ),
    country(
        "NO",
        "Norway",
        "NOK",
        "Europe/Oslo",
        &[2500],
        dial("47", "", 8, 8),
    ),
    country(
        "PL",
        "Poland",
        "PLN",
        "Europe/Warsaw",
        &[800, 2300],
        dial("48", "", 9, 9),
    ),
    country(
        "PT",
        "Portugal",
        "EUR",
        "Europe/Lisbon",
        &[1300, 2300],
        dial("351", "", 9, 9),
    ),
    country(
        "ES",
        "Spain",
        "EUR",
        "Europe/Madrid",
        &[1000],
        dial("34", "", 9, 9),
    ),
    country(
        "SE",
        "Sweden",
        "SEK",
        "Europe/Stockholm",
        &[1200, 2500],
        dial("46", "0", 7, 10),
    ),
    country(
        "CH",
        "Switzerland",
        "CHF",
        "Europe/Zurich",
        &[810],
        dial("41", "0", 9, 9),
    ),
    country(
        "GB",
        "United Kingdom",
        "GBP",
        "Europe/London",
        &[2000],
        dial("44", "0", 9, 10),
    ),
    CountryPreset {
        tax_mode: TaxMode::Exclusive,
        ..country(
            "US",
            "United States",
            "USD",
            "America/New_York",
            &[800],
            dial("1", "1", 10, 10),
        )
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
