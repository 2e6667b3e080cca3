//! The first run: whether this box still needs setting up, and the owner's answers that
//! set it up.

use crate::domain::bill::TaxMode;
use crate::domain::first_run::VenueTemplate;
use serde::{Deserialize, Serialize};

/// Whether the venue still has to be set up (no staff yet). While it does, every screen
/// leads to `/setup`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SetupStatus {
    pub needed: bool,
}

/// The owner's answers on the first run. The owner becomes the venue's first manager.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SetupRequest {
    /// 1 to 60 characters, printed on bills.
    pub venue_name: String,
    /// ISO 4217, one with cents (`app::domain::first_run::CURRENCIES`), e.g. `EUR`.
    pub currency: String,
    /// An IANA time zone such as `Europe/Rome`: business days and happy hours follow it.
    pub time_zone: String,
    /// Whether menu prices include tax.
    pub tax_mode: TaxMode,
    /// 1 to 60 characters.
    pub owner_name: String,
    /// 4 to 8 digits, and not an easy one (`check_new_pin`).
    pub owner_pin: String,
    /// A starting menu and floor; absent starts empty.
    #[serde(default)]
    pub template: Option<VenueTemplate>,
    /// ISO 3166-1 alpha-2 code of the venue's country.
    #[serde(default)]
    pub country: Option<String>,
    /// Up to 5 rates in basis points (1000 = 10 %), the usual one first; a template's
    /// alcohol is sold at the second if there is one. Absent: no tax.
    #[serde(default)]
    pub tax_rates_bp: Vec<i64>,
}
