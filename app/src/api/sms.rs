//! Texting customers: the provider, the message texts and the outbox.

use crate::domain::OrderId;
use serde::{Deserialize, Serialize};

/// The SMS provider's setup, as managers see it (the auth token is never sent back).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SmsSettings {
    /// Whether a provider is set up at all.
    pub configured: bool,
    pub enabled: bool,
    /// e.g. `https://api.twilio.com`; messages go to
    /// `{base_url}/2010-04-01/Accounts/{account_sid}/Messages.json`.
    pub base_url: String,
    pub account_sid: String,
    /// The sending number (E.164) or alphanumeric sender id.
    pub sender: String,
    pub has_auth_token: bool,
    pub templates: Vec<SmsTemplate>,
}

/// A manager's change to the SMS provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SmsProviderChange {
    pub base_url: String,
    pub account_sid: String,
    /// Absent or empty keeps the token already stored.
    #[serde(default)]
    pub auth_token: Option<String>,
    pub sender: String,
    pub enabled: bool,
}

/// The "ready for pickup" text in one language. `{name}`, `{number}` and `{venue}` are
/// filled in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SmsTemplate {
    pub language: String,
    pub body: String,
}

/// One text message in the outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SmsMessage {
    pub id: String,
    pub order_id: OrderId,
    pub order_number: i64,
    pub to_phone: String,
    pub body: String,
    pub status: crate::domain::takeaway::SmsStatus,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// UTC, milliseconds since the Unix epoch.
    pub created_at_ms: i64,
    pub sent_at_ms: Option<i64>,
}
