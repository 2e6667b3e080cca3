//! The background workers, one task per device they drive, each woken by the services
//! after a commit and retrying on its own: printers (`print`), serial scanners and pole
//! displays (`serial`), and the SMS outbox (`sms`); and the session cleaner (`sessions`).

pub mod print;
pub mod serial;
pub mod sessions;
pub mod sms;
