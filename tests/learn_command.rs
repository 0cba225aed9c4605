//! `verbatim learn`, `suggest` and `split` end to end on tests/fixtures/learn: the learned
//! codebook is an ordinary codebook that `code` runs, it is the same whatever the threads and
//! whichever form the labels take, suggestions are codebook lines, and bad input is an error
//! that names the file and the column.
use std::path::Path;
use std::process::{Command, Output};

const TRAIN: &str = "tests/fixtures/learn/train.csv";
const TEST: &str = "tests/fixtures/learn/test.csv";

fn verbatim_with(args: &[&str], threads: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .env("RAYON_NUM_THREADS", threads)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn verbatim(args: &[&str]) -> Output {
    verbatim_with(args, "2")
}

fn ok(run: Output) -> Output {
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    run
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn a_learned_codebook_codes_the_test_file() {
    let dir = tempfile::tempdir().unwrap();
    let learned = dir.path().join("learned.toml");
    let predicted = dir.path().join("predicted.csv");
    let run = ok(verbatim(&[
        "learn",
        TRAIN,
        "--text",
        "comment",
        "--gold-column",
        "label",
        "-o",
        s(&learned),
    ]));
    let summary = String::from_utf8_lossy(&run.stderr);
    assert!(summary.contains("150 comments"), "{summary}");
    assert!(summary.contains("micro F1"), "{summary}");

    let toml = std::fs::read_to_string(&learned).unwrap();
    for id in ["id = \"food\"", "id = \"parking\"", "id = \"staff\""] {
        assert!(toml.contains(id), "{toml}");
    }
    assert!(toml.contains("threshold = "), "{toml}");
    assert!(
        toml.contains("weight = -"),
        "evidence against a theme: {toml}"
    );
    let check = ok(verbatim(&["codebook", "check", s(&learned)]));
    assert!(String::from_utf8_lossy(&check.stdout).contains(": ok"));

    ok(verbatim(&[
        "code",
        TEST,
        "--text",
        "comment",
        "--codebook",
        s(&learned),
        "-o",
        s(&predicted),
        "-q",
    ]));
    let eval = ok(verbatim(&[
        "eval",
        s(&predicted),
        "--gold",
        TEST,
        "--gold-column",
        "label",
        "--id",
        "respondent",
        "--format",
        "json",
    ]));
    let e: serde_json::Value = serde_json::from_slice(&eval.stdout).unwrap();
    assert_eq!(e["rows"]["matched"], 50);
    let micro = e["micro"]["f1"].as_f64().unwrap();
    assert!(micro >= 0.95, "micro F1 {micro}");

    // JSON Lines output scores the same: themes and evidence as JSON arrays.
    let jsonl = dir.path().join("predicted.jsonl");
    ok(verbatim(&[
        "code",
        TEST,
        "--text",
        "comment",
        "--codebook",
        s(&learned),
        "-o",
        s(&jsonl),
        "-q",
    ]));
    let eval = ok(verbatim(&[
        "eval",
        s(&jsonl),
        "--gold",
        TEST,
        "--gold-column",
        "label",
        "--format",
        "json",
    ]));
    let j: serde_json::Value = serde_json::from_slice(&eval.stdout).unwrap();
    assert_eq!(j["labels"], e["labels"]);
    assert_eq!(j["errors"], e["errors"]);
}

#[test]
fn learning_is_deterministic_and_label_forms_agree() {
    let args = [
        "learn",
        TRAIN,
        "--text",
        "comment",
        "--gold-column",
        "label",
        "-q",
    ];
    let one = ok(verbatim_with(&args, "1"));
    let two = ok(verbatim_with(&args, "2"));
    assert_eq!(one.stdout, two.stdout);
    let indicators = ok(verbatim(&[
        "learn",
        TRAIN,
        "--text",
        "comment",
        "--gold-indicator",
        "parking",
        "--gold-indicator",
        "food",
        "--gold-indicator",
        "staff",
        "-q",
    ]));
    assert_eq!(one.stdout, indicators.stdout);
    // The other weighting is an ordinary codebook too, with no evidence against.
    let keyness = ok(verbatim(&[
        "learn",
        TRAIN,
        "--text",
        "comment",
        "--gold-column",
        "label",
        "--weights",
        "keyness",
        "-q",
    ]));
    let toml = String::from_utf8(keyness.stdout).unwrap();
    assert!(!toml.contains("weight = -"), "{toml}");
    verbatim::codebook::Codebook::from_source(&toml, "keyness.toml").unwrap();
}

fn error_of(args: &[&str]) -> String {
    let run = verbatim(args);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn learn_names_a_missing_column_and_its_file() {
    let err = error_of(&["learn", TRAIN, "--text", "answer", "--gold-column", "label"]);
    assert!(
        err.contains("tests/fixtures/learn/train.csv has no column \"answer\" (--text); its columns are: respondent, comment, label, parking, food, staff"),
        "{err}"
    );
    let err = error_of(&[
        "learn",
        TRAIN,
        "--text",
        "comment",
        "--gold-column",
        "theme",
    ]);
    assert!(
        err.contains("has no column \"theme\" (--gold-column)"),
        "{err}"
    );
    let err = error_of(&[
        "learn",
        TRAIN,
        "--text",
        "comment",
        "--gold-indicator",
        "label",
    ]);
    assert!(
        err.contains("train.csv:2 column \"label\": \"parking\" is not 0 or 1"),
        "{err}"
    );
}

#[test]
fn suggestions_are_codebook_lines_with_counts_and_contexts() {
    let run = ok(verbatim(&[
        "suggest",
        TRAIN,
        "--text",
        "comment",
        "--gold-column",
        "label",
        "--label",
        "parking",
    ]));
    let out = String::from_utf8(run.stdout).unwrap();
    assert!(
        out.starts_with("# comments labelled \"parking\": 61 of 150 comments (40.7%)."),
        "{out}"
    );
    // A new theme: a whole [[theme]] table that parses.
    let parsed: toml::Table = toml::from_str(&out).unwrap();
    let theme = &parsed["theme"].as_array().unwrap()[0];
    assert_eq!(theme["id"].as_str(), Some("parking"));
    let phrases = theme["phrases"].as_array().unwrap();
    assert!(
        phrases.contains(&toml::Value::String("car park".into())),
        "{out}"
    );
    assert!(out.contains("#   \""), "examples: {out}");

    // Against a codebook that already has "parking": it is not suggested again.
    let dir = tempfile::tempdir().unwrap();
    let codebook = dir.path().join("cb.toml");
    std::fs::write(
        &codebook,
        "[codebook]\nname = \"c\"\nversion = \"1\"\n[[theme]]\nid = \"parking\"\nstems = [\"parking\"]\n",
    )
    .unwrap();
    let run = ok(verbatim(&[
        "suggest",
        TRAIN,
        "--text",
        "comment",
        "--codebook",
        s(&codebook),
        "--gold-column",
        "label",
        "--label",
        "parking",
        "--format",
        "json",
    ]));
    let groups: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let group = &groups[0];
    assert_eq!(group["theme"], "parking");
    let terms: Vec<&str> = group["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["term"].as_str().unwrap())
        .collect();
    // "parking" and "car park" (whose "park" has the stem of "parking") are matched already.
    assert!(!terms.contains(&"parking"), "{terms:?}");
    assert!(!terms.contains(&"car park"), "{terms:?}");
    assert!(terms.contains(&"car"), "{terms:?}");
    assert!(group["already_matched"].as_u64().unwrap() >= 1);

    // The comments the codebook leaves uncoded: their share on stderr, their terms as CSV.
    let run = ok(verbatim(&[
        "suggest",
        TRAIN,
        "--text",
        "comment",
        "--codebook",
        s(&codebook),
        "--uncoded",
        "--format",
        "csv",
    ]));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("of 150 comments"), "{err}");
    let csv = String::from_utf8(run.stdout).unwrap();
    assert!(csv.starts_with("group,theme,kind,term,group_hits"), "{csv}");
    // "No parking spaces left": the negator cancels the hit of "parking".
    assert!(csv.contains(",stem,spaces,17,"), "{csv}");
}

#[test]
fn suggest_needs_to_know_which_comments() {
    let err = error_of(&["suggest", TRAIN, "--text", "comment"]);
    assert!(err.contains("which comments?"), "{err}");
    let err = error_of(&[
        "suggest",
        TRAIN,
        "--text",
        "comment",
        "--gold-column",
        "label",
        "--label",
        "noise",
    ]);
    assert!(
        err.contains("no comment of tests/fixtures/learn/train.csv has the label \"noise\""),
        "{err}"
    );
}

#[test]
fn split_is_fixed_by_the_key_and_loses_no_row() {
    let dir = tempfile::tempdir().unwrap();
    let (train, test) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    let args = [
        "split",
        TRAIN,
        "--key",
        "respondent",
        "--test-share",
        "0.3",
        "--train",
        s(&train),
        "--test",
        s(&test),
    ];
    ok(verbatim(&args));
    let read = |p: &Path| -> Vec<String> {
        let mut reader = csv::Reader::from_path(p).unwrap();
        reader
            .records()
            .map(|r| r.unwrap()[0].to_string())
            .collect()
    };
    let (a, b) = (read(&train), read(&test));
    assert_eq!(a.len() + b.len(), 150);
    assert!((30..=60).contains(&b.len()), "{}", b.len());
    for key in &b {
        assert!(verbatim::split::in_test(key, 0.3));
    }
    for key in &a {
        assert!(!verbatim::split::in_test(key, 0.3));
    }
    let first = std::fs::read(&test).unwrap();
    ok(verbatim(&args));
    assert_eq!(first, std::fs::read(&test).unwrap());
    let err = error_of(&[
        "split",
        TRAIN,
        "--key",
        "id",
        "--train",
        s(&train),
        "--test",
        s(&test),
    ]);
    assert!(err.contains("has no column \"id\" (--key)"), "{err}");
}

#[test]
fn learning_needs_comments_with_and_without_a_label() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one.csv");
    std::fs::write(
        &one,
        "id,text,label\n1,good food,a\n2,bad food,a\n3,nice food,a\n",
    )
    .unwrap();
    let err = error_of(&["learn", s(&one), "--text", "text", "--gold-column", "label"]);
    assert!(err.contains("no theme could be learned (\"a\": "), "{err}");
    let blank = dir.path().join("blank.csv");
    std::fs::write(&blank, "id,text,label\n1,,a\n").unwrap();
    let err = error_of(&[
        "learn",
        s(&blank),
        "--text",
        "text",
        "--gold-column",
        "label",
    ]);
    assert!(err.contains("has no comments to learn from"), "{err}");
}
