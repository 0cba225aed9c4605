//! A view of the comments, as the page's URL and the API's parameters state it: the query the
//! user typed (`q`), the themes clicked (`theme`), the answers and attributes chosen
//! (`f=column:value`, values of one column OR-ed) and a sentiment range (`smin`, `smax`). It
//! becomes one query of the query language, so the page filters exactly as `verbatim search`.
use std::ops::Range;

use tantivy::query::AllQuery;
use tantivy::Searcher;

use super::error::ApiError;
use super::params::Params;
use super::Limits;
use crate::index::{compile, field_key, CompiledQuery, Highlighter, SurveyIndex};
use crate::query::{parse, QueryError};

/// The parameters that state a view.
pub const VIEW_PARAMS: &[&str] = &["q", "theme", "f", "smin", "smax"];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct View {
    pub q: String,
    pub themes: Vec<String>,
    /// Per column (as given), the values chosen.
    pub filters: Vec<(String, Vec<String>)>,
    pub sentiment_min: Option<f64>,
    pub sentiment_max: Option<f64>,
}

/// A value in quotes, as the query language reads it.
fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('"', "\\\""))
}

/// A sentiment bound as the query language reads it.
fn number(value: f64) -> String {
    format!("{value}")
}

impl View {
    pub fn from_params(params: &Params, limits: &Limits) -> Result<View, ApiError> {
        let q = params.one("q")?.unwrap_or("").trim().to_string();
        let chars = q.chars().count();
        if chars > limits.max_query_chars {
            return Err(ApiError::bad(format!(
                "the query is {chars} characters long; at most {} are allowed",
                limits.max_query_chars
            )));
        }
        let themes: Vec<String> = params
            .all("theme")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect();
        let mut filters: Vec<(String, Vec<String>)> = Vec::new();
        for f in params.all("f") {
            let Some((column, value)) = f.split_once(':') else {
                return Err(ApiError::bad(format!(
                    "f must be column:value (such as f=role:leader), not {f:?}"
                )));
            };
            let (column, value) = (column.trim(), value.trim());
            if column.is_empty() || value.is_empty() {
                return Err(ApiError::bad(format!(
                    "f must name a column and a value (such as f=role:leader), not {f:?}"
                )));
            }
            match filters
                .iter_mut()
                .find(|(c, _)| field_key(c) == field_key(column))
            {
                Some((_, values)) if !values.iter().any(|v| v == value) => {
                    values.push(value.to_string())
                }
                Some(_) => {}
                None => filters.push((column.to_string(), vec![value.to_string()])),
            }
        }
        let count = themes.len() + filters.iter().map(|(_, v)| v.len()).sum::<usize>();
        if count > limits.max_filters {
            return Err(ApiError::bad(format!(
                "{count} filters; at most {} are allowed",
                limits.max_filters
            )));
        }
        let sentiment_min = params.float("smin")?;
        let sentiment_max = params.float("smax")?;
        if let (Some(low), Some(high)) = (sentiment_min, sentiment_max) {
            if low > high {
                return Err(ApiError::bad(format!(
                    "smin ({low}) is above smax ({high})"
                )));
            }
        }
        Ok(View {
            q,
            themes,
            filters,
            sentiment_min,
            sentiment_max,
        })
    }

    /// The filters the page added, each as a query of its own.
    pub fn filter_parts(&self) -> Vec<String> {
        let mut parts = Vec::new();
        for theme in &self.themes {
            parts.push(format!("theme:{}", quoted(theme)));
        }
        for (column, values) in &self.filters {
            let name = field_key(column);
            let each: Vec<String> = values
                .iter()
                .map(|v| format!("{name}:{}", quoted(v)))
                .collect();
            parts.push(if each.len() == 1 {
                each.into_iter().next().unwrap_or_default()
            } else {
                format!("({})", each.join(" OR "))
            });
        }
        if let Some(low) = self.sentiment_min {
            parts.push(format!("sentiment>={}", number(low)));
        }
        if let Some(high) = self.sentiment_max {
            parts.push(format!("sentiment<={}", number(high)));
        }
        parts
    }

    /// The whole view as one query, and the span of each part: `q` first (in parentheses),
    /// then each filter.
    pub fn query_text(&self) -> (String, Vec<(Range<usize>, String)>) {
        let mut text = String::new();
        let mut spans = Vec::new();
        if !self.q.is_empty() {
            text.push('(');
            spans.push((1..1 + self.q.len(), self.q.clone()));
            text.push_str(&self.q);
            text.push(')');
        }
        for part in self.filter_parts() {
            if !text.is_empty() {
                text.push(' ');
            }
            spans.push((text.len()..text.len() + part.len(), part.clone()));
            text.push_str(&part);
        }
        (text, spans)
    }

    /// Resolves the view against the index. Errors point into `q` when the user's text is at
    /// fault, or name the filter that does not resolve.
    pub fn compile(
        &self,
        index: &SurveyIndex,
        searcher: &Searcher,
    ) -> Result<CompiledQuery, ApiError> {
        if !self.q.is_empty() {
            // The user's text alone first: wrapped in parentheses, an unbalanced one in it
            // would be hidden.
            parse(&self.q).map_err(|error| ApiError::Query {
                error,
                place: "q",
                part: self.q.clone(),
            })?;
        }
        let (text, spans) = self.query_text();
        if text.is_empty() {
            return Ok(CompiledQuery {
                query: Box::new(AllQuery),
                highlighter: Highlighter::default(),
                notes: Vec::new(),
                scored: false,
            });
        }
        compile(index, searcher, &text).map_err(|error| {
            let found = spans.iter().enumerate().find(|(_, (span, _))| {
                span.start <= error.start && error.start < span.end.max(span.start + 1)
            });
            match found {
                Some((i, (span, part))) => {
                    let relative = error.start - span.start..error.end.min(span.end) - span.start;
                    let is_q = i == 0 && !self.q.is_empty();
                    ApiError::Query {
                        error: QueryError::new(part, relative, error.message),
                        place: if is_q { "q" } else { "filter" },
                        part: part.clone(),
                    }
                }
                None => ApiError::Query {
                    place: "filter",
                    part: text.clone(),
                    error,
                },
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(raw: &str) -> Result<View, ApiError> {
        let params = Params::parse(Some(raw), VIEW_PARAMS).unwrap();
        View::from_params(&params, &Limits::default())
    }

    #[test]
    fn a_view_becomes_one_query_with_values_quoted() {
        let v = view(
            "q=top+down&theme=exclusion&f=role:Leader&f=Role:Officer&f=confidence:Not+%22very%22&smin=-1&smax=-0.3",
        )
        .unwrap();
        let (text, spans) = v.query_text();
        assert_eq!(
            text,
            r#"(top down) theme:"exclusion" (role:"Leader" OR role:"Officer") confidence:"Not \"very\"" sentiment>=-1 sentiment<=-0.3"#
        );
        assert_eq!(&text[spans[0].0.clone()], "top down");
        assert_eq!(&text[spans[2].0.clone()], spans[2].1);
    }

    #[test]
    fn malformed_views_are_refused() {
        assert!(view("f=role").is_err());
        assert!(view("f=:x").is_err());
        assert!(view("smin=0.5&smax=-0.5").is_err());
        assert!(view("smin=abc").is_err());
        assert!(view(&format!("q={}", "a".repeat(2_001))).is_err());
        assert_eq!(view("").unwrap(), View::default());
    }
}
