//! The services: every SQL statement and every rule over the database, one module per
//! concept. HTTP handlers (`crate::http`), the workers (`crate::workers`) and start-up
//! call them; they never call upwards. They answer `ServiceError`, which the HTTP layer
//! maps to a status once (`crate::http::error`).

pub mod audit;
pub mod cash_day;
pub mod demo;
pub mod devices;
pub mod discounts;
pub mod error;
pub mod events;
pub mod fields;
pub mod first_run;
pub mod floor;
pub mod history;
pub mod journal;
pub mod kitchen;
pub mod menu;
pub mod menu_csv;
pub mod ops;
pub mod orders;
pub mod permissions;
pub mod print_delivery;
pub mod print_jobs;
pub mod print_queue;
pub mod printers;
pub mod reports;
pub mod sessions;
pub mod settings;
pub mod sms;
pub mod sms_delivery;
pub mod staff;
pub mod stations;
pub mod stock;
pub mod takeaway;
pub mod templates;
pub mod upkeep;
pub mod venue;

pub use error::{ServiceError, ServiceResult};

use crate::db::direct::Conn;

/// What a back-office change returns: the thing as it is now, and the events announcing
/// it (published after the commit).
pub type Changed<T> = (T, Vec<app::api::LiveEvent>);

/// Runs service code written for the direct path (`crate::db::direct`) from code still on
/// sqlx, inside the same connection and transaction. Used while services move over.
pub(crate) async fn on<T>(
    conn: &mut sqlx::SqliteConnection,
    work: impl FnOnce(&Conn) -> ServiceResult<T>,
) -> ServiceResult<T> {
    crate::db::direct::direct(conn, work).await?
}

/// Ids (of lines, orders, stations, ...) as the JSON array `json_each` reads.
pub(crate) fn json_ids<T: serde::Serialize>(ids: &[T]) -> ServiceResult<String> {
    serde_json::to_string(ids).map_err(|e| ServiceError::Internal(e.to_string()))
}

/// A list stored as JSON text in column `i` (a line's options, a payment's items); most
/// are empty, and are read without the parser.
pub(crate) fn json_list<T: serde::de::DeserializeOwned>(
    r: &rusqlite::Row<'_>,
    i: usize,
) -> rusqlite::Result<Vec<T>> {
    let text = r.get_ref(i)?.as_str()?;
    if text == "[]" {
        return Ok(Vec::new());
    }
    serde_json::from_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Reads what a statement built as JSON in SQLite (the menu) or a JSON column holds (the
/// tax rates) into its type. sqlx checks such a statement only as returning a string, so a field that does not
/// fit shows here, naming `what`, and in the tests that read each of them.
pub(crate) fn stored<T: serde::de::DeserializeOwned>(json: &str, what: &str) -> ServiceResult<T> {
    serde_json::from_str(json).map_err(|e| ServiceError::Internal(format!("stored {what}: {e}")))
}
