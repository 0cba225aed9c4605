//! Single-thread sentiment throughput on the `text` column of a CSV file, scoring only (analysis
//! included, file reading excluded), as vaderSentiment's `polarity_scores` is timed in
//! scripts/vader_baseline.py: the two are run on the same comments by scripts/validate-sentiment.sh.
//!
//! cargo run --release --example sentiment_throughput -- ../shared/data/nhs-feedback/comments.csv
use std::time::Instant;

use verbatim::sentiment::{Sentiment, SentimentScorer};
use verbatim::text::{Analysis, Analyzer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: sentiment_throughput FILE.csv [COLUMN]")?;
    let column = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "text".to_string());
    let mut reader = csv::Reader::from_path(&path)?;
    let index = reader
        .headers()?
        .iter()
        .position(|h| h == column)
        .ok_or_else(|| format!("{path} has no column {column:?}"))?;
    let texts: Vec<String> = reader
        .records()
        .map(|r| r.map(|r| r[index].to_string()))
        .collect::<Result<_, _>>()?;
    let bytes: usize = texts.iter().map(String::len).sum();
    let (analyzer, scorer) = (Analyzer::english(), SentimentScorer::bundled());
    let mut seconds = Vec::new();
    let mut checksum = 0.0f64;
    // As `verbatim code` and `verbatim sentiment` analyse and score: into one reused analysis
    // and one reused result.
    let mut analysis = Analysis::default();
    let mut sentiment = Sentiment::default();
    for _ in 0..5 {
        let started = Instant::now();
        for text in &texts {
            analyzer.analyze_into(text, &mut analysis);
            scorer.score_into(&analysis, &mut sentiment);
            checksum += f64::from(sentiment.compound);
        }
        seconds.push(started.elapsed().as_secs_f64());
    }
    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];
    let mut analysis_seconds = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        for text in &texts {
            analyzer.analyze_into(text, &mut analysis);
            checksum += analysis.tokens.len() as f64;
        }
        analysis_seconds.push(started.elapsed().as_secs_f64());
    }
    analysis_seconds.sort_by(f64::total_cmp);
    println!(
        "  of which analysis alone (tokens, folding, stems, sentences): {:.4} s, {:.2} MB/s",
        analysis_seconds[2],
        bytes as f64 / 1e6 / analysis_seconds[2]
    );
    println!(
        "verbatim sentiment, 1 thread, median of 5 passes: {:.0} comments/s, {:.2} MB/s ({} comments, {:.3} MB, {median:.4} s; checksum {checksum:.3})",
        texts.len() as f64 / median,
        bytes as f64 / 1e6 / median,
        texts.len(),
        bytes as f64 / 1e6
    );
    Ok(())
}
