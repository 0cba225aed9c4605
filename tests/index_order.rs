//! Input order without tantivy's sort: an index written in many commits (many segments) is merged
//! down to at most `MAX_SEGMENTS`, every segment still holds its comments in input order, and a
//! search in input order returns the first comments of the survey, after `add` as well.
use std::path::Path;
use std::process::Command;

use verbatim::index::{
    comments_by_seq, compile, dense_u64, search, SearchOptions, SortOrder, SurveyIndex,
    MAX_SEGMENTS, SEQ_FIELD,
};

fn verbatim(args: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .output()
        .expect("the verbatim binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Each segment's sequence numbers, in document order.
fn segment_seqs(index: &SurveyIndex) -> Vec<Vec<u64>> {
    let reader = index.reader().unwrap();
    let searcher = reader.searcher();
    searcher
        .segment_readers()
        .iter()
        .map(|segment| {
            let column = dense_u64(segment, SEQ_FIELD);
            (0..segment.max_doc()).map(|d| column.get_val(d)).collect()
        })
        .collect()
}

fn check_input_order(dir: &Path, comments: u64) {
    let index = SurveyIndex::open(dir).unwrap();
    assert!(index.sorted_by_input());
    let segments = segment_seqs(&index);
    assert!(segments.len() > 1, "the commits left several segments");
    assert!(
        segments.len() <= MAX_SEGMENTS,
        "{} segments, more than {MAX_SEGMENTS}",
        segments.len()
    );
    for seqs in &segments {
        assert!(
            seqs.windows(2).all(|w| w[0] < w[1]),
            "a segment out of input order: {seqs:?}"
        );
    }
    let mut all: Vec<u64> = segments.concat();
    all.sort_unstable();
    assert_eq!(all, (0..comments).collect::<Vec<_>>());

    let reader = index.reader().unwrap();
    let searcher = reader.searcher();
    // Filter-only: collected in input order, stopping after a page in each segment.
    let compiled = compile(&index, &searcher, "theme:any OR theme:none").unwrap();
    let options = SearchOptions {
        limit: 7,
        offset: 0,
        sort: SortOrder::Input,
    };
    let results = search(&index, &searcher, &compiled, &options).unwrap();
    assert_eq!(results.total as u64, comments);
    let seqs: Vec<u64> = results.hits.iter().map(|h| h.seq).collect();
    assert_eq!(seqs, (0..7).collect::<Vec<_>>());
    // Each comment is found by its sequence number (a binary search per segment).
    let wanted = [0, comments / 2, comments - 1];
    let found = comments_by_seq(&index, &searcher, &wanted).unwrap();
    for (seq, hit) in wanted.iter().zip(found) {
        assert_eq!(hit.expect("found").seq, *seq);
    }
}

fn comment_count(dir: &Path) -> u64 {
    SurveyIndex::open(dir).unwrap().counts().unwrap().comments
}

#[test]
fn many_waves_merge_down_in_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("stp.idx");
    let index_arg = index.to_str().unwrap();
    let wave = |seed: u64| {
        let path = dir.path().join(format!("wave{seed}.csv"));
        let seed = seed.to_string();
        verbatim(&[
            "generate",
            "--seed",
            &seed,
            "--size",
            "6KB",
            "-o",
            path.to_str().unwrap(),
        ]);
        path
    };
    let first = wave(1);
    verbatim(&[
        "index",
        first.to_str().unwrap(),
        "--codebook",
        "lexicons/stp.toml",
        "--index",
        index_arg,
        "-q",
    ]);
    // Each run commits at least one segment of its own; past MAX_SEGMENTS, neighbours merge.
    for seed in 2..=(MAX_SEGMENTS as u64 + 4) {
        let path = wave(seed);
        verbatim(&["add", path.to_str().unwrap(), "--index", index_arg, "-q"]);
        if seed == 3 {
            check_input_order(&index, comment_count(&index));
        }
    }
    check_input_order(&index, comment_count(&index));
}
