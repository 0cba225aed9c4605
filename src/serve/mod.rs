//! `verbatim serve`: a local web app over a survey index. One page (HTML, JS and CSS compiled
//! into the binary, no network needed) and the small JSON API it uses, which scripts can use
//! too: `/api/info`, `/api/search`, `/api/facets`, `/api/crosstab`, `/api/quotes` and
//! `/api/export`. The server only reads the index; every answer is computed on a blocking
//! thread, at most [`Limits::concurrent`] at a time.
mod assets;
mod crosstab;
mod error;
mod facets;
mod guard;
mod info;
mod params;
mod quotes;
mod search;
mod view;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use tantivy::{IndexReader, ReloadPolicy};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::index::SurveyIndex;

pub use error::ApiError;
pub use view::View;

/// Bounds on what one request may ask for.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Hits in one page of `/api/search`.
    pub max_limit: usize,
    /// Hits skipped before a page: deeper pages would keep every hit before them in memory.
    pub max_offset: usize,
    /// Characters of the query text.
    pub max_query_chars: usize,
    /// Filter values (themes, answers, attributes) in one view.
    pub max_filters: usize,
    /// Bytes of a request body (`/api/export`).
    pub max_body_bytes: usize,
    /// Comments in one export.
    pub max_export: usize,
    /// Requests computed at once; the others wait their turn.
    pub concurrent: usize,
    /// How long a request may wait for its turn before it is answered 503.
    pub queue_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_limit: 200,
            max_offset: 10_000,
            max_query_chars: 2_000,
            max_filters: 64,
            max_body_bytes: 64 * 1024,
            max_export: 500,
            concurrent: std::thread::available_parallelism().map_or(2, |n| n.get()),
            queue_timeout: Duration::from_secs(20),
        }
    }
}

/// What every handler shares: the index, a reader that follows its commits, and the limits.
pub struct AppState {
    pub index: SurveyIndex,
    pub reader: IndexReader,
    pub limits: Limits,
    /// Host headers accepted (loopback names with the port), or `None` to accept any: a page
    /// on another site cannot then reach a loopback server through DNS rebinding.
    pub allowed_hosts: Option<Vec<String>>,
    work: Arc<Semaphore>,
}

impl AppState {
    /// Opens the index at `dir` for reading; the reader picks up commits that `verbatim add`
    /// makes while the server runs.
    pub fn open(dir: &Path, limits: Limits) -> Result<AppState> {
        let index = SurveyIndex::open(dir)?;
        let reader = index
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .with_context(|| format!("cannot read the index at {}", dir.display()))?;
        Ok(AppState {
            index,
            reader,
            work: Arc::new(Semaphore::new(limits.concurrent.max(1))),
            limits,
            allowed_hosts: None,
        })
    }

    /// Accept only requests addressed to a loopback name on `port`.
    pub fn loopback_only(mut self, port: u16) -> AppState {
        self.allowed_hosts = Some(
            ["127.0.0.1", "localhost", "[::1]"]
                .iter()
                .map(|h| format!("{h}:{port}"))
                .collect(),
        );
        self
    }

    /// Runs `work` on a blocking thread once a slot is free.
    pub async fn compute<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&AppState) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let slot = Arc::clone(&self.work).acquire_owned();
        let permit = tokio::time::timeout(self.limits.queue_timeout, slot)
            .await
            .map_err(|_| ApiError::Busy)?
            .map_err(|_| ApiError::Busy)?;
        let state = Arc::clone(self);
        // The slot is freed when the work is done, even if the client has gone away.
        tokio::task::spawn_blocking(move || {
            let result = work(&state);
            drop(permit);
            result
        })
        .await
        .map_err(|e| ApiError::Internal(format!("a request failed: {e}")))?
    }
}

/// The page and the API.
pub fn router(state: Arc<AppState>) -> Router {
    let body_limit = state.limits.max_body_bytes;
    Router::new()
        .route("/", get(assets::page))
        .route("/app.js", get(assets::script))
        .route("/app.css", get(assets::style))
        .route("/api/info", get(info::info))
        .route("/api/search", get(search::search))
        .route("/api/facets", get(facets::facets))
        .route("/api/crosstab", get(crosstab::crosstab))
        .route("/api/crosstab.svg", get(crosstab::heatmap))
        .route("/api/quotes", get(quotes::quotes))
        .route("/api/export", post(quotes::export))
        .fallback(error::not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            guard::guard,
        ))
        .with_state(state)
}

/// Serves `state` on `listener` until the process is interrupted (Ctrl-C).
pub async fn serve(listener: TcpListener, state: Arc<AppState>) -> Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the server stopped")
}
