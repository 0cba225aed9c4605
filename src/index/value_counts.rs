//! Counts the values of a string fast field over the hits of a query: the theme facet counts of
//! a search, and the cells of a crosstab. Reads the column store, not the stored documents.
use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

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
