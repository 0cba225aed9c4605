//! Learning a codebook from coded examples: for each label, rules chosen by keyness (the terms
//! whose share differs most between the label's comments and the others, for or against it),
//! weighed together by a logistic regression of the label on them (or each by its own log
//! ratio), and a threshold; how many rules and which threshold are chosen by k-fold
//! cross-validation on the training comments alone.
//!
//! The result is an ordinary codebook: the cross-validation scores come from compiling the
//! candidate codebooks and coding the held-out comments with them, so what was tuned is exactly
//! what `verbatim code` runs.
mod logistic;
mod select;
mod write;

use anyhow::{Context, Result};
use rayon::prelude::*;

pub use logistic::{fit as fit_logistic, Model};
pub use select::{weight, Candidate, Counts, Selection};
pub use write::{quote, render, Header, ThemeOut};

use crate::codebook::Codebook;
use crate::labels::slug;
use crate::terms::{TermIndex, TermOptions};
use crate::text::Analyzer;

/// Labelled training comments.
#[derive(Debug, Clone)]
pub struct Examples<'a> {
    pub texts: Vec<&'a str>,
    /// Per comment, the indexes into `label_names` of its labels, sorted.
    pub labels: Vec<Vec<usize>>,
    pub label_names: Vec<String>,
    /// Per comment, the key that fixes its cross-validation fold.
    pub keys: Vec<String>,
}

/// How rule weights are set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Weighting {
    /// Each rule alone: the smoothed log ratio of its keyness (evidence for the label only).
    LogRatio,
    /// All of a theme's rules together: the coefficients of an L2-regularised logistic
    /// regression of the label on the rules' terms (present or not), for and against.
    Logistic { l2: f64 },
}

#[derive(Debug, Clone)]
pub struct LearnOptions {
    pub weighting: Weighting,
    pub folds: usize,
    /// The numbers of rules per theme to try; the best by cross-validated F1 is kept.
    pub rule_counts: Vec<usize>,
    pub selection: Selection,
    /// Examples written per theme (checked by `codebook check`).
    pub examples: usize,
}

impl Default for LearnOptions {
    fn default() -> Self {
        LearnOptions {
            weighting: Weighting::Logistic { l2: 1.0 },
            folds: 5,
            rule_counts: vec![10, 20, 40, 80, 160, 320],
            selection: Selection {
                min_count: 3,
                min_g2: 3.84,
                negative: true,
            },
            examples: 2,
        }
    }
}

/// Cross-validated quality of a theme at its chosen settings.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct CvScore {
    pub rules: usize,
    pub threshold: f64,
    pub tp: u64,
    pub fp: u64,
    pub fn_: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// One learned theme.
#[derive(Debug, Clone)]
pub struct LearnedTheme {
    pub id: String,
    pub label: String,
    /// Training comments with the label.
    pub comments: u64,
    pub rules: Vec<Candidate>,
    pub threshold: f64,
    pub cv: CvScore,
    pub examples: Vec<String>,
}

/// What `learn` made.
#[derive(Debug, Clone)]
pub struct Learned {
    pub themes: Vec<LearnedTheme>,
    /// Labels that got no theme, and why.
    pub skipped: Vec<(String, String)>,
    pub comments: usize,
    pub folds: usize,
    pub language: String,
}

