//! `/api/facets`: for the hits of a view, how many carry each theme (nested, parents
//! included), each answer of each closed question, each attribute value, and how their
//! sentiment is spread. Counted from the column store in one pass.
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::Json;
use serde_json::{json, Value};
use tantivy::collector::Count;

use super::error::ApiError;
use super::params::Params;
use super::view::{View, VIEW_PARAMS};
use super::AppState;
use crate::index::{
    attribute_name, closed_name, field_key, theme_bits_name, FacetCounts, ThemeCounts,
    SENTIMENT_BINS,
};

/// Values listed per attribute, most frequent first; the rest are counted in `more`.
const MAX_VALUES: usize = 200;

pub async fn facets(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let params = Params::parse(raw.as_deref(), VIEW_PARAMS)?;
    let view = View::from_params(&params, &state.limits)?;
    state
        .compute(move |state| {
            let index = &state.index;
            let manifest = &index.manifest;
            let searcher = state.reader.searcher();
            let compiled = view.compile(index, &searcher)?;
            let closed = manifest.survey.closed.len();
            let themes = ThemeCounts {
                fields: (0..index.fields.theme_bits.len())
                    .map(theme_bits_name)
                    .collect(),
                themes: manifest.themes.len(),
            };
            let values = FacetCounts {
                fields: (0..closed)
                    .map(closed_name)
                    .chain((0..manifest.survey.attributes.len()).map(attribute_name))
                    .collect(),
            };
            let (total, themed, counted) = searcher
                .search(compiled.query.as_ref(), &(Count, themes, values))
                .map_err(anyhow::Error::from)?;
            let closed_json: Vec<Value> = manifest
                .survey
                .closed
                .iter()
                .enumerate()
                .map(|(i, spec)| {
                    let counts = &counted.values[i];
                    // Levels in questionnaire order, then any other answer given.
                    let mut values: Vec<Value> = spec
                        .levels
                        .iter()
                        .map(|l| json!({"value": l, "count": counts.get(l).copied().unwrap_or(0), "level": true}))
                        .collect();
                    values.extend(counts.iter().filter(|(v, _)| !spec.levels.contains(v)).map(
                        |(v, n)| json!({"value": v, "count": n, "level": false}),
                    ));
                    json!({
                        "column": spec.column,
                        "key": field_key(&spec.column),
                        "question": spec.question,
                        "ordered": spec.ordered,
                        "values": values,
                        "missing": counted.missing[i],
                    })
                })
                .collect();
            let attributes_json: Vec<Value> = manifest
                .survey
                .attributes
                .iter()
                .enumerate()
                .map(|(a, name)| {
                    let counts = &counted.values[closed + a];
                    let mut values: Vec<(&String, &u64)> = counts.iter().collect();
                    values.sort_by(|x, y| y.1.cmp(x.1).then_with(|| x.0.cmp(y.0)));
                    let more = values.len().saturating_sub(MAX_VALUES);
                    values.truncate(MAX_VALUES);
                    json!({
                        "column": name,
                        "key": field_key(name),
                        "values": values.iter().map(|(v, n)| json!({"value": v, "count": n})).collect::<Vec<_>>(),
                        "more": more,
                        "missing": counted.missing[closed + a],
                    })
                })
                .collect();
            let width = 2.0 / SENTIMENT_BINS as f64;
            let bins: Vec<Value> = counted
                .sentiment
                .iter()
                .enumerate()
                .map(|(b, n)| {
                    let from = -1.0 + width * b as f64;
                    json!({"from": round(from), "to": round(from + width), "count": n})
                })
                .collect();
            Ok(Json(json!({
                "total": total,
                "themes": manifest.themes.iter().zip(&themed.counts).map(|(t, n)| json!({
                    "id": t.id,
                    "label": t.label,
                    "parent": t.parent,
                    "depth": t.facet.matches('/').count().saturating_sub(1),
                    "count": n,
                })).collect::<Vec<_>>(),
                "uncoded": themed.uncoded,
                "closed": closed_json,
                "attributes": attributes_json,
                "sentiment": {
                    "bins": bins,
                    "unscored": if manifest.sentiment.is_some() { counted.unscored } else { total as u64 },
                },
            })))
        })
        .await
}

fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}
