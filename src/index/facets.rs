//! The facets of a search's hits beyond their themes: per closed question and attribute, how
//! many hits have each value, and how the hits' sentiment is spread. Reads the column store
//! only, never a stored comment.
use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::fields::SENTIMENT_FIELD;

/// Sentiment bins of the histogram: [-1, -0.9), [-0.9, -0.8), ... [0.9, 1].
pub const SENTIMENT_BINS: usize = 20;

/// Counts the values of string fast fields that hold one value per comment (a closed answer, an
/// attribute) and bins the hits' sentiment. Hits are read in blocks, a column at a time.
pub struct FacetCounts {
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FacetCounted {
    /// Per field: each value with its number of hits.
    pub values: Vec<BTreeMap<String, u64>>,
    /// Per field: hits with no value.
    pub missing: Vec<u64>,
    /// Hits per sentiment bin (see [`SENTIMENT_BINS`]).
    pub sentiment: Vec<u64>,
    /// Hits with no sentiment score.
    pub unscored: u64,
}

/// The bin of a compound sentiment in [-1, 1].
pub fn sentiment_bin(value: f64) -> usize {
    // Scores have four decimals: the epsilon keeps -0.9 out of the bin below it.
    let bin = ((value + 1.0) * (SENTIMENT_BINS as f64 / 2.0) + 1e-9).floor();
    (bin.max(0.0) as usize).min(SENTIMENT_BINS - 1)
}

impl Collector for FacetCounts {
    type Fruit = FacetCounted;
    type Child = SegmentFacetCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounts> {
        let mut columns = Vec::with_capacity(self.fields.len());
        for field in &self.fields {
            columns.push(segment.fast_fields().str(field)?);
        }
        let counts = columns
            .iter()
            .map(|c| vec![0; c.as_ref().map_or(0, |c: &StrColumn| c.num_terms())])
            .collect();
        let sentiment = segment.fast_fields().f64(SENTIMENT_FIELD).ok();
        Ok(SegmentFacetCounts {
            missing: vec![0; columns.len()],
            columns,
            counts,
            sentiment,
            bins: vec![0; SENTIMENT_BINS],
            unscored: 0,
            ords: Vec::new(),
            scores: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounted>) -> tantivy::Result<FacetCounted> {
        let mut merged = FacetCounted {
            values: vec![BTreeMap::new(); self.fields.len()],
            missing: vec![0; self.fields.len()],
            sentiment: vec![0; SENTIMENT_BINS],
            unscored: 0,
        };
        for fruit in fruits {
            for (total, values) in merged.values.iter_mut().zip(fruit.values) {
                for (value, n) in values {
                    *total.entry(value).or_default() += n;
                }
            }
            for (total, n) in merged.missing.iter_mut().zip(fruit.missing) {
                *total += n;
            }
            for (total, n) in merged.sentiment.iter_mut().zip(fruit.sentiment) {
                *total += n;
            }
            merged.unscored += fruit.unscored;
        }
        Ok(merged)
    }
}

pub struct SegmentFacetCounts {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u64>>,
    missing: Vec<u64>,
    sentiment: Option<Column<f64>>,
    bins: Vec<u64>,
    unscored: u64,
    /// Buffers for a block of hits.
    ords: Vec<Option<u64>>,
    scores: Vec<Option<f64>>,
}

impl SegmentCollector for SegmentFacetCounts {
    type Fruit = FacetCounted;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.collect_block(&[doc]);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for ((column, counts), missing) in self
            .columns
            .iter()
            .zip(self.counts.iter_mut())
            .zip(self.missing.iter_mut())
        {
            let Some(column) = column else {
                *missing += docs.len() as u64;
                continue;
            };
            self.ords.clear();
            self.ords.resize(docs.len(), None);
            column.ords().first_vals(docs, &mut self.ords);
            for ord in &self.ords {
                match ord {
                    Some(ord) => counts[*ord as usize] += 1,
                    None => *missing += 1,
                }
            }
        }
        self.scores.clear();
        self.scores.resize(docs.len(), None);
        if let Some(column) = &self.sentiment {
            column.first_vals(docs, &mut self.scores);
        }
        for score in &self.scores {
            match score {
                Some(value) => self.bins[sentiment_bin(*value)] += 1,
                None => self.unscored += 1,
            }
        }
    }

    fn harvest(self) -> FacetCounted {
        let mut values = Vec::with_capacity(self.columns.len());
        let mut text = String::new();
        for (column, counts) in self.columns.iter().zip(&self.counts) {
            let mut named = BTreeMap::new();
            if let Some(column) = column {
                for (ord, &n) in counts.iter().enumerate() {
                    if n > 0 && column.ord_to_str(ord as u64, &mut text).unwrap_or(false) {
                        named.insert(text.clone(), n);
                    }
                }
            }
            values.push(named);
        }
        FacetCounted {
            values,
            missing: self.missing,
            sentiment: self.bins,
            unscored: self.unscored,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentiment_bins_cover_minus_one_to_one() {
        assert_eq!(sentiment_bin(-1.0), 0);
        assert_eq!(sentiment_bin(-0.95), 0);
        assert_eq!(sentiment_bin(-0.9), 1);
        assert_eq!(sentiment_bin(0.0), 10);
        assert_eq!(sentiment_bin(0.99), 19);
        assert_eq!(sentiment_bin(1.0), 19);
    }
}
