//! Representativeness: how close a comment's words are to what the theme's comments say as a
//! whole, as the cosine of its TF-IDF vector (stems, function words left out) to the centroid
//! of all of them. Term ids are given in first-seen order and vectors are sorted by id, so
//! every sum runs in the same order and results do not depend on hashing.
use rustc_hash::FxHashMap;

use super::rank::FUNCTION_WORDS;
use crate::text::{Analysis, TokenKind};

/// A unit-length sparse vector: (term id, weight), sorted by term id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermVector(pub Vec<(u32, f64)>);

impl TermVector {
    pub fn dot(&self, other: &TermVector) -> f64 {
        let (a, b) = (&self.0, &other.0);
        let (mut i, mut j, mut sum) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }
}

/// Builds the TF-IDF vectors of a set of comments and their centroid.
#[derive(Default)]
pub struct Vocabulary {
    ids: FxHashMap<String, u32>,
    /// Per comment: term ids with counts, sorted by id.
    counts: Vec<Vec<(u32, u32)>>,
    document_frequency: Vec<u32>,
}

impl Vocabulary {
    /// Adds a comment; comments are numbered in the order they are added.
    pub fn add(&mut self, analysis: &Analysis<'_>) {
        let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
        for (i, token) in analysis.tokens.iter().enumerate() {
            if token.kind != TokenKind::Word || FUNCTION_WORDS.contains(&analysis.norm(i)) {
                continue;
            }
            let stem = analysis.stem(i);
            let next = self.ids.len() as u32;
            let id = *self.ids.entry(stem.to_string()).or_insert(next);
            if id == next {
                self.document_frequency.push(0);
            }
            *counts.entry(id).or_default() += 1;
        }
        let mut counts: Vec<(u32, u32)> = counts.into_iter().collect();
        counts.sort_unstable();
        for (id, _) in &counts {
            self.document_frequency[*id as usize] += 1;
        }
        self.counts.push(counts);
    }

    /// Unit TF-IDF vectors of the comments (log-scaled term frequency, idf = ln(N / df): a term
    /// in every comment weighs nothing), and their centroid.
    pub fn vectors(&self) -> (Vec<TermVector>, TermVector) {
        let n = self.counts.len() as f64;
        let idf: Vec<f64> = self
            .document_frequency
            .iter()
            .map(|&df| (n / df as f64).ln())
            .collect();
        let vectors: Vec<TermVector> = self
            .counts
            .iter()
            .map(|counts| {
                let mut v: Vec<(u32, f64)> = counts
                    .iter()
                    .map(|&(id, tf)| (id, (1.0 + (tf as f64).ln()) * idf[id as usize]))
                    .filter(|(_, w)| *w > 0.0)
                    .collect();
                normalise(&mut v);
                TermVector(v)
            })
            .collect();
        let mut sum = vec![0.0; self.document_frequency.len()];
        for v in &vectors {
            for &(id, w) in &v.0 {
                sum[id as usize] += w;
            }
        }
        let mut centroid: Vec<(u32, f64)> = sum
            .into_iter()
            .enumerate()
            .filter(|(_, w)| *w > 0.0)
            .map(|(id, w)| (id as u32, w))
            .collect();
        normalise(&mut centroid);
        (vectors, TermVector(centroid))
    }
}

fn normalise(v: &mut [(u32, f64)]) {
    let norm = v.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
    if norm > 0.0 {
        for (_, w) in v.iter_mut() {
            *w /= norm;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Analyzer;

    #[test]
    fn the_typical_comment_is_closest_to_the_centroid() {
        let analyzer = Analyzer::english();
        let texts = [
            "councillors excluded from the plan",
            "councillors were excluded from planning",
            "excluded again, councillors ignored",
            "the weather was cold",
        ];
        let mut vocabulary = Vocabulary::default();
        for t in texts {
            vocabulary.add(&analyzer.analyze(t));
        }
        let (vectors, centroid) = vocabulary.vectors();
        let cos: Vec<f64> = vectors.iter().map(|v| v.dot(&centroid)).collect();
        assert!(
            cos[3] < cos[0] && cos[3] < cos[1] && cos[3] < cos[2],
            "{cos:?}"
        );
        for v in &vectors {
            assert!((v.dot(v) - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn idf_by_hand() {
        // Two comments: "cuts" in both (idf 0), "funding" and "staff" once each (idf ln 2).
        let analyzer = Analyzer::english();
        let mut vocabulary = Vocabulary::default();
        vocabulary.add(&analyzer.analyze("funding cuts"));
        vocabulary.add(&analyzer.analyze("staff cuts cuts"));
        let (vectors, centroid) = vocabulary.vectors();
        assert_eq!(vectors[0].0.len(), 1, "cuts weighs nothing");
        assert_eq!(vectors[0].dot(&vectors[1]), 0.0);
        // The centroid is (1, 1)/sqrt(2) over funding and staff.
        assert!((vectors[0].dot(&centroid) - 1.0 / 2f64.sqrt()).abs() < 1e-12);
    }
}
