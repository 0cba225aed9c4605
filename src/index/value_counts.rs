//! Counts the values of a string fast field over the hits of a query: the theme facet counts of
//! a search, and the cells of a crosstab. Reads the column store, not the stored documents.
use std::collections::{BTreeMap, BTreeSet};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::schema::Field;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

/// Per value of `field`, the number of hits that have it (a hit with several values counts
/// once for each), and the number of hits with no value.
pub struct ValueCounts {
    field: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counted {
    pub values: BTreeMap<String, u64>,
    pub missing: u64,
}

impl ValueCounts {
    pub fn new(field: &str) -> Self {
        ValueCounts {
            field: field.to_string(),
        }
    }
}

impl Collector for ValueCounts {
    type Fruit = Counted;
    type Child = SegmentValueCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentValueCounts> {
        let column = segment.fast_fields().str(&self.field)?;
        let ords = column.as_ref().map_or(0, |c| c.num_terms());
        Ok(SegmentValueCounts {
            column,
            counts: vec![0; ords],
            missing: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counted>) -> tantivy::Result<Counted> {
        let mut merged = Counted::default();
        for fruit in fruits {
            merged.missing += fruit.missing;
            for (value, count) in fruit.values {
                *merged.values.entry(value).or_default() += count;
            }
        }
        Ok(merged)
    }
}

pub struct SegmentValueCounts {
    column: Option<StrColumn>,
    counts: Vec<u64>,
    missing: u64,
}

impl SegmentCollector for SegmentValueCounts {
    type Fruit = Counted;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(column) = &self.column else {
            self.missing += 1;
            return;
        };
        let mut any = false;
        for ord in column.term_ords(doc) {
            self.counts[ord as usize] += 1;
            any = true;
        }
        self.missing += u64::from(!any);
    }

    fn harvest(self) -> Counted {
        let mut values = BTreeMap::new();
        if let Some(column) = &self.column {
            let mut value = String::new();
            for (ord, &count) in self.counts.iter().enumerate() {
                if count > 0 && column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                    values.insert(value.clone(), count);
                }
            }
        }
        Counted {
            values,
            missing: self.missing,
        }
    }
}

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
