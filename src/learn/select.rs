//! Rules for one label from the comments of a training set: the terms most over-represented
//! in the label's comments (keyness), one rule per stem at most, each weighed by how much more
//! often the label's comments have it.
use std::collections::BTreeSet;

use crate::stats::Keyness;
use crate::terms::{TermIndex, TermKind};

/// Document frequencies of every term, overall and per label, over a subset of comments.
pub struct Counts {
    /// Comments in the subset, and per label.
    pub docs: u64,
    pub label_docs: Vec<u64>,
    /// Per term: comments of the subset with it, and per label.
    pub total: Vec<u32>,
    pub per_label: Vec<Vec<u32>>,
}

impl Counts {
    /// Counts over the comments where `subset` is true.
    pub fn new(
        index: &TermIndex,
        labels: &[Vec<usize>],
        n_labels: usize,
        subset: &[bool],
    ) -> Counts {
        let terms = index.terms.len();
        let mut counts = Counts {
            docs: 0,
            label_docs: vec![0; n_labels],
            total: vec![0; terms],
            per_label: vec![vec![0; terms]; n_labels],
        };
        for (d, doc) in index.docs.iter().enumerate() {
            if !subset[d] {
                continue;
            }
            counts.docs += 1;
            for &l in &labels[d] {
                counts.label_docs[l] += 1;
            }
            for &t in doc {
                counts.total[t as usize] += 1;
                for &l in &labels[d] {
                    counts.per_label[l][t as usize] += 1;
                }
            }
        }
        counts
    }

    /// The keyness of term `t` for label `l`.
    pub fn keyness(&self, l: usize, t: usize) -> Keyness {
        let group = u64::from(self.per_label[l][t]);
        let all = u64::from(self.total[t]);
        Keyness::new(
            group,
            self.label_docs[l],
            all - group,
            self.docs - self.label_docs[l],
        )
    }
}

/// A rule chosen for a label.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub term: u32,
    pub kind: TermKind,
    pub pattern: String,
    pub weight: f64,
    pub keyness: Keyness,
}

/// How rules are chosen.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    /// A rule's term must be in at least this many comments of the label...
    pub min_count: u64,
    /// ...and over-represented with at least this G² (10.83: p < 0.001).
    pub min_g2: f64,
    /// Also choose terms under-represented in the label's comments (evidence against it,
    /// in at least `min_count` other comments).
    pub negative: bool,
}

/// Up to `limit` rules for label `l`, highest |G²| first. A word and its stem are one rule at
/// most (whichever has the higher |G²|). The weight is the smoothed log ratio
/// `log2(((a + ½) / (A + 1)) / ((b + ½) / (B + 1)))`, `a` of the label's `A` comments and `b`
/// of the other `B` having the term, rounded to 0.01; rules whose weight rounds to 0 are left
/// out.
pub fn select(
    index: &TermIndex,
    counts: &Counts,
    l: usize,
    limit: usize,
    selection: &Selection,
) -> Vec<Candidate> {
    let mut ranked: Vec<(u32, Keyness)> = (0..index.terms.len())
        .filter(|&t| {
            let group = u64::from(counts.per_label[l][t]);
            let rest = u64::from(counts.total[t]) - group;
            group >= selection.min_count || (selection.negative && rest >= selection.min_count)
        })
        .map(|t| (t as u32, counts.keyness(l, t)))
        .filter(|(_, k)| {
            (k.g2 >= selection.min_g2 && k.group_hits >= selection.min_count)
                || (selection.negative && -k.g2 >= selection.min_g2)
        })
        .collect();
    ranked.sort_by(|a, b| b.1.g2.abs().total_cmp(&a.1.g2.abs()).then(a.0.cmp(&b.0)));
    let mut stems_used: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for (t, keyness) in ranked {
        if out.len() >= limit {
            break;
        }
        let term = &index.terms[t as usize];
        if term.kind != TermKind::Phrase && !stems_used.insert(term.stem.clone()) {
            continue;
        }
        let weight = weight(&keyness);
        if weight == 0.0 {
            continue;
        }
        out.push(Candidate {
            term: t,
            kind: term.kind,
            pattern: term.surface.clone(),
            weight,
            keyness,
        });
    }
    out
}

/// The smoothed log ratio of a term's counts, `log2(((a + ½) / (A + 1)) / ((b + ½) / (B + 1)))`
/// with `a` of the label's `A` comments and `b` of the other `B` having it, rounded to 0.01.
pub fn weight(k: &Keyness) -> f64 {
    let group = (k.group_hits as f64 + 0.5) / (k.group_size as f64 + 1.0);
    let rest = (k.rest_hits as f64 + 0.5) / (k.rest_size as f64 + 1.0);
    ((group / rest).log2() * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_by_hand() {
        // 19.5 / 101 against 9.5 / 401: log2(8.1497...) = 3.026...
        let k = Keyness::new(19, 100, 9, 400);
        let exact = ((19.5f64 / 101.0) / (9.5 / 401.0)).log2();
        assert_eq!(weight(&k), (exact * 100.0).round() / 100.0);
        assert_eq!(weight(&k), 3.03);
    }
}
