//! Agreement of a coding with a reference coding of the same comments: a codebook's output
//! against human ("gold") codes, or one human coder against another.
//!
//! Rows of the two files are joined by a key; a row found in only one file is counted and
//! listed, never dropped silently. Per label: the 2 x 2 table, precision, recall, F1, Cohen's
//! kappa and Krippendorff's alpha (nominal, the label present or not); micro and macro
//! averages; Krippendorff's alpha over the comments' label sets with the Jaccard distance
//! (which is nominal alpha when every comment has one label); and, for each label, the rules
//! behind its false positives and the words of its false negatives. The evidence of a theme
//! that counts as no gold label (a child theme) is put down to the labels coded on every
//! comment it is coded on: its parent's.
mod errors;
pub mod evidence;
mod map;

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Result};
use serde::Serialize;

pub use errors::{Example, LabelErrors, MissedTerm, RuleErrors};
pub use map::Mapping;

use crate::labels::{display_key, LabelledTable};
use crate::stats::{jaccard_distance, krippendorff_alpha, BinaryTable};

/// What to do with a coded label that maps to no gold label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unmatched {
    /// Leave it out of the scores (it is listed).
    #[default]
    Drop,
    /// Score it as a label of its own, which the gold file never has.
    Score,
}

#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// `None`: map by name ([`Mapping::by_name`]).
    pub mapping: Option<Mapping>,
    pub unmatched: Unmatched,
    /// Rules and example comments shown per label.
    pub errors: usize,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            mapping: None,
            unmatched: Unmatched::Drop,
            errors: 5,
        }
    }
}

/// Everything `verbatim eval` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub coded_file: String,
    pub gold_file: String,
    pub rows: RowAccounting,
    /// Coded label → gold label, as applied.
    pub mapping: BTreeMap<String, String>,
    /// Coded labels that count as no gold label, with the matched comments they were coded on.
    pub left_out: Vec<LeftOut>,
    pub labels: Vec<LabelScore>,
    pub micro: Average,
    #[serde(rename = "macro")]
    pub macro_: Average,
    /// Share of comments whose label sets are identical.
    pub exact_match: Option<f64>,
    /// Krippendorff's alpha over label sets, Jaccard distance.
    pub alpha: Option<f64>,
    pub errors: Vec<LabelErrors>,
}

/// How the rows of the two files were matched.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RowAccounting {
    pub coded_rows: u64,
    pub gold_rows: u64,
    /// Rows the reader could not read, in each file.
    pub coded_skipped: u64,
    pub gold_skipped: u64,
    pub matched: u64,
    pub only_coded: u64,
    pub only_gold: u64,
    /// The first few unmatched rows of each file.
    pub only_coded_examples: Vec<RowRef>,
    pub only_gold_examples: Vec<RowRef>,
    /// Matched comments with no label on that side.
    pub coded_without_label: u64,
    pub gold_without_label: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RowRef {
    pub key: String,
    pub line: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LeftOut {
    pub label: String,
    pub comments: u64,
}

/// One gold label's scores.
#[derive(Debug, Clone, Serialize)]
pub struct LabelScore {
    pub label: String,
    /// The coded labels that count as it.
    pub coded_as: Vec<String>,
    #[serde(flatten)]
    pub table: BinaryTable,
    pub support: u64,
    pub predicted: u64,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    pub kappa: Option<f64>,
    pub alpha: Option<f64>,
}

/// Averages over labels.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Average {
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    /// Macro only: the mean of the defined per-label kappas and alphas.
    pub kappa: Option<f64>,
    pub alpha: Option<f64>,
}

/// How many unmatched rows are listed by key.
const UNMATCHED_LISTED: usize = 10;

