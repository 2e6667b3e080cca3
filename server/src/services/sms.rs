//! Text messages on the database: the provider's setup, the message templates per
//! language, and the outbox with each message's state (and a retry for failed ones). The
//! sending itself is `crate::workers::sms`'s; callers wake it after their commit.

use crate::services::{ServiceError, ServiceResult};
use app::api::{SmsMessage, SmsProviderChange, SmsSettings, SmsTemplate};
use app::domain::takeaway::{validate_language, SmsStatus, MAX_TEMPLATE_CHARS};
use app::domain::OrderId;
use sqlx::SqliteConnection;

/// Messages the outbox list shows: every unsent one and the latest sent.
const RECENT_MESSAGES: i64 = 100;

/// The SMS setup: provider (without its token) and templates.
pub async fn settings(conn: &mut SqliteConnection) -> ServiceResult<SmsSettings> {
    let templates = sqlx::query_as!(
        SmsTemplate,
        "SELECT language, body FROM sms_templates ORDER BY language"
    )
    .fetch_all(&mut *conn)
    .await?;
    let provider = sqlx::query!(
        r#"SELECT base_url, account_sid, sender, enabled AS "enabled: bool", auth_token <> '' AS "has_token!: bool"
           FROM sms_provider WHERE id = 1"#
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match provider {
        Some(p) => SmsSettings {
            configured: true,
            enabled: p.enabled,
            base_url: p.base_url,
            account_sid: p.account_sid,
            sender: p.sender,
            has_auth_token: p.has_token,
            templates,
        },
        None => SmsSettings {
            templates,
            ..SmsSettings::default()
        },
    })
}

/// A sender is an E.164 number or an alphanumeric sender id of up to 11 characters.
fn valid_sender(sender: &str) -> bool {
    let number = sender
        .strip_prefix('+')
        .is_some_and(|d| (7..=15).contains(&d.len()) && d.chars().all(|c| c.is_ascii_digit()));
    let alphanumeric = (1..=11).contains(&sender.len())
        && sender
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ')
        && sender.chars().any(|c| c.is_ascii_alphabetic());
    number || alphanumeric
}

/// Sets up (or changes, or switches off) the Twilio-compatible SMS provider.
pub async fn set_provider(
    conn: &mut SqliteConnection,
    change: &SmsProviderChange,
) -> ServiceResult<SmsSettings> {
    let base_url = change.base_url.trim().trim_end_matches('/').to_owned();
    let parsed = reqwest::Url::parse(&base_url).ok();
    if !parsed.is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some()) {
        return Err(ServiceError::invalid(
            "base_url",
            "give the provider's address, e.g. https://api.twilio.com",
        ));
    }
    let account_sid = change.account_sid.trim().to_owned();
    if account_sid.is_empty()
        || account_sid.len() > 64
        || !account_sid.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Err(ServiceError::invalid(
            "account_sid",
            "the account id is letters and digits, e.g. AC0123…",
        ));
    }
    let sender = change.sender.trim().to_owned();
    if !valid_sender(&sender) {
        return Err(ServiceError::invalid(
            "sender",
            "the sender is a number in international form (+…) or a name of up to 11 letters and digits",
        ));
    }
    let token = change
        .auth_token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    if token.is_some_and(|t| t.len() > 128) {
        return Err(ServiceError::invalid(
            "auth_token",
            "the auth token is too long",
        ));
    }
    let stored = sqlx::query!("SELECT base_url, auth_token FROM sms_provider WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await?;
    // The stored token is kept only for the address it was given for: otherwise anyone
    // who can change the address could have the token sent to a host of their own.
    let moved = stored.as_ref().is_some_and(|s| s.base_url != base_url);
    let stored_token = stored.filter(|_| !moved).map(|s| s.auth_token);
    let Some(token) = token.map(str::to_owned).or(stored_token) else {
        return Err(ServiceError::invalid(
            "auth_token",
            if moved {
                "the provider's address changed: type the auth token again"
            } else {
                "give the account's auth token"
            },
        ));
    };
    sqlx::query!(
        "INSERT INTO sms_provider (id, base_url, account_sid, auth_token, sender, enabled)
         VALUES (1, ?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET base_url = ?1, account_sid = ?2, auth_token = ?3, sender = ?4, enabled = ?5",
        base_url,
        account_sid,
        token,
        sender,
        change.enabled
    )
    .execute(&mut *conn)
    .await?;
    settings(conn).await
}

/// Sets the "ready for pickup" text for a language (`{name}`, `{number}`, `{venue}`).
pub async fn set_template(
    conn: &mut SqliteConnection,
    language: &str,
    template: &SmsTemplate,
) -> ServiceResult<SmsSettings> {
    let language = validate_language(language)
        .map_err(|e| ServiceError::invalid("language", e.to_string()))?;
    let body = template.body.trim();
    if body.is_empty() || body.chars().count() > MAX_TEMPLATE_CHARS {
        return Err(ServiceError::invalid(
            "body",
            format!("the text is 1 to {MAX_TEMPLATE_CHARS} characters"),
        ));
    }
    sqlx::query!(
        "INSERT INTO sms_templates (language, body) VALUES (?1, ?2)
         ON CONFLICT (language) DO UPDATE SET body = ?2",
        language,
        body
    )
    .execute(&mut *conn)
    .await?;
    settings(conn).await
}

/// Every message not sent, and the latest sent ones, newest first; or only the one
/// `only` names. Each part is a lookup in `sms_outbox_by_status`, so the list costs the
/// same after years of texts.
pub async fn messages(
    conn: &mut SqliteConnection,
    only: Option<&str>,
) -> ServiceResult<Vec<SmsMessage>> {
    Ok(sqlx::query_as!(
        SmsMessage,
        r#"SELECT m.id AS "id!", m.order_id AS "order_id: OrderId", o.number AS order_number, m.to_phone, m.body,
                  m.status AS "status: SmsStatus", m.attempts, m.last_error,
                  m.created_at AS created_at_ms, m.sent_at AS sent_at_ms
           FROM sms_outbox m JOIN orders o ON o.id = m.order_id
           WHERE m.rowid IN (
                 -- Every status but 'sent' (the table's CHECK lists them): an index lookup each.
                 SELECT rowid FROM sms_outbox WHERE ?1 IS NULL AND status IN ('queued', 'sending', 'failed')
                 UNION ALL SELECT rowid FROM (SELECT rowid FROM sms_outbox WHERE ?1 IS NULL AND status = 'sent'
                                              ORDER BY created_at DESC LIMIT ?2)
                 UNION ALL SELECT rowid FROM sms_outbox WHERE id = ?1)
           ORDER BY m.created_at DESC, m.id"#,
        only,
        RECENT_MESSAGES
    )
    .fetch_all(&mut *conn)
    .await?)
}

/// Queues a failed message again (after fixing the number or the provider's setup).
pub async fn retry(conn: &mut SqliteConnection, id: &str) -> ServiceResult<SmsMessage> {
    let Some(message) = messages(conn, Some(id)).await?.pop() else {
        return Err(ServiceError::NotFound(format!("no text message {id}")));
    };
    if message.status != SmsStatus::Failed {
        return Err(ServiceError::Conflict(format!(
            "the text for order {} is {:?}, not failed",
            message.order_number, message.status
        )));
    }
    let now = crate::db::now_ms();
    sqlx::query!(
        "UPDATE sms_outbox SET status = 'queued', next_attempt_at = ?, attempts = 0 WHERE id = ?",
        now,
        id
    )
    .execute(&mut *conn)
    .await?;
    Ok(messages(conn, Some(id)).await?.remove(0))
}
