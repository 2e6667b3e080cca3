//! Printers and the print queue.

use crate::domain::StationId;
use serde::{Deserialize, Serialize};

/// A printer as staff see it: where it is, what it prints for, and whether it keeps up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PrinterStatus {
    pub id: String,
    pub name: String,
    /// `tcp://host:port` or a serial device path.
    pub connection: String,
    /// 32 (58 mm paper) or 48 (80 mm).
    pub columns: i64,
    /// One of CP437, CP737, CP858, CP866, CP1252.
    pub code_page: String,
    pub has_drawer: bool,
    /// Bills print here.
    pub prints_bills: bool,
    /// It can print QR codes (the order number on bills).
    pub supports_qr: bool,
    pub active: bool,
    pub station_ids: Vec<StationId>,
    /// False while its oldest waiting job keeps failing.
    pub online: bool,
    /// Jobs not printed yet.
    pub waiting: i64,
    /// Why the last attempt failed, while it is offline.
    pub last_error: Option<String>,
    /// Whether it has printed anything yet: a new printer is not known to work until it
    /// has.
    #[serde(default)]
    pub printed_before: bool,
}

/// A new printer (name and connection required), or changes to a printer's setup
/// (managers only; absent fields stay as they are).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PrinterChange {
    pub name: Option<String>,
    /// `tcp://host:port`, or a serial port's path (`/dev/ttyUSB0`).
    pub connection: Option<String>,
    /// For a serial printer: 1200 to 115200.
    #[serde(default)]
    pub baud: Option<i64>,
    /// 32 or 48.
    pub columns: Option<i64>,
    pub code_page: Option<String>,
    #[serde(default)]
    pub has_drawer: Option<bool>,
    #[serde(default)]
    pub prints_bills: Option<bool>,
    #[serde(default)]
    pub supports_qr: Option<bool>,
    pub active: Option<bool>,
    /// The stations it prints for (replaces the list).
    #[serde(default)]
    pub station_ids: Option<Vec<StationId>>,
}

/// A job in the print queue, as the manager sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PrintJob {
    pub id: String,
    pub printer_id: String,
    pub printer_name: String,
    /// `kitchen_ticket`, `bill`, `report` or `drawer_pulse`.
    pub kind: String,
    pub ticket_id: Option<crate::domain::TicketId>,
    /// Where the ticket's order goes: "Table 7" or "Takeaway Ana".
    pub destination: Option<String>,
    pub order_number: Option<i64>,
    /// `queued`, `sending`, `done` or `cancelled`.
    pub status: String,
    pub reprint: bool,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// UTC, milliseconds since the Unix epoch.
    pub created_at_ms: i64,
    pub done_at_ms: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RerouteRequest {
    /// The printer to print it on instead.
    pub printer_id: String,
}
