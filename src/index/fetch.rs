//! Comments by sequence number: what a shortlist holds on to. Sequence numbers are a fast
//! field only; every segment keeps its comments in input order, so each is found by a binary
//! search of its segment's column (a linear scan on an index built before that order).
use anyhow::Result;
use tantivy::{DocAddress, DocId, Searcher};

use super::fields::SEQ_FIELD;
use super::search::{load_hit, Hit};
use super::top_hits::dense_u64;
use super::SurveyIndex;

/// The comment of each sequence number, in the order asked, or `None` where the index has
/// no such comment (or holds it only in a deleted document).
pub fn comments_by_seq(
    index: &SurveyIndex,
    searcher: &Searcher,
    seqs: &[u64],
) -> Result<Vec<Option<Hit>>> {
    let sorted = index.sorted_by_input();
    let mut found: Vec<Option<DocAddress>> = vec![None; seqs.len()];
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let column = dense_u64(segment, SEQ_FIELD);
        let docs = segment.max_doc();
        let alive = |doc: DocId| !segment.is_deleted(doc);
        for (wanted, slot) in seqs.iter().zip(found.iter_mut()) {
            if slot.is_some() {
                continue;
            }
            let doc = if sorted {
                // The first document whose seq is not below the wanted one.
                let (mut low, mut high) = (0, docs);
                while low < high {
                    let mid = low + (high - low) / 2;
                    if column.get_val(mid) < *wanted {
                        low = mid + 1;
                    } else {
                        high = mid;
                    }
                }
                (low < docs && column.get_val(low) == *wanted).then_some(low)
            } else {
                (0..docs).find(|&d| column.get_val(d) == *wanted)
            };
            if let Some(doc) = doc.filter(|&d| alive(d)) {
                *slot = Some(DocAddress::new(ord as u32, doc));
            }
        }
    }
    found
        .into_iter()
        .map(|address| {
            address
                .map(|a| load_hit(index, searcher, 0.0, a))
                .transpose()
        })
        .collect()
}
