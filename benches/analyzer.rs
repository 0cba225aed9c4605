//! The analyser over ~4 MB of generated comments, single thread.
//!
//! `analyzer/tokenize_only` (token spans alone) is the baseline that `analyzer/analyze` is
//! compared with; `analyzer/tokenize_fold` adds folding, so the three split the cost into
//! tokenising, folding, and the rest (stemming, sentences, token records).
//! `stem/*` stems every distinct word of the corpus once, with and without the cache.
//!
//! cargo bench --bench analyzer
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use verbatim::text::{fold_into, token_spans, Analyzer, CachedStemmer};

mod common;

const CORPUS_BYTES: usize = 4_000_000;

fn analyzer(c: &mut Criterion) {
    let comments = common::comments(CORPUS_BYTES);
    let analyzer = Analyzer::english();
    let mut group = c.benchmark_group("analyzer");
    group.throughput(Throughput::BytesDecimal(common::total_bytes(&comments)));
    group.bench_function("tokenize_only", |b| {
        b.iter(|| {
            let mut tokens = 0;
            for comment in &comments {
                tokens += token_spans(black_box(comment)).count();
            }
            tokens
        })
    });
    group.bench_function("tokenize_fold", |b| {
        let mut folded = String::with_capacity(4096);
        b.iter(|| {
            let mut bytes = 0;
            for comment in &comments {
                folded.clear();
                for span in token_spans(black_box(comment)) {
                    fold_into(&comment[span], &mut folded);
                }
                bytes += folded.len();
            }
            bytes
        })
    });
    group.bench_function("analyze", |b| {
        b.iter(|| {
            let mut tokens = 0;
            for comment in &comments {
                tokens += analyzer.analyze(black_box(comment)).tokens.len();
            }
            tokens
        })
    });
    group.finish();
}

fn stem(c: &mut Criterion) {
    let comments = common::comments(CORPUS_BYTES);
    let analyzer = Analyzer::english();
    let mut vocabulary: Vec<String> = Vec::new();
    for comment in &comments {
        let analysis = analyzer.analyze(comment);
        for i in 0..analysis.tokens.len() {
            vocabulary.push(analysis.norm(i).to_string());
        }
    }
    vocabulary.sort_unstable();
    vocabulary.dedup();
    let stemmer = CachedStemmer::for_language("english").expect("english stems");
    let mut group = c.benchmark_group("stem");
    group.throughput(Throughput::BytesDecimal(
        vocabulary.iter().map(|w| w.len() as u64).sum(),
    ));
    group.bench_function("uncached", |b| {
        b.iter(|| {
            let mut bytes = 0;
            for word in &vocabulary {
                bytes += stemmer.stem_uncached(black_box(word)).len();
            }
            bytes
        })
    });
    group.bench_function("cached", |b| {
        b.iter(|| {
            let mut bytes = 0;
            for word in &vocabulary {
                bytes += stemmer.stem(black_box(word)).len();
            }
            bytes
        })
    });
    group.finish();
    eprintln!("stem: {} distinct words", vocabulary.len());
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(6));
    targets = analyzer, stem
}
criterion_main!(benches);
