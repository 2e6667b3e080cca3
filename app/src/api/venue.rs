//! The venue as phones and managers read it (the snapshot) and as managers set it up:
//! money rules, void reasons, discount rules.

use crate::domain::floor::Floor;
use crate::domain::menu::Menu;
use crate::domain::orders::Order;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Venue {
    pub name: String,
    /// ISO 4217 code of every amount in this venue.
    pub currency: String,
    /// Whether an SMS provider is set up and on; if not, "ready" texts wait in the outbox.
    #[serde(default)]
    pub sms_enabled: bool,
    /// Whether menu prices include tax.
    #[serde(default)]
    pub tax_mode: crate::domain::bill::TaxMode,
    #[serde(default)]
    pub tax_rounding: crate::domain::bill::TaxRounding,
    /// Cash totals round to this step (5 = 0.05); 1 means exact.
    #[serde(default = "one")]
    pub cash_rounding_minor: i64,
    /// The most a single amount (a payment, tip, cash handed over, float or count) may be
    /// in this venue. (A refund is bounded by what was paid.)
    #[serde(default = "ceiling")]
    pub max_amount_minor: i64,
    /// A tip above this needs a manager's PIN; absent means above the bill's total.
    #[serde(default)]
    pub tip_approval_above_minor: Option<i64>,
    /// The tax rates products here are sold at, in basis points; the first is the usual
    /// one, offered first for a new product.
    #[serde(default)]
    pub tax_rates_bp: Vec<i64>,
    /// ISO 3166-1 alpha-2 code of the venue's country, if the owner gave it.
    #[serde(default)]
    pub country: Option<String>,
}

fn one() -> i64 {
    1
}

fn ceiling() -> i64 {
    crate::domain::money::DEFAULT_CEILING_MINOR
}

impl Venue {
    /// The rules a payment here must pass.
    pub fn payment_rules(&self) -> crate::domain::payments::PaymentRules {
        crate::domain::payments::PaymentRules {
            cash_increment: self.cash_rounding_minor,
            max_amount_minor: self.max_amount_minor,
            tip_approval_above_minor: self.tip_approval_above_minor,
        }
    }
}

/// Everything a waiter's phone needs to work: menu, floor and the open orders, as of
/// event sequence number `seq`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Snapshot {
    pub venue: Venue,
    pub menu: Menu,
    pub floor: Floor,
    pub orders: Vec<Order>,
    /// Reasons a line may be voided for.
    #[serde(default)]
    pub void_reasons: Vec<VoidReason>,
    /// What the caller's role may do beyond its fixed work (screens offer only that).
    #[serde(default)]
    pub permissions: Option<crate::domain::staff::RolePermissions>,
    /// Voiding a sent line worth more than this needs a manager's PIN: the limit of the
    /// caller's role, else the venue's.
    #[serde(default)]
    pub void_approval_above_minor: i64,
    /// A discount taking off more than this needs a manager's PIN: the limit of the
    /// caller's role, else the venue's.
    #[serde(default)]
    pub discount_approval_above_minor: i64,
    /// The venue's rules that discount a category at set hours (the active ones): a phone
    /// offline gives lines the discounts the server will give them.
    #[serde(default)]
    pub discount_rules: Vec<crate::domain::discounts::DiscountRule>,
    /// The venue's local time, for those rules offline.
    #[serde(default)]
    pub clock: crate::domain::discounts::VenueClock,
    /// The staff on duty and those with a table open: whose table a tile shows.
    #[serde(default)]
    pub staff: Vec<StaffName>,
    /// Orders merged into one still open: a phone's operations that name them land there,
    /// as the server's do.
    #[serde(default)]
    pub merged: Vec<MergedOrder>,
    /// The last event this snapshot includes; resume the live stream after it.
    pub seq: i64,
}

/// An order merged into another (`merge_orders`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MergedOrder {
    pub order_id: crate::domain::OrderId,
    pub into_order_id: crate::domain::OrderId,
}

/// A member of staff as the floor names them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffName {
    pub id: crate::domain::StaffId,
    pub name: String,
    pub role: crate::domain::staff::Role,
    /// Still on the staff (one who left is named while a table of theirs is open, and
    /// takes no more).
    #[serde(default = "yes")]
    pub active: bool,
}

/// The venue's money rules, as managers see and change them (absent fields stay as
/// they are when changing).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VenueSettings {
    /// The venue's name, 1 to 60 characters (printed on bills).
    #[serde(default)]
    pub name: Option<String>,
    /// The currency prices are in (`app::domain::first_run::CURRENCIES`); it changes only
    /// before the first order (409 after), since every amount taken is in it.
    #[serde(default)]
    pub currency: Option<String>,
    /// Two-letter code (phone numbers are read as this country's).
    #[serde(default)]
    pub country: Option<String>,
    /// The tax rates products are sold at, in basis points, the usual one first (1 to 5
    /// different rates, each 0 to 50 %). Products keep the rate they have.
    #[serde(default)]
    pub tax_rates_bp: Option<Vec<i64>>,
    #[serde(default)]
    pub tax_mode: Option<crate::domain::bill::TaxMode>,
    #[serde(default)]
    pub tax_rounding: Option<crate::domain::bill::TaxRounding>,
    /// 1, 5, 10, 50 or 100.
    #[serde(default)]
    pub cash_rounding_minor: Option<i64>,
    /// Voiding a sent line worth more than this needs a manager's PIN.
    #[serde(default)]
    pub void_approval_above_minor: Option<i64>,
    /// A discount taking off more than this needs a manager's PIN.
    #[serde(default)]
    pub discount_approval_above_minor: Option<i64>,
    /// The most a single amount may be (see `Venue::max_amount_minor`).
    #[serde(default)]
    pub max_amount_minor: Option<i64>,
    /// A tip above this needs a manager's PIN. When changing: absent keeps it, `null`
    /// makes it the bill's total, a number sets it.
    #[serde(
        default,
        deserialize_with = "some_or_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>))]
    pub tip_approval_above_minor: Option<Option<i64>>,
    /// An IANA time zone, e.g. `Europe/Rome`: discount rules and business days follow it.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// When the business day ends, local time, e.g. "04:00": sales before it count for the
    /// day before.
    #[serde(default)]
    pub business_day_ends: Option<String>,
}

/// A field that may be absent (keep), `null` (clear) or a value: `null` reads as
/// `Some(None)`, where plain serde would read it as absent.
pub(crate) fn some_or_null<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A new void reason, or a manager's change to one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VoidReasonChange {
    /// 1 to 60 characters.
    #[serde(default)]
    pub label: Option<String>,
    /// Retired reasons are no longer offered.
    #[serde(default)]
    pub active: Option<bool>,
}

/// A new discount rule (all but `active` required), or a manager's change to one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DiscountRuleChange {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub category_id: Option<crate::domain::CategoryId>,
    /// 1 to 10000 basis points (2000 = 20 %).
    #[serde(default)]
    pub percent_bp: Option<i64>,
    /// "17:00", the venue's local time.
    #[serde(default)]
    pub starts: Option<String>,
    /// "19:00"; earlier than `starts` runs past midnight.
    #[serde(default)]
    pub ends: Option<String>,
    #[serde(default)]
    pub active: Option<bool>,
}

/// A reason to void a line, from the list the manager keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VoidReason {
    pub id: String,
    pub label: String,
    /// Retired reasons are kept for the lines voided for them, but not offered.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}
