//! The services: every SQL statement and every rule over the database, one module per
//! concept. HTTP handlers (`crate::http`), the workers (`crate::workers`) and start-up
//! call them; they never call upwards. They answer `ServiceError`, which the HTTP layer
//! maps to a status once (`crate::http::error`).

pub mod cash_day;
pub mod demo;
pub mod devices;
pub mod discounts;
pub mod error;
pub mod events;
pub mod kitchen;
pub mod ops;
pub mod orders;
pub mod print_delivery;
pub mod print_jobs;
pub mod print_queue;
pub mod printers;
pub mod sessions;
pub mod settings;
pub mod sms;
pub mod sms_delivery;
pub mod staff;
pub mod takeaway;
pub mod venue;

pub use error::{ServiceError, ServiceResult};
