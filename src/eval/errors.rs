//! What to fix: for each label, the rules that fired on its false positives (from the coded
//! file's evidence), with how often each was right; and the words that the comments it missed
//! have in common, by keyness against the other comments.
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::evidence;
use crate::labels::{display_key, LabelledTable};
use crate::terms::{context, one_line, ranked, TermIndex, TermKind, TermOptions};
use crate::text::Analyzer;

#[derive(Debug, Clone, Serialize)]
pub struct LabelErrors {
    pub label: String,
    pub false_positives: u64,
    pub false_negatives: u64,
    /// Rules that fired on false positives, most false positives first.
    pub rules: Vec<RuleErrors>,
    /// False positives with no evidence for the label (a human coder's file, or a file without
    /// an evidence column), and a few of them.
    pub without_evidence: u64,
    pub without_evidence_examples: Vec<Example>,
    /// Terms over-represented in the missed comments, and a few of those comments.
    pub missed_terms: Vec<MissedTerm>,
    pub missed_examples: Vec<Example>,
}

/// One rule's record on a label.
#[derive(Debug, Clone, Serialize)]
pub struct RuleErrors {
    pub rule: String,
    /// Comments it fired on that the gold file does not give the label.
    pub false_positives: u64,
    /// Comments it fired on that have the label.
    pub true_positives: u64,
    /// true / (true + false) positives: the rule's own precision.
    pub precision: f64,
    /// The gold labels of its false positives, most common first.
    pub gold_labels: Vec<(String, u64)>,
    pub examples: Vec<Example>,
}

/// A comment to look at.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    pub key: String,
    /// Line in the coded file.
    pub line: u64,
    pub gold: Vec<String>,
    /// Around the evidence for a false positive; the start of the comment otherwise.
    pub text: String,
}

/// A term of the missed comments.
#[derive(Debug, Clone, Serialize)]
pub struct MissedTerm {
    pub kind: TermKind,
    pub term: String,
    /// Missed comments that contain it.
    pub missed: u64,
    pub g2: f64,
    pub log_ratio: f64,
}

const CONTEXT: usize = 40;

/// Byte offsets of a piece of evidence.
type Span = (usize, usize);

