//! Checks of single fields that every back-office change makes, each refusing with a
//! 422 that names the field.

use crate::services::{ServiceError, ServiceResult};

/// `value` trimmed, if it is 1 to `max` characters; else a 422 naming `field`.
pub(crate) fn name(field: &str, value: &str, max: usize) -> ServiceResult<String> {
    let value = value.trim();
    if (1..=max).contains(&value.chars().count()) && !value.chars().any(char::is_control) {
        Ok(value.to_owned())
    } else {
        Err(ServiceError::invalid(
            field,
            format!("a {field} is 1 to {max} characters"),
        ))
    }
}

/// A required field of a new thing, or a 422 naming it.
pub(crate) fn required<T>(field: &str, value: Option<T>) -> ServiceResult<T> {
    value.ok_or_else(|| ServiceError::invalid(field, format!("{field} is required")))
}
