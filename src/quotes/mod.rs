//! Pull-quote shortlists: for a theme, a handful of quotes that carry its evidence, lean the way
//! its comments lean, say what the others say, read well, come from different people, and
//! identify no one. Every number behind a quote's place is kept, so `--explain` can show it.
mod attribution;
mod centroid;
mod diversity;
pub mod export;
mod hits;
mod picked;
mod rank;
mod redact;
mod trim;

use std::collections::HashMap;
use std::ops::Range;

use anyhow::{bail, Context, Result};
use serde::Serialize;
use tantivy::query::{BooleanQuery, Query};
use tantivy::Searcher;

pub use attribution::{attribution_line, default_columns as attribution_columns};
pub use diversity::{jaccard, shingles, PassedOver, Selection};
pub use picked::{picked, MissingComments, Pick, PICKED};
pub use rank::{Components, Direction, Quotability, Weights, QUOTE_WORDS};
pub use redact::{Redactions, Redactor, REDACTED};
pub use trim::{trim, Trimmed, ELLIPSIS};

use crate::codebook::Codebook;
use crate::index::{compile, load_hit, Hit, SurveyIndex, CODEBOOK_FILE};

/// What to shortlist and how.
#[derive(Debug, Clone)]
pub struct QuoteOptions {
    /// A theme id or label.
    pub theme: String,
    /// A search query the quotes must also match.
    pub filter: Option<String>,
    pub top: usize,
    pub weights: Weights,
    /// Weight of the score against similarity to quotes already chosen (1: score alone).
    pub lambda: f64,
    /// Word-shingle Jaccard at or above which a quote is a near-duplicate.
    pub duplicate: f64,
    /// Quotes per respondent (0: no limit).
    pub per_respondent: usize,
    /// At most this many of the theme's comments are ranked, evenly spaced in input order.
    pub pool: usize,
    /// Longest quote, in words, before sentences with evidence are left out.
    pub max_words: usize,
    pub redact: bool,
    /// Attributes of the attribution line; the survey's `attribution = true` ones when `None`.
    pub attribution: Option<Vec<String>>,
}

impl Default for QuoteOptions {
    fn default() -> Self {
        QuoteOptions {
            theme: String::new(),
            filter: None,
            top: 8,
            weights: Weights::default(),
            lambda: 0.7,
            duplicate: 0.5,
            per_respondent: 1,
            pool: 5_000,
            max_words: 60,
            redact: true,
            attribution: None,
        }
    }
}

/// The shortlist of one theme.
#[derive(Debug, Clone, Serialize)]
pub struct Shortlist {
    pub theme: String,
    pub label: String,
    pub filter: Option<String>,
    /// Comments with the theme (that match the filter).
    pub matched: usize,
    /// Comments ranked: all matched, or an even sample of `pool` of them.
    pub ranked: usize,
    /// Mean theme sentiment of the ranked comments, and the direction it gives.
    pub mean_sentiment: Option<f64>,
    pub direction: Direction,
    pub weights: Weights,
    pub lambda: f64,
    pub quotes: Vec<Quote>,
    pub passed_over: PassedOver,
    pub redacted: bool,
    pub redactions: Redactions,
    /// Quotes a person chose (`verbatim serve`'s shortlist), not ranked by [`shortlist`].
    pub picked: bool,
}

/// One quote, with everything behind its place.
#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    pub rank: usize,
    /// The comment's place in input order (its id in the index).
    pub seq: u64,
    pub respondent: String,
    pub question: String,
    pub file: String,
    pub line: u64,
    /// The quote: verbatim, trimmed to the theme's sentences, redacted.
    pub text: String,
    pub trimmed: bool,
    pub attribution: String,
    pub attributes: Vec<(String, String)>,
    pub answers: Vec<(String, String)>,
    /// The theme's sentiment in this comment.
    pub sentiment: Option<f64>,
    pub score: f64,
    pub components: Components,
    pub quotability: Quotability,
    /// Raw TF-IDF cosine to the theme centroid (the representative part is this over the
    /// largest in the theme).
    pub centroid_cosine: f64,
    /// Summed weight of the theme's evidence, and the theme's threshold.
    pub evidence_weight: f64,
    pub threshold: f64,
    /// Rules that fired for the theme, with the words they matched.
    pub rules: Vec<(String, String)>,
    /// Greatest similarity to a quote ranked above it, and the MMR value it was chosen at.
    pub similarity: f64,
    pub mmr: f64,
    pub redactions: Redactions,
}

