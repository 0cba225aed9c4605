//! `verbatim index`, `add` and `search` end to end on small hand-made waves whose answers are
//! known (tests/fixtures/index): every expected id below can be checked by reading wave1.csv.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use verbatim::codebook::Codebook;
use verbatim::index::{compile, search, Counts, SearchOptions, SortOrder, SurveyIndex};

const FIXTURES: &str = "tests/fixtures/index";

fn verbatim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .output()
        .expect("the verbatim binary runs")
}

fn ok(output: Output) -> Output {
    assert!(
        output.status.success(),
        "verbatim failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

/// An index of wave1 in a fresh temporary directory.
fn wave1(dir: &Path) -> PathBuf {
    let index = dir.join("stp.idx");
    ok(verbatim(&[
        "index",
        &fixture("wave1.csv"),
        "--schema",
        &fixture("survey.toml"),
        "--codebook",
        "lexicons/stp.toml",
        "--index",
        index.to_str().unwrap(),
    ]));
    index
}

fn run(index: &Path, query: &str, sort: SortOrder) -> Vec<String> {
    let index = SurveyIndex::open(index).unwrap();
    let reader = index.reader().unwrap();
    let searcher = reader.searcher();
    let compiled = compile(&index, &searcher, query).unwrap_or_else(|e| panic!("{e}"));
    let options = SearchOptions {
        limit: 100,
        offset: 0,
        sort,
    };
    let results = search(&index, &searcher, &compiled, &options).unwrap();
    assert_eq!(results.total, results.hits.len(), "{query}");
    results.hits.into_iter().map(|h| h.comment.id).collect()
}

fn ids(index: &Path, query: &str) -> Vec<String> {
    run(index, query, SortOrder::Input)
}

fn error(index: &Path, query: &str) -> verbatim::query::QueryError {
    let index = SurveyIndex::open(index).unwrap();
    let reader = index.reader().unwrap();
    let searcher = reader.searcher();
    match compile(&index, &searcher, query) {
        Ok(_) => panic!("{query} should be an error"),
        Err(e) => e,
    }
}

#[test]
fn words_phrases_and_boolean_queries() {
    let dir = tempfile::tempdir().unwrap();
    let index = wave1(dir.path());
    let cases: &[(&str, &[&str])] = &[
        // by stem: "funded" (R02) and "Funding" (R07)
        ("fund", &["R02", "R07"]),
        ("fund*", &["R02", "R07"]),
        ("=funding", &["R07"]),
        ("\"top down\"", &["R03"]),
        ("\"down top\"", &[]),
        ("\"=funding cuts\"", &["R07"]),
        ("\"=funds cuts\"", &[]),
        ("jargon OR secret", &["R04", "R05"]),
        ("plan secret", &["R04"]),
        ("plan AND secret", &["R04"]),
        ("-jargon", &["R01", "R02", "R03", "R04", "R07", "R08"]),
        ("NOT jargon role:officer", &["R04", "R08"]),
        ("(jargon OR funding) -cuts", &["R02", "R05"]),
        // "and shape. Funding": a phrase does not run across a sentence end
        ("\"shape funding\"", &[]),
    ];
    for (query, expected) in cases {
        assert_eq!(ids(&index, query), *expected, "{query}");
    }
}

#[test]
fn filters_on_closed_answers_attributes_and_ids() {
    let dir = tempfile::tempdir().unwrap();
    let index = wave1(dir.path());
    let cases: &[(&str, &[&str])] = &[
        // "Leader" and "leader": attribute values match ignoring case
        ("role:leader", &["R01", "R03", "R05"]),
        ("role:\"cabinet member\"", &["R02", "R07"]),
        ("authority_type:\"county council\"", &["R01", "R04", "R07"]),
        // levels in questionnaire order: Very < Fairly < Not very < Not at all
        ("confidence<=fairly", &["R01", "R02", "R08"]),
        ("confidence>fairly", &["R03", "R04", "R07"]),
        (
            "confidence:very..\"not very\"",
            &["R01", "R02", "R03", "R07", "R08"],
        ),
        ("confidence:\"not very confident\"", &["R03", "R07"]),
        ("confidence:\"don't know\"", &["R05"]),
        ("Confidence:Fairly", &["R02", "R08"]),
        (
            "(role:officer OR role:leader) confidence<=fairly",
            &["R01", "R08"],
        ),
        ("id:R03", &["R03"]),
        (
            "question:comment",
            &["R01", "R02", "R03", "R04", "R05", "R07", "R08"],
        ),
        (
            "question:\"would you change\"",
            &["R01", "R02", "R03", "R04", "R05", "R07", "R08"],
        ),
    ];
    for (query, expected) in cases {
        assert_eq!(ids(&index, query), *expected, "{query}");
    }
    // Filters alone score every comment alike: relevance order is then input order.
    assert_eq!(
        run(&index, "role:leader", SortOrder::Relevance),
        ["R01", "R03", "R05"]
    );
}

/// Theme filters give exactly the comments the codebook codes with the theme or a child of it.
#[test]
fn theme_filters_agree_with_the_codebook() {
    let dir = tempfile::tempdir().unwrap();
    let index = wave1(dir.path());
    let codebook = Codebook::from_path(Path::new("lexicons/stp.toml")).unwrap();
    let mut rows = csv::Reader::from_path(fixture("wave1.csv")).unwrap();
    let comments: Vec<(String, String)> = rows
        .records()
        .map(|r| r.unwrap())
        .filter(|r| !r[4].trim().is_empty())
        .map(|r| (r[0].to_string(), r[4].to_string()))
        .collect();
    let mut seen_any = 0;
    for (t, theme) in codebook.themes.iter().enumerate() {
        let expected: Vec<String> = comments
            .iter()
            .filter(|(_, text)| codebook.code(text).coded[t])
            .map(|(id, _)| id.clone())
            .collect();
        seen_any += usize::from(!expected.is_empty());
        assert_eq!(
            ids(&index, &format!("theme:{}", theme.id)),
            expected,
            "{}",
            theme.id
        );
    }
    assert!(seen_any >= 5, "the fixture exercises several themes");
    // children code their parents: exclusion (R04) is under engagement
    assert!(ids(&index, "theme:engagement").contains(&"R04".to_string()));
    assert_eq!(ids(&index, "theme:exclusion"), ["R04"]);
    let uncoded = ids(&index, "theme:none");
    let coded = ids(&index, "theme:any");
    assert_eq!(uncoded.len() + coded.len(), 7);
    assert!(uncoded.iter().all(|id| !coded.contains(id)));
}

/// Other tools count themes with tantivy's terms aggregation on the `theme_id` fast column
/// (on the facet field its keys are odd): each theme's count is its `theme:` hits.
#[test]
fn a_terms_aggregation_on_theme_ids_counts_what_theme_queries_find() {
    use tantivy::aggregation::agg_req::Aggregations;
    use tantivy::aggregation::agg_result::AggregationResults;
    use tantivy::aggregation::AggregationCollector;
    use tantivy::query::AllQuery;
    let dir = tempfile::tempdir().unwrap();
    let index_dir = wave1(dir.path());
    let index = SurveyIndex::open(&index_dir).unwrap();
    let reader = index.reader().unwrap();
    let searcher = reader.searcher();
    let request: Aggregations = serde_json::from_value(serde_json::json!({
        "themes": {"terms": {"field": "theme_id", "size": 100}}
    }))
    .unwrap();
    let collector = AggregationCollector::from_aggs(request, Default::default());
    let results: AggregationResults = searcher.search(&AllQuery, &collector).unwrap();
    let results = serde_json::to_value(results).unwrap();
    let buckets = results["themes"]["buckets"].as_array().unwrap();
    assert!(buckets.len() >= 5, "{results}");
    for bucket in buckets {
        let theme = bucket["key"].as_str().unwrap();
        let count = bucket["doc_count"].as_u64().unwrap();
        assert_eq!(
            count,
            ids(&index_dir, &format!("theme:{theme}")).len() as u64,
            "{theme}"
        );
    }
}

#[test]
fn sentiment_filters_and_orders() {
    let dir = tempfile::tempdir().unwrap();
    let index = wave1(dir.path());
    let json = ok(verbatim(&[
        "search",
        "--index",
        index.to_str().unwrap(),
        "--format",
        "json",
        "--sort",
        "negative",
        "theme:any OR -theme:any",
    ]));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let hits = value["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 7);
    let scores: Vec<f64> = hits
        .iter()
        .map(|h| h["sentiment"]["compound"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] <= w[1]), "{scores:?}");
    let negative: Vec<String> = hits
        .iter()
        .filter(|h| h["sentiment"]["compound"].as_f64().unwrap() < -0.3)
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    let mut filtered = ids(&index, "sentiment<-0.3");
    let mut in_order = negative.clone();
    in_order.sort();
    filtered.sort();
    assert_eq!(filtered, in_order);
    assert!(!negative.is_empty() && negative.len() < 7);
    // "No complaints, it has gone well." is the most positive answer
    assert_eq!(run(&index, "-jargon", SortOrder::Positive)[0], "R08");
    assert_eq!(
        ids(&index, "sentiment:0.3.."),
        ids(&index, "sentiment>=0.3")
    );
}

#[test]
fn malformed_queries_point_at_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let index = wave1(dir.path());
    let cases = [
        ("theme:exclusoin", 6, "no theme \"exclusoin\""),
        ("role:leeder", 5, "values: \"Cabinet member\""),
        ("confidence:not", 11, "could be any of"),
        ("confidence<\"don't know\"", 11, "not a point on the scale"),
        ("colour:red", 0, "no field \"colour\""),
        ("sentiment<bad", 10, "not a number"),
        ("role<leader", 0, "not compared"),
        ("jargon (", 7, "never closed"),
        ("\"", 0, "never closed"),
        ("...", 0, "no word to search for"),
    ];
    for (query, position, words) in cases {
        let e = error(&index, query);
        assert_eq!(e.start, position, "{query}: {e}");
        assert!(e.to_string().contains(words), "{query}: {e}");
    }
    let output = verbatim(&["search", "--index", index.to_str().unwrap(), "role:leeder"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("position 6") && stderr.contains("^^^^^^"),
        "{stderr}"
    );
}

#[test]
fn add_appends_a_wave_with_the_same_codebook() {
    let dir = tempfile::tempdir().unwrap();
    let index = wave1(dir.path());
    let path = index.to_str().unwrap();
    ok(verbatim(&["add", &fixture("wave2.csv"), "--index", path]));
    assert_eq!(ids(&index, "\"top down\""), ["R03", "R09"]);
    assert_eq!(ids(&index, "confidence:\"not at all\""), ["R04", "R09"]);
    let opened = SurveyIndex::open(&index).unwrap();
    let counts: Counts = opened.counts().unwrap();
    assert_eq!(
        (
            counts.comments,
            counts.rows_read,
            counts.empty_answers,
            counts.next_seq
        ),
        (9, 11, 2, 9)
    );
    assert_eq!(counts.batches.len(), 2);
    assert!(counts.batches[1].file.ends_with("wave2.csv"));
    assert!(!counts.batches[1].partial);
    // naming the same codebook is fine; a different one is refused with how to recode
    ok(verbatim(&[
        "add",
        &fixture("wave2.csv"),
        "--index",
        path,
        "--codebook",
        "lexicons/stp.toml",
    ]));
    let refused = verbatim(&[
        "add",
        &fixture("wave2.csv"),
        "--index",
        path,
        "--codebook",
        "lexicons/nhs-feedback.toml",
    ]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("was coded with codebook") && stderr.contains("verbatim index"),
        "{stderr}"
    );
    assert_eq!(
        SurveyIndex::open(&index)
            .unwrap()
            .counts()
            .unwrap()
            .comments,
        11
    );
}

#[test]
fn an_existing_index_is_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let index = wave1(dir.path());
    let again = verbatim(&[
        "index",
        &fixture("wave2.csv"),
        "--schema",
        &fixture("survey.toml"),
        "--codebook",
        "lexicons/stp.toml",
        "--index",
        index.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("verbatim add"));
    let missing = verbatim(&["search", "--index", "/nonexistent/x.idx", "jargon"]);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no index at /nonexistent/x.idx"));
}

#[test]
fn search_output_highlights_kwic_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let index = wave1(dir.path());
    let path = index.to_str().unwrap();
    let text = ok(verbatim(&["search", "--index", path, "theme:top_down"]));
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.starts_with("1 comment match theme:top_down"), "{text}");
    assert!(text.contains("R03 · comment · line 4"), "{text}");
    assert!(text.contains("confidence: Not very confident · role: Leader"));
    assert!(!text.contains('\x1b'), "no colour when piped");
    let coloured = ok(verbatim(&[
        "search", "--index", path, "--color", "always", "fund",
    ]));
    let coloured = String::from_utf8(coloured.stdout).unwrap();
    assert!(coloured.contains("\x1b[1;33mfunded\x1b[0m"), "{coloured}");
    assert!(coloured.contains("\x1b[1;33mFunding\x1b[0m"), "{coloured}");
    let kwic = ok(verbatim(&[
        "search", "--index", path, "--kwic", "--width", "12", "plan",
    ]));
    let kwic = String::from_utf8(kwic.stdout).unwrap();
    let columns: Vec<usize> = kwic
        .lines()
        .filter(|l| l.trim_start().starts_with("R0"))
        .filter_map(|l| l.find("plan"))
        .collect();
    assert_eq!(columns.len(), 2, "{kwic}");
    assert_eq!(columns[0], columns[1], "matches align:\n{kwic}");
    let json = ok(verbatim(&[
        "search",
        "--index",
        path,
        "--format",
        "json",
        "\"top down\"",
    ]));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let hit = &value["hits"][0];
    let text = hit["text"].as_str().unwrap();
    let span = &hit["highlights"][0];
    let (start, end) = (
        span[0].as_u64().unwrap() as usize,
        span[1].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "top down");
    assert_eq!(value["themes"]["top_down"], 1);
    let csv_out = ok(verbatim(&[
        "search",
        "--index",
        path,
        "--format",
        "csv",
        "role:leader",
    ]));
    let mut reader = csv::Reader::from_reader(csv_out.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[1], "id");
    assert!(header.iter().any(|h| h == "confidence"));
    assert_eq!(reader.records().count(), 3);
}

