//! The generated 1,000,000-comment index that the search, crosstab and quotes benches share,
//! and the steps that build an index as `verbatim index` does.
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use verbatim::codebook::Codebook;
use verbatim::generate::Generator;
use verbatim::index::{add_survey, BuildOptions, Manifest, SentimentSpec, SurveyIndex};
use verbatim::sentiment::SentimentScorer;
use verbatim::survey::{IngestOptions, SurveyReader};

/// About 1,030,000 rows, of which about 1,000,000 non-empty comments.
pub const SEARCH_BYTES: u64 = 450_000_000;

pub fn open(path: &Path) -> SurveyReader {
    SurveyReader::open(path, &IngestOptions::default()).expect("the generated file opens")
}

pub fn generated(path: &Path, bytes: u64) {
    let file = std::fs::File::create(path).expect("the generated file");
    Generator::new(&super::pool(), super::SEED)
        .write_csv(BufWriter::new(file), bytes)
        .expect("the generated file is written");
}

pub fn create(dir: &Path, reader: &SurveyReader, codebook: &Codebook) -> SurveyIndex {
    let sentiment = SentimentSpec {
        lexicon: "bundled".into(),
        overlay: false,
    };
    let manifest = Manifest::new(
        reader.schema(),
        codebook,
        &super::lexicon_path("stp.toml"),
        Some(sentiment),
    );
    let index = SurveyIndex::create(dir, manifest).expect("a new index");
    // As `verbatim index` does: quotes and reports read the codebook's weights from the copy.
    std::fs::copy(
        super::lexicon_path("stp.toml"),
        dir.join(verbatim::index::CODEBOOK_FILE),
    )
    .expect("the codebook copy");
    index
}

pub fn build(
    dir: &Path,
    survey: &Path,
    codebook: &Codebook,
    scorer: &SentimentScorer,
) -> SurveyIndex {
    let reader = open(survey);
    let index = create(dir, &reader, codebook);
    let options = BuildOptions {
        commit_every: u64::MAX,
        file: survey.display().to_string(),
    };
    add_survey(&index, reader, codebook, Some(scorer), &options).expect("the survey indexes");
    index
}

/// The bench index: VERBATIM_BENCH_INDEX, or target/bench-data/index-1M-seed42 (built on first
/// use: several minutes).
pub fn search_index() -> PathBuf {
    if let Some(path) = std::env::var_os("VERBATIM_BENCH_INDEX") {
        return PathBuf::from(path);
    }
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let index = data.join("index-1M-seed42");
    if SurveyIndex::open(&index).is_ok() {
        return index;
    }
    eprintln!(
        "building the 1M-comment bench index in {} (once; several minutes)",
        index.display()
    );
    std::fs::create_dir_all(&data).expect("target/bench-data");
    let _ = std::fs::remove_dir_all(&index);
    let survey = data.join("survey-450MB.csv");
    generated(&survey, SEARCH_BYTES);
    let codebook =
        Codebook::from_path(&super::lexicon_path("stp.toml")).expect("stp.toml compiles");
    build(&index, &survey, &codebook, &SentimentScorer::bundled());
    let _ = std::fs::remove_file(&survey);
    index
}
