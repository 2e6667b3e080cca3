//! The report keeper: sums up each business day once it is over and keeps it
//! (`services::reports::keep`), at start-up and every ten minutes, so a report over a
//! year reads 365 kept days. It sums up on a reader's connection and writes a week's days
//! at a time, so a year to catch up with never holds the writer for long.

use crate::db::now_ms;
use crate::services::reports::{keep, to_keep};
use crate::state::AppState;
use std::time::Duration;

/// How often it looks for days to keep.
const EVERY: Duration = Duration::from_secs(10 * 60);

/// Days summed up and kept in one write.
const BATCH: usize = 7;

/// Keeps every finished day not kept yet; answers how many it kept.
pub async fn catch_up(state: &AppState) -> crate::services::ServiceResult<usize> {
    let mut total = 0;
    loop {
        let settled = to_keep(&state.db.reader, now_ms(), BATCH).await?;
        if settled.is_empty() {
            return Ok(total);
        }
        let kept = state
            .write_quiet(move |conn| Box::pin(async move { keep(conn, &settled).await }))
            .await?;
        total += kept;
        if kept == 0 {
            // Everything summed up changed before it was kept: next time.
            return Ok(total);
        }
    }
}

/// Starts the keeper; it logs and carries on after errors.
pub fn start(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        loop {
            every.tick().await;
            match catch_up(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(days = n, "kept report days"),
                Err(e) => tracing::warn!(error = %e, "cannot keep report days"),
            }
        }
    });
}
