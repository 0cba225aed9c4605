//! `verbatim quotes` on a hand-made fixture (tests/fixtures/quotes) whose ranking can be worked
//! out by reading survey.csv and codebook.toml: evidence weights, near-duplicates, one quote per
//! respondent, trimming, attribution, redaction and formula neutralisation.
use std::path::{Path, PathBuf};

mod common;

use common::{ok, verbatim};

use verbatim::index::SurveyIndex;
use verbatim::quotes::{shortlist, QuoteOptions, Shortlist, Weights};

const FIXTURES: &str = "tests/fixtures/quotes";

fn build(dir: &Path) -> PathBuf {
    let index = dir.join("quotes.idx");
    ok(verbatim(&[
        "index",
        &format!("{FIXTURES}/survey.csv"),
        "--schema",
        &format!("{FIXTURES}/survey.toml"),
        "--codebook",
        &format!("{FIXTURES}/codebook.toml"),
        "--index",
        index.to_str().unwrap(),
    ]));
    index
}

fn list(index: &Path, options: QuoteOptions) -> Shortlist {
    let index = SurveyIndex::open(index).unwrap();
    let reader = index.reader().unwrap();
    shortlist(&index, &reader.searcher(), &options).unwrap()
}

fn evidence_only() -> Weights {
    Weights {
        evidence: 1.0,
        sentiment: 0.0,
        representative: 0.0,
        quotable: 0.0,
    }
}

#[test]
fn evidence_ranking_with_duplicates_and_respondents_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let shortlist = list(
        &index,
        QuoteOptions {
            theme: "funding".into(),
            weights: evidence_only(),
            lambda: 1.0,
            ..QuoteOptions::default()
        },
    );
    assert_eq!(shortlist.matched, 5);
    assert_eq!(shortlist.ranked, 5);
    // R01: "no money" (weight 2, the word "money" inside it counts once), "cuts", "funding
    // gap": 4 against threshold 1 = 0.8. R04 says the same (a near-duplicate). R02: "no money",
    // 2/3. R01's second comment, 2/3, is R01 again. R03: "money", 1/2.
    let ids: Vec<&str> = shortlist
        .quotes
        .iter()
        .map(|q| q.respondent.as_str())
        .collect();
    assert_eq!(ids, ["R01", "R02", "R03"]);
    let scores: Vec<f64> = shortlist.quotes.iter().map(|q| q.score).collect();
    for (score, expected) in scores.iter().zip([0.8, 2.0 / 3.0, 0.5]) {
        assert!((score - expected).abs() < 1e-9, "{scores:?}");
    }
    assert_eq!(shortlist.quotes[0].evidence_weight, 4.0);
    assert_eq!(shortlist.passed_over.near_duplicates, 1);
    assert_eq!(shortlist.passed_over.same_respondent, 1);
    assert_eq!(shortlist.quotes[0].attribution, "Leader, county council");
    assert_eq!(
        shortlist.quotes[0].text,
        "There is no money for social care and the cuts keep coming. The funding gap grows every year."
    );
    assert!(!shortlist.quotes[0].trimmed);

    // Without the respondent limit, R01's second comment comes in after R02.
    let unlimited = list(
        &index,
        QuoteOptions {
            theme: "funding".into(),
            weights: evidence_only(),
            lambda: 1.0,
            per_respondent: 0,
            ..QuoteOptions::default()
        },
    );
    let ids: Vec<&str> = unlimited
        .quotes
        .iter()
        .map(|q| q.respondent.as_str())
        .collect();
    assert_eq!(ids, ["R01", "R02", "R01", "R03"]);

    // A filter narrows the comments before ranking: only the South.
    let south = list(
        &index,
        QuoteOptions {
            theme: "funding".into(),
            filter: Some("region:south".into()),
            weights: evidence_only(),
            lambda: 1.0,
            ..QuoteOptions::default()
        },
    );
    let ids: Vec<&str> = south.quotes.iter().map(|q| q.respondent.as_str()).collect();
    assert_eq!((south.matched, ids), (2, vec!["R04", "R03"]));
}

