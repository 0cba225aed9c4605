//! Choosing a shortlist that is not five versions of the same complaint: near-duplicates (by
//! word shingles) are left out, at most N quotes per respondent, and among the rest maximal
//! marginal relevance (Carbonell & Goldstein, 1998) trades score against similarity to the
//! quotes already chosen, in wording and in who said it.
use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;
use serde::Serialize;

use super::centroid::TermVector;

/// What the selection needs to know about a candidate.
pub struct Candidate<'a> {
    pub score: f64,
    pub respondent: &'a str,
    /// Sorted, deduplicated hashes of the quote's word shingles.
    pub shingles: Vec<u64>,
    pub vector: &'a TermVector,
    /// Values of the attribution attributes (empty where not given).
    pub attributes: Vec<&'a str>,
}

#[derive(Debug, Clone, Copy)]
pub struct Selection {
    pub top: usize,
    /// Weight of the score against similarity, 0..1 (1: score alone).
    pub lambda: f64,
    /// Word-shingle Jaccard at or above which a quote is a near-duplicate of one chosen.
    pub duplicate: f64,
    /// Quotes per respondent; 0 for no limit.
    pub per_respondent: usize,
}

/// A chosen candidate: its index, and its greatest similarity to those chosen before it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chosen {
    pub candidate: usize,
    pub similarity: f64,
    pub mmr: f64,
}

/// Candidates passed over, and why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PassedOver {
    pub near_duplicates: usize,
    pub same_respondent: usize,
}

