//! `/api/crosstab`: the themes of a view's comments by a closed question, an attribute, the
//! open question or another theme, with the statistics of `verbatim crosstab` (JSON), and
//! `/api/crosstab.svg`: the same table as its heatmap, drawn by the same renderer.
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::error::ApiError;
use super::params::Params;
use super::view::{View, VIEW_PARAMS};
use super::AppState;
use crate::crosstab::{crosstab_of, heatmap_svg, Crosstab, CrosstabOptions, Measure, Unit};
use crate::index::field_key;

struct Request {
    view: View,
    options: CrosstabOptions,
}

fn request(state: &AppState, raw: Option<&str>) -> Result<Request, ApiError> {
    let known: Vec<&str> = VIEW_PARAMS
        .iter()
        .copied()
        .chain(["cols", "measure", "unit"])
        .collect();
    let params = Params::parse(raw, &known)?;
    let view = View::from_params(&params, &state.limits)?;
    let manifest = &state.index.manifest;
    let mut columns = vec!["theme".to_string(), "question".to_string()];
    columns.extend(manifest.survey.closed.iter().map(|c| c.column.clone()));
    columns.extend(manifest.survey.attributes.iter().cloned());
    let default = manifest
        .survey
        .closed
        .first()
        .map_or("question".to_string(), |c| c.column.clone());
    let cols = params.one("cols")?.map_or(default, String::from);
    if !columns.iter().any(|c| field_key(c) == field_key(&cols))
        && !matches!(field_key(&cols).as_str(), "themes")
    {
        return Err(ApiError::bad(format!(
            "no column {cols:?} to cross themes with; columns: {}",
            columns.join(", ")
        )));
    }
    let measure = match params.choice("measure", &["count", "sentiment"])? {
        "sentiment" if manifest.sentiment.is_none() => {
            return Err(ApiError::bad(
                "this index was built without sentiment: measure=sentiment is not available",
            ))
        }
        "sentiment" => Measure::Sentiment,
        _ => Measure::Count,
    };
    let unit = match params.choice("unit", &["comment", "respondent"])? {
        "respondent" => Unit::Respondent,
        _ => Unit::Comment,
    };
    let (text, _) = view.query_text();
    Ok(Request {
        options: CrosstabOptions {
            cols,
            unit,
            weight: None,
            measure,
            filter: (!text.is_empty()).then_some(text),
        },
        view,
    })
}

fn table(state: &AppState, request: &Request) -> Result<Crosstab, ApiError> {
    let searcher = state.reader.searcher();
    let compiled = request.view.compile(&state.index, &searcher)?;
    Ok(crosstab_of(
        &state.index,
        &searcher,
        compiled.query.as_ref(),
        &request.options,
    )?)
}

pub async fn crosstab(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Crosstab>, ApiError> {
    let request = request(&state, raw.as_deref())?;
    state
        .compute(move |state| Ok(Json(table(state, &request)?)))
        .await
}

pub async fn heatmap(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let request = request(&state, raw.as_deref())?;
    state
        .compute(move |state| {
            let image = heatmap_svg(&table(state, &request)?);
            Ok(([(CONTENT_TYPE, "image/svg+xml; charset=utf-8")], image).into_response())
        })
        .await
}
