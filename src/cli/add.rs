//! `verbatim add`: code a new wave of comments with the index's own codebook and append them.
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;
use verbatim::codebook::Codebook;
use verbatim::index::{
    add_survey, BuildOptions, SurveyIndex, CODEBOOK_FILE, OVERLAY_FILE, SCHEMA_FILE,
};
use verbatim::sentiment::SentimentScorer;

use super::ingest::IngestArgs;

#[derive(clap::Args)]
pub struct Args {
    /// Survey file with the index's columns: CSV, XLSX or JSONL.
    pub input: PathBuf,
    /// Directory of the index to append to.
    #[arg(long)]
    pub index: PathBuf,
    /// Codebook to code with; must be the one the index was built with (default: the index's
    /// own copy).
    #[arg(long, short = 'c')]
    pub codebook: Option<PathBuf>,
    /// Read the file with this schema instead of the index's own survey.toml.
    #[command(flatten)]
    pub ingest: IngestArgs,
    /// Commit after every N comments: a run stopped half-way keeps what was committed.
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    pub commit_every: u64,
    /// Worker threads for coding (default: one less than the cores, at least one); tantivy
    /// indexes on one more thread.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print only errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

pub fn run(args: Args) -> Result<()> {
    let index = SurveyIndex::open(&args.index)?;
    let own_copy = args.index.join(CODEBOOK_FILE);
    let codebook = match &args.codebook {
        Some(path) => {
            let codebook = Codebook::from_path(path)?;
            index.check_codebook(path, &codebook.hash)?;
            codebook
        }
        None => {
            let codebook = Codebook::from_path(&own_copy)?;
            index.check_codebook(&own_copy, &codebook.hash)?;
            codebook
        }
    };
    let scorer = match &index.manifest.sentiment {
        None => None,
        Some(spec) if spec.overlay => Some(SentimentScorer::with_overlay(
            &args.index.join(OVERLAY_FILE),
        )?),
        Some(_) => Some(SentimentScorer::bundled()),
    };
    let mut ingest = args.ingest.clone();
    if ingest.schema.is_none() && ingest.text.is_empty() && ingest.id.is_none() {
        ingest.schema = Some(args.index.join(SCHEMA_FILE));
    }
    let reader = ingest.open(&args.input, args.quiet)?;
    let options = BuildOptions {
        commit_every: args.commit_every.max(1),
        file: args.input.display().to_string(),
    };
    let started = Instant::now();
    let progress = super::progress::start(&reader, args.quiet);
    let report = super::with_threads(super::threads_beside_indexer(args.threads), || {
        add_survey(&index, reader, &codebook, scorer.as_ref(), &options)
    })??;
    progress.finish();
    if !args.quiet {
        super::index::summary(
            &mut std::io::stderr().lock(),
            "added",
            &args.input,
            &index,
            &report,
            started.elapsed().as_secs_f64(),
        )?;
    }
    Ok(())
}
