//! `/api/search`: a page of hits for a view, each with its highlighted text cut into marked and
//! plain segments (the page never handles byte offsets or HTML), and the theme counts of all
//! the hits.
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::Json;
use serde_json::{json, Map, Value};

use super::error::ApiError;
use super::params::Params;
use super::view::{View, VIEW_PARAMS};
use super::AppState;
use crate::index::{highlights, hit_json, search as run_search, segments, snippet};
use crate::index::{SearchOptions, SortOrder};
use crate::quotes::{attribution_columns, attribution_line};

const SORTS: &[&str] = &["relevance", "negative", "positive", "input"];
/// Longest snippet a client may ask for, in characters.
const MAX_SNIPPET: usize = 5_000;

pub async fn search(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let known: Vec<&str> = VIEW_PARAMS
        .iter()
        .copied()
        .chain(["sort", "offset", "limit", "snippet"])
        .collect();
    let params = Params::parse(raw.as_deref(), &known)?;
    let limits = &state.limits;
    let view = View::from_params(&params, limits)?;
    let sort_name = params.choice("sort", SORTS)?;
    let sort = match sort_name {
        "negative" => SortOrder::Negative,
        "positive" => SortOrder::Positive,
        "input" => SortOrder::Input,
        _ => SortOrder::Relevance,
    };
    let options = SearchOptions {
        offset: params.number("offset", 0, limits.max_offset)?,
        limit: params.number("limit", 20, limits.max_limit)?,
        sort,
    };
    let snippet_chars = params.number("snippet", 320, MAX_SNIPPET)?;
    state
        .compute(move |state| {
            let index = &state.index;
            let searcher = state.reader.searcher();
            let compiled = view.compile(index, &searcher)?;
            let results = run_search(index, &searcher, &compiled, &options)?;
            let who = attribution_columns(&index.manifest.survey);
            let hits: Vec<Value> = results
                .hits
                .iter()
                .enumerate()
                .map(|(i, hit)| {
                    let spans = highlights(&compiled.highlighter, &index.analyzer, &hit.comment);
                    let mut value = hit_json(hit, &spans, options.offset + i + 1, snippet_chars);
                    let cut = snippet(&hit.comment.text, &spans, snippet_chars);
                    // Who said it, as `verbatim quotes` attributes a quote.
                    value["attribution"] = json!(attribution_line(&hit.comment.attributes, &who));
                    value["segments"] = json!(segments(&hit.comment.text, &spans));
                    value["snippet_segments"] = json!(segments(&cut.text, &cut.highlights));
                    value
                })
                .collect();
            let (query, _) = view.query_text();
            Ok(Json(json!({
                "q": view.q,
                "query": query,
                "sort": sort_name,
                "total": results.total,
                "offset": options.offset,
                "limit": options.limit,
                "notes": compiled.notes,
                "hits": hits,
                "themes": results
                    .theme_counts
                    .iter()
                    .map(|(t, n)| (t.clone(), json!(n)))
                    .collect::<Map<_, _>>(),
                "uncoded": results.uncoded,
            })))
        })
        .await
}