/// Learns one theme per label of `examples`.
pub fn learn(
    analyzer: &Analyzer,
    examples: &Examples<'_>,
    options: &LearnOptions,
) -> Result<Learned> {
    let n = examples.texts.len();
    let n_labels = examples.label_names.len();
    let index = TermIndex::build(analyzer, &examples.texts, TermOptions::default());
    let folds = options.folds.max(2);
    let fold_of: Vec<usize> = examples
        .keys
        .iter()
        .map(|k| crate::split::fold(k, folds))
        .collect();
    let mut rule_counts = options.rule_counts.clone();
    rule_counts.sort_unstable();
    rule_counts.dedup();
    let most = *rule_counts.last().unwrap_or(&40);

    // Out-of-fold scores: oof[k][label][comment].
    let mut oof = vec![vec![vec![0.0f64; n]; n_labels]; rule_counts.len()];
    for f in 0..folds {
        let train: Vec<bool> = fold_of.iter().map(|&x| x != f).collect();
        let held_out: Vec<usize> = (0..n).filter(|&d| fold_of[d] == f).collect();
        if held_out.is_empty() {
            continue;
        }
        let counts = Counts::new(&index, &examples.labels, n_labels, &train);
        // Per label, per number of rules: the weighed rules.
        let chosen: Vec<Vec<Vec<Candidate>>> = (0..n_labels)
            .into_par_iter()
            .map(|l| {
                let ranked = select::select(&index, &counts, l, most, &options.selection);
                rule_counts
                    .iter()
                    .map(|&limit| {
                        let rules = &ranked[..ranked.len().min(limit)];
                        weigh(
                            rules,
                            &index,
                            &examples.labels,
                            l,
                            &train,
                            options.weighting,
                        )
                    })
                    .collect()
            })
            .collect();
        for k in 0..rule_counts.len() {
            let ids: Vec<String> = (0..n_labels).map(|l| format!("t{l}")).collect();
            let themes: Vec<ThemeOut<'_>> = (0..n_labels)
                .filter(|&l| chosen[l][k].iter().any(|r| r.weight > 0.0))
                .map(|l| ThemeOut {
                    id: &ids[l],
                    label: &examples.label_names[l],
                    description: "",
                    threshold: 1.0,
                    rules: &chosen[l][k],
                    examples: &[],
                })
                .collect();
            if themes.is_empty() {
                continue;
            }
            let codebook = compile(&render(&header(analyzer, "cv", &[]), &themes, false))?;
            let theme_of: Vec<Option<usize>> =
                ids.iter().map(|id| codebook.theme_index(id)).collect();
            let scores: Vec<Vec<f64>> = held_out
                .par_iter()
                .map(|&d| codebook.code(examples.texts[d]).scores)
                .collect();
            for (&d, s) in held_out.iter().zip(&scores) {
                for l in 0..n_labels {
                    if let Some(t) = theme_of[l] {
                        oof[k][l][d] = s[t];
                    }
                }
            }
        }
    }

    // Per label: the number of rules and the threshold with the best out-of-fold F1.
    let gold: Vec<Vec<bool>> = (0..n_labels)
        .map(|l| examples.labels.iter().map(|ls| ls.contains(&l)).collect())
        .collect();
    let mut best: Vec<Option<CvScore>> = vec![None; n_labels];
    for l in 0..n_labels {
        for (k, &limit) in rule_counts.iter().enumerate() {
            if let Some(score) = best_threshold(&oof[k][l], &gold[l], limit) {
                if best[l].is_none_or(|b| score.f1 > b.f1 + 1e-12) {
                    best[l] = Some(score);
                }
            }
        }
    }

    // The final rules, on every training comment.
    let everything = vec![true; n];
    let counts = Counts::new(&index, &examples.labels, n_labels, &everything);
    let mut themes = Vec::new();
    let mut skipped = Vec::new();
    let mut ids_taken: Vec<String> = Vec::new();
    for (l, cv) in best.iter().enumerate() {
        let name = &examples.label_names[l];
        let Some(cv) = cv.filter(|cv| cv.f1 > 0.0) else {
            skipped.push((
                name.clone(),
                if counts.label_docs[l] == 0 {
                    "no training comment has it".to_string()
                } else {
                    format!(
                        "no rule set found any of its {} comments in cross-validation",
                        counts.label_docs[l]
                    )
                },
            ));
            continue;
        };
        let ranked = select::select(&index, &counts, l, cv.rules, &options.selection);
        let rules = weigh(
            &ranked,
            &index,
            &examples.labels,
            l,
            &everything,
            options.weighting,
        );
        if !rules.iter().any(|r| r.weight > 0.0) {
            skipped.push((name.clone(), "no term passes the keyness test".into()));
            continue;
        }
        let mut id = slug(name);
        let mut suffix = 2;
        while ids_taken.contains(&id) {
            id = format!("{}_{suffix}", slug(name));
            suffix += 1;
        }
        ids_taken.push(id.clone());
        themes.push(LearnedTheme {
            id,
            label: name.clone(),
            comments: counts.label_docs[l],
            rules,
            threshold: cv.threshold,
            cv,
            examples: Vec::new(),
        });
    }
    if themes.is_empty() {
        let reasons: Vec<String> = skipped
            .iter()
            .map(|(label, why)| format!("\"{label}\": {why}"))
            .collect();
        anyhow::bail!(
            "no theme could be learned ({}); learning needs comments with and without each \
             label",
            reasons.join("; ")
        );
    }
    let mut learned = Learned {
        themes,
        skipped,
        comments: n,
        folds,
        language: analyzer.language().to_string(),
    };
    choose_examples(&mut learned, analyzer, examples, options.examples)?;
    Ok(learned)
}

