//! Themes against the quantitative answers: counts of comments (or respondents) per theme by a
//! closed question, an attribute, the open question or another theme, with the statistics a
//! methods section reports. Reads the index's fast fields only (`collect.rs`).
mod collect;
mod svg;

use anyhow::{bail, Result};
use serde::Serialize;
use tantivy::query::{AllQuery, Query};
use tantivy::Searcher;

pub use collect::{ColumnSource, Tally, TallyCollector, TallySpec, Unit};
pub use svg::heatmap_svg;

use crate::index::{
    attribute_name, closed_name, compile, distinct_values, field_key as key, theme_bits_name,
    theme_sentiment_name, SurveyIndex, QUESTION_FIELD, RESPONDENT_FIELD,
};
use crate::stats::{
    benjamini_hochberg, chi_square, fisher_exact_2x2, jaccard, lift, mann_whitney_counts,
    MeanInterval,
};

/// |adjusted residual| beyond this flags a cell (two-sided 5%).
pub const RESIDUAL_FLAG: f64 = 1.96;
pub const MISSING: &str = "(missing)";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    Count,
    Sentiment,
}

#[derive(Debug, Clone)]
pub struct CrosstabOptions {
    /// `theme`, `question`, or a closed question's or attribute's column.
    pub cols: String,
    pub unit: Unit,
    /// A column holding each respondent's survey weight.
    pub weight: Option<String>,
    pub measure: Measure,
    /// A search query: only the comments it matches are tabulated.
    pub filter: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    Ordered,
    Unordered,
    Attribute,
    Question,
    Theme,
}

