//! Pull quotes and the report on the generated 1,000,000-comment index (see
//! benches/common/bench_index.rs; VERBATIM_BENCH_INDEX names another).
//!
//! `quotes/search_theme_top10` is the baseline in the same run: `verbatim search
//! 'theme:exclusion'` with its 10 hits loaded. `quotes/exclusion_pool_*` shortlist 8 quotes from
//! the ~494,000 comments with the theme, ranking an even sample of 1,000 or 5,000 (the default)
//! of them. `quotes/picked_8` exports a hand-made shortlist of 8 comments spread over the index
//! (`verbatim quotes --pick`, serve's shortlist), half of them trimmed to a theme.
//! `report/all_themes` builds the whole report (14 themes, 5 quotes each, the
//! breakdown crosstab and every chart) in memory.
//!
//! cargo bench --bench quotes
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use verbatim::index::{compile, search, SearchOptions, SortOrder, SurveyIndex};
use verbatim::quotes::{picked, shortlist, Pick, QuoteOptions};
use verbatim::report::{build, html, ReportOptions};

mod common;

fn quotes_bench(c: &mut Criterion) {
    let index = SurveyIndex::open(&common::bench_index::search_index()).expect("the bench index");
    let reader = index.reader().expect("a reader");
    let searcher = reader.searcher();
    let mut group = c.benchmark_group("quotes");
    group.bench_function("search_theme_top10", |b| {
        let options = SearchOptions {
            limit: 10,
            offset: 0,
            sort: SortOrder::Relevance,
        };
        b.iter(|| {
            let compiled = compile(&index, &searcher, "theme:exclusion").expect("compiles");
            search(&index, &searcher, &compiled, &options).expect("runs")
        })
    });
    for pool in [1_000, 5_000] {
        let options = QuoteOptions {
            theme: "exclusion".into(),
            pool,
            ..QuoteOptions::default()
        };
        group.bench_function(format!("exclusion_pool_{pool}"), |b| {
            b.iter(|| shortlist(&index, &searcher, &options).expect("a shortlist"))
        });
    }
    let total = searcher.num_docs();
    let picks: Vec<Pick> = (0..8u64)
        .map(|k| Pick {
            seq: k * (total / 8),
            theme: (k % 2 == 0).then(|| "exclusion".to_string()),
        })
        .collect();
    group.bench_function("picked_8", |b| {
        b.iter(|| picked(&index, &searcher, &picks, true, 60).expect("the picks"))
    });
    group.finish();

    let mut group = c.benchmark_group("report");
    group.bench_function("all_themes", |b| {
        b.iter(|| {
            let report = build(&index, &ReportOptions::default()).expect("a report");
            html::render(&report)
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(20));
    targets = quotes_bench
}
criterion_main!(benches);
