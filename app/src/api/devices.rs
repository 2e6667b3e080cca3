//! Serial devices: scanners and pole displays.

use serde::{Deserialize, Serialize};

/// What a serial device is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type, utoipa::ToSchema),
    sqlx(rename_all = "snake_case")
)]
pub enum DeviceKind {
    /// A 2x20 customer display: the last item and the total, "Thank you" when done.
    PoleDisplay,
    /// A barcode scanner: each code read becomes a product lookup on the counter screen.
    Scanner,
}

/// A serial device, its setup and whether it is connected now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SerialDevice {
    pub id: String,
    pub name: String,
    pub kind: DeviceKind,
    /// The device path, e.g. `/dev/ttyUSB0`.
    pub port: String,
    pub baud: i64,
    pub active: bool,
    pub connected: bool,
    /// Why it is not connected, when it is not.
    pub last_error: Option<String>,
}

/// A new serial device, or a manager's change to one (absent fields stay as they are).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SerialDeviceChange {
    pub name: Option<String>,
    pub kind: Option<DeviceKind>,
    pub port: Option<String>,
    /// 1200 to 115200; 9600 if absent on a new device.
    pub baud: Option<i64>,
    pub active: Option<bool>,
}
