//! The HTTP layer's error type and the single mapping to HTTP (services answer
//! `ServiceError`, converted here). Each variant says the status it answers with.
//! Database and internal failures are logged and answered with a bare 500: their text
//! never reaches the client.

use crate::services::ServiceError;
use app::api::ApiErrorBody;
use axum::{
    extract::rejection::{JsonRejection, PathRejection, QueryRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request could not be read (malformed JSON, bad path or query).
    #[error("{0}")]
    BadRequest(String),
    /// 401: no valid session, or a wrong PIN.
    #[error("{message}")]
    Unauthorized { code: &'static str, message: String },
    /// 403: signed in, but the role may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such thing.
    #[error("{0}")]
    NotFound(String),
    /// 405: this path exists, but not for this method.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// 403: this needs a manager's approval (their PIN on this device) and has none.
    #[error("{0}")]
    ApprovalNeeded(String),
    /// 409: the thing is in a state that does not allow this (e.g. order closed).
    #[error("{0}")]
    Conflict(String),
    /// 429: too many wrong PINs from this device, address or session (or the whole venue);
    /// answered with `Retry-After`.
    #[error("Too many wrong PINs. Try again in\u{a0}{}.", seconds(*retry_after_secs))]
    TooManyAttempts { retry_after_secs: u64 },
    /// 503: the server is at a limit it keeps (e.g. open pickup screens); try later.
    #[error("{0}")]
    Busy(String),
    /// 422: a field's value is not acceptable.
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// 500: logged, never described to the client.
    #[error("internal error: {0}")]
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

/// "1 second", "90 seconds", "5 minutes": how long to wait, as a person says it.
fn seconds(n: u64) -> String {
    match n {
        1 => "1\u{a0}second".to_owned(),
        n if n < 120 => format!("{n}\u{a0}seconds"),
        n => format!("{}\u{a0}minutes", n.div_ceil(60)),
    }
}

impl ApiError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::Unauthorized { code, .. } => (StatusCode::UNAUTHORIZED, code),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::ApprovalNeeded(_) => (StatusCode::FORBIDDEN, "approval_needed"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::MethodNotAllowed(_) => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::Invalid { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "validation"),
            ApiError::TooManyAttempts { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts")
            }
            ApiError::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let message = match &self {
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                "Something went wrong on the server; it has been logged.".to_owned()
            }
            other => other.to_string(),
        };
        let retry_after = match &self {
            ApiError::TooManyAttempts { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
        let field = match self {
            ApiError::Invalid { field, .. } => Some(field),
            _ => None,
        };
        let mut response = (
            status,
            Json(ApiErrorBody {
                error: code.to_owned(),
                message,
                field,
            }),
        )
            .into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::Internal(format!("database: {e}"))
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        ApiError::BadRequest(format!(
            "the request body is not the expected JSON: {}",
            r.body_text()
        ))
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::BadRequest(format!("bad id in the URL: {}", r.body_text()))
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::BadRequest(format!("bad query string: {}", r.body_text()))
    }
}

/// The services' errors, mapped to a status once. A database failure keeps its source
/// for the log; the client gets a bare 500.
impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid { field, message } => ApiError::Invalid { field, message },
            ServiceError::NotFound(m) => ApiError::NotFound(m),
            e @ ServiceError::NoSuchOrder(_) => ApiError::NotFound(e.to_string()),
            ServiceError::Conflict(m) => ApiError::Conflict(m),
            ServiceError::ApprovalNeeded(m) => ApiError::ApprovalNeeded(m),
            ServiceError::Busy(m) => ApiError::Busy(m),
            // `http::menu::import_menu` answers with the report itself; reaching here
            // means a handler forgot to.
            ServiceError::ImportUndone(_) => {
                ApiError::Internal("a menu import's report was not answered".into())
            }
            e @ (ServiceError::Database(_) | ServiceError::Sqlite(_)) => {
                ApiError::Internal(format!("{e:?}"))
            }
            ServiceError::Internal(m) => ApiError::Internal(m),
        }
    }
}
