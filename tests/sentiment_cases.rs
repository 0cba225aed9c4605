//! Hand-written survey sentences with the sign a reader gives them (tests/fixtures/
//! sentiment_cases.csv): every rule of the scorer and every known VADER failure on survey answers.
use std::path::Path;

use verbatim::sentiment::SentimentScorer;
use verbatim::text::Analyzer;

/// VADER's conventional cut-offs for calling a compound positive or negative.
const CUT: f32 = 0.05;

fn agrees(expected: &str, compound: f32) -> bool {
    match expected {
        "positive" => compound > CUT,
        "negative" => compound < -CUT,
        "neutral" => compound.abs() <= CUT,
        "not_positive" => compound <= CUT,
        "not_negative" => compound >= -CUT,
        other => panic!("unknown expectation {other:?}"),
    }
}

#[test]
fn every_hand_written_case_gets_the_expected_sign() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sentiment_cases.csv");
    let mut reader = csv::Reader::from_path(path).unwrap();
    let (analyzer, scorer) = (Analyzer::english(), SentimentScorer::bundled());
    let mut cases = 0;
    let mut rules = std::collections::BTreeMap::<String, usize>::new();
    let mut failures = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        let (text, expected, rule) = (&record[0], &record[1], &record[2]);
        let compound = scorer.score(&analyzer.analyze(text)).compound;
        cases += 1;
        *rules.entry(rule.to_string()).or_default() += 1;
        if !agrees(expected, compound) {
            failures.push(format!(
                "[{rule}] {text:?}: expected {expected}, scored {compound:+.3}"
            ));
        }
    }
    assert!(cases >= 60, "only {cases} cases");
    for rule in [
        "negation",
        "intensifier",
        "dampener",
        "caps",
        "exclamation",
        "question",
        "contrast_but",
        "contrast_however",
        "contrast_although",
        "idiom",
        "overlay_phrase",
        "no_problem_family",
        "not_the_worst",
        "repeated_words_contrast",
    ] {
        assert!(
            rules.get(rule).copied().unwrap_or(0) >= 3,
            "rule {rule} has fewer than 3 cases: {rules:?}"
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} cases fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
