//! Telling systemd how the server is (`Type=notify`, `packaging/comanda.service`): ready
//! once it listens, stopping on SIGTERM, and alive every half of `WatchdogSec` while its
//! database answers, so a server that hangs is restarted rather than left serving nothing.
//! Without systemd (`NOTIFY_SOCKET` unset) every call does nothing.

use crate::state::AppState;
use sd_notify::NotifyState;

/// The server listens and its workers run.
pub fn ready() {
    tell(NotifyState::Ready);
}

/// The server is stopping (SIGTERM): systemd waits for it rather than calling it hung.
pub fn stopping() {
    tell(NotifyState::Stopping);
}

/// Pings systemd's watchdog, if it asked for one, every half of its interval, each time
/// after a read of the database answers: a server whose database is stuck stays silent,
/// and systemd restarts it.
pub fn watch(state: AppState) {
    let Some(interval) = sd_notify::watchdog_enabled() else {
        return;
    };
    let every = interval / 2;
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            if tokio::time::timeout(every, alive(&state)).await == Ok(true) {
                tell(NotifyState::Watchdog);
            } else {
                tracing::warn!("the database did not answer: no watchdog ping");
            }
        }
    });
}

/// Whether the database answers a read.
async fn alive(state: &AppState) -> bool {
    sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(&state.db.reader)
        .await
        .is_ok()
}

fn tell(state: NotifyState) {
    if let Err(e) = sd_notify::notify(&[state]) {
        tracing::warn!(error = %e, "cannot tell systemd");
    }
}
