//! The error body every 4xx/5xx answer carries, the health check, signing in, sessions
//! and the tickets that open live streams.

use crate::domain::staff::StaffMember;
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
    /// The rest, for a manager's token or a request from the box itself: the writer's
    /// queue, the workers, the backups, the disk, and the warnings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<super::HealthDetail>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// The staff member's PIN, 4 to 8 digits.
    pub pin: String,
}

/// The header a browser sends with its device's id (a UUID v7 made once and kept), so the
/// server throttles wrong PINs per device as well as per address.
pub const DEVICE_HEADER: &str = "X-Comanda-Device";

/// Opens live streams (`/events`, `/scans`) as `?ticket=` for a minute, so the session
/// token never travels in a URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StreamTicket {
    pub ticket: String,
    /// Seconds it stays valid for opening a stream.
    pub expires_in_secs: u64,
}

/// Wrong PINs typed in a recent period, for the manager to notice someone guessing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WrongPins {
    /// Failed sign-ins.
    pub sign_in: i64,
    /// Wrong managers' PINs typed to approve a void, discount, refund or write-off.
    pub approval: i64,
    /// How many network addresses they came from.
    pub addresses: i64,
    /// The latest, UTC milliseconds.
    pub last_at_ms: Option<i64>,
    /// The period's start, UTC milliseconds; it runs until now.
    pub since_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`; live streams take a `StreamTicket` instead.
    pub token: String,
    pub staff: StaffMember,
}
