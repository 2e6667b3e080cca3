//! The bodies of the versioned HTTP API (`/api/v1/…`) that the UI and integrators share.
//! The server documents each of them in its OpenAPI document.

use crate::domain::floor::Floor;
use crate::domain::menu::Menu;
use crate::domain::orders::{NewLine, Order};
use crate::domain::staff::StaffMember;
use crate::domain::{OrderId, StationId, TableId};
use serde::{Deserialize, Serialize};

/// Every 4xx/5xx answer carries this body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApiErrorBody {
    /// Stable machine-readable code, e.g. `wrong_pin`, `validation`, `not_found`.
    pub error: String,
    /// A sentence a person can read.
    pub message: String,
    /// The request field at fault, for validation errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` when the database answers, else `degraded`.
    pub status: String,
    /// `ok` or the reason the database did not answer.
    pub database: String,
    /// The server's version.
    pub version: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// The staff member's PIN, 4 to 8 digits.
    pub pin: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`; the live stream takes it as `?token=`.
    pub token: String,
    pub staff: StaffMember,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Venue {
    pub name: String,
    /// ISO 4217 code of every amount in this venue.
    pub currency: String,
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
    /// The last event this snapshot includes; resume the live stream after it.
    pub seq: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OpenTableRequest {
    /// Client-made UUID v7 for the new order; the server makes one if absent.
    #[serde(default)]
    pub order_id: Option<OrderId>,
    pub table_id: TableId,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AddLinesRequest {
    /// 1 to 100 lines.
    pub lines: Vec<NewLine>,
}

/// What happened, as the live stream (`GET /api/v1/events`) tells it. Clients refresh
/// what the event names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LiveEvent {
    /// Strictly increasing; also the SSE event id.
    pub seq: i64,
    pub kind: EventKind,
    pub order_id: Option<OrderId>,
    pub table_id: Option<TableId>,
    /// Stations whose tickets changed.
    pub station_ids: Vec<StationId>,
    /// UTC, milliseconds since the Unix epoch.
    pub at_ms: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type, utoipa::ToSchema),
    sqlx(rename_all = "snake_case")
)]
pub enum EventKind {
    OrderOpened,
    LinesAdded,
    OrderSent,
    LineReady,
    LinesServed,
    TicketBumped,
    TicketRecalled,
}