/// The same input gives byte-identical search output whatever the thread count.
#[test]
fn results_do_not_depend_on_threads() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let index = dir.path().join(format!("t{threads}.idx"));
        ok(verbatim(&[
            "index",
            &fixture("wave1.csv"),
            "--schema",
            &fixture("survey.toml"),
            "--codebook",
            "lexicons/stp.toml",
            "--index",
            index.to_str().unwrap(),
            "--threads",
            threads,
        ]));
        let json = ok(verbatim(&[
            "search",
            "--index",
            index.to_str().unwrap(),
            "--format",
            "json",
            "the OR and",
        ]));
        let text = String::from_utf8(json.stdout).unwrap();
        outputs.push(text.replace(&format!("t{threads}.idx"), "T.idx"));
    }
    assert_eq!(outputs[0], outputs[1]);
}

/// Builds `csv` (columns `respondent_id,comment`) into an index of the given format through the
/// library, as `verbatim index` does.
fn index_in_format(dir: &Path, csv: &str, format: u32) -> PathBuf {
    use verbatim::index::{add_survey, BuildOptions, Manifest};
    use verbatim::survey::{IngestOptions, SurveyReader};
    let survey = dir.join(format!("survey{format}.csv"));
    std::fs::write(&survey, csv).unwrap();
    let options = IngestOptions {
        text_columns: vec!["comment".into()],
        id_column: Some("respondent_id".into()),
        ..IngestOptions::default()
    };
    let reader = SurveyReader::open(&survey, &options).unwrap();
    let codebook_file = Path::new("lexicons/stp.toml");
    let codebook = Codebook::from_path(codebook_file).unwrap();
    let mut manifest = Manifest::new(reader.schema(), &codebook, codebook_file, None);
    manifest.format = format;
    let dir = dir.join(format!("format{format}.idx"));
    let index = SurveyIndex::create(&dir, manifest).unwrap();
    let build = BuildOptions {
        commit_every: 1_000,
        file: survey.display().to_string(),
    };
    add_survey(&index, reader, &codebook, None, &build).unwrap();
    dir
}

