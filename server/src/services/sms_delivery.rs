//! The SMS worker's side of the text outbox (`crate::workers::sms`): the provider to send
//! with, the next text due, claiming it (`sending`), and marking it `sent`, due again or
//! `failed`. Marks go through the shared commit like any write, so `sending` is durable before the
//! request goes out.

use crate::services::ServiceResult;
use app::domain::OrderId;
use sqlx::SqliteConnection;

/// The provider's setup, as stored.
pub struct Provider {
    pub base_url: String,
    pub account_sid: String,
    pub auth_token: String,
    pub sender: String,
}

/// A text due to go out.
pub struct DueText {
    pub id: String,
    pub order_id: OrderId,
    pub to_phone: String,
    pub body: String,
    pub attempts: i64,
}

/// Fails every text left `sending` by an earlier run with `why`; returns how many.
pub async fn fail_interrupted(conn: &mut SqliteConnection, why: &str) -> ServiceResult<u64> {
    let failed = sqlx::query!(
        "UPDATE sms_outbox SET status = 'failed', last_error = ? WHERE status = 'sending'",
        why
    )
    .execute(conn)
    .await?;
    Ok(failed.rows_affected())
}

/// The provider, if one is set up and switched on.
pub async fn provider(conn: &mut SqliteConnection) -> ServiceResult<Option<Provider>> {
    Ok(sqlx::query_as!(
        Provider,
        "SELECT base_url, account_sid, auth_token, sender FROM sms_provider WHERE id = 1 AND enabled = 1"
    )
    .fetch_optional(conn)
    .await?)
}

/// The queued text that fell due first, as of `now`.
pub async fn next_due(conn: &mut SqliteConnection, now: i64) -> ServiceResult<Option<DueText>> {
    Ok(sqlx::query_as!(
        DueText,
        r#"SELECT id AS "id!", order_id AS "order_id: OrderId", to_phone, body, attempts
           FROM sms_outbox WHERE status = 'queued' AND next_attempt_at <= ?
           ORDER BY next_attempt_at, created_at LIMIT 1"#,
        now
    )
    .fetch_optional(conn)
    .await?)
}

/// Claims a text to send now; false if it is no longer queued (a manager's change since
/// it was read), and then it must not be sent.
pub async fn claim(conn: &mut SqliteConnection, id: &str) -> ServiceResult<bool> {
    let claimed = sqlx::query!(
        "UPDATE sms_outbox SET status = 'sending', attempts = attempts + 1 WHERE id = ? AND status = 'queued'",
        id
    )
    .execute(conn)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// Marks a text taken by the provider, with the provider's id for it.
pub async fn mark_sent(
    conn: &mut SqliteConnection,
    id: &str,
    now: i64,
    provider_id: Option<&str>,
) -> ServiceResult<()> {
    sqlx::query!(
        "UPDATE sms_outbox SET status = 'sent', sent_at = ?, provider_id = ?, last_error = NULL WHERE id = ?",
        now,
        provider_id,
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Puts a text back in the queue with its error, due again at `next_attempt_at`.
pub async fn mark_retry(
    conn: &mut SqliteConnection,
    id: &str,
    error: &str,
    next_attempt_at: i64,
) -> ServiceResult<()> {
    sqlx::query!(
        "UPDATE sms_outbox SET status = 'queued', last_error = ?, next_attempt_at = ? WHERE id = ?",
        error,
        next_attempt_at,
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks a text the provider refused as failed, with the provider's words.
pub async fn mark_failed(conn: &mut SqliteConnection, id: &str, error: &str) -> ServiceResult<()> {
    sqlx::query!(
        "UPDATE sms_outbox SET status = 'failed', last_error = ? WHERE id = ?",
        error,
        id
    )
    .execute(conn)
    .await?;
    Ok(())
}
