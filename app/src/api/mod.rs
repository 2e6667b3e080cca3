//! The bodies of the versioned HTTP API (`/api/v1/…`) that the UI and integrators share.
//! The server documents each of them in its OpenAPI document.
//!
//! One module per feature; everything is re-exported here, so callers name `crate::api::X`.

mod auth;
mod back_office;
mod cash_day;
mod devices;
mod exports;
mod live;
mod orders;
mod printing;
mod setup;
mod sms;
mod sync;
mod upkeep;
mod venue;

pub use auth::*;
pub use back_office::*;
pub use cash_day::*;
pub use devices::*;
pub use exports::*;
pub use live::*;
pub use orders::*;
pub use printing::*;
pub use setup::*;
pub use sms::*;
pub use sync::*;
pub use upkeep::*;
pub use venue::*;
