//! The report of an index: per theme its prevalence, how it differs by the main closed question
//! (significant cells only), its mean sentiment and its pull-quote shortlist, with an overview
//! chart. [`build`] gathers the numbers; [`html`] and [`markdown`] only lay them out.
mod charts;
pub mod html;
pub mod markdown;

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::Searcher;

pub use charts::{column_bars_svg, prevalence_svg};

use crate::codebook::Codebook;
use crate::crosstab::{crosstab, Crosstab, CrosstabOptions, Measure, Unit, RESIDUAL_FLAG};
use crate::index::{distinct_values, theme_sentiment_name, Counts, SurveyIndex, CODEBOOK_FILE};
use crate::quotes::{shortlist, QuoteOptions, Shortlist};
use crate::stats::{MeanAccumulator, MeanInterval};

/// An attribute becomes the default breakdown only with this many values or fewer.
const MAX_BY_VALUES: usize = 12;
/// Significance level for the highlights, on the Benjamini-Hochberg adjusted p.
pub const ALPHA: f64 = 0.05;

#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub title: Option<String>,
    /// The closed question or attribute to break themes down by; chosen from the survey when
    /// `None` (see [`default_by`]).
    pub by: Option<String>,
    /// Quotes per theme.
    pub quotes: usize,
    pub redact: bool,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            title: None,
            by: None,
            quotes: 5,
            redact: true,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub title: String,
    pub codebook: String,
    pub codebook_version: String,
    pub codebook_hash: String,
    pub files: Vec<String>,
    pub counts: Counts,
    /// Comments with no theme.
    pub uncoded: f64,
    /// The breakdown: themes by the main question, with the statistics.
    pub by: Option<Crosstab>,
    /// How the breakdown was chosen, when it was not asked for.
    pub by_note: Option<String>,
    pub themes: Vec<ThemeSection>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeSection {
    pub id: String,
    pub label: String,
    pub description: String,
    pub depth: usize,
    pub comments: f64,
    /// Share of all comments.
    pub percent: f64,
    pub sentiment: Option<SentimentSummary>,
    /// The breakdown's verdict for this theme, in words.
    pub difference: Option<String>,
    /// Cells that differ significantly from the theme's overall rate.
    pub highlights: Vec<Highlight>,
    pub quotes: Shortlist,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct SentimentSummary {
    pub mean: f64,
    pub lower: f64,
    pub upper: f64,
    pub n: f64,
}

impl From<MeanInterval> for SentimentSummary {
    fn from(m: MeanInterval) -> Self {
        SentimentSummary {
            mean: m.mean,
            lower: m.lower,
            upper: m.upper,
            n: m.n,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Highlight {
    pub column: String,
    pub n: f64,
    pub base: f64,
    pub percent: f64,
    /// The theme's share of all comments with an answer.
    pub overall_percent: f64,
    pub residual: f64,
}

impl Highlight {
    /// "40.0% (4 of 10) against 20.0% overall, more often than expected (adjusted residual
    /// +2.30)": what the cell says, after its column's name.
    pub fn finding(&self) -> String {
        format!(
            "{:.1}% ({} of {}) against {:.1}% overall, {} often than expected (adjusted residual {:+.2})",
            self.percent,
            count(self.n),
            count(self.base),
            self.overall_percent,
            if self.residual > 0.0 { "more" } else { "less" },
            self.residual
        )
    }
}

pub fn build(index: &SurveyIndex, options: &ReportOptions) -> Result<Report> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let manifest = &index.manifest;
    let counts = index.counts()?;
    let codebook = Codebook::from_path(&index.dir.join(CODEBOOK_FILE)).with_context(|| {
        format!(
            "cannot read the codebook copy in {}: rebuild the index",
            index.dir.display()
        )
    })?;
    let (by, by_note) = match &options.by {
        Some(by) => (Some(by.clone()), None),
        None => match default_by(index, &searcher) {
            Some((by, note)) => (Some(by), Some(note)),
            None => (None, None),
        },
    };
    let overall = crosstab(
        index,
        &CrosstabOptions {
            cols: "question".into(),
            unit: Unit::Comment,
            weight: None,
            measure: Measure::Count,
            filter: None,
        },
    )?;
    let breakdown = match &by {
        Some(by) => Some(crosstab(
            index,
            &CrosstabOptions {
                cols: by.clone(),
                unit: Unit::Comment,
                weight: None,
                measure: Measure::Count,
                filter: None,
            },
        )?),
        None => None,
    };
    let sentiments = theme_sentiments(index, &searcher);
    let mut themes = Vec::with_capacity(manifest.themes.len());
    for (t, spec) in manifest.themes.iter().enumerate() {
        let row = &overall.rows[t];
        let quotes = shortlist(
            index,
            &searcher,
            &QuoteOptions {
                theme: spec.id.clone(),
                top: options.quotes,
                redact: options.redact,
                ..QuoteOptions::default()
            },
        )?;
        let (difference, highlights) = match &breakdown {
            Some(table) => differences(table, t),
            None => (None, Vec::new()),
        };
        let description = codebook
            .theme_index(&spec.id)
            .map(|i| codebook.themes[i].description.clone())
            .unwrap_or_default();
        themes.push(ThemeSection {
            id: spec.id.clone(),
            label: spec.label.clone(),
            description,
            depth: row.depth,
            comments: row.row_total,
            percent: percent(row.row_total, overall.total),
            sentiment: sentiments[t].map(SentimentSummary::from),
            difference,
            highlights,
            quotes,
        });
    }
    let files = counts.batches.iter().map(|b| b.file.clone()).collect();
    let title = options.title.clone().unwrap_or_else(|| {
        format!(
            "{}: themes, sentiment and quotes",
            manifest.codebook.name.trim()
        )
    });
    Ok(Report {
        title,
        codebook: manifest.codebook.name.clone(),
        codebook_version: manifest.codebook.version.clone(),
        codebook_hash: manifest.codebook.hash.clone(),
        files,
        uncoded: overall.uncoded.iter().sum(),
        counts,
        by: breakdown,
        by_note,
        themes,
    })
}

fn percent(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        100.0 * part / whole
    } else {
        f64::NAN
    }
}

/// The first ordered closed question, else the first closed question, else the first attribute
/// with 2 to 12 values; with a note saying which and why.
pub fn default_by(index: &SurveyIndex, searcher: &Searcher) -> Option<(String, String)> {
    let survey = &index.manifest.survey;
    if let Some(q) = survey.closed.iter().find(|q| q.ordered) {
        return Some((
            q.column.clone(),
            format!("{}, the first ordered closed question", q.column),
        ));
    }
    if let Some(q) = survey.closed.first() {
        return Some((
            q.column.clone(),
            format!("{}, the first closed question", q.column),
        ));
    }
    survey
        .attributes
        .iter()
        .zip(&index.fields.attributes)
        .find(|(_, field)| (2..=MAX_BY_VALUES).contains(&distinct_values(searcher, **field).len()))
        .map(|(name, _)| {
            (
                name.clone(),
                format!(
                    "{name}: the survey has no closed question, and {name} is the first attribute with 2 to {MAX_BY_VALUES} values (choose another with --by)"
                ),
            )
        })
}

/// The breakdown's verdict on theme `t`, and its significant cells.
fn differences(table: &Crosstab, t: usize) -> (Option<String>, Vec<Highlight>) {
    let row = &table.rows[t];
    let Some(test) = &row.test else {
        return (
            Some(format!("Not tested by {} (too few comments)", table.column)),
            Vec::new(),
        );
    };
    let p = test.reported_p();
    let method = if test.fisher_p.is_some() {
        "Fisher's exact test".to_string()
    } else {
        format!("χ²({}) = {:.2}", test.df, test.chi_square)
    };
    let caution = if test.approximation_unsafe && test.fisher_p.is_none() {
        "; expected counts are small, so the p-value is approximate"
    } else {
        ""
    };
    let significant = test.p_adjusted < ALPHA;
    let verdict = format!(
        "{} by {}: {method}, p = {} ({} adjusted across the {} themes tested), Cramér's V = {:.2}{caution}",
        if significant {
            "Differs significantly"
        } else {
            "No significant difference"
        },
        table.column,
        p_value(p),
        p_value(test.p_adjusted),
        table.rows.iter().filter(|r| r.test.is_some()).count(),
        test.cramers_v
    );
    if !significant {
        return (Some(verdict), Vec::new());
    }
    let answered: f64 = table.base[..table.base.len() - 1].iter().sum();
    let with_theme: f64 = row.n[..row.n.len() - 1].iter().sum();
    let overall_percent = percent(with_theme, answered);
    let highlights = (0..table.columns.len() - 1)
        .filter(|&c| row.residual[c].is_finite() && row.residual[c].abs() > RESIDUAL_FLAG)
        .map(|c| Highlight {
            column: table.columns[c].clone(),
            n: row.n[c],
            base: table.base[c],
            percent: row.column_percent[c],
            overall_percent,
            residual: row.residual[c],
        })
        .collect();
    (Some(verdict), highlights)
}

/// A count as a report prints it: "686,221"; weighted counts keep one decimal.
pub fn count(n: f64) -> String {
    if n.fract() == 0.0 && n >= 0.0 && n < u64::MAX as f64 {
        crate::survey::format_count(n as u64)
    } else {
        format!("{n:.1}")
    }
}

/// "0.003", "< 0.001".
pub fn p_value(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".to_string()
    } else {
        format!("{p:.3}")
    }
}

/// Mean theme sentiment over every comment with the theme, with its 95% interval.
fn theme_sentiments(index: &SurveyIndex, searcher: &Searcher) -> Vec<Option<MeanInterval>> {
    let themes = index.manifest.themes.len();
    let mut sums = vec![MeanAccumulator::new(); themes];
    for segment in searcher.segment_readers() {
        let alive = segment.alive_bitset();
        for (t, sum) in sums.iter_mut().enumerate() {
            let Ok(column) = segment.fast_fields().f64(&theme_sentiment_name(t)) else {
                continue;
            };
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                if let Some(value) = column.first(doc) {
                    sum.add(value, 1.0);
                }
            }
        }
    }
    sums.iter().map(|s| s.finish(0.95)).collect()
}

/// The files a report folder holds, relative to it.
pub const HTML_FILE: &str = "index.html";
pub const MARKDOWN_FILE: &str = "report.md";

/// Writes `index.html`, `report.md` and the Markdown's charts into `dir` (created if needed);
/// returns the files written.
pub fn write(report: &Report, dir: &std::path::Path) -> Result<Vec<std::path::PathBuf>> {
    let charts = dir.join("charts");
    std::fs::create_dir_all(&charts)
        .with_context(|| format!("cannot create {}", charts.display()))?;
    let mut files: Vec<(std::path::PathBuf, String)> = vec![
        (dir.join(HTML_FILE), html::render(report)),
        (dir.join(MARKDOWN_FILE), markdown::render(report)),
        (dir.join(markdown::overview_chart()), prevalence_svg(report)),
    ];
    if let Some(table) = &report.by {
        files.push((
            dir.join(markdown::breakdown_chart()),
            crate::crosstab::heatmap_svg(table),
        ));
        for (t, theme) in report.themes.iter().enumerate() {
            if theme.comments > 0.0 {
                files.push((
                    dir.join(markdown::theme_chart(theme)),
                    column_bars_svg(table, theme, t),
                ));
            }
        }
    }
    for (path, text) in &files {
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}
