//! `verbatim add`: code a new wave of comments with the index's own codebook and append them.
use std::path::PathBuf;

use anyhow::Result;
use verbatim::codebook::Codebook;
use verbatim::index::{SurveyIndex, CODEBOOK_FILE, OVERLAY_FILE, SCHEMA_FILE};
use verbatim::sentiment::SentimentScorer;

use super::index::{build, RunArgs};
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
    #[command(flatten)]
    pub run: RunArgs,
}

pub fn run(args: Args) -> Result<()> {
    let index = SurveyIndex::open(&args.index)?;
    let codebook_path = (args.codebook.clone()).unwrap_or_else(|| args.index.join(CODEBOOK_FILE));
    let codebook = Codebook::from_path(&codebook_path)?;
    index.check_codebook(&codebook_path, &codebook.hash)?;
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
    let reader = ingest.open(&args.input, args.run.quiet)?;
    build(
        &index,
        reader,
        &codebook,
        scorer.as_ref(),
        &args.input,
        &args.run,
        "added",
    )
}
