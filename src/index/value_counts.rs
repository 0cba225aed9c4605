//! The theme counts of a search's hits, read from the theme bit sets in the column store, and
//! the distinct values of a string field.
use std::collections::BTreeSet;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::schema::Field;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

/// Per theme (in manifest order), the number of hits coded with it, and the hits with none;
/// read from the `theme_bits_*` fast fields.
pub struct ThemeCounts {
    pub fields: Vec<String>,
    pub themes: usize,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ThemeCounted {
    pub counts: Vec<u64>,
    pub uncoded: u64,
}

impl Collector for ThemeCounts {
    type Fruit = ThemeCounted;
    type Child = SegmentThemeCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentThemeCounts> {
        let columns = self
            .fields
            .iter()
            .map(|f| super::top_hits::dense_u64(segment, f))
            .collect();
        Ok(SegmentThemeCounts {
            columns,
            counts: vec![0; self.fields.len() * 64],
            uncoded: 0,
            themes: self.themes,
            bits: Vec::new(),
            any: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<ThemeCounted>) -> tantivy::Result<ThemeCounted> {
        let mut merged = ThemeCounted {
            counts: vec![0; self.themes],
            uncoded: 0,
        };
        for fruit in fruits {
            merged.uncoded += fruit.uncoded;
            for (total, count) in merged.counts.iter_mut().zip(fruit.counts) {
                *total += count;
            }
        }
        Ok(merged)
    }
}

pub struct SegmentThemeCounts {
    columns: Vec<std::sync::Arc<dyn tantivy::columnar::ColumnValues<u64>>>,
    counts: Vec<u64>,
    uncoded: u64,
    themes: usize,
    /// Buffers for a block of hits.
    bits: Vec<u64>,
    any: Vec<bool>,
}

impl SegmentCollector for SegmentThemeCounts {
    type Fruit = ThemeCounted;

    fn collect(&mut self, doc: DocId, _: Score) {
        let mut any = false;
        for (c, column) in self.columns.iter().enumerate() {
            let mut bits = column.get_val(doc);
            any |= bits != 0;
            while bits != 0 {
                self.counts[c * 64 + bits.trailing_zeros() as usize] += 1;
                bits &= bits - 1;
            }
        }
        self.uncoded += u64::from(!any);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.any.clear();
        self.any.resize(docs.len(), false);
        for (c, column) in self.columns.iter().enumerate() {
            self.bits.resize(docs.len(), 0);
            column.get_vals(docs, &mut self.bits);
            for (any, &bits) in self.any.iter_mut().zip(&self.bits) {
                *any |= bits != 0;
            }
            // One pass per theme over the block: branch-free, and the compiler vectorises it.
            let themes = self.themes.saturating_sub(c * 64).min(64);
            for t in 0..themes {
                let hits: u64 = self.bits.iter().map(|&bits| (bits >> t) & 1).sum();
                self.counts[c * 64 + t] += hits;
            }
        }
        self.uncoded += self.any.iter().filter(|a| !**a).count() as u64;
    }

    fn harvest(self) -> ThemeCounted {
        ThemeCounted {
            counts: self.counts,
            uncoded: self.uncoded,
        }
    }
}

/// The distinct values of a string field, read from the term dictionaries of every segment.
pub fn distinct_values(searcher: &Searcher, field: Field) -> BTreeSet<String> {
    let mut values = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().stream() else {
            continue;
        };
        while stream.advance() {
            if let Ok(value) = std::str::from_utf8(stream.key()) {
                values.insert(value.to_string());
            }
        }
    }
    values
}