#[test]
fn quotability_and_top_limit() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let shortlist = list(
        &index,
        QuoteOptions {
            theme: "funding".into(),
            top: 1,
            weights: Weights {
                evidence: 0.0,
                sentiment: 0.0,
                representative: 0.0,
                quotable: 1.0,
            },
            ..QuoteOptions::default()
        },
    );
    // R01 and R04 read best: 18 words (length 1), complete (1), 11 of 18 content words.
    assert_eq!(shortlist.quotes.len(), 1);
    let q = &shortlist.quotes[0];
    assert_eq!(q.respondent, "R01");
    assert_eq!(q.quotability.words, 18);
    assert!(
        (q.score - (1.0 + 1.0 + 11.0 / 18.0) / 3.0).abs() < 1e-9,
        "{q:?}"
    );
}

#[test]
fn redaction_is_on_by_default_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let options = QuoteOptions {
        theme: "exclusion".into(),
        ..QuoteOptions::default()
    };
    let redacted = list(&index, options.clone());
    let r05 = redacted
        .quotes
        .iter()
        .find(|q| q.respondent == "R05")
        .unwrap();
    assert_eq!(
        r05.text,
        "Councillors were shut out: ask Dr [redacted] on [redacted] or [redacted], office at [redacted]."
    );
    assert_eq!(r05.redactions.total(), 4);
    // R07's formula holds a web address too.
    assert_eq!(redacted.redactions.total(), 5);
    assert_eq!(redacted.redactions.url, 1);
    let plain = list(
        &index,
        QuoteOptions {
            redact: false,
            ..options
        },
    );
    let r05 = plain.quotes.iter().find(|q| q.respondent == "R05").unwrap();
    assert!(r05.text.contains("jane.doe@nhs.net"));
    assert_eq!(plain.redactions.total(), 0);

    let out = ok(verbatim(&[
        "quotes",
        "--index",
        index.to_str().unwrap(),
        "--theme",
        "exclusion",
    ]));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("5 redactions (1 e-mail address, 1 phone number, 1 postcode, 1 web address, 1 name after a title)"),
        "{text}"
    );
    assert!(!text.contains("jane.doe"));
}

#[test]
fn exports_neutralise_formulas_and_escape_markup() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let index = index.to_str().unwrap();
    let csv = ok(verbatim(&[
        "quotes",
        "--index",
        index,
        "--theme",
        "exclusion",
        "--format",
        "csv",
        "--no-redact",
    ]));
    let mut reader = csv::Reader::from_reader(csv.stdout.as_slice());
    let quotes: Vec<String> = reader
        .records()
        .map(|r| r.unwrap().get(2).unwrap().to_string())
        .collect();
    assert_eq!(quotes.len(), 3);
    let formula = quotes.iter().find(|q| q.contains("HYPERLINK")).unwrap();
    assert_eq!(
        formula,
        "'=HYPERLINK(\"http://evil.example/x\",\"click\") members were left out"
    );
    assert!(quotes.iter().all(|q| !q.starts_with(['=', '+', '-', '@'])));

    let md = ok(verbatim(&[
        "quotes",
        "--index",
        index,
        "--theme",
        "exclusion",
        "--format",
        "md",
    ]));
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(
        md.contains("&lt;script&gt;alert('x')&lt;/script&gt;"),
        "{md}"
    );
    assert!(!md.contains("<script"));
    assert!(md.starts_with("## Exclusion\n"));

    let json = ok(verbatim(&[
        "quotes",
        "--index",
        index,
        "--theme",
        "exclusion",
        "--format",
        "json",
    ]));
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json[0]["theme"], "exclusion");
    assert_eq!(json[0]["quotes"].as_array().unwrap().len(), 3);
    assert_eq!(json[0]["redactions"]["email"], 1);

    // XLSX: the formula is stored as text, never as a formula.
    let path = dir.path().join("quotes.xlsx");
    ok(verbatim(&[
        "quotes",
        "--index",
        index,
        "--theme",
        "exclusion",
        "--format",
        "xlsx",
        "--no-redact",
        "-o",
        path.to_str().unwrap(),
    ]));
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = workbook.worksheet_range("Quotes").unwrap();
    let cells: Vec<&Data> = sheet.rows().skip(1).map(|row| &row[2]).collect();
    assert!(cells.iter().any(|c| matches!(c,
        Data::String(s) if s == "=HYPERLINK(\"http://evil.example/x\",\"click\") members were left out")));
    let formulas = workbook.worksheet_formula("Quotes").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
}

