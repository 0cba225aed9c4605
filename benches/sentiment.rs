//! Sentiment scoring over ~4 MB of generated comments, single thread, against the analysis it
//! builds on (`sentiment/analyze_only`, the baseline in the same run), and what sentiment adds to
//! coding with the STP codebook (`sentiment/code` vs `sentiment/code_and_score`).
//!
//! cargo bench --bench sentiment
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use verbatim::codebook::Codebook;
use verbatim::sentiment::{Sentiment, SentimentScorer};
use verbatim::text::{Analysis, Analyzer};

mod common;

const CORPUS_BYTES: usize = 4_000_000;

fn sentiment(c: &mut Criterion) {
    let comments = common::comments(CORPUS_BYTES);
    let analyzer = Analyzer::english();
    let scorer = SentimentScorer::bundled();
    let codebook =
        Codebook::from_path(&common::lexicon_path("stp.toml")).expect("lexicons/stp.toml compiles");
    let mut group = c.benchmark_group("sentiment");
    group.throughput(Throughput::BytesDecimal(common::total_bytes(&comments)));
    group.measurement_time(Duration::from_secs(8));
    // Analysed and scored as `verbatim code` and `verbatim sentiment` do: into one reused
    // analysis and one reused result.
    let mut analysis = Analysis::default();
    let mut sentiment = Sentiment::default();
    group.bench_function("analyze_only", |b| {
        b.iter(|| {
            comments
                .iter()
                .map(|t| {
                    analyzer.analyze_into(black_box(t), &mut analysis);
                    analysis.tokens.len()
                })
                .sum::<usize>()
        })
    });
    group.bench_function("analyze_and_score", |b| {
        b.iter(|| {
            comments
                .iter()
                .map(|t| {
                    analyzer.analyze_into(black_box(t), &mut analysis);
                    scorer.score_into(&analysis, &mut sentiment);
                    sentiment.compound
                })
                .sum::<f32>()
        })
    });
    group.bench_function("code", |b| {
        b.iter(|| {
            comments
                .iter()
                .map(|t| {
                    analyzer.analyze_into(black_box(t), &mut analysis);
                    codebook.code_analysis(&analysis).hits.len()
                })
                .sum::<usize>()
        })
    });
    group.bench_function("code_and_score", |b| {
        b.iter(|| {
            comments
                .iter()
                .map(|t| {
                    analyzer.analyze_into(black_box(t), &mut analysis);
                    let coding = codebook.code_analysis(&analysis);
                    scorer.score_into(&analysis, &mut sentiment);
                    coding.hits.len() as f32 + sentiment.compound
                })
                .sum::<f32>()
        })
    });
    group.finish();
}

criterion_group!(benches, sentiment);
criterion_main!(benches);
