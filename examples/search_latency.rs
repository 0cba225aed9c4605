//! Search latency percentiles on an index: the query mix of benches/index.rs, each query run
//! ROUNDS times in turn (interleaved, so load changes hit every query alike), timing compile +
//! search + loading the 10 hits. Prints per query and overall: median, 90th and 99th percentile.
//!
//! cargo run --release --example search_latency -- INDEX_DIR [ROUNDS]
use std::time::Instant;

use verbatim::index::{compile, search, SearchOptions, SortOrder, SurveyIndex};

const QUERIES: &[(&str, &str, SortOrder)] = &[
    ("theme", "theme:exclusion", SortOrder::Relevance),
    ("phrase", "\"top down\"", SortOrder::Relevance),
    ("words_or", "jargon OR opaque", SortOrder::Relevance),
    (
        "filters",
        "confidence:\"not very confident\" role:leader",
        SortOrder::Relevance,
    ),
    (
        "theme_filters_sentiment",
        "theme:funding confidence:\"not very confident\" role:leader sentiment<-0.3",
        SortOrder::Relevance,
    ),
    ("theme_by_sentiment", "theme:funding", SortOrder::Negative),
];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        anyhow::bail!("usage: search_latency INDEX_DIR [ROUNDS]");
    };
    let rounds: usize = args.next().map_or(Ok(200), |r| r.parse())?;
    let index = SurveyIndex::open(std::path::Path::new(&dir))?;
    let comments = index.counts()?.comments;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); QUERIES.len()];
    let mut totals = vec![0usize; QUERIES.len()];
    for _ in 0..rounds {
        for (q, (_, query, sort)) in QUERIES.iter().enumerate() {
            let options = SearchOptions {
                limit: 10,
                offset: 0,
                sort: *sort,
            };
            let started = Instant::now();
            let compiled = compile(&index, &searcher, query)?;
            let results = search(&index, &searcher, &compiled, &options)?;
            times[q].push(started.elapsed().as_secs_f64() * 1000.0);
            totals[q] = results.total;
        }
    }
    println!(
        "{comments} comments, {} segments, {rounds} rounds; milliseconds",
        searcher.segment_readers().len()
    );
    println!(
        "{:<26} {:>9} {:>8} {:>8} {:>8}",
        "query", "hits", "median", "p90", "p99"
    );
    let mut all = Vec::new();
    for (q, (name, _, _)) in QUERIES.iter().enumerate() {
        let mut t = times[q].clone();
        t.sort_by(f64::total_cmp);
        println!(
            "{name:<26} {:>9} {:>8.2} {:>8.2} {:>8.2}",
            totals[q],
            percentile(&t, 50.0),
            percentile(&t, 90.0),
            percentile(&t, 99.0)
        );
        all.extend(t);
    }
    all.sort_by(f64::total_cmp);
    println!(
        "{:<26} {:>9} {:>8.2} {:>8.2} {:>8.2}",
        "all",
        "",
        percentile(&all, 50.0),
        percentile(&all, 90.0),
        percentile(&all, 99.0)
    );
    Ok(())
}
