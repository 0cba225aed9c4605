//! The index: building it, and searching a 1,000,000-comment index.
//!
//! `index_build/*`: a ~5 MB generated survey coded and indexed as `verbatim index` does it
//! (codebook lexicons/stp.toml, bundled sentiment), rayon pool of 1 thread; the baseline in the
//! same run is `code_threads_1`, the `code` pipeline on the same file with the output thrown
//! away, so `index_threads_1 / code_threads_1` is what indexing adds to coding.
//! `tantivy_only` is the index build proper: the same comments, coded beforehand, handed to
//! tantivy's one indexing thread, which analyses each text with the registered analyser, writes
//! postings, fast fields and the stored record, and commits.
//!
//! `crosstab_*/*`: `verbatim crosstab` in process on the same index (every comment, or a filter).
//!
//! `search/*`: each query compiled, run (top 10 with the total and the theme counts of every
//! hit) and its 10 hits loaded, on the generated index of 1,000,000+ comments kept in
//! target/bench-data/ (built on first use: several minutes; or point VERBATIM_BENCH_INDEX at one
//! built with `verbatim index`). `examples/search_latency.rs` gives the 99th percentiles.
//!
//! cargo bench --bench index
use std::io::{sink, BufWriter};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tantivy::{IndexWriter, TantivyDocument};
use verbatim::batch::{code_survey, BatchOptions, Coders, OutputFormat};
use verbatim::codebook::Codebook;
use verbatim::index::{
    column_map, compile, search, DocumentBuilder, SearchOptions, SortOrder, SurveyIndex,
};
use verbatim::sentiment::SentimentScorer;
use verbatim::survey::RowEvent;

mod common;

use common::bench_index::{build, create, generated, open, search_index};

const BUILD_BYTES: u64 = 5_000_000;

/// The query mix of BENCHMARKS.md: theme, phrase, filters, and all of them at once.
pub const QUERIES: &[(&str, &str, SortOrder)] = &[
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

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a rayon pool")
}

fn index_build(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let survey = dir.path().join("bench5.csv");
    generated(&survey, BUILD_BYTES);
    let codebook =
        Codebook::from_path(&common::lexicon_path("stp.toml")).expect("stp.toml compiles");
    let scorer = SentimentScorer::bundled();
    let coders = Coders::new(Some(&codebook), Some(&scorer));
    let text_bytes: u64 = {
        let index = build(&dir.path().join("probe.idx"), &survey, &codebook, &scorer);
        index.counts().expect("counts").text_bytes
    };
    let one = pool(1);
    let mut group = c.benchmark_group("index_build");
    group.throughput(Throughput::BytesDecimal(text_bytes));
    group.bench_function("code_threads_1", |b| {
        let options = BatchOptions {
            format: OutputFormat::Csv,
            keep_empty: false,
        };
        b.iter(|| {
            one.install(|| code_survey(open(&survey), &coders, BufWriter::new(sink()), &options))
                .expect("codes")
        })
    });
    // The documents, coded once, for tantivy_only.
    let template = create(&dir.path().join("template.idx"), &open(&survey), &codebook);
    let documents: Vec<TantivyDocument> = {
        let reader = open(&survey);
        let columns = column_map(&reader, &template.manifest).expect("columns");
        let builder = DocumentBuilder {
            manifest: &template.manifest,
            fields: &template.fields,
            codebook: &codebook,
            sentiment: Some(&scorer),
            columns: &columns,
            file: "bench",
        };
        let mut documents = Vec::new();
        for event in reader {
            if let RowEvent::Row(record) = event {
                documents.extend(builder.documents(&record));
            }
        }
        documents
    };
    let mut run = 0;
    group.bench_function("tantivy_only", |b| {
        b.iter(|| {
            run += 1;
            let target = dir.path().join(format!("tantivy{run}.idx"));
            let index = create(&target, &open(&survey), &codebook);
            let mut writer: IndexWriter<TantivyDocument> = index
                .index
                .writer_with_num_threads(1, 256 * 1024 * 1024)
                .expect("a writer");
            for (seq, document) in documents.iter().enumerate() {
                let mut document = document.clone();
                document.add_u64(index.fields.seq, seq as u64);
                writer.add_document(document).expect("added");
            }
            writer.commit().expect("committed");
            writer.wait_merging_threads().expect("merged");
            std::fs::remove_dir_all(&target).expect("the run's index is removed");
        })
    });
    group.bench_function("index_threads_1", |b| {
        b.iter(|| {
            run += 1;
            let target = dir.path().join(format!("run{run}.idx"));
            one.install(|| build(&target, &survey, &codebook, &scorer));
            std::fs::remove_dir_all(&target).expect("the run's index is removed");
        })
    });
    group.finish();
}

fn search_bench(c: &mut Criterion) {
    let index = SurveyIndex::open(&search_index()).expect("the bench index opens");
    let comments = index.counts().expect("counts").comments;
    let reader = index.reader().expect("a reader");
    let searcher = reader.searcher();
    let mut group = c.benchmark_group(format!("search_{comments}"));
    for (name, query, sort) in QUERIES {
        let options = SearchOptions {
            limit: 10,
            offset: 0,
            sort: *sort,
        };
        group.bench_function(*name, |b| {
            b.iter(|| {
                let compiled = compile(&index, &searcher, query).expect("the query compiles");
                search(&index, &searcher, &compiled, &options).expect("the search runs")
            })
        });
    }
    group.finish();
}

fn crosstab_bench(c: &mut Criterion) {
    use verbatim::crosstab::{crosstab, CrosstabOptions, Measure, Unit};
    let index = SurveyIndex::open(&search_index()).expect("the bench index opens");
    let comments = index.counts().expect("counts").comments;
    let mut group = c.benchmark_group(format!("crosstab_{comments}"));
    let cases: &[(&str, &str, Measure, Option<&str>)] = &[
        ("theme_by_confidence", "confidence", Measure::Count, None),
        ("theme_by_role_sentiment", "role", Measure::Sentiment, None),
        ("theme_by_theme", "theme", Measure::Count, None),
        (
            "theme_by_confidence_filtered",
            "confidence",
            Measure::Count,
            Some("role:leader"),
        ),
    ];
    for (name, cols, measure, filter) in cases {
        let options = CrosstabOptions {
            cols: cols.to_string(),
            unit: Unit::Comment,
            weight: None,
            measure: *measure,
            filter: filter.map(String::from),
        };
        group.bench_function(*name, |b| {
            b.iter(|| crosstab(&index, &options).expect("the crosstab runs"))
        });
    }
    group.finish();
}

criterion_group! {
    name = build_benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(15));
    targets = index_build
}

criterion_group! {
    name = search_benches;
    config = Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = search_bench, crosstab_bench
}

criterion_main!(build_benches, search_benches);
