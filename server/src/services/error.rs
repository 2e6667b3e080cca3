//! The services' one error type: what went wrong in the venue's terms (not found, not
//! allowed in this state, a field that is not acceptable), or a failure of the database
//! kept whole as the source for the log. `crate::http::error` maps it to a status.

use app::domain::money::Overflow;
use app::domain::orders::LineError;
use app::domain::status::StatusError;
use app::domain::OrderId;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// A field's value is not acceptable.
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// No such thing.
    #[error("{0}")]
    NotFound(String),
    /// No order has this id or alias (yet: an offline phone's operation may come before
    /// the one that opens its order).
    #[error("no order {0}")]
    NoSuchOrder(OrderId),
    /// The thing is in a state that does not allow this (e.g. the order is closed).
    #[error("{0}")]
    Conflict(String),
    /// Allowed only with a manager's approval, and there is none.
    #[error("{0}")]
    ApprovalNeeded(String),
    /// The box is too busy to do this now (PIN checks queued to their limit); try again.
    #[error("{0}")]
    Busy(String),
    /// A menu import whose changes must not stay: a dry run, or an import the database
    /// refused at a row (its report names the row). Its report is the answer.
    #[error("the import was undone")]
    ImportUndone(Box<app::api::MenuImport>),
    /// The database failed; the error is kept for the log, never shown to a client.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The same on the direct path (`crate::db::direct`).
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Something that cannot happen in a sound database did (a stored value unreadable).
    #[error("{0}")]
    Internal(String),
}

pub type ServiceResult<T> = Result<T, ServiceError>;

impl From<crate::pins::PinError> for ServiceError {
    fn from(e: crate::pins::PinError) -> Self {
        use crate::pins::PinError;
        match e {
            PinError::Busy => {
                ServiceError::Busy("the box is busy checking PINs; try again in a moment".into())
            }
            PinError::HasherGone => ServiceError::Internal(format!("PIN check: {e}")),
        }
    }
}

impl ServiceError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ServiceError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A failure of the box rather than a refusal of the request: the batch of
    /// operations stops instead of recording it as the operation's answer.
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            ServiceError::Database(_) | ServiceError::Sqlite(_) | ServiceError::Internal(_)
        )
    }
}

/// Stored amounts too large to add up: only rows from before the ceilings can hold them,
/// so it is logged for whoever looks after the box, and the request says what is wrong.
impl From<Overflow> for ServiceError {
    fn from(e: Overflow) -> Self {
        tracing::error!("a sum of stored money overflowed; look for impossible amounts: {e}");
        ServiceError::Conflict(e.to_string())
    }
}

/// The order is not in a state that allows the change (close with something to pay...).
impl From<StatusError> for ServiceError {
    fn from(e: StatusError) -> Self {
        ServiceError::Conflict(e.to_string())
    }
}

impl From<LineError> for ServiceError {
    fn from(e: LineError) -> Self {
        ServiceError::invalid(e.field(), e.to_string())
    }
}