/// Format 3 indexes a word's stem only where it differs from the word, and the respondent as a
/// fast column only; formats 1 and 2 index the stem of every word and the respondent as a term.
/// A search finds the same comments in both.
#[test]
fn stems_find_every_form_in_either_term_layout() {
    let csv = "respondent_id,comment\n\
               P1,We plan from the top.\n\
               P2,Plans came top down again.\n\
               P3,It was planned: top down.\n\
               P4,The planning was topped up.\n\
               P5,A plan top down and plans.\n\
               P6,Agreed in the end.\n";
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[&str])] = &[
        // the word that is its own stem and its inflected forms, both ways round
        ("plan", &["P1", "P2", "P3", "P4", "P5"]),
        ("plans", &["P1", "P2", "P3", "P4", "P5"]),
        ("=planning", &["P4"]),
        ("=plan", &["P1", "P5"]),
        ("=plans", &["P2", "P5"]),
        ("top", &["P1", "P2", "P3", "P4", "P5"]),
        ("plan*", &["P1", "P2", "P3", "P4", "P5"]),
        // phrases whose positions take a stem term or an exact term
        ("\"top down\"", &["P2", "P3", "P5"]),
        ("\"plans came top\"", &["P2"]),
        ("\"plan top down\"", &["P5"]),
        ("\"plan top =down\"", &["P5"]),
        ("\"=plans came\"", &["P2"]),
        ("\"=plan came\"", &[]),
        // "agreed" stems to "agre", which as a word would stem to "agr": no exact term for it
        ("agreeing", &["P6"]),
        ("\"agreed in\"", &["P6"]),
        // the respondent: an indexed term before format 3, a fast column only from it
        ("id:P2 OR respondent:P6", &["P2", "P6"]),
        ("plan -id:P1", &["P2", "P3", "P4", "P5"]),
        ("id:P9", &[]),
    ];
    for format in [3, 2] {
        let index = index_in_format(dir.path(), csv, format);
        for (query, expected) in cases {
            assert_eq!(ids(&index, query), *expected, "format {format}: {query}");
        }
    }
}