/// Greedy MMR: each round takes the candidate with the largest
/// `lambda * score - (1 - lambda) * max similarity to the chosen`, ties to the earlier one.
pub fn select(candidates: &[Candidate<'_>], selection: Selection) -> (Vec<Chosen>, PassedOver) {
    let mut chosen: Vec<Chosen> = Vec::new();
    let mut open: Vec<bool> = vec![true; candidates.len()];
    let mut max_similarity = vec![0.0f64; candidates.len()];
    let mut passed = PassedOver::default();
    while chosen.len() < selection.top {
        let mut best: Option<(usize, f64)> = None;
        for (i, c) in candidates.iter().enumerate() {
            if !open[i] {
                continue;
            }
            let mmr = selection.lambda * c.score - (1.0 - selection.lambda) * max_similarity[i];
            if best.is_none_or(|(_, b)| mmr > b) {
                best = Some((i, mmr));
            }
        }
        let Some((i, mmr)) = best else { break };
        open[i] = false;
        let c = &candidates[i];
        if selection.per_respondent > 0
            && chosen
                .iter()
                .filter(|k| candidates[k.candidate].respondent == c.respondent)
                .count()
                >= selection.per_respondent
        {
            passed.same_respondent += 1;
            continue;
        }
        if chosen
            .iter()
            .any(|k| jaccard(&candidates[k.candidate].shingles, &c.shingles) >= selection.duplicate)
        {
            passed.near_duplicates += 1;
            continue;
        }
        chosen.push(Chosen {
            candidate: i,
            similarity: max_similarity[i],
            mmr,
        });
        for (j, other) in candidates.iter().enumerate() {
            if open[j] {
                max_similarity[j] = max_similarity[j].max(similarity(c, other));
            }
        }
    }
    (chosen, passed)
}

/// Half wording (TF-IDF cosine), half who said it (share of attribution attributes with the
/// same value, among those both have); wording alone when neither has attributes.
pub fn similarity(a: &Candidate<'_>, b: &Candidate<'_>) -> f64 {
    let wording = a.vector.dot(b.vector).clamp(0.0, 1.0);
    let (mut both, mut same) = (0, 0);
    for (x, y) in a.attributes.iter().zip(&b.attributes) {
        if !x.is_empty() && !y.is_empty() {
            both += 1;
            same += usize::from(x.eq_ignore_ascii_case(y));
        }
    }
    if both == 0 {
        wording
    } else {
        0.5 * wording + 0.5 * same as f64 / both as f64
    }
}

/// Hashes of the word 3-shingles of `words` (the words themselves when fewer than three).
pub fn shingles<'w>(words: impl Iterator<Item = &'w str>) -> Vec<u64> {
    let words: Vec<&str> = words.collect();
    let hash = |parts: &[&str]| {
        let mut h = FxHasher::default();
        parts.hash(&mut h);
        h.finish()
    };
    let mut out: Vec<u64> = if words.len() < 3 {
        words.iter().map(|w| hash(&[w])).collect()
    } else {
        words.windows(3).map(hash).collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// |a ∩ b| / |a ∪ b| of two sorted, deduplicated sets; 1 for two empty sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut both) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    both as f64 / (a.len() + b.len() - both) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<u64> {
        shingles(text.split_whitespace())
    }

    #[test]
    fn jaccard_of_shingles_by_hand() {
        // 7 and 6 shingles, 4 shared: 4 / 9.
        let a = words("we were not consulted at all on the plan");
        let b = words("we were not consulted at all about it");
        assert_eq!(a.len(), 7);
        assert_eq!(b.len(), 6);
        // Shared: we were not / were not consulted / not consulted at / consulted at all.
        assert!((jaccard(&a, &b) - 4.0 / 9.0).abs() < 1e-12);
        assert_eq!(jaccard(&words("top down"), &words("top down")), 1.0);
        assert_eq!(jaccard(&[], &[]), 1.0);
    }

    fn candidate<'a>(
        score: f64,
        respondent: &'a str,
        text: &str,
        vector: &'a TermVector,
        attributes: Vec<&'a str>,
    ) -> Candidate<'a> {
        Candidate {
            score,
            respondent,
            shingles: words(text),
            vector,
            attributes,
        }
    }

    #[test]
    fn mmr_skips_duplicates_and_repeat_respondents_and_spreads_attributes() {
        let v = TermVector(vec![(0, 1.0)]);
        let w = TermVector(vec![(1, 1.0)]);
        let candidates = [
            candidate(
                0.9,
                "R1",
                "we were never asked about the plan",
                &v,
                vec!["Leader"],
            ),
            candidate(
                0.88,
                "R2",
                "we were never asked about the plan at all",
                &v,
                vec!["Leader"],
            ),
            candidate(
                0.87,
                "R1",
                "the money is simply not there",
                &w,
                vec!["Leader"],
            ),
            candidate(0.8, "R3", "officers talk to officers", &v, vec!["Leader"]),
            candidate(0.7, "R4", "no funding for social care", &w, vec!["Officer"]),
        ];
        let selection = Selection {
            top: 3,
            lambda: 0.7,
            duplicate: 0.5,
            per_respondent: 1,
        };
        let (chosen, passed) = select(&candidates, selection);
        let order: Vec<usize> = chosen.iter().map(|c| c.candidate).collect();
        // After 0, candidate 1 (same words and role) scores 0.7*0.88 - 0.3*1 = 0.316, 2
        // (same respondent) 0.609 - 0.3*0.5 = 0.459, 3: 0.56 - 0.3 = 0.26, 4 (other words,
        // other role): 0.49. So 4, then 2 is passed over (R1 again), then 1 (0.316, a
        // near-duplicate of 0: 5 of its 8 shingles are 0's), then 3.
        assert_eq!(order, vec![0, 4, 3]);
        assert_eq!(
            passed,
            PassedOver {
                near_duplicates: 1,
                same_respondent: 1
            }
        );
        assert_eq!(chosen[1].similarity, 0.0);
        assert!((chosen[1].mmr - 0.49).abs() < 1e-12);
        assert_eq!(chosen[2].similarity, 1.0);
    }

    #[test]
    fn lambda_one_is_score_order() {
        let v = TermVector(vec![(0, 1.0)]);
        let candidates = [
            candidate(0.5, "a", "one two three", &v, vec![]),
            candidate(0.9, "b", "four five six", &v, vec![]),
            candidate(0.7, "c", "seven eight nine", &v, vec![]),
        ];
        let selection = Selection {
            top: 10,
            lambda: 1.0,
            duplicate: 0.5,
            per_respondent: 1,
        };
        let (chosen, _) = select(&candidates, selection);
        let order: Vec<usize> = chosen.iter().map(|c| c.candidate).collect();
        assert_eq!(order, vec![1, 2, 0]);
    }
}
