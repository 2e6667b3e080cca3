//! A long export (the journal of a year) as a job the manager watches.

use serde::{Deserialize, Serialize};

/// How far an export has got: `done` of `total` steps (a business day of a sheet each).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExportProgress {
    pub id: String,
    pub done: u64,
    pub total: u64,
    /// The file can be downloaded (`GET …/jobs/{id}/file`).
    pub ready: bool,
    /// Why it failed, if it did.
    pub error: Option<String>,
}

impl ExportProgress {
    /// 0 to 100.
    pub fn percent(&self) -> u64 {
        (self.done.min(self.total).saturating_mul(100))
            .checked_div(self.total)
            .unwrap_or(100)
    }
}
