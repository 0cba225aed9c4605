//! `verbatim sentiment`: score the open answers of a survey file for sentiment alone, so the
//! scorer can be validated on any labelled data (the same as `code --no-themes`).
use std::path::PathBuf;

use anyhow::Result;

use super::code;
use super::ingest::IngestArgs;

#[derive(clap::Args)]
pub struct Args {
    /// Survey file: CSV, XLSX or JSONL.
    input: PathBuf,
    /// Output file; CSV unless it ends in .jsonl. Standard output when absent.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    #[command(flatten)]
    ingest: IngestArgs,
    /// A sentiment overlay (TOML) whose entries win over the bundled lexicon.
    #[arg(long, value_name = "FILE")]
    overlay: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Print only errors.
    #[arg(long, short = 'q')]
    quiet: bool,
}

pub fn run(args: Args) -> Result<()> {
    code::run(code::Args {
        input: args.input,
        codebook: None,
        no_themes: true,
        no_sentiment: false,
        sentiment_overlay: args.overlay,
        output: args.output,
        format: None,
        ingest: args.ingest,
        keep_empty: false,
        skips: None,
        threads: args.threads,
        quiet: args.quiet,
    })
}
