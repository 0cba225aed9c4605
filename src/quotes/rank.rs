//! The four parts of a quote's score, each in [0, 1], and the weights that combine them. Every
//! part is a plain formula a researcher can check by hand (see docs/QUOTES.md).
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::text::{Analysis, TokenKind};

/// How much each part counts; the score is their weighted mean.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Weights {
    pub evidence: f64,
    pub sentiment: f64,
    pub representative: f64,
    pub quotable: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            evidence: 1.0,
            sentiment: 1.0,
            representative: 1.0,
            quotable: 1.0,
        }
    }
}

impl FromStr for Weights {
    type Err = String;

    /// `evidence=2,sentiment=0.5`: parts not named keep their default weight of 1.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut weights = Weights::default();
        for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let Some((name, value)) = item.split_once('=') else {
                return Err(format!(
                    "{item:?} is not NAME=NUMBER: write e.g. evidence=2,sentiment=0.5"
                ));
            };
            let value: f64 = value
                .trim()
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| format!("{item:?}: a weight is a number of 0 or more"))?;
            match name.trim() {
                "evidence" => weights.evidence = value,
                "sentiment" => weights.sentiment = value,
                "representative" | "representativeness" => weights.representative = value,
                "quotable" | "quotability" => weights.quotable = value,
                other => {
                    return Err(format!(
                        "unknown part {other:?}: the parts are evidence, sentiment, representative, quotable"
                    ))
                }
            }
        }
        if weights.sum() == 0.0 {
            return Err("every weight is 0: give at least one part a weight".to_string());
        }
        Ok(weights)
    }
}

impl fmt::Display for Weights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "evidence={},sentiment={},representative={},quotable={}",
            self.evidence, self.sentiment, self.representative, self.quotable
        )
    }
}

impl Weights {
    fn sum(&self) -> f64 {
        self.evidence + self.sentiment + self.representative + self.quotable
    }
}

/// A quote's score, part by part.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Components {
    /// Codebook evidence for the theme: weight / (weight + threshold).
    pub evidence: f64,
    /// Sentiment in the theme's prevailing direction (the theme sentiment, signed).
    pub sentiment: f64,
    /// TF-IDF cosine to the centroid of the theme's comments, relative to the most typical.
    pub representative: f64,
    /// Mean of length, completeness and concreteness.
    pub quotable: f64,
}

impl Components {
    pub fn total(&self, weights: &Weights) -> f64 {
        (weights.evidence * self.evidence
            + weights.sentiment * self.sentiment
            + weights.representative * self.representative
            + weights.quotable * self.quotable)
            / weights.sum()
    }
}

/// The weight of a theme's evidence as the coder counts it: overlapping hits ("no money" and
/// "money" inside it) count once, at the highest weight among them.
pub fn evidence_weight(mut hits: Vec<(std::ops::Range<usize>, f64)>) -> f64 {
    hits.sort_by(|a, b| a.0.start.cmp(&b.0.start).then(a.0.end.cmp(&b.0.end)));
    let mut total = 0.0;
    let mut group: Option<(usize, f64)> = None;
    for (span, weight) in hits {
        match &mut group {
            Some((end, best)) if span.start < *end => {
                *end = (*end).max(span.end);
                *best = best.max(weight);
            }
            _ => {
                if let Some((_, best)) = group {
                    total += best;
                }
                group = Some((span.end, weight));
            }
        }
    }
    total + group.map_or(0.0, |(_, best)| best)
}

/// 0.5 when the evidence just reaches the theme's threshold, 2/3 at twice it, toward 1 beyond.
pub fn evidence_strength(weight: f64, threshold: f64) -> f64 {
    let threshold = if threshold > 0.0 { threshold } else { 1.0 };
    if weight <= 0.0 {
        0.0
    } else {
        weight / (weight + threshold)
    }
}

