//! Every hit of a query in input order, without scoring or a bounded heap: the comments a
//! shortlist is drawn from.
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::{dense_u64, SEQ_FIELD};

pub struct InputOrder;

pub struct SegmentInputOrder {
    segment: SegmentOrdinal,
    seq: std::sync::Arc<dyn ColumnValues<u64>>,
    hits: Vec<(u64, DocAddress)>,
}

impl Collector for InputOrder {
    type Fruit = Vec<DocAddress>;
    type Child = SegmentInputOrder;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentInputOrder> {
        Ok(SegmentInputOrder {
            segment,
            seq: dense_u64(reader, SEQ_FIELD),
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(u64, DocAddress)>>,
    ) -> tantivy::Result<Vec<DocAddress>> {
        let mut all: Vec<(u64, DocAddress)> = fruits.into_iter().flatten().collect();
        all.sort_unstable_by_key(|(seq, _)| *seq);
        Ok(all.into_iter().map(|(_, address)| address).collect())
    }
}

impl SegmentCollector for SegmentInputOrder {
    type Fruit = Vec<(u64, DocAddress)>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.hits
            .push((self.seq.get_val(doc), DocAddress::new(self.segment, doc)));
    }

    fn harvest(self) -> Self::Fruit {
        self.hits
    }
}
