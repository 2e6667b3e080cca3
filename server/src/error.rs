//! The server's one error type and its single mapping to HTTP. Each variant says the
//! status it answers with. Database and internal failures are logged and answered with a
//! bare 500: their text never reaches the client.

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
    /// 409: the thing is in a state that does not allow this (e.g. order closed).
    #[error("{0}")]
    Conflict(String),
    /// 422: a field's value is not acceptable.
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// 500: logged, never described to the client.
    #[error("internal error: {0}")]
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

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
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::Invalid { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "validation"),
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
        let field = match self {
            ApiError::Invalid { field, .. } => Some(field),
            _ => None,
        };
        (
            status,
            Json(ApiErrorBody {
                error: code.to_owned(),
                message,
                field,
            }),
        )
            .into_response()
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

impl From<app::domain::orders::LineError> for ApiError {
    fn from(e: app::domain::orders::LineError) -> Self {
        ApiError::invalid(e.field(), e.to_string())
    }
}
