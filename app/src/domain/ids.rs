//! Newtype ids, so the compiler keeps a table id from becoming a product id.
//!
//! Entity ids are UUIDs (v7 where a client may create them offline, so devices never
//! collide). They travel as hyphenated strings in JSON and are stored as TEXT in SQLite.
//! Stations are the exception: their id is a short slug that appears in URLs
//! (`/kitchen/bar`).

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};
use uuid::Uuid;

macro_rules! uuid_id {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh time-ordered (v7) id.
            pub fn new_v7() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        #[cfg(feature = "ssr")]
        impl sqlx::Type<sqlx::Sqlite> for $name {
            fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
                <String as sqlx::Type<sqlx::Sqlite>>::type_info()
            }
            fn compatible(ty: &sqlx::sqlite::SqliteTypeInfo) -> bool {
                <String as sqlx::Type<sqlx::Sqlite>>::compatible(ty)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'q> sqlx::Encode<'q, sqlx::Sqlite> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut Vec<sqlx::sqlite::SqliteArgumentValue<'q>>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <String as sqlx::Encode<'q, sqlx::Sqlite>>::encode(self.to_string(), buf)
            }
        }

        #[cfg(feature = "ssr")]
        impl rusqlite::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.to_string().into())
            }
        }

        #[cfg(feature = "ssr")]
        impl rusqlite::types::FromSql for $name {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let text = value.as_str()?;
                Uuid::parse_str(text)
                    .map(Self)
                    .map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> sqlx::Decode<'r, sqlx::Sqlite> for $name {
            fn decode(value: sqlx::sqlite::SqliteValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&str as sqlx::Decode<'r, sqlx::Sqlite>>::decode(value)?;
                Ok(Self(Uuid::parse_str(text)?))
            }
        }
    )*};
}

uuid_id! {
    /// A member of staff.
    StaffId;
    /// A menu category.
    CategoryId;
    /// A product. Stable: renaming, re-pricing or retiring a product keeps its id.
    ProductId;
    /// A group of options offered with products.
    OptionGroupId;
    /// One option within a group.
    OptionId;
    /// A room of the floor plan.
    RoomId;
    /// A table on the floor plan.
    TableId;
    /// An order; a waiter's phone may create it offline.
    OrderId;
    /// One line of an order; a waiter's phone may create it offline.
    LineId;
    /// A kitchen ticket: the lines of one send for one station.
    TicketId;
    /// One operation from a device's outbox; the server applies each once.
    OpId;
    /// A payment; a waiter's phone creates it, offline too.
    PaymentId;
    /// A discount on a line or a whole order.
    DiscountId;
    /// A refund of a closed order.
    RefundId;
    /// A cashier's shift, from float to cash count.
    ShiftId;
}

/// A kitchen or bar station, by its URL slug (`kitchen`, `bar`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type, utoipa::ToSchema),
    sqlx(transparent)
)]
pub struct StationId(pub String);

impl fmt::Display for StationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text_and_json() {
        let id = OrderId::new_v7();
        assert_eq!(id.to_string().parse::<OrderId>().unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<OrderId>(&json).unwrap(), id);
    }

    #[test]
    fn new_ids_are_time_ordered_v7() {
        let a = LineId::new_v7();
        let b = LineId::new_v7();
        assert_eq!(a.0.get_version_num(), 7);
        assert!(a < b);
    }

    #[test]
    fn garbage_is_not_an_id() {
        assert!("table-7".parse::<TableId>().is_err());
    }
}
