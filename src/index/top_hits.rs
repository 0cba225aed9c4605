//! The page of hits in the order asked for, with ties broken by input order so that the same
//! query on the same comments gives the same page however the index is split into segments.
//! Faster than a generic sort key: a hit whose score cannot enter the page is dropped before
//! its sequence number is read.
use std::collections::BinaryHeap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Cardinality, Column, ColumnValues};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::fields::{SENTIMENT_FIELD, SEQ_FIELD};
use super::search::SortOrder;

/// Better is larger `primary`, then smaller `seq`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankKey {
    pub primary: f64,
    pub seq: u64,
}

impl RankKey {
    fn better_than(&self, other: &RankKey) -> bool {
        self.primary > other.primary || (self.primary == other.primary && self.seq < other.seq)
    }
}

/// A heap entry ordered so that the heap's top is the worst hit kept.
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: RankKey,
    doc: DocId,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Greater means worse: lower primary, then higher seq.
        other
            .key
            .primary
            .total_cmp(&self.key.primary)
            .then(self.key.seq.cmp(&other.key.seq))
    }
}

pub struct TopHits {
    /// Hits to keep: the page and every hit before it.
    pub keep: usize,
    pub sort: SortOrder,
    /// Each segment holds its comments in input order: a later hit never wins a tie.
    pub sorted_by_input: bool,
}

/// A single-valued u64 column read directly where every document has a value.
pub fn dense_u64(segment: &SegmentReader, field: &str) -> Arc<dyn ColumnValues<u64>> {
    let column = segment
        .fast_fields()
        .u64(field)
        .unwrap_or_else(|_| Column::build_empty_column(segment.max_doc()));
    if column.get_cardinality() == Cardinality::Full {
        column.values
    } else {
        column.first_or_default_col(0)
    }
}

impl Collector for TopHits {
    type Fruit = Vec<(RankKey, DocAddress)>;
    type Child = SegmentTopHits;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentTopHits> {
        let seq = dense_u64(segment, SEQ_FIELD);
        let sentiment = match self.sort {
            SortOrder::Negative | SortOrder::Positive => Some(
                segment
                    .fast_fields()
                    .f64(SENTIMENT_FIELD)
                    .unwrap_or_else(|_| Column::build_empty_column(segment.max_doc())),
            ),
            _ => None,
        };
        Ok(SegmentTopHits {
            segment_ord,
            keep: self.keep,
            sort: self.sort,
            sorted_by_input: self.sorted_by_input,
            seq,
            sentiment,
            heap: BinaryHeap::with_capacity(self.keep + 1),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.sort == SortOrder::Relevance
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(RankKey, DocAddress)>>,
    ) -> tantivy::Result<Vec<(RankKey, DocAddress)>> {
        let mut all: Vec<(RankKey, DocAddress)> = fruits.into_iter().flatten().collect();
        all.sort_by(|a, b| {
            b.0.primary
                .total_cmp(&a.0.primary)
                .then(a.0.seq.cmp(&b.0.seq))
        });
        all.truncate(self.keep);
        Ok(all)
    }
}

pub struct SegmentTopHits {
    segment_ord: SegmentOrdinal,
    keep: usize,
    sort: SortOrder,
    sorted_by_input: bool,
    seq: Arc<dyn ColumnValues<u64>>,
    sentiment: Option<Column<f64>>,
    heap: BinaryHeap<Entry>,
}

impl SegmentCollector for SegmentTopHits {
    type Fruit = Vec<(RankKey, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.keep == 0 {
            return;
        }
        let primary = match (&self.sentiment, self.sort) {
            (Some(column), SortOrder::Negative) => {
                column.first(doc).map_or(f64::NEG_INFINITY, |v| -v)
            }
            (Some(column), _) => column.first(doc).unwrap_or(f64::NEG_INFINITY),
            (None, SortOrder::Relevance) => f64::from(score),
            (None, _) => 0.0,
        };
        if self.heap.len() == self.keep {
            let worst = self.heap.peek().expect("a full heap").key;
            if primary < worst.primary || (primary == worst.primary && self.sorted_by_input) {
                return;
            }
            let key = RankKey {
                primary,
                seq: self.seq.get_val(doc),
            };
            if !key.better_than(&worst) {
                return;
            }
            self.heap.pop();
            self.heap.push(Entry { key, doc });
            return;
        }
        let key = RankKey {
            primary,
            seq: self.seq.get_val(doc),
        };
        self.heap.push(Entry { key, doc });
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        // In input order on a sorted segment, no hit after a full page can enter it.
        if self.sort == SortOrder::Input && self.sorted_by_input && self.heap.len() == self.keep {
            return;
        }
        for &doc in docs {
            self.collect(doc, 0.0);
        }
    }

    fn harvest(self) -> Vec<(RankKey, DocAddress)> {
        let segment_ord = self.segment_ord;
        self.heap
            .into_iter()
            .map(|e| (e.key, DocAddress::new(segment_ord, e.doc)))
            .collect()
    }
}
