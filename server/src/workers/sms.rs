//! The SMS worker: takes texts from the durable outbox (`sms_outbox`) and hands them to a
//! Twilio-compatible REST API: `POST {base}/2010-04-01/Accounts/{sid}/Messages.json` with
//! the form fields `To`, `From`, `Body` and basic auth (account sid, auth token).
//!
//! At most one text per order and event:
//! - the outbox holds one row per order and event (a unique key), written in the same
//!   transaction as the change that calls for it;
//! - a message is marked `sending` before the request and `sent` (with the provider's id)
//!   after a 2xx answer;
//! - timeouts, refused connections and 5xx answers may be retried, with backoff (1 s
//!   doubling to 60 s): the provider did not take the message, or said it failed;
//! - a 4xx answer is final: the message is `failed` with the provider's own words, for
//!   staff to read, and is not tried again unless a manager retries it;
//! - a message found `sending` at start-up (the server stopped mid-request) may or may not
//!   have gone out. Rather than risk a second text it becomes `failed`, saying so; a
//!   manager can check and retry it.
//!
//! With no provider set up (or it switched off) messages simply wait in the outbox.

use crate::db::now_ms;
use crate::services::events::{self, Subject};
use crate::services::sms_delivery::{self, Provider};
use crate::services::{orders, ServiceError, ServiceResult};
use crate::state::AppState;
use app::api::EventKind;
use app::domain::OrderId;
use std::time::Duration;
use tracing::{info, instrument, warn};

const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
const MAX_BACKOFF_MS: i64 = 60_000;
/// The words a message found mid-send at start-up is failed with.
pub const INTERRUPTED: &str =
    "the server stopped while sending this text; it may have gone out, so check before retrying";

/// How a send went.
enum Sent {
    Accepted(Option<String>),
    /// Worth another try later.
    Retry(String),
    /// The provider refused it; trying again would be refused again.
    Refused(String),
}

/// Settles messages left mid-send by an earlier run, then starts the worker.
pub async fn start(state: AppState) -> ServiceResult<()> {
    let interrupted = state
        .write_quiet(|c| Box::pin(sms_delivery::fail_interrupted(c, INTERRUPTED)))
        .await?;
    if interrupted > 0 {
        warn!(
            count = interrupted,
            "texts interrupted by the last stop are marked failed"
        );
    }
    let http = reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    tokio::spawn(run(state, http));
    Ok(())
}

#[instrument(skip_all)]
async fn run(state: AppState, http: reqwest::Client) {
    loop {
        let worked = match send_next(&state, &http).await {
            Ok(worked) => worked,
            Err(e) => {
                warn!(error = %e, "sms outbox");
                false
            }
        };
        if !worked {
            // A new text or provider wakes us; retries fall due by time.
            let _ = tokio::time::timeout(Duration::from_secs(1), state.sms_wake.notified()).await;
        }
    }
}

/// Sends the oldest due message, if there is one and a provider to send it with.
async fn send_next(state: &AppState, http: &reqwest::Client) -> ServiceResult<bool> {
    let (provider, message) = {
        let mut conn = state.db.reader.acquire().await?;
        let Some(provider) = sms_delivery::provider(&mut conn).await? else {
            return Ok(false);
        };
        let Some(message) = sms_delivery::next_due(&mut conn, now_ms()).await? else {
            return Ok(false);
        };
        (provider, message)
    };
    let id = message.id.clone();
    let claimed = state
        .write_quiet(move |c| Box::pin(async move { sms_delivery::claim(c, &id).await }))
        .await?;
    if !claimed {
        // Changed by a manager since it was read: look again.
        return Ok(true);
    }

    let outcome = post(http, &provider, &message.to_phone, &message.body).await;
    let (now, id) = (now_ms(), message.id.clone());
    match outcome {
        Sent::Accepted(provider_id) => {
            info!(order = %message.order_id, "text sent");
            state
                .write_quiet(move |c| {
                    Box::pin(async move {
                        sms_delivery::mark_sent(c, &id, now, provider_id.as_deref()).await
                    })
                })
                .await?;
        }
        Sent::Retry(error) => {
            warn!(order = %message.order_id, %error, "text not sent; will retry");
            let backoff = (1_000i64 << message.attempts.clamp(0, 6)).min(MAX_BACKOFF_MS);
            let next = now + backoff;
            state
                .write_quiet(move |c| {
                    Box::pin(async move { sms_delivery::mark_retry(c, &id, &error, next).await })
                })
                .await?;
        }
        Sent::Refused(error) => {
            warn!(order = %message.order_id, %error, "the provider refused the text");
            state
                .write_quiet(move |c| {
                    Box::pin(async move { sms_delivery::mark_failed(c, &id, &error).await })
                })
                .await?;
        }
    }
    announce(state, message.order_id).await;
    Ok(true)
}

/// Tells screens showing the order that its text moved on; the event carries the order,
/// so phones apply it as a delta.
async fn announce(state: &AppState, order: OrderId) {
    let result = state
        .write(move |conn| {
            Box::pin(async move {
                let subject = Subject {
                    order_id: Some(order),
                    table_id: None,
                    station_ids: &[],
                };
                let event = events::append_system(conn, EventKind::SmsChanged, subject).await?;
                let mut announced = vec![event];
                events::carry_order(
                    &mut announced,
                    &orders::load_order_async(conn, order).await?,
                );
                Ok::<_, ServiceError>(announced)
            })
        })
        .await;
    if let Err(e) = result {
        warn!(error = %e, "could not announce the text's state");
    }
}

/// The provider's message endpoint for `provider`.
fn messages_url(provider: &Provider) -> String {
    format!(
        "{}/2010-04-01/Accounts/{}/Messages.json",
        provider.base_url.trim_end_matches('/'),
        provider.account_sid
    )
}

async fn post(http: &reqwest::Client, provider: &Provider, to: &str, body: &str) -> Sent {
    let response = http
        .post(messages_url(provider))
        .basic_auth(&provider.account_sid, Some(&provider.auth_token))
        .form(&[("To", to), ("From", &provider.sender), ("Body", body)])
        .send()
        .await;
    let response = match response {
        Ok(r) => r,
        Err(e) if e.is_timeout() => return Sent::Retry("the SMS provider did not answer".into()),
        Err(e) => return Sent::Retry(format!("cannot reach the SMS provider: {e}")),
    };
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    if status.is_success() {
        return Sent::Accepted(json["sid"].as_str().map(str::to_owned));
    }
    // Twilio's errors are {"code": 21211, "message": "..."}; anything else is shown short.
    let said = match (json["message"].as_str(), json["code"].as_i64()) {
        (Some(message), Some(code)) => format!("{message} (error {code})"),
        (Some(message), None) => message.to_owned(),
        _ => text.chars().take(200).collect(),
    };
    let error = format!("SMS provider answered {}: {said}", status.as_u16());
    if status.is_client_error() && status.as_u16() != 429 {
        Sent::Refused(error)
    } else {
        Sent::Retry(error)
    }
}
