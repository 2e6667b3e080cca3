//! Takeaway orders: the customer who collects it (name, phone, consent to be texted), the
//! rules their details must follow, and the "your order is ready" text.

use super::orders::{LineStatus, Order, OrderLine};
use super::staff::Role;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Longest customer name, in characters (it goes on tickets and the pickup screen).
pub const MAX_CUSTOMER_NAME_CHARS: usize = 60;
/// Longest SMS template, in characters (two SMS segments at most).
pub const MAX_TEMPLATE_CHARS: usize = 320;

/// Who collects a takeaway order, and how far their text message has got.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Takeaway {
    pub customer_name: String,
    /// E.164, e.g. `+393331234567`.
    pub phone: Option<String>,
    /// The customer agreed to get a text when the order is ready.
    pub sms_consent: bool,
    /// ISO 639-1 code choosing the message template, e.g. `en`.
    pub language: String,
    /// The "ready" message, once there is one.
    pub sms: Option<SmsState>,
}

/// Where a text message stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type, utoipa::ToSchema),
    sqlx(rename_all = "lowercase")
)]
pub enum SmsStatus {
    /// Waiting for the worker (or for a provider to be configured).
    Queued,
    /// Being handed to the provider.
    Sending,
    /// The provider accepted it.
    Sent,
    /// The provider refused it, or it may have gone out but nobody can tell.
    Failed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SmsState {
    pub id: String,
    pub status: SmsStatus,
    /// The provider's (or the network's) last error, to show staff.
    pub last_error: Option<String>,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum CustomerError {
    #[error("give the customer's name (1 to {MAX_CUSTOMER_NAME_CHARS} characters)")]
    Name,
    #[error(
        "\"{0}\" is not a phone number in international form: + then the country code and number, e.g. +39 333 123 4567"
    )]
    Phone(String),
    #[error("a text needs the customer's phone number")]
    ConsentWithoutPhone,
    #[error("\"{0}\" is not a two-letter language code such as en, it or de")]
    Language(String),
}

impl CustomerError {
    /// The request field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            CustomerError::Name => "customer_name",
            CustomerError::Phone(_) | CustomerError::ConsentWithoutPhone => "phone",
            CustomerError::Language(_) => "language",
        }
    }
}

/// A phone number as people type it, in E.164: spaces, dots, dashes and brackets are
/// dropped and a leading `00` becomes `+`; then it must be `+`, a non-zero digit and 7 to
/// 15 digits in all. A local number without its country code is refused rather than
/// guessed, since a guess would text a stranger.
pub fn normalize_phone(input: &str) -> Result<String, CustomerError> {
    let compact: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}'))
        .collect();
    let international = match compact.strip_prefix("00") {
        Some(rest) => format!("+{rest}"),
        None => compact,
    };
    let digits = international.strip_prefix('+').unwrap_or("");
    let valid = (7..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0');
    if valid {
        Ok(international)
    } else {
        Err(CustomerError::Phone(input.trim().to_owned()))
    }
}

/// Checks and tidies a customer's details: (name, phone, language).
pub fn validate_customer(
    name: &str,
    phone: Option<&str>,
    sms_consent: bool,
    language: &str,
) -> Result<(String, Option<String>, String), CustomerError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_CUSTOMER_NAME_CHARS {
        return Err(CustomerError::Name);
    }
    let phone = match phone.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Some(normalize_phone(p)?),
        None => None,
    };
    if sms_consent && phone.is_none() {
        return Err(CustomerError::ConsentWithoutPhone);
    }
    Ok((name.to_owned(), phone, validate_language(language)?))
}

/// A two-letter lowercase language code.
pub fn validate_language(language: &str) -> Result<String, CustomerError> {
    let language = language.trim().to_ascii_lowercase();
    if language.len() == 2 && language.chars().all(|c| c.is_ascii_lowercase()) {
        Ok(language)
    } else {
        Err(CustomerError::Language(language))
    }
}

/// The message text: `{name}`, `{number}` and `{venue}` filled in.
pub fn render_template(template: &str, name: &str, number: i64, venue: &str) -> String {
    template
        .replace("{name}", name)
        .replace("{number}", &number.to_string())
        .replace("{venue}", venue)
}

/// Leaves out the customers' phone numbers from `orders` for a role that does not see
/// them (the kitchen): its screens need the name on the ticket, never the number.
pub fn hide_contacts_from(role: Role, orders: &mut [Order]) {
    if role.sees_customer_contacts() {
        return;
    }
    for takeaway in orders.iter_mut().filter_map(|o| o.takeaway.as_mut()) {
        takeaway.phone = None;
    }
}

/// Whether an order is ready for pickup: it has lines at a station and every line that
/// is not void is ready (or already handed over).
pub fn all_ready(lines: &[OrderLine]) -> bool {
    let live: Vec<_> = lines
        .iter()
        .filter(|l| l.status != LineStatus::Void)
        .collect();
    !live.is_empty()
        && live
            .iter()
            .all(|l| matches!(l.status, LineStatus::Ready | LineStatus::Served))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_tidied_into_e164_or_refused() {
        assert_eq!(
            normalize_phone("+39 333 123-4567").as_deref(),
            Ok("+393331234567")
        );
        assert_eq!(
            normalize_phone("0044 (20) 7946.0958").as_deref(),
            Ok("+442079460958")
        );
        for bad in [
            "333 1234567",
            "+0 333 1234567",
            "+39 333 12a4567",
            "+1234",
            "+1234567890123456",
            "",
            "+",
        ] {
            assert!(normalize_phone(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn customer_details_name_the_field_at_fault() {
        assert_eq!(
            validate_customer(" Ana ", Some(""), false, "EN"),
            Ok(("Ana".into(), None, "en".into()))
        );
        let e = validate_customer("Ana", None, true, "en").unwrap_err();
        assert_eq!(e.field(), "phone");
        assert_eq!(
            validate_customer("  ", None, false, "en")
                .unwrap_err()
                .field(),
            "customer_name"
        );
        assert_eq!(
            validate_customer("Ana", None, false, "eng")
                .unwrap_err()
                .field(),
            "language"
        );
    }

    #[test]
    fn the_template_is_filled_in() {
        assert_eq!(
            render_template(
                "Hi {name}, your order {number} at {venue} is ready for pickup",
                "Ana",
                42,
                "Trattoria"
            ),
            "Hi Ana, your order 42 at Trattoria is ready for pickup"
        );
    }
}
