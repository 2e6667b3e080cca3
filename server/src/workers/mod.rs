//! The background workers, one task per device they drive, each woken by the services
//! after a commit and retrying on its own: printers (`print`), serial scanners and pole
//! displays (`serial`), and the SMS outbox (`sms`); the session cleaner (`sessions`), and the report keeper
//! (`reports`), which keeps each business day summed up once it is over; the backups
//! (`backups`), hourly while the venue trades and after each Z report.

pub mod backups;
pub mod print;
pub mod reports;
pub mod serial;
pub mod sessions;
pub mod sms;
