//! `/api/quotes`: the `verbatim quotes` ranking of one theme's comments within a view, and
//! `/api/export`: a shortlist chosen in the page, written as Markdown, CSV, JSON or XLSX by the
//! exports of `verbatim quotes`, with the same redaction and escaping.
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{RawQuery, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderName;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::error::ApiError;
use super::params::Params;
use super::view::{View, VIEW_PARAMS};
use super::AppState;
use crate::quotes::{export as write, picked, shortlist, MissingComments, Pick, QuoteOptions};

/// Quotes one ranking may ask for.
const MAX_TOP: usize = 50;
/// Longest quote in words, as `verbatim quotes --max-words` defaults.
const MAX_WORDS: usize = 60;

pub async fn quotes(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let known: Vec<&str> = VIEW_PARAMS
        .iter()
        .copied()
        .chain(["of", "top", "redact"])
        .collect();
    let params = Params::parse(raw.as_deref(), &known)?;
    let view = View::from_params(&params, &state.limits)?;
    let Some(theme) = params.one("of")?.map(String::from) else {
        return Err(ApiError::bad(
            "name the theme to rank quotes of: of=THEME (an id or a label)",
        ));
    };
    let manifest = &state.index.manifest;
    if !manifest
        .themes
        .iter()
        .any(|t| t.id.eq_ignore_ascii_case(&theme) || t.label.eq_ignore_ascii_case(&theme))
    {
        let ids: Vec<&str> = manifest.themes.iter().map(|t| t.id.as_str()).collect();
        return Err(ApiError::bad(format!(
            "no theme {theme:?} in the codebook; themes: {}",
            ids.join(", ")
        )));
    }
    let top = params.number("top", 8, MAX_TOP)?.max(1);
    let redact = params.choice("redact", &["true", "false"])? == "true";
    state
        .compute(move |state| {
            let searcher = state.reader.searcher();
            // Resolve the view first, so that a bad query is a 400 that points at the fault.
            view.compile(&state.index, &searcher)?;
            let (filter, _) = view.query_text();
            let options = QuoteOptions {
                theme,
                filter: (!filter.is_empty()).then_some(filter),
                top,
                redact,
                ..QuoteOptions::default()
            };
            let list = shortlist(&state.index, &searcher, &options)?;
            let mut value = serde_json::to_value(&list).map_err(anyhow::Error::from)?;
            value["summary"] = json!(write::summary(&list));
            Ok(Json(value))
        })
        .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportRequest {
    /// md, csv, json or xlsx.
    pub format: String,
    /// The chosen comments, in the order to export them.
    pub quotes: Vec<PickRequest>,
    #[serde(default = "yes")]
    pub redact: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PickRequest {
    pub seq: u64,
    /// The theme the quote was chosen for: it is trimmed to that theme's sentences.
    #[serde(default)]
    pub theme: Option<String>,
}

pub async fn export(
    State(state): State<Arc<AppState>>,
    body: Result<Json<ExportRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(request) =
        body.map_err(|rejection| ApiError::Rejected(rejection.status(), rejection.body_text()))?;
    let (content_type, extension) = match request.format.to_ascii_lowercase().as_str() {
        "md" | "markdown" => ("text/markdown; charset=utf-8", "md"),
        "csv" => ("text/csv; charset=utf-8", "csv"),
        "json" => ("application/json", "json"),
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        other => {
            return Err(ApiError::bad(format!(
                "format must be md, csv, json or xlsx, not {other:?}"
            )))
        }
    };
    if request.quotes.is_empty() {
        return Err(ApiError::bad("the shortlist is empty: nothing to export"));
    }
    if request.quotes.len() > state.limits.max_export {
        return Err(ApiError::bad(format!(
            "{} quotes; at most {} can be exported at once",
            request.quotes.len(),
            state.limits.max_export
        )));
    }
    let manifest = &state.index.manifest;
    for pick in &request.quotes {
        if let Some(theme) = &pick.theme {
            if !manifest.themes.iter().any(|t| t.id == *theme) {
                return Err(ApiError::bad(format!("no theme {theme:?} in the codebook")));
            }
        }
    }
    let picks: Vec<Pick> = request
        .quotes
        .iter()
        .map(|p| Pick {
            seq: p.seq,
            theme: p.theme.clone(),
        })
        .collect();
    let redact = request.redact;
    state
        .compute(move |state| {
            let searcher = state.reader.searcher();
            let list = picked(&state.index, &searcher, &picks, redact, MAX_WORDS).map_err(|e| {
                match e.downcast_ref::<MissingComments>() {
                    Some(missing) => ApiError::bad(missing.to_string()),
                    None => ApiError::from(e),
                }
            })?;
            let redactions = list.redactions.total();
            let lists = [list];
            let bytes = match extension {
                "md" => write::markdown(&lists).into_bytes(),
                "csv" => {
                    let mut out = Vec::new();
                    write::write_csv(&lists, &mut out)?;
                    out
                }
                "json" => write::json(&lists)?.into_bytes(),
                _ => write::xlsx(&lists)?,
            };
            Ok((
                [
                    (CONTENT_TYPE, content_type.to_string()),
                    (
                        CONTENT_DISPOSITION,
                        format!("attachment; filename=\"shortlist.{extension}\""),
                    ),
                    (
                        HeaderName::from_static("x-verbatim-redactions"),
                        redactions.to_string(),
                    ),
                ],
                bytes,
            )
                .into_response())
        })
        .await
}