/// Everything about one candidate before selection.
struct Scored {
    hit: Hit,
    trimmed: Trimmed,
    evidence: Vec<(String, Range<usize>)>,
    evidence_weight: f64,
    quotability: Quotability,
    sentiment: Option<f64>,
    shingles: Vec<u64>,
}

pub fn shortlist(
    index: &SurveyIndex,
    searcher: &Searcher,
    options: &QuoteOptions,
) -> Result<Shortlist> {
    let manifest = &index.manifest;
    let theme = resolve_theme(index, &options.theme)?;
    let spec = &manifest.themes[theme];
    let subtree = subtree(index, theme);
    let mut query = compile(index, searcher, &format!("theme:{}", spec.id))
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .query;
    if let Some(filter) = options.filter.as_deref().filter(|f| !f.trim().is_empty()) {
        let filter = compile(index, searcher, filter).map_err(|e| anyhow::anyhow!("{e}"))?;
        query = Box::new(BooleanQuery::intersection(vec![query, filter.query]));
    }
    let addresses = searcher.search(query.as_ref() as &dyn Query, &hits::InputOrder)?;
    let matched = addresses.len();
    let sample: Vec<_> = if matched > options.pool.max(1) {
        let n = options.pool.max(1);
        (0..n).map(|i| addresses[i * matched / n]).collect()
    } else {
        addresses
    };

    let codebook = Codebook::from_path(&index.dir.join(CODEBOOK_FILE)).with_context(|| {
        format!(
            "cannot read the codebook copy in {}: rebuild the index",
            index.dir.display()
        )
    })?;
    let rule_weights: HashMap<&str, f64> = codebook
        .rules
        .iter()
        .map(|r| (r.id.as_str(), r.weight))
        .collect();
    let threshold = codebook
        .theme_index(&spec.id)
        .map(|t| codebook.themes[t].threshold)
        .unwrap_or(1.0);

    let mut vocabulary = centroid::Vocabulary::default();
    let mut candidates = Vec::with_capacity(sample.len());
    for address in sample {
        let hit = load_hit(index, searcher, 0.0, address)?;
        let text = hit.comment.text.clone();
        let analysis = index.analyzer.analyze(&text);
        vocabulary.add(&analysis);
        let evidence: Vec<(String, Range<usize>)> = hit
            .comment
            .evidence
            .iter()
            .filter(|e| subtree.contains(&e.theme) && e.end <= hit.comment.text.len())
            .map(|e| (e.rule.clone(), e.start..e.end))
            .collect();
        let evidence_weight = rank::evidence_weight(
            evidence
                .iter()
                .map(|(rule, span)| {
                    let weight = rule_weights.get(rule.as_str()).copied().unwrap_or(1.0);
                    (span.clone(), weight)
                })
                .collect(),
        );
        let spans: Vec<Range<usize>> = evidence.iter().map(|(_, r)| r.clone()).collect();
        let trimmed = trim::trim(&analysis, &spans, options.max_words);
        let starts_cut = trimmed.cut && trimmed.text.starts_with(ELLIPSIS);
        let ends_cut = trimmed.cut && trimmed.text.ends_with(ELLIPSIS);
        let quotability = rank::quotability(&analysis, &trimmed.kept, starts_cut, ends_cut);
        let words = analysis
            .tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| trimmed.kept.iter().any(|r| r.contains(&t.start)))
            .map(|(i, _)| analysis.norm(i));
        let shingles = diversity::shingles(words);
        drop(analysis);
        let sentiment = hit
            .comment
            .theme_sentiment
            .iter()
            .find(|(t, _)| *t == spec.id)
            .map(|(_, s)| *s);
        candidates.push(Scored {
            hit,
            trimmed,
            evidence,
            evidence_weight,
            quotability,
            sentiment,
            shingles,
        });
    }
    let (vectors, centroid) = vocabulary.vectors();
    let cosines: Vec<f64> = vectors.iter().map(|v| v.dot(&centroid)).collect();
    let most_typical = cosines.iter().copied().fold(0.0f64, f64::max);
    let sentiments: Vec<f64> = candidates.iter().filter_map(|c| c.sentiment).collect();
    let mean_sentiment =
        (!sentiments.is_empty()).then(|| sentiments.iter().sum::<f64>() / sentiments.len() as f64);
    let direction = Direction::of_mean(mean_sentiment.unwrap_or(0.0));

    let attribution_columns = options
        .attribution
        .clone()
        .unwrap_or_else(|| attribution::default_columns(&manifest.survey));
    let components: Vec<Components> = candidates
        .iter()
        .zip(&cosines)
        .map(|(c, cos)| Components {
            evidence: rank::evidence_strength(c.evidence_weight, threshold),
            sentiment: direction.intensity(c.sentiment),
            representative: if most_typical > 0.0 {
                cos / most_typical
            } else {
                0.0
            },
            quotable: c.quotability.score,
        })
        .collect();
    let scores: Vec<f64> = components
        .iter()
        .map(|c| c.total(&options.weights))
        .collect();
    let attribute_values: Vec<Vec<&str>> = candidates
        .iter()
        .map(|c| {
            attribution_columns
                .iter()
                .map(|column| attribution::value(&c.hit.comment.attributes, column))
                .collect()
        })
        .collect();
    let diversity_candidates: Vec<diversity::Candidate<'_>> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| diversity::Candidate {
            score: scores[i],
            respondent: &c.hit.comment.id,
            shingles: c.shingles.clone(),
            vector: &vectors[i],
            attributes: attribute_values[i].clone(),
        })
        .collect();
    let (chosen, passed_over) = diversity::select(
        &diversity_candidates,
        Selection {
            top: options.top,
            lambda: options.lambda,
            duplicate: options.duplicate,
            per_respondent: options.per_respondent,
        },
    );

    let redactor = Redactor::new();
    let mut redactions = Redactions::default();
    let mut quotes = Vec::with_capacity(chosen.len());
    for (rank, pick) in chosen.iter().enumerate() {
        let c = &candidates[pick.candidate];
        let (text, found) = if options.redact {
            redactor.redact(&c.trimmed.text)
        } else {
            (c.trimmed.text.clone(), Redactions::default())
        };
        redactions.add(&found);
        let comment = &c.hit.comment;
        quotes.push(Quote {
            rank: rank + 1,
            seq: c.hit.seq,
            respondent: comment.id.clone(),
            question: comment.question.clone(),
            file: comment.file.clone(),
            line: comment.line,
            text,
            trimmed: c.trimmed.cut,
            attribution: attribution_line(&comment.attributes, &attribution_columns),
            attributes: comment.attributes.clone(),
            answers: comment.answers.clone(),
            sentiment: c.sentiment,
            score: scores[pick.candidate],
            components: components[pick.candidate],
            quotability: c.quotability,
            centroid_cosine: cosines[pick.candidate],
            evidence_weight: c.evidence_weight,
            threshold,
            rules: c
                .evidence
                .iter()
                .map(|(rule, span)| (rule.clone(), comment.text[span.clone()].to_string()))
                .collect(),
            similarity: pick.similarity,
            mmr: pick.mmr,
            redactions: found,
        });
    }
    Ok(Shortlist {
        theme: spec.id.clone(),
        label: spec.label.clone(),
        filter: options.filter.clone(),
        matched,
        ranked: candidates.len(),
        mean_sentiment,
        direction,
        weights: options.weights,
        lambda: options.lambda,
        quotes,
        passed_over,
        redacted: options.redact,
        redactions,
        picked: false,
    })
}

/// A theme by id or label, case-insensitively; an error lists the themes there are.
fn resolve_theme(index: &SurveyIndex, wanted: &str) -> Result<usize> {
    let themes = &index.manifest.themes;
    let wanted = wanted.trim();
    if let Some(t) = themes
        .iter()
        .position(|t| t.id.eq_ignore_ascii_case(wanted) || t.label.eq_ignore_ascii_case(wanted))
    {
        return Ok(t);
    }
    let ids: Vec<&str> = themes.iter().map(|t| t.id.as_str()).collect();
    bail!(
        "no theme {wanted:?} in the codebook of {}: the themes are {}",
        index.dir.display(),
        ids.join(", ")
    )
}

/// A theme and its descendants, whose evidence is evidence for it.
fn subtree(index: &SurveyIndex, theme: usize) -> Vec<String> {
    let themes = &index.manifest.themes;
    let mut ids = vec![themes[theme].id.clone()];
    let mut i = 0;
    while i < ids.len() {
        let parent = ids[i].clone();
        ids.extend(
            themes
                .iter()
                .filter(|t| t.parent.as_deref() == Some(parent.as_str()))
                .map(|t| t.id.clone()),
        );
        i += 1;
    }
    ids
}
