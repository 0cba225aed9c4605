//! `verbatim index`: code a survey and build a searchable index of its comments.
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};
use verbatim::codebook::Codebook;
use verbatim::index::{
    add_survey, BuildOptions, BuildReport, Manifest, SentimentSpec, SurveyIndex, CODEBOOK_FILE,
    MANIFEST_FILE, OVERLAY_FILE, SCHEMA_FILE,
};
use verbatim::sentiment::SentimentScorer;
use verbatim::survey::SurveyReader;

use super::ingest::IngestArgs;

#[derive(clap::Args)]
pub struct Args {
    /// Survey file: CSV (any delimiter), XLSX or JSONL; Qualtrics and SurveyMonkey exports too.
    pub input: PathBuf,
    /// Codebook file (TOML).
    #[arg(long, short = 'c')]
    pub codebook: PathBuf,
    /// Directory of the index to create.
    #[arg(long)]
    pub index: PathBuf,
    #[command(flatten)]
    pub ingest: IngestArgs,
    /// Replace an existing index in that directory.
    #[arg(long)]
    pub force: bool,
    /// Do not score sentiment.
    #[arg(long)]
    pub no_sentiment: bool,
    /// A sentiment overlay (TOML, like lexicons/sentiment/survey.toml) whose entries win.
    #[arg(long, value_name = "FILE")]
    pub sentiment_overlay: Option<PathBuf>,
    #[command(flatten)]
    pub run: RunArgs,
}

/// How `index` and `add` run a build.
#[derive(clap::Args)]
pub struct RunArgs {
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

/// Codes the comments of `reader` into `index`, with a progress bar and, unless quiet, a
/// summary that says what was `done` ("indexed", "added").
pub fn build(
    index: &SurveyIndex,
    reader: SurveyReader,
    codebook: &Codebook,
    scorer: Option<&SentimentScorer>,
    input: &Path,
    run: &RunArgs,
    done: &str,
) -> Result<()> {
    let options = BuildOptions {
        commit_every: run.commit_every.max(1),
        file: input.display().to_string(),
    };
    let started = Instant::now();
    let progress = super::progress::start(&reader, run.quiet);
    let report = super::with_threads(super::threads_beside_indexer(run.threads), || {
        add_survey(index, reader, codebook, scorer, &options)
    })??;
    progress.finish();
    if !run.quiet {
        summary(
            &mut std::io::stderr().lock(),
            done,
            input,
            index,
            &report,
            started.elapsed().as_secs_f64(),
        )?;
    }
    Ok(())
}

pub fn run(args: Args) -> Result<()> {
    let codebook = Codebook::from_path(&args.codebook)?;
    let scorer = match (&args.sentiment_overlay, args.no_sentiment) {
        (_, true) => None,
        (Some(overlay), false) => Some(SentimentScorer::with_overlay(overlay)?),
        (None, false) => Some(SentimentScorer::bundled()),
    };
    let sentiment = match (&scorer, &args.sentiment_overlay) {
        (None, _) => None,
        (Some(_), None) => Some(SentimentSpec {
            lexicon: "bundled".into(),
            overlay: false,
        }),
        (Some(_), Some(overlay)) => Some(SentimentSpec {
            lexicon: file_hash(overlay)?,
            overlay: true,
        }),
    };
    let reader = args.ingest.open(&args.input, args.run.quiet)?;
    let manifest = Manifest::new(reader.schema(), &codebook, &args.codebook, sentiment);
    if args.force {
        remove_index(&args.index)?;
    }
    let index = SurveyIndex::create(&args.index, manifest)?;
    copy(&args.codebook, &args.index.join(CODEBOOK_FILE))?;
    std::fs::write(args.index.join(SCHEMA_FILE), reader.schema().to_toml())
        .with_context(|| format!("cannot write {}", args.index.join(SCHEMA_FILE).display()))?;
    if let Some(overlay) = &args.sentiment_overlay {
        copy(overlay, &args.index.join(OVERLAY_FILE))?;
    }
    build(
        &index,
        reader,
        &codebook,
        scorer.as_ref(),
        &args.input,
        &args.run,
        "indexed",
    )
}

fn file_hash(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let digest = Sha256::digest(&bytes);
    Ok(digest.iter().take(8).map(|b| format!("{b:02x}")).collect())
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .map(|_| ())
        .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))
}

/// Removes an index directory, refusing anything that is not one.
fn remove_index(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.join(MANIFEST_FILE).exists() {
        if std::fs::read_dir(dir)?.next().is_none() {
            return Ok(());
        }
        bail!(
            "--force replaces an index, but {} is not one (no {MANIFEST_FILE}); remove it yourself if you mean to",
            dir.display()
        );
    }
    std::fs::remove_dir_all(dir).with_context(|| format!("cannot remove {}", dir.display()))
}

/// The row accounting of a run and the state of the index after it, on stderr.
pub fn summary(
    out: &mut impl Write,
    verb: &str,
    input: &Path,
    index: &SurveyIndex,
    report: &BuildReport,
    seconds: f64,
) -> Result<()> {
    let codebook = &index.manifest.codebook;
    writeln!(
        out,
        "{verb} {} into {} with codebook {} (version {}, hash {})",
        input.display(),
        index.dir.display(),
        codebook.name,
        codebook.version,
        codebook.hash
    )?;
    let batch = &report.batch;
    writeln!(out, "  rows read          {:>10}", batch.rows_read)?;
    writeln!(out, "  comments indexed   {:>10}", batch.comments)?;
    writeln!(out, "  empty answers      {:>10}", batch.empty_answers)?;
    writeln!(out, "  rows skipped       {:>10}", batch.rows_skipped)?;
    for skip in report.skips.iter().take(20) {
        writeln!(out, "    line {}: {}", skip.line, skip.reason)?;
    }
    if batch.rows_skipped > 20 {
        writeln!(out, "    ... and {} more", batch.rows_skipped - 20)?;
    }
    let totals = &report.totals;
    writeln!(
        out,
        "  the index now holds {} comments from {} respondents, in {} batch{}",
        totals.comments,
        totals.respondents,
        totals.batches.len(),
        if totals.batches.len() == 1 { "" } else { "es" }
    )?;
    let megabytes = report.text_bytes as f64 / 1e6;
    writeln!(
        out,
        "  {megabytes:.1} MB of text in {seconds:.2} s ({:.1} MB/s), {} commit{}",
        megabytes / seconds.max(1e-9),
        report.commits,
        if report.commits == 1 { "" } else { "s" }
    )?;
    Ok(())
}
