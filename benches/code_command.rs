//! The whole `code` pipeline (ingest, analyse, match, score sentiment, render CSV) on a ~20 MB
//! generated survey file, through `batch::code_survey` as `verbatim code --codebook
//! lexicons/stp.toml` runs it (themes and the bundled sentiment lexicon), on a rayon pool of 1
//! thread and of every core; `themes_only_threads_1` leaves sentiment out (`--no-sentiment`).
//!
//! `code_command/ingest_only` (open the file and read every row, no coding) is the baseline:
//! `threads_1 / ingest_only` is what coding adds to reading. The output goes to `io::sink`, so
//! the disk is not measured; `scripts/bench-code.sh` times the real command with a file.
//!
//! cargo bench --bench code_command
use std::io::{sink, BufWriter};
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use verbatim::batch::{code_survey, BatchOptions, Coders, OutputFormat};
use verbatim::codebook::Codebook;
use verbatim::generate::Generator;
use verbatim::sentiment::SentimentScorer;
use verbatim::survey::{IngestOptions, RowEvent, SurveyReader};

mod common;

const FILE_BYTES: u64 = 20_000_000;

fn open(path: &Path) -> SurveyReader {
    SurveyReader::open(path, &IngestOptions::default()).expect("the generated file opens")
}

fn code_with(threads: usize, path: &Path, coders: &Coders<'_>) -> u64 {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a rayon pool");
    let options = BatchOptions {
        format: OutputFormat::Csv,
        keep_empty: false,
    };
    let accounting = pool
        .install(|| code_survey(open(path), coders, BufWriter::new(sink()), &options))
        .expect("the generated file codes");
    accounting.comments_coded
}

fn code_command(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("bench20.csv");
    let file = std::fs::File::create(&path).expect("the temporary file");
    let written = Generator::new(&common::pool(), common::SEED)
        .write_csv(BufWriter::new(file), FILE_BYTES)
        .expect("the generated file is written");
    let codebook =
        Codebook::from_path(&common::lexicon_path("stp.toml")).expect("stp.toml compiles");
    let scorer = SentimentScorer::bundled();
    let coders = Coders::new(Some(&codebook), Some(&scorer));
    let themes_only = Coders::new(Some(&codebook), None);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());

    let mut group = c.benchmark_group("code_command");
    group.throughput(Throughput::BytesDecimal(written));
    group.bench_function("ingest_only", |b| {
        b.iter(|| {
            open(&path)
                .filter(|event| matches!(event, RowEvent::Row(_)))
                .count()
        })
    });
    group.bench_function("threads_1", |b| b.iter(|| code_with(1, &path, &coders)));
    group.bench_function(format!("threads_{cores}"), |b| {
        b.iter(|| code_with(cores, &path, &coders))
    });
    group.bench_function("themes_only_threads_1", |b| {
        b.iter(|| code_with(1, &path, &themes_only))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    targets = code_command
}
criterion_main!(benches);
