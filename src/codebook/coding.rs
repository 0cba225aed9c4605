//! From raw matches to a coding: negation and exclusions decide which hits count, weights and
//! thresholds decide which themes are coded, and children code their parents.
use serde::Serialize;

use super::{Codebook, ExcludeScope, NegationPolicy};
use crate::text::Analysis;

/// Why a hit does not count.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "by", rename_all = "lowercase")]
pub enum Cancellation {
    /// A negator opens a scope over the hit.
    Negation {
        negator: String,
        start: usize,
        end: usize,
    },
    /// An exclusion pattern of the rule or theme matched.
    Exclusion {
        pattern: String,
        start: usize,
        end: usize,
    },
}

/// One match of one rule, with its fate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    #[serde(skip)]
    pub rule: usize,
    #[serde(skip)]
    pub theme: usize,
    /// Byte offsets into the original text.
    pub start: usize,
    pub end: usize,
    #[serde(skip)]
    pub first_token: usize,
    #[serde(skip)]
    pub end_token: usize,
    pub weight: f64,
    /// Counted, but inside a negation scope of a `flag` rule.
    pub negated: bool,
    pub cancelled: Option<Cancellation>,
}

impl Hit {
    pub fn counts(&self) -> bool {
        self.cancelled.is_none()
    }
}

/// The coding of one comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Coding {
    /// Every hit, cancelled ones included, in text order.
    pub hits: Vec<Hit>,
    /// Per theme, in codebook order: the score of its own hits.
    pub scores: Vec<f64>,
    /// Per theme: coded or not (children code their parents).
    pub coded: Vec<bool>,
}

impl Coding {
    /// The hits that are evidence for a coded theme, in text order: counted, of positive weight
    /// (a negative weight is evidence against its theme).
    pub fn evidence(&self) -> impl Iterator<Item = &Hit> {
        self.hits
            .iter()
            .filter(|h| h.counts() && h.weight > 0.0 && self.coded[h.theme])
    }

    /// Indexes of the coded themes, in codebook order.
    pub fn coded_themes(&self) -> impl Iterator<Item = usize> + '_ {
        self.coded
            .iter()
            .enumerate()
            .filter(|(_, &c)| c)
            .map(|(i, _)| i)
    }
}

pub(super) fn code(codebook: &Codebook, analysis: &Analysis<'_>) -> Coding {
    let matcher = &codebook.matcher;
    let elements = matcher.token_elements(analysis);
    let hits: Vec<Hit> = matcher
        .raw_matches(analysis, &elements)
        .into_iter()
        .map(|raw| {
            let rule = &codebook.rules[raw.rule];
            let mut hit = Hit {
                rule: raw.rule,
                theme: rule.theme,
                start: raw.start,
                end: raw.end,
                first_token: raw.first_token,
                end_token: raw.end_token,
                weight: rule.weight,
                negated: false,
                cancelled: None,
            };
            if rule.negation != NegationPolicy::Ignore && raw.first_token < raw.end_token {
                if let Some(negator) =
                    analysis.negator_before(raw.first_token, rule.negation_window)
                {
                    let token = &analysis.tokens[negator];
                    match rule.negation {
                        NegationPolicy::Cancel => {
                            hit.cancelled = Some(Cancellation::Negation {
                                negator: analysis.original(negator).to_string(),
                                start: token.start,
                                end: token.end,
                            })
                        }
                        NegationPolicy::Flag => hit.negated = true,
                        NegationPolicy::Ignore => {}
                    }
                }
            }
            if hit.cancelled.is_none() {
                hit.cancelled = exclusion(codebook, analysis, &elements, raw.rule, &hit);
            }
            hit
        })
        .collect();

    let mut scores = vec![0.0; codebook.themes.len()];
    for (theme, score) in scores.iter_mut().enumerate() {
        let counted = || hits.iter().filter(|h| h.theme == theme && h.counts());
        *score = score_of(counted().filter(|h| h.weight > 0.0))
            + score_of(counted().filter(|h| h.weight < 0.0));
    }
    let mut coded: Vec<bool> = codebook
        .themes
        .iter()
        .zip(&scores)
        .map(|(theme, &score)| score > 0.0 && score + 1e-9 >= theme.threshold)
        .collect();
    for &theme in &codebook.deepest_first {
        if coded[theme] {
            if let Some(parent) = codebook.themes[theme].parent {
                coded[parent] = true;
            }
        }
    }
    Coding {
        hits,
        scores,
        coded,
    }
}

/// Overlapping hits are one piece of evidence, weighed at the largest weight among them: the
/// highest of positive weights, the lowest of negative ones (callers pass one sign at a time).
fn score_of<'h>(hits: impl Iterator<Item = &'h Hit>) -> f64 {
    let mut sign = 1.0;
    let mut spans: Vec<(usize, usize, f64)> = hits
        .map(|h| {
            sign = h.weight.signum();
            (h.start, h.end, h.weight.abs())
        })
        .collect();
    spans.sort_by_key(|&(start, end, _)| (start, end));
    let mut total = 0.0;
    let mut cluster: Option<(usize, f64)> = None;
    for (start, end, weight) in spans {
        cluster = match cluster {
            Some((cluster_end, best)) if start < cluster_end => {
                Some((cluster_end.max(end), best.max(weight)))
            }
            Some((_, best)) => {
                total += best;
                Some((end, weight))
            }
            None => Some((end, weight)),
        };
    }
    sign * (total + cluster.map_or(0.0, |(_, best)| best))
}

fn exclusion(
    codebook: &Codebook,
    analysis: &Analysis<'_>,
    elements: &super::matcher::TokenElements,
    rule: usize,
    hit: &Hit,
) -> Option<Cancellation> {
    let rule = &codebook.rules[rule];
    for (pattern, sequence) in &rule.exclusions {
        let len = sequence.len();
        let range = match rule.exclude_scope {
            ExcludeScope::Overlap => {
                if hit.first_token >= hit.end_token {
                    continue;
                }
                hit.first_token.saturating_sub(len - 1)..hit.end_token
            }
            ExcludeScope::Sentence => match analysis.tokens.get(hit.first_token) {
                Some(token) => analysis.sentences[token.sentence as usize].tokens(),
                None => continue,
            },
            ExcludeScope::Comment => 0..analysis.tokens.len(),
        };
        for at in range {
            if codebook
                .matcher
                .sequence_at(analysis, elements, sequence, at)
            {
                let (start, end) = (analysis.tokens[at].start, analysis.tokens[at + len - 1].end);
                return Some(Cancellation::Exclusion {
                    pattern: pattern.clone(),
                    start,
                    end,
                });
            }
        }
    }
    None
}
