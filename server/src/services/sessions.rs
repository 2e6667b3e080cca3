//! Sessions: made at sign-in, ended by signing out, by their age, or by going unused.
//!
//! Only the SHA-256 of a token is stored, so a copied database file signs nobody in. A
//! session ends `session_hours` after sign-in, or after `session_idle_minutes` without a
//! request or an open live stream; `crate::workers::sessions` deletes ended rows. Signing out is
//! announced on `AppState::sessions_ended` so the session's live streams close at once.

use crate::db::direct::sql;
use crate::db::now_ms;
use crate::services::ServiceResult;
use crate::state::AppState;
use app::api::WrongPins;
use app::domain::staff::{Role, StaffMember};
use app::domain::StaffId;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use std::time::Duration;

/// How stale `last_seen_at` may get before a request writes it again: one write a minute
/// per busy session, not one per request.
const TOUCH_AFTER_MS: i64 = 60_000;

/// What the sessions table keeps of a token: its SHA-256, in hex.
pub fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A live session: who, and what the table holds for its token.
#[derive(Clone, Debug)]
pub struct Found {
    pub staff: StaffMember,
    pub token_sha256: String,
}

/// Starts a session for `staff`; returns its token (given to the client once).
pub async fn create(state: &AppState, staff: StaffId) -> ServiceResult<String> {
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let token = hex::encode(raw);
    let digest = token_digest(&token);
    let now = now_ms();
    let expires = now + state.config.session_hours * 3_600_000;
    sqlx::query!(
        "INSERT INTO sessions (token_sha256, staff_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
        digest,
        staff,
        now,
        expires,
        now
    )
    .execute(&state.db.writer)
    .await?;
    Ok(token)
}

/// The session with this token's digest if it has not ended, marking it used.
pub async fn find(state: &AppState, digest: &str) -> ServiceResult<Option<Found>> {
    let now = now_ms();
    let idle_since = now - state.config.session_idle_minutes * 60_000;
    // On every request: a lookup by key, read in place (`Db::read`).
    let row = state.db.read(|c| {
        sql!(
            c,
            r#"SELECT s.id AS "id: StaffId", s.name, s.role AS "role: Role", s.active AS "active: bool",
                      sessions.last_seen_at
               FROM sessions JOIN staff s ON s.id = sessions.staff_id
               WHERE token_sha256 = ? AND expires_at > ? AND last_seen_at > ? AND s.active = 1"#,
            digest,
            now,
            idle_since
        )
        .optional(|r| {
            let staff = StaffMember {
                id: r.get(0)?,
                name: r.get(1)?,
                role: r.get(2)?,
                active: r.get(3)?,
            };
            Ok((staff, r.get::<_, i64>(4)?))
        })
    })?;
    let Some((staff, last_seen_at)) = row else {
        return Ok(None);
    };
    if last_seen_at < now - TOUCH_AFTER_MS {
        sqlx::query!(
            "UPDATE sessions SET last_seen_at = ? WHERE token_sha256 = ?",
            now,
            digest
        )
        .execute(&state.db.writer)
        .await?;
    }
    Ok(Some(Found {
        staff,
        token_sha256: digest.to_owned(),
    }))
}

/// Ends the session now and tells its live streams.
pub async fn end(state: &AppState, digest: &str) -> ServiceResult<()> {
    sqlx::query!("DELETE FROM sessions WHERE token_sha256 = ?", digest)
        .execute(&state.db.writer)
        .await?;
    ended(state, digest);
    Ok(())
}

/// Closes the live streams of a session that was deleted (signed out, or its member of
/// staff stopped or given a new PIN or role).
pub fn ended(state: &AppState, digest: &str) {
    state.stream_tickets.forget_session(digest);
    let _ = state.sessions_ended.send(digest.to_owned());
}

/// Deletes sessions past their end or idle for longer than `idle_minutes`.
pub async fn delete_ended(writer: &SqlitePool, idle_minutes: i64) -> ServiceResult<u64> {
    let now = now_ms();
    let idle_since = now - idle_minutes * 60_000;
    let done = sqlx::query!(
        "DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?",
        now,
        idle_since
    )
    .execute(writer)
    .await?;
    Ok(done.rows_affected())
}

/// How often an open live stream checks that its session still holds (which also keeps
/// an open screen's session from going idle).
const STREAM_SESSION_CHECK: Duration = Duration::from_secs(60);

/// Completes when the session with this token digest ends: signed out (at once), or
/// found ended at a periodic check. Live streams stop with it.
pub async fn ends(state: AppState, digest: String) {
    let mut ended = state.sessions_ended.subscribe();
    let mut check = tokio::time::interval(STREAM_SESSION_CHECK);
    check.tick().await;
    loop {
        tokio::select! {
            signed_out = ended.recv() => match signed_out {
                Ok(d) if d == digest => return,
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            },
            _ = check.tick() => {
                if let Ok(None) = find(&state, &digest).await {
                    return;
                }
            }
        }
    }
}

/// Audit actions for PINs that were wrong.
pub const SIGN_IN_FAILED: &str = "sign_in_failed";
pub const APPROVAL_PIN_WRONG: &str = "approval_pin_wrong";

/// Writes a wrong PIN to the audit log: at sign-in (nobody is signed in: `by` is None) or
/// as a manager's approval typed on a signed-in device. `detail` says where it came from.
pub async fn record_wrong_pin(
    writer: &SqlitePool,
    action: &str,
    by: Option<StaffId>,
    detail: serde_json::Value,
) -> ServiceResult<()> {
    let (now, detail) = (now_ms(), detail.to_string());
    sqlx::query!(
        "INSERT INTO audit_log (at, staff_id, action, detail) VALUES (?, ?, ?, ?)",
        now,
        by,
        action,
        detail
    )
    .execute(writer)
    .await?;
    Ok(())
}

/// Wrong PINs since `since_ms`.
pub async fn wrong_pins_since(db: &SqlitePool, since_ms: i64) -> ServiceResult<WrongPins> {
    let row = sqlx::query!(
        r#"SELECT COALESCE(SUM(action = 'sign_in_failed'), 0) AS "sign_in!: i64",
                  COALESCE(SUM(action = 'approval_pin_wrong'), 0) AS "approval!: i64",
                  COUNT(DISTINCT json_extract(detail, '$.ip')) AS "addresses!: i64",
                  MAX(at) AS "last_at_ms: i64"
           FROM audit_log WHERE action IN ('sign_in_failed', 'approval_pin_wrong') AND at > ?"#,
        since_ms
    )
    .fetch_one(db)
    .await?;
    Ok(WrongPins {
        sign_in: row.sign_in,
        approval: row.approval,
        addresses: row.addresses,
        last_at_ms: row.last_at_ms,
        since_ms,
    })
}