/// Joins `coded` and `gold` by key and measures their agreement.
pub fn evaluate(
    coded: &LabelledTable,
    gold: &LabelledTable,
    options: &EvalOptions,
) -> Result<Evaluation> {
    let gold_index = index_by_key(gold)?;
    index_by_key(coded)?;
    let mut rows = RowAccounting {
        coded_rows: coded.rows.len() as u64,
        gold_rows: gold.rows.len() as u64,
        coded_skipped: coded.skipped_count,
        gold_skipped: gold.skipped_count,
        ..RowAccounting::default()
    };
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut gold_matched = vec![false; gold.rows.len()];
    for (a, row) in coded.rows.iter().enumerate() {
        match gold_index.get(row.key.as_str()) {
            Some(&b) => {
                pairs.push((a, b));
                gold_matched[b] = true;
            }
            None => {
                rows.only_coded += 1;
                if rows.only_coded_examples.len() < UNMATCHED_LISTED {
                    rows.only_coded_examples.push(RowRef {
                        key: display_key(&row.key),
                        line: row.line,
                    });
                }
            }
        }
    }
    for (b, row) in gold.rows.iter().enumerate() {
        if !gold_matched[b] {
            rows.only_gold += 1;
            if rows.only_gold_examples.len() < UNMATCHED_LISTED {
                rows.only_gold_examples.push(RowRef {
                    key: display_key(&row.key),
                    line: row.line,
                });
            }
        }
    }
    rows.matched = pairs.len() as u64;

    let coded_labels = coded.labels();
    let gold_labels = gold.labels();
    let mapping = match &options.mapping {
        Some(mapping) => mapping.clone(),
        None => Mapping::by_name(&coded_labels, &gold_labels),
    };
    let mut applied: BTreeMap<String, String> = mapping.pairs.clone();
    let mut universe: BTreeSet<String> = gold_labels.iter().cloned().collect();
    universe.extend(mapping.pairs.values().cloned());
    let mut left_out_counts: BTreeMap<String, u64> = BTreeMap::new();
    for label in &coded_labels {
        if mapping.get(label).is_none() {
            match options.unmatched {
                Unmatched::Drop => {
                    left_out_counts.insert(label.clone(), 0);
                }
                Unmatched::Score => {
                    applied.insert(label.clone(), label.clone());
                    universe.insert(label.clone());
                }
            }
        }
    }
    let labels: Vec<String> = universe.into_iter().collect();
    let position: BTreeMap<&str, usize> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();

    // Per matched comment, the label indexes on each side.
    let mut coded_sets: Vec<Vec<usize>> = Vec::with_capacity(pairs.len());
    let mut gold_sets: Vec<Vec<usize>> = Vec::with_capacity(pairs.len());
    for &(a, b) in &pairs {
        let mut set: Vec<usize> = Vec::new();
        for label in &coded.rows[a].labels {
            match applied.get(label) {
                Some(target) => set.push(position[target.as_str()]),
                None => *left_out_counts.entry(label.clone()).or_default() += 1,
            }
        }
        set.sort_unstable();
        set.dedup();
        let gold_set: Vec<usize> = gold.rows[b]
            .labels
            .iter()
            .map(|l| position[l.as_str()])
            .collect();
        rows.coded_without_label += u64::from(set.is_empty());
        rows.gold_without_label += u64::from(gold_set.is_empty());
        coded_sets.push(set);
        gold_sets.push(gold_set);
    }

    let mut tables = vec![BinaryTable::default(); labels.len()];
    for (coded_set, gold_set) in coded_sets.iter().zip(&gold_sets) {
        for (l, table) in tables.iter_mut().enumerate() {
            table.add(
                coded_set.binary_search(&l).is_ok(),
                gold_set.binary_search(&l).is_ok(),
            );
        }
    }
    let scores: Vec<LabelScore> = labels
        .iter()
        .zip(&tables)
        .map(|(label, table)| LabelScore {
            label: label.clone(),
            coded_as: applied
                .iter()
                .filter(|(_, target)| *target == label)
                .map(|(source, _)| source.clone())
                .collect(),
            table: *table,
            support: table.support(),
            predicted: table.predicted(),
            precision: table.precision(),
            recall: table.recall(),
            f1: table.f1(),
            kappa: table.kappa(),
            alpha: table.alpha(),
        })
        .collect();

    let pooled = tables
        .iter()
        .fold(BinaryTable::default(), |sum, t| sum.merged(t));
    let micro = Average {
        precision: pooled.precision(),
        recall: pooled.recall(),
        f1: pooled.f1(),
        kappa: None,
        alpha: None,
    };
    let macro_ = macro_average(&scores);
    let exact_match = (!pairs.is_empty()).then(|| {
        coded_sets
            .iter()
            .zip(&gold_sets)
            .filter(|(a, b)| a == b)
            .count() as f64
            / pairs.len() as f64
    });
    let units: Vec<Vec<Vec<usize>>> = coded_sets
        .iter()
        .zip(&gold_sets)
        .map(|(a, b)| vec![a.clone(), b.clone()])
        .collect();
    let alpha = krippendorff_alpha(&units, |a, b| jaccard_distance(a, b));

    let errors = errors::analyse(
        coded,
        gold,
        &pairs,
        &coded_sets,
        &gold_sets,
        &labels,
        &applied,
        options.errors,
    );
    Ok(Evaluation {
        coded_file: coded.file.clone(),
        gold_file: gold.file.clone(),
        rows,
        mapping: applied,
        left_out: left_out_counts
            .into_iter()
            .map(|(label, comments)| LeftOut { label, comments })
            .collect(),
        labels: scores,
        micro,
        macro_,
        exact_match,
        alpha,
        errors,
    })
}

/// Means over the labels that either side uses (F1 defined). A precision that is undefined
/// because nothing was coded counts as 0, as does a recall without support: a label the
/// coding never finds is a failure, not an absence. Kappa and alpha average where defined.
fn macro_average(scores: &[LabelScore]) -> Average {
    let used: Vec<&LabelScore> = scores.iter().filter(|s| s.f1.is_some()).collect();
    if used.is_empty() {
        return Average::default();
    }
    let mean = |values: Vec<f64>| -> Option<f64> {
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    };
    Average {
        precision: mean(used.iter().map(|s| s.precision.unwrap_or(0.0)).collect()),
        recall: mean(used.iter().map(|s| s.recall.unwrap_or(0.0)).collect()),
        f1: mean(used.iter().filter_map(|s| s.f1).collect()),
        kappa: mean(used.iter().filter_map(|s| s.kappa).collect()),
        alpha: mean(used.iter().filter_map(|s| s.alpha).collect()),
    }
}

/// Row index by key; a key on two rows is an error naming both lines.
fn index_by_key(table: &LabelledTable) -> Result<BTreeMap<&str, usize>> {
    let mut index = BTreeMap::new();
    for (i, row) in table.rows.iter().enumerate() {
        if let Some(&first) = index.get(row.key.as_str()) {
            let first: &crate::labels::LabelledRow = &table.rows[first];
            bail!(
                "{}: the id {:?} is on line {} and line {}: each comment needs its own id to be \
                 matched; choose a column that is unique with --id (repeat --id for a key of \
                 several columns, such as --id respondent --id question)",
                table.file,
                display_key(&row.key),
                first.line,
                row.line
            );
        }
        index.insert(row.key.as_str(), i);
    }
    Ok(index)
}
