//! How the domain's stored values read and write through rusqlite, the server's direct
//! path to SQLite (`server::db::direct`), as they already do through sqlx: ids as
//! hyphenated TEXT (`domain::ids`), stations as their slug, and the stored enums as the
//! same lower-case words as in JSON (their serde and sqlx renames agree).

use crate::api::{DeviceKind, EventKind, OpStatus};
use crate::domain::bill::{TaxMode, TaxRounding};
use crate::domain::discounts::DiscountKind;
use crate::domain::floor::TableShape;
use crate::domain::menu::OptionKind;
use crate::domain::orders::{LineStatus, OrderStatus};
use crate::domain::payments::PaymentMethod;
use crate::domain::staff::Role;
use crate::domain::takeaway::SmsStatus;
use crate::domain::StationId;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

impl ToSql for StationId {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0.as_str()))
    }
}

impl FromSql for StationId {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        Ok(StationId(value.as_str()?.to_owned()))
    }
}

/// Stored as the word serde gives it (`"open"` → `open`).
macro_rules! stored_as_word {
    ($($name:ty),* $(,)?) => {$(
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                match serde_json::to_value(self) {
                    Ok(serde_json::Value::String(word)) => Ok(word.into()),
                    _ => Err(rusqlite::Error::ToSqlConversionFailure(
                        concat!(stringify!($name), " is not stored as a word").into(),
                    )),
                }
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let word = value.as_str()?;
                serde_json::from_value(serde_json::Value::String(word.to_owned()))
                    .map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }
    )*};
}

stored_as_word!(
    OpStatus,
    DeviceKind,
    EventKind,
    PaymentMethod,
    TableShape,
    SmsStatus,
    OptionKind,
    DiscountKind,
    OrderStatus,
    LineStatus,
    TaxMode,
    TaxRounding,
    Role,
);

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    /// The words rusqlite writes are the ones sqlx reads, and back.
    #[test]
    fn enums_and_ids_round_trip_as_text() {
        let db = Connection::open_in_memory().unwrap();
        let (word, back): (String, LineStatus) = db
            .query_row("SELECT ?1, ?1", [LineStatus::Preparing], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((word.as_str(), back), ("preparing", LineStatus::Preparing));
        let id = crate::domain::OrderId::new_v7();
        let back: crate::domain::OrderId = db.query_row("SELECT ?1", [id], |r| r.get(0)).unwrap();
        assert_eq!(back, id);
        let bad: rusqlite::Result<OrderStatus> = db.query_row("SELECT 'lost'", [], |r| r.get(0));
        assert!(bad.is_err());
    }
}
