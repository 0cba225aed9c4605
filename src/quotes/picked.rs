//! A shortlist a person chose, comment by comment (the shortlist of `verbatim serve`), as a
//! [`Shortlist`] that the exports write like a ranked one: each comment read from the index
//! again by its sequence number, trimmed to the sentences of the theme it was chosen for (whole
//! when chosen for none), attributed, and redacted by the same [`Redactor`].
use std::ops::Range;

use anyhow::Result;
use tantivy::Searcher;

use super::attribution::{attribution_line, default_columns};
use super::rank::{quotability, Components, Direction, Weights};
use super::redact::{Redactions, Redactor};
use super::trim::{trim, ELLIPSIS};
use super::{resolve_theme, PassedOver, Quote, Shortlist};
use crate::index::{comments_by_seq, SurveyIndex};

/// The theme id of a hand-made shortlist.
pub const PICKED: &str = "shortlist";

/// Sequence numbers the index does not hold: a shortlist kept for another index.
#[derive(Debug, thiserror::Error)]
#[error("the index at {index} holds no comment numbered {}: was the shortlist made on another index?", .seqs.iter().map(u64::to_string).collect::<Vec<_>>().join(", "))]
pub struct MissingComments {
    pub index: String,
    pub seqs: Vec<u64>,
}

/// One chosen comment, and the theme it was chosen for, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    pub seq: u64,
    pub theme: Option<String>,
}

/// The chosen comments in the order given. A sequence number the index does not hold is a
/// [`MissingComments`] error.
pub fn picked(
    index: &SurveyIndex,
    searcher: &Searcher,
    picks: &[Pick],
    redact: bool,
    max_words: usize,
) -> Result<Shortlist> {
    let seqs: Vec<u64> = picks.iter().map(|p| p.seq).collect();
    let hits = comments_by_seq(index, searcher, &seqs)?;
    let missing: Vec<u64> = picks
        .iter()
        .zip(&hits)
        .filter(|(_, h)| h.is_none())
        .map(|(p, _)| p.seq)
        .collect();
    if !missing.is_empty() {
        return Err(MissingComments {
            index: index.dir.display().to_string(),
            seqs: missing,
        }
        .into());
    }
    let manifest = &index.manifest;
    let columns = default_columns(&manifest.survey);
    let redactor = Redactor::new();
    let mut redactions = Redactions::default();
    let mut quotes = Vec::with_capacity(picks.len());
    for (rank, (pick, hit)) in picks.iter().zip(hits).enumerate() {
        let hit = hit.expect("missing comments were refused above");
        let comment = &hit.comment;
        let theme = match &pick.theme {
            Some(theme) => Some(resolve_theme(index, theme)?),
            None => None,
        };
        let wanted: Vec<String> = match theme {
            Some(t) => manifest
                .theme_and_descendants(t)
                .into_iter()
                .map(|d| manifest.themes[d].id.clone())
                .collect(),
            None => Vec::new(),
        };
        let evidence: Vec<(String, Range<usize>)> = comment
            .evidence
            .iter()
            .filter(|e| theme.is_none() || wanted.contains(&e.theme))
            .filter(|e| e.end <= comment.text.len())
            .map(|e| (e.rule.clone(), e.start..e.end))
            .collect();
        let analysis = index.analyzer.analyze(&comment.text);
        let spans: Vec<Range<usize>> = match theme {
            Some(_) => evidence.iter().map(|(_, r)| r.clone()).collect(),
            None => Vec::new(),
        };
        let trimmed = trim(&analysis, &spans, max_words);
        let starts_cut = trimmed.cut && trimmed.text.starts_with(ELLIPSIS);
        let ends_cut = trimmed.cut && trimmed.text.ends_with(ELLIPSIS);
        let quotable = quotability(&analysis, &trimmed.kept, starts_cut, ends_cut);
        let (text, found) = if redact {
            redactor.redact(&trimmed.text)
        } else {
            (trimmed.text.clone(), Redactions::default())
        };
        redactions.add(&found);
        let sentiment = match theme {
            Some(t) => comment
                .theme_sentiment
                .iter()
                .find(|(id, _)| *id == manifest.themes[t].id)
                .map(|(_, s)| *s),
            None => comment.sentiment.map(|s| s.compound),
        };
        quotes.push(Quote {
            rank: rank + 1,
            seq: hit.seq,
            respondent: comment.id.clone(),
            question: comment.question.clone(),
            file: comment.file.clone(),
            line: comment.line,
            text,
            trimmed: trimmed.cut,
            attribution: attribution_line(&comment.attributes, &columns),
            attributes: comment.attributes.clone(),
            answers: comment.answers.clone(),
            sentiment,
            score: 0.0,
            components: Components {
                quotable: quotable.score,
                ..Components::default()
            },
            quotability: quotable,
            centroid_cosine: 0.0,
            evidence_weight: 0.0,
            threshold: 0.0,
            rules: evidence
                .iter()
                .map(|(rule, span)| (rule.clone(), comment.text[span.clone()].to_string()))
                .collect(),
            similarity: 0.0,
            mmr: 0.0,
            redactions: found,
        });
    }
    Ok(Shortlist {
        theme: PICKED.to_string(),
        label: "Shortlist".to_string(),
        filter: None,
        matched: quotes.len(),
        ranked: quotes.len(),
        mean_sentiment: None,
        direction: Direction::Mixed,
        weights: Weights::default(),
        lambda: 1.0,
        quotes,
        passed_over: PassedOver::default(),
        redacted: redact,
        redactions,
        picked: true,
    })
}
