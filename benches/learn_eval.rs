//! `verbatim learn` and `verbatim eval` on the 10,266 comments of ../shared/data/nhs-feedback,
//! in process, on a rayon pool of 1 thread (the comments are read once, outside the timing).
//!
//! - `learn/terms_only` (baseline): the candidate terms of every comment (`TermIndex::build`),
//!   the first step of learning; `learn/cv5` is the whole of `learn` (5-fold cross-validation
//!   over 6 rule counts, logistic weights, the final codebook and its examples).
//! - `eval/scores_only` (baseline): join the coded file (lexicons/nhs-feedback.toml's output)
//!   with the gold labels and score them, `--errors 0`; `eval/with_errors` adds the rules behind
//!   the false positives and the terms of the false negatives (`--errors 5`, the default).
//!
//! Without the data every bench prints why and measures nothing.
//!
//! cargo bench --bench learn_eval
use std::hint::black_box;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use verbatim::batch::{code_survey, BatchOptions, Coders, OutputFormat};
use verbatim::codebook::Codebook;
use verbatim::eval::{evaluate, EvalOptions};
use verbatim::labels::{LabelColumns, LabelledTable, Named, TableSpec};
use verbatim::learn::{learn, Examples, LearnOptions};
use verbatim::survey::{IngestOptions, SurveyReader};
use verbatim::terms::{TermIndex, TermOptions};
use verbatim::text::Analyzer;

mod common;

fn data() -> Option<PathBuf> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/nhs-feedback/comments.csv");
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} is absent", path.display());
        None
    }
}

fn table(path: &Path, labels: &str, evidence: bool) -> LabelledTable {
    LabelledTable::read(
        path,
        &TableSpec {
            key: vec![Named::new("row_index", "--id")],
            labels: Some((
                LabelColumns::Joined {
                    column: labels.into(),
                    separator: "|".into(),
                },
                "--gold-column".into(),
            )),
            text: Some(Named::new("text", "--text")),
            evidence: evidence.then(|| "evidence".to_string()),
            delimiter: None,
            sheet: None,
        },
    )
    .expect("the file reads")
}

fn one_thread() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a rayon pool")
}

fn learn_bench(c: &mut Criterion) {
    let Some(path) = data() else { return };
    let gold = table(&path, "label", false);
    let names = gold.labels();
    let examples = Examples {
        texts: gold.rows.iter().map(|r| r.text.as_str()).collect(),
        labels: gold
            .rows
            .iter()
            .map(|r| {
                r.labels
                    .iter()
                    .map(|l| names.binary_search(l).unwrap())
                    .collect()
            })
            .collect(),
        label_names: names.clone(),
        keys: gold.rows.iter().map(|r| r.key.clone()).collect(),
    };
    let analyzer = Analyzer::english();
    let pool = one_thread();
    let mut group = c.benchmark_group("learn");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(60));
    group.bench_function("terms_only", |b| {
        b.iter(|| {
            pool.install(|| {
                TermIndex::build(
                    &analyzer,
                    black_box(&examples.texts),
                    TermOptions::default(),
                )
                .terms
                .len()
            })
        })
    });
    group.bench_function("cv5", |b| {
        b.iter(|| {
            pool.install(|| {
                learn(&analyzer, black_box(&examples), &LearnOptions::default())
                    .unwrap()
                    .themes
                    .len()
            })
        })
    });
    group.finish();
}

fn eval_bench(c: &mut Criterion) {
    let Some(path) = data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let coded_path = dir.path().join("coded.csv");
    let codebook = Codebook::from_path(&common::lexicon_path("nhs-feedback.toml")).unwrap();
    let reader = SurveyReader::open(
        &path,
        &IngestOptions {
            text_columns: vec!["text".into()],
            ..IngestOptions::default()
        },
    )
    .unwrap();
    let out = BufWriter::new(std::fs::File::create(&coded_path).unwrap());
    let options = BatchOptions {
        format: OutputFormat::Csv,
        keep_empty: false,
    };
    code_survey(reader, &Coders::new(Some(&codebook), None), out, &options).unwrap();
    let coded = table(&coded_path, "themes", true);
    let gold = table(&path, "label", false);
    let pool = one_thread();
    let mut group = c.benchmark_group("eval");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(20));
    for (name, errors) in [("scores_only", 0), ("with_errors", 5)] {
        let options = EvalOptions {
            errors,
            ..EvalOptions::default()
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                pool.install(|| {
                    evaluate(black_box(&coded), black_box(&gold), &options)
                        .unwrap()
                        .labels
                        .len()
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, learn_bench, eval_bench);
criterion_main!(benches);
