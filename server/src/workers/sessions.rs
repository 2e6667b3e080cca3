//! The session cleaner: deletes ended sessions (signed out, past their end or idle too
//! long) now and every ten minutes, so the table holds only live ones.

use crate::services::sessions::delete_ended;
use crate::state::AppState;
use std::time::Duration;

/// How often ended sessions are deleted.
const CLEAN_EVERY: Duration = Duration::from_secs(10 * 60);

/// Starts the cleaner; it logs and carries on after errors.
pub fn start(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(CLEAN_EVERY);
        loop {
            every.tick().await;
            match delete_ended(&state.db.writer, state.config.session_idle_minutes).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sessions = n, "deleted ended sessions"),
                Err(e) => tracing::warn!(error = %e, "cannot delete ended sessions"),
            }
        }
    });
}