#[allow(clippy::too_many_arguments)]
pub(super) fn analyse(
    coded: &LabelledTable,
    gold: &LabelledTable,
    pairs: &[(usize, usize)],
    coded_sets: &[Vec<usize>],
    gold_sets: &[Vec<usize>],
    labels: &[String],
    applied: &BTreeMap<String, String>,
    limit: usize,
) -> Vec<LabelErrors> {
    let text_of = |p: usize| -> &str {
        let (a, b) = pairs[p];
        if coded.has_text {
            &coded.rows[a].text
        } else {
            &gold.rows[b].text
        }
    };
    let has_text = coded.has_text || gold.has_text;
    let gold_names =
        |p: usize| -> Vec<String> { gold_sets[p].iter().map(|&l| labels[l].clone()).collect() };
    let example = |p: usize, span: Option<(usize, usize)>| -> Example {
        let text = text_of(p);
        let shown = match span {
            Some((start, end))
                if end <= text.len()
                    && start <= end
                    && text.is_char_boundary(start)
                    && text.is_char_boundary(end) =>
            {
                context(text, start, end, CONTEXT)
            }
            _ => clip(&one_line(text), 2 * CONTEXT + 20),
        };
        let (a, _) = pairs[p];
        Example {
            key: display_key(&coded.rows[a].key),
            line: coded.rows[a].line,
            gold: gold_names(p),
            text: shown,
        }
    };
    // Shortest comments first, then file order: the quickest to read.
    let by_length = |mut ps: Vec<usize>| -> Vec<usize> {
        ps.sort_by_key(|&p| (text_of(p).len(), p));
        ps
    };

    // The evidence of each matched comment, parsed once.
    let parsed: Vec<Vec<evidence::Evidence>> = pairs
        .iter()
        .map(|&(a, _)| evidence::parse(&coded.rows[a].evidence).unwrap_or_default())
        .collect();

    // A theme that counts as no gold label (a child theme) lends its evidence to the labels
    // coded on every comment it is coded on (its parent's).
    let mut implied: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for (p, &(a, _)) in pairs.iter().enumerate() {
        for theme in &coded.rows[a].labels {
            if applied.contains_key(theme) {
                continue;
            }
            let here: BTreeSet<usize> = coded_sets[p].iter().copied().collect();
            implied
                .entry(theme.as_str())
                .and_modify(|set| set.retain(|l| here.contains(l)))
                .or_insert(here);
        }
    }

    let terms = (has_text && limit > 0).then(|| {
        let texts: Vec<&str> = (0..pairs.len()).map(text_of).collect();
        let options = TermOptions {
            words: false,
            stems: true,
            max_phrase: 3,
        };
        TermIndex::build(&Analyzer::english(), &texts, options)
    });

    let mut out = Vec::new();
    for (l, label) in labels.iter().enumerate() {
        let has = |sets: &[Vec<usize>], p: usize| sets[p].binary_search(&l).is_ok();
        let mut rule_fp: BTreeMap<&str, Vec<(usize, Span)>> = BTreeMap::new();
        let mut rule_tp: BTreeMap<&str, u64> = BTreeMap::new();
        let mut without_evidence = Vec::new();
        let mut missed = Vec::new();
        let mut false_positives = 0;
        for (p, evidence) in parsed.iter().enumerate() {
            let (in_coded, in_gold) = (has(coded_sets, p), has(gold_sets, p));
            if in_gold && !in_coded {
                missed.push(p);
            }
            if !in_coded {
                continue;
            }
            false_positives += u64::from(!in_gold);
            let mut fired: BTreeMap<&str, Span> = BTreeMap::new();
            for e in evidence {
                let counts = match applied.get(&e.theme) {
                    Some(target) => target == label,
                    None => implied
                        .get(e.theme.as_str())
                        .is_some_and(|set| set.contains(&l)),
                };
                if counts {
                    fired.entry(e.rule.as_str()).or_insert((e.start, e.end));
                }
            }
            if in_gold {
                for rule in fired.keys() {
                    *rule_tp.entry(rule).or_default() += 1;
                }
            } else if fired.is_empty() {
                without_evidence.push(p);
            } else {
                for (rule, span) in fired {
                    rule_fp.entry(rule).or_default().push((p, span));
                }
            }
        }
        let mut rules: Vec<RuleErrors> = rule_fp
            .into_iter()
            .map(|(rule, hits)| {
                let false_positives = hits.len() as u64;
                let true_positives = rule_tp.get(rule).copied().unwrap_or(0);
                let mut gold_counts: BTreeMap<String, u64> = BTreeMap::new();
                for &(p, _) in &hits {
                    let names = gold_names(p);
                    if names.is_empty() {
                        *gold_counts.entry("(no label)".into()).or_default() += 1;
                    }
                    for name in names {
                        *gold_counts.entry(name).or_default() += 1;
                    }
                }
                let mut gold_labels: Vec<(String, u64)> = gold_counts.into_iter().collect();
                gold_labels.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                gold_labels.truncate(3);
                let spans: BTreeMap<usize, (usize, usize)> = hits.iter().copied().collect();
                let examples = by_length(hits.iter().map(|&(p, _)| p).collect())
                    .into_iter()
                    .take(2)
                    .map(|p| example(p, spans.get(&p).copied()))
                    .collect();
                RuleErrors {
                    rule: rule.to_string(),
                    false_positives,
                    true_positives,
                    precision: true_positives as f64 / (true_positives + false_positives) as f64,
                    gold_labels,
                    examples,
                }
            })
            .collect();
        rules.sort_by(|a, b| {
            b.false_positives
                .cmp(&a.false_positives)
                .then_with(|| a.rule.cmp(&b.rule))
        });
        rules.truncate(limit);

        let missed_terms = match &terms {
            Some(index) if !missed.is_empty() => {
                let group: Vec<bool> = {
                    let set: BTreeSet<usize> = missed.iter().copied().collect();
                    (0..pairs.len()).map(|p| set.contains(&p)).collect()
                };
                let keyness = index.keyness(&group, None);
                ranked(index, &keyness, 2, 3.84)
                    .into_iter()
                    .take(limit * 2)
                    .map(|t| {
                        let k = &keyness[t as usize];
                        let term = &index.terms[t as usize];
                        MissedTerm {
                            kind: term.kind,
                            term: term.surface.clone(),
                            missed: k.group_hits,
                            g2: k.g2,
                            log_ratio: k.log_ratio,
                        }
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        let without_evidence_count = without_evidence.len() as u64;
        out.push(LabelErrors {
            label: label.clone(),
            false_positives,
            false_negatives: missed.len() as u64,
            rules,
            without_evidence: without_evidence_count,
            without_evidence_examples: by_length(without_evidence)
                .into_iter()
                .take(2)
                .map(|p| example(p, None))
                .collect(),
            missed_terms,
            missed_examples: by_length(missed)
                .into_iter()
                .take(2)
                .map(|p| example(p, None))
                .collect(),
        });
    }
    out
}

fn clip(text: &str, chars: usize) -> String {
    let mut out: String = text.chars().take(chars).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}
