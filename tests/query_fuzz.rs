//! The query parser and compiler never panic: any text gives results or an error whose position
//! is inside the query. Arbitrary strings and strings assembled from query pieces are tried
//! (proptest keeps any failure in proptest-regressions/), and every query in
//! tests/fixtures/query_crashers.txt (edge cases, and any crasher ever found) is replayed.
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use proptest::prelude::*;
use verbatim::index::{compile, search, SearchOptions, SortOrder, SurveyIndex};
use verbatim::query::parse;

fn fixture_index() -> &'static PathBuf {
    static INDEX: OnceLock<PathBuf> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("verbatim-query-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let index = dir.join("fuzz.idx");
        let output = Command::new(env!("CARGO_BIN_EXE_verbatim"))
            .args([
                "index",
                "tests/fixtures/index/wave1.csv",
                "--schema",
                "tests/fixtures/index/survey.toml",
                "--codebook",
                "lexicons/stp.toml",
                "--index",
                index.to_str().unwrap(),
                "-q",
            ])
            .output()
            .unwrap();
        assert!(output.status.success());
        index
    })
}

/// Parses, compiles and runs `query`; an error must point inside the query.
fn check(query: &str) {
    match parse(query) {
        Ok(_) => {}
        Err(e) => {
            assert!(e.start <= e.end && e.end <= query.len(), "{query:?}: {e:?}");
            assert!(query.is_char_boundary(e.start) && query.is_char_boundary(e.end));
            let _ = e.to_string();
        }
    }
    let index = SurveyIndex::open(fixture_index()).unwrap();
    let reader = index.reader().unwrap();
    let searcher = reader.searcher();
    match compile(&index, &searcher, query) {
        Ok(compiled) => {
            for sort in [SortOrder::Relevance, SortOrder::Negative] {
                let options = SearchOptions {
                    limit: 5,
                    offset: 0,
                    sort,
                };
                search(&index, &searcher, &compiled, &options)
                    .unwrap_or_else(|e| panic!("{query:?} compiled but failed: {e}"));
            }
        }
        Err(e) => {
            assert!(e.start <= e.end && e.end <= query.len(), "{query:?}: {e:?}");
            let _ = e.to_string();
        }
    }
}

const PIECES: &[&str] = &[
    "jargon",
    "fund*",
    "=funding",
    "\"top down\"",
    "\"",
    "(",
    ")",
    " ",
    " AND ",
    " OR ",
    "NOT ",
    "-",
    "theme:",
    "theme:funding",
    "theme:none",
    "confidence",
    ":",
    "<",
    "<=",
    ">",
    ">=",
    "=",
    "..",
    "fairly",
    "\"not very\"",
    "role:leader",
    "sentiment",
    "-0.3",
    "1e309",
    "NaN",
    "*",
    "question:",
    "id:R01",
    "sentiment.funding<0",
    "é",
    "中",
    "\\\"",
    "\n",
    "'",
    ",",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn arbitrary_text_never_panics(query in "\\PC{0,40}") {
        check(&query);
    }

    #[test]
    fn query_pieces_never_panic(pieces in proptest::collection::vec(0..PIECES.len(), 0..12)) {
        let query: String = pieces.iter().map(|&i| PIECES[i]).collect();
        check(&query);
    }
}

#[test]
fn known_crashers_stay_fixed() {
    let corpus = std::fs::read_to_string("tests/fixtures/query_crashers.txt").unwrap();
    let queries: Vec<&str> = corpus
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert!(queries.len() >= 20);
    for query in queries {
        check(&query.replace("\\n", "\n"));
    }
}
