//! Text messages, for managers: the provider's setup, the message templates per language,
//! and the outbox with each message's state (and a retry for failed ones). The rules and
//! SQL are in `crate::services::sms`.

use crate::http::auth::Session;
use crate::http::error::ApiResult;
use crate::http::extract::{Json, Path};
use crate::services::sms;
use crate::state::AppState;
use app::api::{ApiErrorBody, SmsMessage, SmsProviderChange, SmsSettings, SmsTemplate};
use app::domain::staff::Role;
use axum::extract::State;

/// The SMS setup: provider (without its token) and templates.
#[utoipa::path(get, path = "/api/v1/sms/settings", tag = "sms", security(("token" = [])),
    responses((status = 200, body = SmsSettings), (status = 403, body = ApiErrorBody)))]
pub async fn get_settings(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<SmsSettings>> {
    session.require(Role::manages, "see the SMS setup")?;
    Ok(Json(
        sms::settings(&mut *state.db.reader.acquire().await?).await?,
    ))
}

/// Set up (or change, or switch off) the Twilio-compatible SMS provider.
#[utoipa::path(put, path = "/api/v1/sms/provider", tag = "sms", security(("token" = [])),
    request_body = SmsProviderChange,
    responses((status = 200, body = SmsSettings), (status = 403, body = ApiErrorBody),
        (status = 422, description = "A field's value is not acceptable", body = ApiErrorBody)))]
pub async fn set_provider(
    State(state): State<AppState>,
    session: Session,
    Json(change): Json<SmsProviderChange>,
) -> ApiResult<Json<SmsSettings>> {
    session.require(Role::manages, "set up SMS")?;
    let settings = state
        .write_quiet(move |conn| Box::pin(async move { sms::set_provider(conn, &change).await }))
        .await?;
    tracing::info!(by = %session.staff.name, enabled = settings.enabled, "SMS provider changed");
    state.sms_wake.notify_waiters();
    Ok(Json(settings))
}

/// Set the "ready for pickup" text for a language (`{name}`, `{number}`, `{venue}`).
#[utoipa::path(put, path = "/api/v1/sms/templates/{language}", tag = "sms", security(("token" = [])),
    params(("language" = String, Path, description = "Two-letter code, e.g. `en`")), request_body = SmsTemplate,
    responses((status = 200, body = SmsSettings), (status = 403, body = ApiErrorBody),
        (status = 422, description = "A bad language code or text", body = ApiErrorBody)))]
pub async fn set_template(
    State(state): State<AppState>,
    session: Session,
    Path(language): Path<String>,
    Json(template): Json<SmsTemplate>,
) -> ApiResult<Json<SmsSettings>> {
    session.require(Role::manages, "edit message texts")?;
    let settings = state
        .write_quiet(move |conn| {
            Box::pin(async move { sms::set_template(conn, &language, &template).await })
        })
        .await?;
    Ok(Json(settings))
}

/// The outbox: every message not sent, and the latest sent ones, newest first.
#[utoipa::path(get, path = "/api/v1/sms/messages", tag = "sms", security(("token" = [])),
    responses((status = 200, body = Vec<SmsMessage>), (status = 403, body = ApiErrorBody)))]
pub async fn list_messages(
    State(state): State<AppState>,
    session: Session,
) -> ApiResult<Json<Vec<SmsMessage>>> {
    session.require(Role::manages, "see the SMS outbox")?;
    Ok(Json(
        sms::messages(&mut *state.db.reader.acquire().await?, None).await?,
    ))
}

/// Try a failed message again (after fixing the number or the provider's setup).
#[utoipa::path(post, path = "/api/v1/sms/messages/{message_id}/retry", tag = "sms", security(("token" = [])),
    params(("message_id" = String, Path)),
    responses((status = 200, body = SmsMessage), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 409, description = "The message is not failed", body = ApiErrorBody)))]
pub async fn retry_message(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> ApiResult<Json<SmsMessage>> {
    session.require(Role::manages, "retry texts")?;
    let message = state
        .write_quiet(move |conn| Box::pin(async move { sms::retry(conn, &id).await }))
        .await?;
    state.sms_wake.notify_waiters();
    Ok(Json(message))
}