/// Which way a theme's comments lean, from the mean of their theme sentiment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Negative,
    Positive,
    /// The mean is within ±0.05: strong feeling either way counts.
    Mixed,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Negative => "negative",
            Direction::Positive => "positive",
            Direction::Mixed => "mixed",
        })
    }
}

impl Direction {
    pub fn of_mean(mean: f64) -> Direction {
        if mean <= -0.05 {
            Direction::Negative
        } else if mean >= 0.05 {
            Direction::Positive
        } else {
            Direction::Mixed
        }
    }

    /// A comment's sentiment (compound, -1..1) as intensity in this direction, 0..1.
    pub fn intensity(self, sentiment: Option<f64>) -> f64 {
        let Some(s) = sentiment.filter(|s| s.is_finite()) else {
            return 0.0;
        };
        match self {
            Direction::Negative => (-s).max(0.0),
            Direction::Positive => s.max(0.0),
            Direction::Mixed => s.abs(),
        }
        .min(1.0)
    }
}

/// Why a quote reads well or not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Quotability {
    pub words: usize,
    /// 1 from 10 to 60 words; words/10 below, 60/words above.
    pub length: f64,
    /// 1 for a capitalised start and a closing . ! or ?, 0.5 for one of them.
    pub complete: f64,
    /// Share of its words that say something: not function words, not vague ones ("good",
    /// "things", "very").
    pub concrete: f64,
    pub score: f64,
}

pub const QUOTE_WORDS: std::ops::RangeInclusive<usize> = 10..=60;

/// The quotability of the kept part of a comment (`analysis` of the whole comment, `kept` the
/// byte ranges the quote shows, `cut` whether its start or end was left out).
pub fn quotability(
    analysis: &Analysis<'_>,
    kept: &[std::ops::Range<usize>],
    starts_cut: bool,
    ends_cut: bool,
) -> Quotability {
    let inside = |start: usize| kept.iter().any(|r| r.start <= start && start < r.end);
    let mut words = 0;
    let mut content = 0;
    for (i, token) in analysis.tokens.iter().enumerate() {
        if token.kind != TokenKind::Word || !inside(token.start) {
            continue;
        }
        words += 1;
        let norm = analysis.norm(i);
        if !FUNCTION_WORDS.contains(&norm) && !VAGUE_WORDS.contains(&norm) {
            content += 1;
        }
    }
    let length = if words == 0 {
        0.0
    } else if words < *QUOTE_WORDS.start() {
        words as f64 / *QUOTE_WORDS.start() as f64
    } else if words > *QUOTE_WORDS.end() {
        *QUOTE_WORDS.end() as f64 / words as f64
    } else {
        1.0
    };
    let shown: String = kept
        .iter()
        .map(|r| &analysis.text[r.clone()])
        .collect::<Vec<_>>()
        .join(" ");
    let shown = shown.trim();
    let capital = !starts_cut
        && shown
            .trim_start_matches(['"', '\'', '“', '‘', '('])
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let closed = !ends_cut
        && shown
            .trim_end_matches(['"', '\'', '”', '’', ')'])
            .ends_with(['.', '!', '?']);
    let complete = (u8::from(capital) + u8::from(closed)) as f64 / 2.0;
    let concrete = if words == 0 {
        0.0
    } else {
        content as f64 / words as f64
    };
    Quotability {
        words,
        length,
        complete,
        concrete,
        score: (length + complete + concrete) / 3.0,
    }
}

/// English function words: they carry grammar, not content.
pub const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as",
    "at", "be", "been", "before", "being", "both", "but", "by", "can", "could", "did", "do",
    "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has",
    "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into",
    "is", "it", "its", "itself", "just", "me", "more", "most", "my", "no", "nor", "not", "now",
    "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same",
    "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "us", "was",
    "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
    "would", "you", "your", "yours", "n't", "s", "t", "d", "ll", "re", "ve", "m",
];

