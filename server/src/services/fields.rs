//! Checks of single fields that every back-office change makes, each refusing with a
//! 422 that names the field.

use crate::services::{ServiceError, ServiceResult};
use app::domain::first_run::CURRENCIES;

/// `value` trimmed, if it is 1 to `max` characters; else a 422 naming `field`.
pub(crate) fn name(field: &str, value: &str, max: usize) -> ServiceResult<String> {
    let value = value.trim();
    if (1..=max).contains(&value.chars().count()) && !value.chars().any(char::is_control) {
        Ok(value.to_owned())
    } else {
        Err(ServiceError::invalid(
            field,
            format!("{} is 1 to {max} characters", field.replace('_', " ")),
        ))
    }
}

/// A required field of a new thing, or a 422 naming it.
pub(crate) fn required<T>(field: &str, value: Option<T>) -> ServiceResult<T> {
    value.ok_or_else(|| ServiceError::invalid(field, format!("{field} is required")))
}

/// A place in a list (menu order, rooms, stations): 0 to 10,000, so that "last + 1" never
/// leaves SQLite's integers.
pub(crate) fn sort_order(value: Option<i64>) -> ServiceResult<Option<i64>> {
    match value {
        Some(v) if !(0..=10_000).contains(&v) => Err(ServiceError::invalid(
            "sort_order",
            "a place in the list is 0 to 10000",
        )),
        v => Ok(v),
    }
}

/// The venue's tax rates: 1 to 5 different rates, each 0 to 50 % (in basis points).
pub(crate) fn tax_rates(field: &str, rates: &[i64]) -> ServiceResult<()> {
    use app::domain::first_run::{MAX_TAX_RATES, MAX_TAX_RATE_BP};
    let repeated = || {
        rates
            .iter()
            .enumerate()
            .any(|(i, r)| rates[..i].contains(r))
    };
    if rates.is_empty()
        || rates.len() > MAX_TAX_RATES
        || rates.iter().any(|r| !(0..=MAX_TAX_RATE_BP).contains(r))
        || repeated()
    {
        return Err(ServiceError::invalid(
            field,
            format!("give 1 to {MAX_TAX_RATES} different tax rates, each from 0 to 50 % (0 if you charge none)"),
        ));
    }
    Ok(())
}

/// A currency Comanda counts in, as its upper-case code.
pub(crate) fn currency(field: &str, value: &str) -> ServiceResult<String> {
    let code = value.trim().to_ascii_uppercase();
    if CURRENCIES.contains(&code.as_str()) {
        Ok(code)
    } else {
        Err(ServiceError::invalid(
            field,
            format!(
                "{value:?} is not a currency Comanda counts in; use one of {}",
                CURRENCIES.join(", ")
            ),
        ))
    }
}

/// A country as its two-letter code (ISO 3166-1), upper-case.
pub(crate) fn country(field: &str, value: &str) -> ServiceResult<String> {
    let code = value.trim().to_ascii_uppercase();
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err(ServiceError::invalid(
            field,
            "a country is its two-letter code, such as IT",
        ))
    }
}