#[test]
fn trims_to_the_theme_sentence_and_explains() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    // R01's two sentences both carry funding, so it is whole; R03's first sentence does not.
    let out = ok(verbatim(&[
        "quotes",
        "--index",
        index.to_str().unwrap(),
        "--theme",
        "Funding gap",
        "--explain",
        "--per-respondent",
        "0",
        "--top",
        "10",
    ]));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Funding gap (funding)\n"), "{text}");
    assert!(text.contains("evidence: weight 4.00 against threshold 1.00: no-money “no money”"));
    assert!(text.contains("quotable: 18 words (length 1.00), complete 1.00"));
    assert!(text.contains("“… The money is tight.”"), "{text}");
    assert!(text.contains("; trimmed to the theme's sentences"));

    let bad = verbatim(&[
        "quotes",
        "--index",
        index.to_str().unwrap(),
        "--theme",
        "money",
    ]);
    assert!(!bad.status.success());
    let err = String::from_utf8(bad.stderr).unwrap();
    assert!(
        err.contains("no theme \"money\"") && err.contains("funding, exclusion"),
        "{err}"
    );
    let bad = verbatim(&[
        "quotes",
        "--index",
        index.to_str().unwrap(),
        "--theme",
        "funding",
        "--weights",
        "vividness=2",
    ]);
    assert!(!bad.status.success());
    assert!(String::from_utf8(bad.stderr)
        .unwrap()
        .contains("unknown part"));
}

#[test]
fn output_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let run = || {
        ok(verbatim(&[
            "quotes",
            "--index",
            index.to_str().unwrap(),
            "--all-themes",
            "--format",
            "json",
        ]))
        .stdout
    };
    assert_eq!(run(), run());
}

#[test]
fn hand_picked_comments_by_number_in_the_order_given() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let index = index.to_str().unwrap();
    // The numbers `verbatim search` shows after `#`: rows in file order from 0.
    let search = ok(verbatim(&["search", "--index", index, "social care"]));
    let search = String::from_utf8(search.stdout).unwrap();
    assert!(search.contains("R01 · comment · line 2 · #0"), "{search}");

    let json = ok(verbatim(&[
        "quotes",
        "--index",
        index,
        "--pick",
        "7:funding",
        "--pick",
        "4",
        "--pick",
        "0:exclusion",
        "--format",
        "json",
    ]));
    let lists: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let list = &lists[0];
    assert_eq!(list["theme"], "shortlist");
    let quotes = list["quotes"].as_array().unwrap();
    let seen: Vec<(u64, &str, &str)> = quotes
        .iter()
        .map(|q| {
            (
                q["seq"].as_u64().unwrap(),
                q["respondent"].as_str().unwrap(),
                q["text"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (7, "R01", "Cuts to money for public health too."),
            // Redacted as a ranked shortlist is: the name after a title, the phone number, the
            // e-mail address and the postcode.
            (
                4,
                "R05",
                "Councillors were shut out: ask Dr [redacted] on [redacted] or [redacted], office at [redacted]."
            ),
            // Chosen for a theme it does not carry: the whole comment.
            (
                0,
                "R01",
                "There is no money for social care and the cuts keep coming. The funding gap grows every year."
            ),
        ]
    );
}

#[test]
fn a_pick_that_is_not_in_the_index_or_not_a_number_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let index = index.to_str().unwrap();
    let missing = verbatim(&["quotes", "--index", index, "--pick", "2", "--pick", "99"]);
    assert!(!missing.status.success());
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("holds no comment numbered 99"), "{stderr}");

    let malformed = verbatim(&["quotes", "--index", index, "--pick", "R01"]);
    assert!(!malformed.status.success());
    let stderr = String::from_utf8_lossy(&malformed.stderr);
    assert!(stderr.contains("give a comment's number"), "{stderr}");

    let unknown = verbatim(&["quotes", "--index", index, "--pick", "1:nosuch"]);
    assert!(!unknown.status.success());
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(stderr.contains("no theme \"nosuch\""), "{stderr}");
}