#[derive(Debug, Clone, Serialize)]
pub struct Crosstab {
    pub column: String,
    pub kind: ColumnKind,
    /// Column labels; for answers and attributes the last one is the missing value.
    pub columns: Vec<String>,
    pub unit: &'static str,
    pub weighted: bool,
    pub measure: Measure,
    pub filter: Option<String>,
    /// Units in each column, and in all.
    pub base: Vec<f64>,
    pub base_count: Vec<u64>,
    pub total: f64,
    pub rows: Vec<ThemeRow>,
    /// Units with no theme, per column.
    pub uncoded: Vec<f64>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeRow {
    pub theme: String,
    pub label: String,
    /// 0 for a top-level theme, 1 for its children, ...
    pub depth: usize,
    /// Units with the theme in each column (weighted), and unweighted.
    pub n: Vec<f64>,
    pub counts: Vec<u64>,
    pub row_total: f64,
    /// Share of the theme's units in each column.
    pub row_percent: Vec<f64>,
    /// Share of each column's units that have the theme.
    pub column_percent: Vec<f64>,
    /// Adjusted standardised residual of each cell (NaN where not tested).
    pub residual: Vec<f64>,
    pub test: Option<Test>,
    /// Ordered questions: do comments with the theme sit further along the scale?
    pub trend: Option<Trend>,
    /// `--measure sentiment`: mean theme sentiment per column with its 95% interval.
    pub sentiment: Vec<Option<CellMean>>,
    /// Co-occurrence with each theme.
    pub jaccard: Vec<f64>,
    pub lift: Vec<f64>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct CellMean {
    pub mean: f64,
    pub lower: f64,
    pub upper: f64,
    /// Effective number of comments (Kish) behind the mean.
    pub n: f64,
}

impl From<MeanInterval> for CellMean {
    fn from(m: MeanInterval) -> Self {
        CellMean {
            mean: m.mean,
            lower: m.lower,
            upper: m.upper,
            n: m.n,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Test {
    pub chi_square: f64,
    pub df: usize,
    pub p: f64,
    /// Benjamini-Hochberg across every theme tested in this table, of [`Test::reported_p`].
    pub p_adjusted: f64,
    pub cramers_v: f64,
    /// Fisher's exact test (two-sided) for a 2x2 table, on unweighted counts.
    pub fisher_p: Option<f64>,
    /// Expected counts too small for the chi-square approximation (any < 1, or > 20% < 5).
    pub approximation_unsafe: bool,
}

impl Test {
    /// Fisher's exact p for a 2x2 table, else the chi-square p: the one reported and adjusted.
    pub fn reported_p(&self) -> f64 {
        self.fisher_p.unwrap_or(self.p)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    /// Mann-Whitney U between the levels of comments with and without the theme.
    pub u: f64,
    pub z: f64,
    pub p: f64,
    /// From -1 to 1: positive when comments with the theme sit at later levels.
    pub rank_biserial: f64,
}

/// The column source, its kind and its labels.
fn resolve_column(
    index: &SurveyIndex,
    searcher: &Searcher,
    cols: &str,
) -> Result<(ColumnSource, ColumnKind, String)> {
    let manifest = &index.manifest;
    let wanted = key(cols);
    if wanted == "theme" || wanted == "themes" {
        return Ok((ColumnSource::Themes, ColumnKind::Theme, "theme".into()));
    }
    if wanted == "question" {
        let labels = manifest
            .survey
            .open
            .iter()
            .map(|q| q.column.clone())
            .collect();
        let source = ColumnSource::Values {
            field: QUESTION_FIELD.to_string(),
            labels,
        };
        return Ok((source, ColumnKind::Question, "question".into()));
    }
    if let Some(q) = manifest
        .survey
        .closed
        .iter()
        .position(|c| key(&c.column) == wanted)
    {
        let spec = &manifest.survey.closed[q];
        let mut labels = spec.levels.clone();
        let field = closed_name(q);
        let extra: Vec<String> = distinct_values(searcher, index.fields.closed[q])
            .into_iter()
            .filter(|v| !labels.contains(v))
            .collect();
        labels.extend(extra);
        let kind = if spec.ordered {
            ColumnKind::Ordered
        } else {
            ColumnKind::Unordered
        };
        return Ok((
            ColumnSource::Values { field, labels },
            kind,
            spec.column.clone(),
        ));
    }
    if let Some(a) = manifest
        .survey
        .attributes
        .iter()
        .position(|c| key(c) == wanted)
    {
        let labels = distinct_values(searcher, index.fields.attributes[a])
            .into_iter()
            .collect();
        let source = ColumnSource::Values {
            field: attribute_name(a),
            labels,
        };
        return Ok((
            source,
            ColumnKind::Attribute,
            manifest.survey.attributes[a].clone(),
        ));
    }
    let mut known = vec!["theme".to_string(), "question".to_string()];
    known.extend(manifest.survey.closed.iter().map(|c| c.column.clone()));
    known.extend(manifest.survey.attributes.iter().cloned());
    bail!(
        "no column {cols:?} to cross themes with; columns: {}",
        known.join(", ")
    )
}

fn weight_field(index: &SurveyIndex, weight: &str) -> Result<String> {
    let manifest = &index.manifest;
    let wanted = key(weight);
    if let Some(a) = manifest
        .survey
        .attributes
        .iter()
        .position(|c| key(c) == wanted)
    {
        return Ok(attribute_name(a));
    }
    if let Some(q) = manifest
        .survey
        .closed
        .iter()
        .position(|c| key(&c.column) == wanted)
    {
        return Ok(closed_name(q));
    }
    bail!(
        "no column {weight:?} for weights: a weight column must be in the survey schema as an attribute \
         (add `[[attribute]] column = \"{weight}\"` to survey.toml and rebuild the index)"
    )
}

/// The crosstab of the comments `options.filter` matches (all of them without a filter).
pub fn crosstab(index: &SurveyIndex, options: &CrosstabOptions) -> Result<Crosstab> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let query: Box<dyn Query> = match &options.filter {
        Some(filter) => compile(index, &searcher, filter)?.query,
        None => Box::new(AllQuery),
    };
    crosstab_of(index, &searcher, query.as_ref(), options)
}

/// The crosstab of the comments `query` matches; `options.filter` only labels the table.
pub fn crosstab_of(
    index: &SurveyIndex,
    searcher: &Searcher,
    query: &dyn Query,
    options: &CrosstabOptions,
) -> Result<Crosstab> {
    let manifest = &index.manifest;
    let (source, kind, column) = resolve_column(index, searcher, &options.cols)?;
    if options.measure == Measure::Sentiment && manifest.sentiment.is_none() {
        bail!("this index was built without sentiment (--no-sentiment): rebuild it to use --measure sentiment");
    }
    let weight = match &options.weight {
        Some(w) => Some(weight_field(index, w)?),
        None => None,
    };
    let themes = manifest.themes.len();
    let spec = TallySpec {
        theme_bit_fields: (0..index.fields.theme_bits.len())
            .map(theme_bits_name)
            .collect(),
        themes,
        column: source.clone(),
        weight,
        sentiment: (options.measure == Measure::Sentiment)
            .then(|| (0..themes).map(theme_sentiment_name).collect()),
        unit: options.unit,
        respondent_field: RESPONDENT_FIELD.to_string(),
    };
    let tally = searcher.search(query, &TallyCollector { spec })?;
    Ok(analyse(index, &tally, source, kind, column, options))
}

fn depth(index: &SurveyIndex, t: usize) -> usize {
    index.manifest.themes[t].facet.matches('/').count() - 1
}

fn analyse(
    index: &SurveyIndex,
    tally: &Tally,
    source: ColumnSource,
    kind: ColumnKind,
    column: String,
    options: &CrosstabOptions,
) -> Crosstab {
    let manifest = &index.manifest;
    let mut warnings = Vec::new();
    let (columns, tested): (Vec<String>, usize) = match &source {
        ColumnSource::Values { labels, .. } => {
            let mut columns = labels.clone();
            columns.push(MISSING.into());
            (columns, labels.len())
        }
        ColumnSource::Themes => (manifest.themes.iter().map(|t| t.id.clone()).collect(), 0),
    };
    let total = tally.base.iter().sum::<f64>();
    let units_total = match source {
        ColumnSource::Themes => tally.units as f64,
        _ => total,
    };
    let substantive: Vec<usize> = match (&source, kind) {
        (ColumnSource::Values { labels, .. }, ColumnKind::Ordered) => {
            let closed = manifest
                .survey
                .closed
                .iter()
                .find(|c| c.column == column)
                .expect("the column resolved to this question");
            (0..labels.len())
                .filter(|&l| closed.is_substantive(l))
                .collect()
        }
        _ => Vec::new(),
    };
    let mut rows: Vec<ThemeRow> = (0..manifest.themes.len())
        .map(|t| {
            let spec = &manifest.themes[t];
            let n = tally.cells[t].clone();
            let row_total: f64 = n.iter().sum();
            let mut row = ThemeRow {
                theme: spec.id.clone(),
                label: spec.label.clone(),
                depth: depth(index, t),
                row_percent: n.iter().map(|v| 100.0 * v / row_total).collect(),
                column_percent: n
                    .iter()
                    .zip(&tally.base)
                    .map(|(v, b)| 100.0 * v / b)
                    .collect(),
                counts: tally.cell_counts[t].clone(),
                n,
                row_total,
                residual: vec![f64::NAN; columns.len()],
                test: None,
                trend: None,
                sentiment: tally.sentiment[t]
                    .iter()
                    .map(|a| a.finish(0.95).map(CellMean::from))
                    .collect(),
                jaccard: Vec::new(),
                lift: Vec::new(),
            };
            if let ColumnSource::Themes = source {
                row.jaccard = (0..manifest.themes.len())
                    .map(|b| jaccard(tally.cells[t][b], tally.base[t], tally.base[b]))
                    .collect();
                row.lift = (0..manifest.themes.len())
                    .map(|b| lift(tally.cells[t][b], tally.base[t], tally.base[b], units_total))
                    .collect();
                row.column_percent = (0..manifest.themes.len())
                    .map(|b| 100.0 * tally.cells[t][b] / tally.base[b])
                    .collect();
                return row;
            }
            // Theme against the answers given (the missing column is shown, not tested).
            let with: Vec<f64> = (0..tested).map(|c| tally.cells[t][c]).collect();
            let without: Vec<f64> = (0..tested)
                .map(|c| tally.base[c] - tally.cells[t][c])
                .collect();
            if let Some(chi) = chi_square(&[with.clone(), without.clone()]) {
                for c in 0..tested {
                    row.residual[c] = chi.adjusted_residuals[0][c];
                }
                let nonempty: Vec<usize> =
                    (0..tested).filter(|&c| tally.base_count[c] > 0).collect();
                let fisher_p = (nonempty.len() == 2).then(|| {
                    let (a, b) = (nonempty[0], nonempty[1]);
                    let count = |c: usize| tally.cell_counts[t][c];
                    fisher_exact_2x2(
                        count(a),
                        count(b),
                        tally.base_count[a] - count(a),
                        tally.base_count[b] - count(b),
                    )
                });
                row.test = Some(Test {
                    chi_square: chi.statistic,
                    df: chi.df,
                    p: chi.p_value,
                    p_adjusted: f64::NAN,
                    cramers_v: chi.cramers_v,
                    fisher_p,
                    approximation_unsafe: chi.approximation_unsafe,
                });
            }
            if substantive.len() >= 2 {
                let with: Vec<u64> = substantive
                    .iter()
                    .map(|&l| tally.cell_counts[t][l])
                    .collect();
                let without: Vec<u64> = substantive
                    .iter()
                    .map(|&l| tally.base_count[l] - tally.cell_counts[t][l])
                    .collect();
                row.trend = mann_whitney_counts(&with, &without).map(|m| Trend {
                    u: m.u,
                    z: m.z,
                    p: m.p_value,
                    rank_biserial: m.rank_biserial,
                });
            }
            row
        })
        .collect();
    let p_values: Vec<f64> = rows
        .iter()
        .map(|r| r.test.as_ref().map_or(f64::NAN, Test::reported_p))
        .collect();
    for (row, adjusted) in rows.iter_mut().zip(benjamini_hochberg(&p_values)) {
        if let Some(test) = row.test.as_mut() {
            test.p_adjusted = adjusted;
        }
    }
    let unsafe_themes: Vec<&str> = rows
        .iter()
        .filter(|r| r.test.as_ref().is_some_and(|t| t.approximation_unsafe))
        .map(|r| r.theme.as_str())
        .collect();
    if !unsafe_themes.is_empty() {
        warnings.push(format!(
            "expected counts are small for {}: the chi-square p-value is approximate{}",
            unsafe_themes.join(", "),
            if (0..tested).filter(|&c| tally.base_count[c] > 0).count() == 2 {
                "; read Fisher's exact p instead"
            } else {
                "; merge levels or read the residuals with care"
            }
        ));
    }
    if tally.unweighted > 0 {
        warnings.push(format!(
            "{} comments have no usable weight (missing, negative or not a number) and count 0",
            tally.unweighted
        ));
    }
    Crosstab {
        column,
        kind,
        columns,
        unit: match options.unit {
            Unit::Comment => "comments",
            Unit::Respondent => "respondents",
        },
        weighted: options.weight.is_some(),
        measure: options.measure,
        filter: options.filter.clone(),
        base: tally.base.clone(),
        base_count: tally.base_count.clone(),
        total: units_total,
        rows,
        uncoded: tally.uncoded.clone(),
        warnings,
    }
}
