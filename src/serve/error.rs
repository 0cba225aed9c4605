//! What the API answers when a request cannot be served: a status and a JSON body that says
//! what is wrong. A query the parser rejects is a 400 with the parser's message and position,
//! never a 500.
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::query::QueryError;

#[derive(Debug)]
pub enum ApiError {
    /// A parameter is missing, unknown, malformed or beyond a limit.
    BadRequest(String),
    /// The query (or one of the view's filters) cannot be read or resolved.
    Query {
        error: QueryError,
        /// `q` when the fault is in the query text the user typed (positions count in it),
        /// `filter` when it is in a filter the page added (`part` is that filter).
        place: &'static str,
        part: String,
    },
    NotFound(String),
    /// A body the server cannot take (too large, not JSON, not the expected fields).
    Rejected(StatusCode, String),
    /// Too many requests are waiting for their turn.
    Busy,
    Internal(String),
}

impl ApiError {
    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError::BadRequest(message.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) | ApiError::Query { .. } => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Rejected(status, _) => *status,
            ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> Self {
        ApiError::Internal(format!("{error:#}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match self {
            ApiError::BadRequest(message)
            | ApiError::NotFound(message)
            | ApiError::Rejected(_, message) => json!({ "error": message }),
            ApiError::Query { error, place, part } => {
                let length = error
                    .query
                    .get(error.start..error.end)
                    .map_or(1, |s| s.chars().count().max(1));
                json!({
                    "error": error.message,
                    "in": place,
                    "query": error.query,
                    "part": part,
                    // Characters from 1, as the CLI reports it, and how many are at fault.
                    "position": error.column(),
                    "length": length,
                    "display": error.to_string(),
                })
            }
            ApiError::Busy => json!({
                "error": "the server is busy: too many requests are waiting; try again shortly"
            }),
            ApiError::Internal(message) => json!({ "error": message }),
        };
        (status, Json(body)).into_response()
    }
}

pub async fn not_found() -> ApiError {
    ApiError::NotFound(
        "no such page: the API is /api/info, /api/search, /api/facets, /api/crosstab, \
         /api/crosstab.svg, /api/quotes and /api/export"
            .into(),
    )
}
