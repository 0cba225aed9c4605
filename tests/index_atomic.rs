//! Kill `verbatim add` half-way: the index still opens, with every committed comment and no
//! partial one, its counts agree with what it holds, and the next `add` works.
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tantivy::collector::DocSetCollector;
use tantivy::query::AllQuery;
use tantivy::schema::Value;
use tantivy::TantivyDocument;
use verbatim::index::{
    compile, dense_u64, search, SearchOptions, SortOrder, StoredComment, SurveyIndex, SEQ_FIELD,
};

fn verbatim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_verbatim"))
}

fn run(args: &[&str]) {
    let output = verbatim().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Every document's sequence number, and checks that each has a whole stored record.
fn sequence_numbers(index: &Path) -> Vec<u64> {
    let index = SurveyIndex::open(index).unwrap();
    let reader = index.reader().unwrap();
    let searcher = reader.searcher();
    let addresses = searcher.search(&AllQuery, &DocSetCollector).unwrap();
    let mut seqs: Vec<u64> = addresses
        .into_iter()
        .map(|address| {
            let doc: TantivyDocument = searcher.doc(address).unwrap();
            let record = doc
                .get_first(index.fields.record)
                .unwrap()
                .as_str()
                .unwrap();
            let comment = StoredComment::from_stored(record, index.manifest.format).unwrap();
            assert!(!comment.text.trim().is_empty());
            dense_u64(searcher.segment_reader(address.segment_ord), SEQ_FIELD)
                .get_val(address.doc_id)
        })
        .collect();
    seqs.sort_unstable();
    seqs
}

#[test]
fn a_killed_add_leaves_every_committed_comment_and_no_partial_one() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("stp.idx");
    let index_arg = index.to_str().unwrap();
    // The fixture schema without its weight column, which the generated wave does not have.
    let schema = dir.path().join("survey.toml");
    let fixture = std::fs::read_to_string("tests/fixtures/index/survey.toml").unwrap();
    let without_weight = fixture.replace("\n[[attribute]]\ncolumn = \"weight\"\n", "");
    assert_ne!(without_weight, fixture);
    std::fs::write(&schema, without_weight).unwrap();
    run(&[
        "index",
        "tests/fixtures/index/wave1.csv",
        "--schema",
        schema.to_str().unwrap(),
        "--codebook",
        "lexicons/stp.toml",
        "--index",
        index_arg,
        "-q",
    ]);
    // The generator writes the fixture's columns: respondent_id, role, authority_type,
    // confidence, comment.
    let big = dir.path().join("big.csv");
    run(&[
        "generate",
        "--seed",
        "11",
        "--size",
        "12MB",
        "-o",
        big.to_str().unwrap(),
    ]);
    let mut child = verbatim()
        .args([
            "add",
            big.to_str().unwrap(),
            "--index",
            index_arg,
            "--commit-every",
            "300",
            "--threads",
            "1",
            "-q",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait for at least two commits of the new wave, then kill without warning.
    let started = Instant::now();
    loop {
        let comments = SurveyIndex::open(&index)
            .and_then(|i| i.counts())
            .map_or(0, |c| c.comments);
        if comments > 7 + 600 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "add never committed"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "add stopped before committing twice"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let finished_first = child.try_wait().unwrap().is_some();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !finished_first,
        "add finished before it could be killed: make the input bigger"
    );

    let counts = SurveyIndex::open(&index).unwrap().counts().unwrap();
    let seqs = sequence_numbers(&index);
    assert_eq!(seqs.len() as u64, counts.comments);
    assert_eq!(seqs, (0..counts.comments).collect::<Vec<_>>());
    assert_eq!(counts.next_seq, counts.comments);
    let killed = counts.batches.last().unwrap();
    assert!(killed.partial, "the killed run is marked partial");
    assert_eq!(counts.comments, 7 + killed.comments);
    assert_eq!(
        killed.rows_read,
        killed.comments + killed.empty_answers + killed.rows_skipped
    );

    // The writer lock died with the process: the next add goes through and continues the
    // sequence.
    run(&[
        "add",
        "tests/fixtures/index/wave2.csv",
        "--index",
        index_arg,
        "-q",
    ]);
    // Many commits made many segments, some merged: ties still break by input order.
    let opened = SurveyIndex::open(&index).unwrap();
    let reader = opened.reader().unwrap();
    let searcher = reader.searcher();
    assert!(searcher.segment_readers().len() > 1);
    let compiled = compile(&opened, &searcher, "-zzzz").unwrap();
    for (offset, sort) in [(0, SortOrder::Relevance), (250, SortOrder::Input)] {
        let options = SearchOptions {
            limit: 40,
            offset,
            sort,
        };
        let hits = search(&opened, &searcher, &compiled, &options)
            .unwrap()
            .hits;
        let seqs: Vec<u64> = hits.iter().map(|h| h.seq).collect();
        let expected: Vec<u64> = (offset as u64..offset as u64 + 40).collect();
        assert_eq!(seqs, expected, "{sort:?}");
    }
    let after = SurveyIndex::open(&index).unwrap().counts().unwrap();
    assert_eq!(after.comments, counts.comments + 2);
    assert_eq!(
        sequence_numbers(&index),
        (0..after.comments).collect::<Vec<_>>()
    );
}
