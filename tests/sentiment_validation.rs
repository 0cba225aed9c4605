//! The comment score against the human criticality rating of ../shared/data/nhs-feedback
//! (10,266 comments, -5 highly critical .. +5 highly positive). VALIDATION.md has the side-by-side
//! with vaderSentiment 3.3.2 (scripts/validate-sentiment.sh).
use std::path::Path;

use verbatim::sentiment::SentimentScorer;
use verbatim::stats::spearman;
use verbatim::text::Analyzer;

fn rho(scorer: &SentimentScorer, texts: &[String], criticality: &[f64]) -> f64 {
    let analyzer = Analyzer::english();
    let scores: Vec<f64> = texts
        .iter()
        .map(|t| f64::from(scorer.score(&analyzer.analyze(t)).compound))
        .collect();
    spearman(&scores, criticality).unwrap()
}

#[test]
fn sentiment_ranks_comments_like_human_criticality() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/nhs-feedback/comments.csv");
    if !path.exists() {
        println!(
            "skipped: {} is absent (the development data lives beside the project)",
            path.display()
        );
        return;
    }
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (text, criticality) = (col("text"), col("criticality"));
    let (mut texts, mut ratings) = (Vec::new(), Vec::new());
    for record in reader.records() {
        let record = record.unwrap();
        texts.push(record[text].to_string());
        ratings.push(record[criticality].parse::<f64>().unwrap());
    }
    assert_eq!(texts.len(), 10_266);
    let bundled = rho(&SentimentScorer::bundled(), &texts, &ratings);
    let lexicon_only = rho(&SentimentScorer::vader_lexicon_only(), &texts, &ratings);
    println!("Spearman rho with criticality: bundled {bundled:.3}, VADER lexicon without the survey overlay {lexicon_only:.3}");
    // vaderSentiment 3.3.2 on the same comments: 0.110 (scripts/validate-sentiment.sh).
    assert!(bundled >= 0.19, "rho fell to {bundled:.3}");
    assert!(
        bundled > lexicon_only,
        "the survey overlay no longer helps: {bundled:.3} vs {lexicon_only:.3}"
    );
}