/// Words that say little on their own in a quote.
pub const VAGUE_WORDS: &[&str] = &[
    "good",
    "bad",
    "nice",
    "ok",
    "okay",
    "fine",
    "great",
    "very",
    "really",
    "quite",
    "thing",
    "things",
    "stuff",
    "lot",
    "lots",
    "etc",
    "everything",
    "nothing",
    "something",
    "anything",
    "well",
    "much",
    "many",
    "always",
    "never",
    "bit",
];

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;
    use crate::text::Analyzer;

    #[test]
    fn weights_parse_and_reject_nonsense() {
        let w: Weights = "evidence=2, quotable=0.5".parse().unwrap();
        assert_eq!(
            w,
            Weights {
                evidence: 2.0,
                sentiment: 1.0,
                representative: 1.0,
                quotable: 0.5
            }
        );
        assert!("evidence"
            .parse::<Weights>()
            .unwrap_err()
            .contains("NAME=NUMBER"));
        assert!("vividness=1"
            .parse::<Weights>()
            .unwrap_err()
            .contains("unknown part"));
        assert!("evidence=-1".parse::<Weights>().is_err());
        assert!("evidence=0,sentiment=0,representative=0,quotable=0"
            .parse::<Weights>()
            .is_err());
        let c = Components {
            evidence: 1.0,
            sentiment: 0.5,
            representative: 0.0,
            quotable: 0.25,
        };
        assert!((c.total(&Weights::default()) - 0.4375).abs() < 1e-12);
        assert!((c.total(&w) - (2.0 + 0.5 + 0.0 + 0.125) / 4.5).abs() < 1e-12);
    }

    #[test]
    fn overlapping_evidence_counts_once_at_its_highest_weight() {
        assert_eq!(
            evidence_weight(vec![(3..11, 2.0), (6..11, 1.0), (20..24, 1.0)]),
            3.0
        );
        assert_eq!(evidence_weight(vec![(0..4, 0.5), (10..14, 0.5)]), 1.0);
        assert_eq!(evidence_weight(vec![]), 0.0);
    }

    #[test]
    fn evidence_and_sentiment_parts() {
        assert_eq!(evidence_strength(1.0, 1.0), 0.5);
        assert!((evidence_strength(2.0, 1.0) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(evidence_strength(0.0, 1.0), 0.0);
        assert_eq!(Direction::of_mean(-0.2), Direction::Negative);
        assert_eq!(Direction::of_mean(0.01), Direction::Mixed);
        assert_eq!(Direction::Negative.intensity(Some(-0.6)), 0.6);
        assert_eq!(Direction::Negative.intensity(Some(0.6)), 0.0);
        assert_eq!(Direction::Mixed.intensity(Some(0.6)), 0.6);
        assert_eq!(Direction::Positive.intensity(None), 0.0);
    }

    #[test]
    fn quotability_by_hand() {
        let analyzer = Analyzer::english();
        // 13 words, capitalised and closed; function words: the, was, a, of, and, the (6);
        // vague: none; content: 7 of 13.
        let text =
            "The plan was a paper exercise of consultants and the officers ignored councillors.";
        let a = analyzer.analyze(text);
        let q = quotability(&a, &[0..text.len()], false, false);
        assert_eq!(q.words, 13);
        assert_eq!((q.length, q.complete), (1.0, 1.0));
        assert!((q.concrete - 7.0 / 13.0).abs() < 1e-12, "{q:?}");
        // A fragment: 5 words, no capital, no full stop.
        let text = "yet another top down imposition";
        let a = analyzer.analyze(text);
        let q = quotability(&a, &[0..text.len()], false, false);
        assert_eq!((q.words, q.length, q.complete), (5, 0.5, 0.0));
        assert!((q.concrete - 4.0 / 5.0).abs() < 1e-12, "{q:?}");
        assert!((q.score - (0.5 + 0.0 + 0.8) / 3.0).abs() < 1e-12);
        // Cut at the start: not a complete sentence, though the kept text is capitalised.
        let q = quotability(&a, &[0..text.len()], true, false);
        assert_eq!(q.complete, 0.0);
    }
}