/// The rules with their weights, those that round to 0 left out, fitted on the comments of
/// `subset`.
fn weigh(
    ranked: &[Candidate],
    index: &TermIndex,
    labels: &[Vec<usize>],
    l: usize,
    subset: &[bool],
    weighting: Weighting,
) -> Vec<Candidate> {
    match weighting {
        Weighting::LogRatio => ranked.iter().filter(|c| c.weight > 0.0).cloned().collect(),
        Weighting::Logistic { l2 } => {
            let mut feature = vec![u32::MAX; index.terms.len()];
            for (j, c) in ranked.iter().enumerate() {
                feature[c.term as usize] = j as u32;
            }
            let mut rows = Vec::new();
            let mut y = Vec::new();
            for (d, doc) in index.docs.iter().enumerate() {
                if !subset[d] {
                    continue;
                }
                let mut row: Vec<u32> = doc
                    .iter()
                    .map(|&t| feature[t as usize])
                    .filter(|&f| f != u32::MAX)
                    .collect();
                row.sort_unstable();
                rows.push(row);
                y.push(labels[d].contains(&l));
            }
            let model = logistic::fit(&rows, &y, ranked.len(), l2);
            let stems: Vec<Vec<&str>> = ranked.iter().map(|c| rule_stems(index, c)).collect();
            ranked
                .iter()
                .enumerate()
                .filter_map(|(j, c)| {
                    // The codebook counts overlapping hits of one sign once, at the largest
                    // weight; the regression added them up. A phrase is therefore given the sum
                    // of its own coefficient and those of the rules of its sign inside it.
                    let own = model.weights[j];
                    let inside: f64 = (0..ranked.len())
                        .filter(|&i| {
                            i != j
                                && model.weights[i].signum() == own.signum()
                                && stems[i].len() < stems[j].len()
                                && stems[j].windows(stems[i].len()).any(|w| w == stems[i])
                        })
                        .map(|i| model.weights[i])
                        .sum();
                    let weight = ((own + inside) * 100.0).round() / 100.0;
                    (weight != 0.0).then(|| Candidate {
                        weight,
                        ..c.clone()
                    })
                })
                .collect()
        }
    }
}

/// The stems a rule's term matches, in order.
fn rule_stems<'i>(index: &'i TermIndex, c: &Candidate) -> Vec<&'i str> {
    let term = &index.terms[c.term as usize];
    match term.kind {
        crate::terms::TermKind::Phrase => term.key.split(' ').collect(),
        crate::terms::TermKind::Stem => vec![term.key.as_str()],
        // A word rule matches one form of its stem; the stem is near enough to find it inside.
        crate::terms::TermKind::Word => vec![term.stem.as_str()],
    }
}

/// The threshold that maximises F1 of `score ≥ threshold` against `gold`, rounded to 0.01,
/// with the scores it gives. `None` when no comment scores above 0.
fn best_threshold(scores: &[f64], gold: &[bool], rules: usize) -> Option<CvScore> {
    let positives = gold.iter().filter(|&&g| g).count() as u64;
    let mut order: Vec<usize> = (0..scores.len()).filter(|&d| scores[d] > 0.0).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let (mut tp, mut fp) = (0u64, 0u64);
    let mut best: Option<(f64, f64)> = None; // (f1, cut between this score and the next lower)
    let mut i = 0;
    while i < order.len() {
        let value = scores[order[i]];
        while i < order.len() && scores[order[i]] == value {
            if gold[order[i]] {
                tp += 1;
            } else {
                fp += 1;
            }
            i += 1;
        }
        let next = order.get(i).map_or(0.0, |&d| scores[d]);
        let f1 = 2.0 * tp as f64 / (tp + fp + positives) as f64;
        if best.is_none_or(|(b, _)| f1 > b + 1e-12) {
            best = Some((f1, (value + next) / 2.0));
        }
    }
    let (_, cut) = best?;
    let threshold = ((cut * 100.0).round() / 100.0).max(0.01);
    let (mut tp, mut fp) = (0u64, 0u64);
    for (d, &s) in scores.iter().enumerate() {
        if s > 0.0 && s + 1e-9 >= threshold {
            if gold[d] {
                tp += 1;
            } else {
                fp += 1;
            }
        }
    }
    let fn_ = positives - tp;
    let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    Some(CvScore {
        rules,
        threshold,
        tp,
        fp,
        fn_,
        precision: ratio(tp, tp + fp),
        recall: ratio(tp, tp + fn_),
        f1: ratio(2 * tp, 2 * tp + fp + fn_),
    })
}

