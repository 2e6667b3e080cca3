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
    #[error("\"{0}\" is not a phone number")]
    Phone(String),
    /// A local number where the venue's country is not known.
    #[error("\"{0}\" needs its country code: + then the code and number, e.g. +39 333 123 4567")]
    NeedsCountryCode(String),
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
            CustomerError::Phone(_)
            | CustomerError::NeedsCountryCode(_)
            | CustomerError::ConsentWithoutPhone => "phone",
            CustomerError::Language(_) => "language",
        }
    }
}

/// A phone number as people type it, in E.164: spaces, dots, dashes and brackets are
/// dropped and a leading `00` becomes `+`; a local number is read as one of the venue's
/// `country` (its trunk prefix dropped, its calling code put before it: "333 123 4567" in
/// Italy is +393331234567, "07911 123456" in the UK +447911123456; as many digits as the
/// country's numbers have). Then it must be `+`,
/// a non-zero digit and 7 to 15 digits in all. Where the venue's country is not known, a
/// local number is refused rather than guessed, since a guess would text a stranger.
pub fn normalize_phone(input: &str, country: Option<&str>) -> Result<String, CustomerError> {
    let compact: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}'))
        .collect();
    let international = if let Some(rest) = compact.strip_prefix("00") {
        format!("+{rest}")
    } else if compact.starts_with('+') {
        compact
    } else if let Some(preset) = country.and_then(super::first_run::country_preset) {
        let dialling = preset.dialling;
        let national = match dialling.trunk {
            "" => compact.as_str(),
            trunk => compact.strip_prefix(trunk).unwrap_or(&compact),
        };
        // Too short is a slip; too long, most often the country code typed without its +
        // (it would be dialled twice).
        let (fewest, most) = dialling.digits;
        if !(fewest..=most).contains(&national.len()) {
            return Err(CustomerError::Phone(input.trim().to_owned()));
        }
        format!("+{}{national}", dialling.code)
    } else if compact.chars().all(|c| c.is_ascii_digit()) && compact.len() >= 7 {
        return Err(CustomerError::NeedsCountryCode(input.trim().to_owned()));
    } else {
        compact
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

/// Checks and tidies a customer's details: (name, phone, language). A local phone number
/// is read as one of the venue's `country` (`normalize_phone`).
pub fn validate_customer(
    name: &str,
    phone: Option<&str>,
    sms_consent: bool,
    language: &str,
    country: Option<&str>,
) -> Result<(String, Option<String>, String), CustomerError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_CUSTOMER_NAME_CHARS {
        return Err(CustomerError::Name);
    }
    let phone = match phone.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Some(normalize_phone(p, country)?),
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
        let normalize_phone = |p| normalize_phone(p, None);
        assert_eq!(
            normalize_phone("+39 333 123-4567").as_deref(),
            Ok("+393331234567")
        );
        assert_eq!(
            normalize_phone("0044 (20) 7946.0958").as_deref(),
            Ok("+442079460958")
        );
        assert_eq!(
            normalize_phone("333 1234567"),
            Err(CustomerError::NeedsCountryCode("333 1234567".into()))
        );
        for bad in [
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
    fn a_local_number_is_read_as_one_of_the_venues_country() {
        let cases = [
            // Italy keeps a landline's 0; nothing is dropped.
            ("IT", "333 123 4567", "+393331234567"),
            ("IT", "06 1234 5678", "+390612345678"),
            // The UK, Germany and France drop their trunk 0.
            ("GB", "07911 123456", "+447911123456"),
            ("DE", "0151 2345 6789", "+4915123456789"),
            ("FR", "06 12 34 56 78", "+33612345678"),
            // North America: with or without the 1.
            ("US", "(555) 123-4567", "+15551234567"),
            ("US", "1 555 123 4567", "+15551234567"),
            // A number given in international form stays whatever the venue's country.
            ("IT", "+44 7911 123456", "+447911123456"),
            ("IT", "0044 7911 123456", "+447911123456"),
        ];
        for (country, typed, e164) in cases {
            assert_eq!(
                normalize_phone(typed, Some(country)).as_deref(),
                Ok(e164),
                "{country} {typed}"
            );
        }
        assert_eq!(
            normalize_phone("333 12", Some("IT"))
                .unwrap_err()
                .to_string(),
            "\"333 12\" is not a phone number"
        );
        assert!(normalize_phone("333 12a4567", Some("IT")).is_err());
    }

    #[test]
    fn customer_details_name_the_field_at_fault() {
        assert_eq!(
            validate_customer(" Ana ", Some(""), false, "EN", None),
            Ok(("Ana".into(), None, "en".into()))
        );
        let e = validate_customer("Ana", None, true, "en", None).unwrap_err();
        assert_eq!(e.field(), "phone");
        assert_eq!(
            validate_customer("  ", None, false, "en", None)
                .unwrap_err()
                .field(),
            "customer_name"
        );
        assert_eq!(
            validate_customer("Ana", None, false, "eng", None)
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
