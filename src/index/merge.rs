//! Input order without sorting. tantivy's one indexing thread takes comments in input order, so
//! each segment it writes holds consecutive comments, and a merge stacks segments in the order
//! it is given them: merging neighbours, in input order, keeps every segment in input order.
//! tantivy's merge policy picks segments by size alone, so it is switched off while writing
//! and the merges are planned here, after a run's last commit.
use std::ops::Range;

use anyhow::{Context, Result};
use tantivy::index::SegmentId;
use tantivy::{IndexWriter, TantivyDocument};

use super::fields::SEQ_FIELD;
use super::SurveyIndex;

/// More segments than this are merged down to it at the end of `index` or `add`. Each segment
/// costs a search a few term lookups; merging costs rewriting its comments.
pub const MAX_SEGMENTS: usize = 16;

/// Runs of neighbouring segments (given by their comment counts, in input order) to merge so
/// that at most `max_segments` remain: of the groupings whose largest segment is as small as it
/// can be, the one that rewrites the fewest comments. Runs of one segment are left out.
pub fn merge_plan(docs: &[u64], max_segments: usize) -> Vec<Range<usize>> {
    let n = docs.len();
    let max_segments = max_segments.max(1);
    if n <= max_segments {
        return Vec::new();
    }
    let mut prefix = vec![0u64; n + 1];
    for (i, d) in docs.iter().enumerate() {
        prefix[i + 1] = prefix[i] + d;
    }
    let size = |from: usize, to: usize| prefix[to] - prefix[from];
    // The smallest largest segment: greedy packing tells whether a cap is reachable.
    let groups_needed = |cap: u64| {
        let (mut groups, mut current) = (1, 0u64);
        for &d in docs {
            if current + d > cap {
                groups += 1;
                current = 0;
            }
            current += d;
        }
        groups
    };
    let (mut low, mut high) = (docs.iter().copied().max().unwrap_or(0), prefix[n]);
    while low < high {
        let mid = low + (high - low) / 2;
        if groups_needed(mid) <= max_segments {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    let cap = low;
    // Fewest comments rewritten with every segment within the cap: cost[g][i] covers the first
    // i segments with g merged segments.
    const NONE: u64 = u64::MAX;
    let mut cost = vec![vec![NONE; n + 1]; max_segments + 1];
    let mut from = vec![vec![0usize; n + 1]; max_segments + 1];
    cost[0][0] = 0;
    for g in 1..=max_segments {
        for i in 1..=n {
            for j in (0..i).rev() {
                if size(j, i) > cap {
                    break;
                }
                if cost[g - 1][j] == NONE {
                    continue;
                }
                let rewritten = if i - j > 1 { size(j, i) } else { 0 };
                let total = cost[g - 1][j] + rewritten;
                if total < cost[g][i] {
                    cost[g][i] = total;
                    from[g][i] = j;
                }
            }
        }
    }
    let groups = (1..=max_segments)
        .min_by_key(|&g| (cost[g][n], g))
        .expect("at least one segment count");
    let mut runs = Vec::new();
    let (mut g, mut i) = (groups, n);
    while g > 0 {
        let j = from[g][i];
        if i - j > 1 {
            runs.push(j..i);
        }
        i = j;
        g -= 1;
    }
    runs.reverse();
    runs
}

/// Merges the committed segments of `index` down to [`MAX_SEGMENTS`], neighbours in input order.
/// Returns how many merges it made.
pub fn merge_in_input_order(
    index: &SurveyIndex,
    writer: &mut IndexWriter<TantivyDocument>,
) -> Result<usize> {
    let searcher = index.reader()?.searcher();
    let mut segments: Vec<(u64, SegmentId, u64)> = Vec::new();
    for segment in searcher.segment_readers() {
        let first = segment
            .fast_fields()
            .u64(SEQ_FIELD)
            .context("an index segment has no sequence numbers: rebuild the index")?
            .min_value();
        segments.push((first, segment.segment_id(), u64::from(segment.max_doc())));
    }
    segments.sort_unstable();
    let docs: Vec<u64> = segments.iter().map(|s| s.2).collect();
    let runs = merge_plan(&docs, MAX_SEGMENTS);
    for run in &runs {
        let ids: Vec<SegmentId> = segments[run.clone()].iter().map(|s| s.1).collect();
        writer
            .merge(&ids)
            .wait()
            .context("the index could not merge its segments")?;
    }
    Ok(runs.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_segments_are_left_alone() {
        assert!(merge_plan(&[5, 5, 5], 3).is_empty());
        assert!(merge_plan(&[], 3).is_empty());
    }

    #[test]
    fn the_smallest_neighbours_merge() {
        // One segment too many: the two small ones from the last runs merge, not the big ones.
        let docs = [800, 100, 100, 10, 12, 9, 11, 10];
        assert_eq!(merge_plan(&docs, 7), vec![5..7]);
    }

    #[test]
    fn the_largest_segment_is_kept_small() {
        // Ten equal segments into eight: two pairs, never a run of three.
        let plan = merge_plan(&[100; 10], 8);
        assert_eq!(plan.len(), 2);
        assert!(plan.iter().all(|r| r.len() == 2));
        assert!(plan[0].end <= plan[1].start);
    }

    #[test]
    fn one_segment_takes_everything() {
        assert_eq!(merge_plan(&[3, 1, 4, 1, 5], 1), vec![0..5]);
    }
}