/// A few training comments each theme codes and whose label it is: the shortest of 20 to 200
/// bytes (else the shortest), distinct.
fn choose_examples(
    learned: &mut Learned,
    analyzer: &Analyzer,
    examples: &Examples<'_>,
    per_theme: usize,
) -> Result<()> {
    if per_theme == 0 || learned.themes.is_empty() {
        return Ok(());
    }
    let codebook = compile(&learned.to_toml("examples", &[], false, analyzer))?;
    let coded: Vec<Vec<bool>> = examples
        .texts
        .par_iter()
        .map(|t| codebook.code(t).coded)
        .collect();
    for (t, theme) in learned.themes.iter_mut().enumerate() {
        let l = examples
            .label_names
            .iter()
            .position(|name| *name == theme.label)
            .expect("a theme is learned from a label");
        let mut right: Vec<usize> = (0..examples.texts.len())
            .filter(|&d| coded[d][t] && examples.labels[d].contains(&l))
            .collect();
        right.sort_by_key(|&d| {
            let len = examples.texts[d].trim().len();
            (!(20..=200).contains(&len), len, d)
        });
        for d in right {
            let text = crate::terms::one_line(examples.texts[d]);
            if !theme.examples.contains(&text) && codebook.code(&text).coded[t] {
                theme.examples.push(text);
            }
            if theme.examples.len() == per_theme {
                break;
            }
        }
    }
    Ok(())
}

fn compile(source: &str) -> Result<Codebook> {
    Codebook::from_source(source, "learned codebook")
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("the learned codebook does not compile, which is a bug in verbatim learn")
}

fn header<'a>(analyzer: &'a Analyzer, name: &'a str, notes: &'a [String]) -> Header<'a> {
    Header {
        name,
        version: "1",
        language: analyzer.language(),
        description: "",
        notes,
    }
}

impl Learned {
    /// The codebook's text.
    pub fn to_toml(
        &self,
        name: &str,
        notes: &[String],
        annotate: bool,
        analyzer: &Analyzer,
    ) -> String {
        let descriptions: Vec<String> = self
            .themes
            .iter()
            .map(|t| {
                format!(
                    "Learned from the {} training comments labelled {}. Cross-validated \
                     ({}-fold): precision {:.3}, recall {:.3}, F1 {:.3} with {} rules at most.",
                    t.comments,
                    quote(&t.label),
                    self.folds,
                    t.cv.precision,
                    t.cv.recall,
                    t.cv.f1,
                    t.cv.rules
                )
            })
            .collect();
        let themes: Vec<ThemeOut<'_>> = self
            .themes
            .iter()
            .zip(&descriptions)
            .map(|(t, description)| ThemeOut {
                id: &t.id,
                label: &t.label,
                description,
                threshold: t.threshold,
                rules: &t.rules,
                examples: &t.examples,
            })
            .collect();
        let description = format!(
            "Learned by verbatim learn from {} labelled comments",
            self.comments
        );
        let header = Header {
            name,
            version: "1",
            language: analyzer.language(),
            description: &description,
            notes,
        };
        render(&header, &themes, annotate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_maximises_f1_between_scores() {
        // Scores 3, 2, 2, 1 with gold yes, yes, no, yes; 1 positive at score 0.
        let scores = [3.0, 2.0, 2.0, 1.0, 0.0];
        let gold = [true, true, false, true, true];
        // Cut below 3: F1 2/(1+0+4) = 0.4; below 2: 4/(3+4) = 0.571; below 1: 6/(4+4) = 0.75.
        let best = best_threshold(&scores, &gold, 10).unwrap();
        assert_eq!(best.threshold, 0.5);
        assert_eq!((best.tp, best.fp, best.fn_), (3, 1, 1));
        assert!((best.f1 - 0.75).abs() < 1e-12);
        assert_eq!(best_threshold(&[0.0, 0.0], &[true, false], 10), None);
    }
}
