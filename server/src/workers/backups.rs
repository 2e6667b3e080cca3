//! The backup worker: a backup every hour while the database changes (so every hour the
//! venue trades, and none through a closed night), one right after each Z report, and one
//! when a manager asks. Each is checked, retention is applied (`db::backup::keep`), and
//! it is copied to the second folder if there is one (`--backup-copy`). The result,
//! a success or a failure with its reason, is kept in `AppState::backups` for the
//! managers' screen and the health check.

use crate::db::backup::{self, BackupFile};
use crate::db::{latest_migration, now_ms};
use crate::services::reports::Clock;
use crate::state::AppState;
use app::api::BackupFailure;
use std::time::{Duration, SystemTime};

/// A backup an hour while the venue trades.
const EVERY_MS: i64 = 3_600_000;

/// How often it looks whether one is due.
const LOOK_EVERY: Duration = Duration::from_secs(60);

/// Takes a backup now (one at a time: the hour's, the Z report's and a manager's may
/// come together), keeps its result in the state, and answers it.
pub async fn back_up(state: &AppState) -> Result<BackupFile, String> {
    let _one_at_a_time = state.backup_running.lock().await;
    let clock = {
        let mut conn = state.db.reader.acquire().await.map_err(|e| e.to_string())?;
        Clock::load(&mut conn).await.map_err(|e| e.to_string())?
    };
    let (db, dir) = (state.config.database_path(), state.config.backups_path());
    let copy = state.config.backup_copy.clone();
    let taken = tokio::task::spawn_blocking(move || {
        let day_of = |at: i64| clock.day_of(at).map(|d| d.to_string()).unwrap_or_default();
        backup::scheduled(
            &db,
            &dir,
            copy.as_deref(),
            now_ms(),
            latest_migration(),
            &day_of,
        )
    })
    .await
    .map_err(|e| e.to_string())
    .and_then(|r| r.map_err(|e| e.to_string()));
    let mut kept = state.backups.lock().unwrap_or_else(|e| e.into_inner());
    match taken {
        Ok(done) => {
            tracing::info!(name = %done.file.name, bytes = done.file.bytes, "backed up");
            kept.last = Some(done.file.clone());
            // The backup is good; a copy that failed is worth a warning of its own.
            kept.failure = done.copy_failed.map(|message| {
                tracing::error!(error = %message, "backup copy failed");
                BackupFailure {
                    at_ms: now_ms(),
                    message,
                }
            });
            Ok(done.file)
        }
        Err(e) => {
            tracing::error!(error = %e, "backup failed");
            kept.failure = Some(BackupFailure {
                at_ms: now_ms(),
                message: e.clone(),
            });
            Err(e)
        }
    }
}

/// The newest backup in the folder, as the worker starts.
fn newest(state: &AppState) -> Option<BackupFile> {
    let dir = state.config.backups_path();
    let (name, _) = backup::list(&dir).ok()?.pop()?;
    backup::describe(&dir, &name).ok()
}

/// Starts the worker.
pub fn start(state: AppState) {
    state.backups.lock().unwrap_or_else(|e| e.into_inner()).last = newest(&state);
    tokio::spawn(async move {
        loop {
            let asked = tokio::select! {
                () = state.backup_wake.notified() => true,
                () = tokio::time::sleep(LOOK_EVERY) => false,
            };
            let (last, failed) = {
                let kept = state.backups.lock().unwrap_or_else(|e| e.into_inner());
                (kept.last.clone(), kept.failure.clone())
            };
            // The last try: a success, or a failure (retried an hour later, not every minute).
            let tried_at = failed
                .map(|f| f.at_ms)
                .or(last.as_ref().map(|b| b.taken_at_ms))
                .unwrap_or(0);
            let changed = backup::changed_at(&state.config.database_path())
                .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                .is_some_and(|t| t.as_millis() as i64 > tried_at);
            if asked || (changed && now_ms() - tried_at >= EVERY_MS) {
                let _ = back_up(&state).await;
            }
        }
    });
}
