//! `/api/info`: what the index holds, for the page to build its panels: the codebook and its
//! themes (nested), the open and closed questions with their levels, the attributes, the
//! counts, and the limits of the API.
use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use super::error::ApiError;
use super::AppState;
use crate::index::field_key;

pub async fn info(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    state.compute(|state| Ok(Json(describe(state)?))).await
}

fn describe(state: &AppState) -> Result<Value, ApiError> {
    let index = &state.index;
    let manifest = &index.manifest;
    let counts = index.counts()?;
    let searcher = state.reader.searcher();
    let name = index.dir.file_name().map_or_else(
        || index.dir.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let limits = &state.limits;
    Ok(json!({
        "index": name,
        "comments": searcher.num_docs(),
        "respondents": counts.respondents,
        "codebook": {
            "name": manifest.codebook.name,
            "version": manifest.codebook.version,
            "hash": manifest.codebook.hash,
        },
        "sentiment": manifest.sentiment.is_some(),
        "themes": manifest.themes.iter().map(|t| json!({
            "id": t.id,
            "label": t.label,
            "parent": t.parent,
            "depth": t.facet.matches('/').count().saturating_sub(1),
        })).collect::<Vec<_>>(),
        "open": manifest.survey.open.iter().map(|q| json!({
            "column": q.column,
            "question": q.question,
        })).collect::<Vec<_>>(),
        "closed": manifest.survey.closed.iter().map(|c| json!({
            "column": c.column,
            "key": field_key(&c.column),
            "question": c.question,
            "levels": c.levels,
            "ordered": c.ordered,
        })).collect::<Vec<_>>(),
        "attributes": manifest.survey.attributes.iter().map(|a| json!({
            "column": a,
            "key": field_key(a),
        })).collect::<Vec<_>>(),
        "limits": {
            "max_limit": limits.max_limit,
            "max_offset": limits.max_offset,
            "max_query_chars": limits.max_query_chars,
            "max_filters": limits.max_filters,
            "max_export": limits.max_export,
        },
    }))
}
