//! `verbatim code`: batch-code the open answers of a survey file with a codebook.
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use verbatim::batch::{code_survey_with_skips, Accounting, BatchOptions, Coders, OutputFormat};
use verbatim::codebook::Codebook;
use verbatim::sentiment::SentimentScorer;
use verbatim::survey::Skip;

use super::ingest::IngestArgs;

#[derive(clap::Args)]
pub struct Args {
    /// Survey file: CSV (any delimiter), XLSX or JSONL; Qualtrics and SurveyMonkey exports too.
    pub input: PathBuf,
    /// Codebook file (TOML); required unless --no-themes.
    #[arg(long, short = 'c', required_unless_present = "no_themes")]
    pub codebook: Option<PathBuf>,
    /// Score sentiment only, without a codebook.
    #[arg(long)]
    pub no_themes: bool,
    /// Do not score sentiment.
    #[arg(long, conflicts_with = "no_themes")]
    pub no_sentiment: bool,
    /// A sentiment overlay (TOML, like lexicons/sentiment/survey.toml) whose entries win.
    #[arg(long, value_name = "FILE")]
    pub sentiment_overlay: Option<PathBuf>,
    /// Output file; CSV unless it ends in .jsonl or .ndjson. Standard output when absent.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Output format, overriding the file extension.
    #[arg(long, value_parser = ["csv", "jsonl"])]
    pub format: Option<String>,
    #[command(flatten)]
    pub ingest: IngestArgs,
    /// Also write a row for empty answers (coded with no theme).
    #[arg(long)]
    pub keep_empty: bool,
    /// Write every skipped row (line and reason) to this CSV file.
    #[arg(long)]
    pub skips: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print only errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

pub fn run(args: Args) -> Result<()> {
    let codebook = match (&args.codebook, args.no_themes) {
        (Some(path), false) => Some(Codebook::from_path(path)?),
        _ => None,
    };
    let scorer = match (&args.sentiment_overlay, args.no_sentiment) {
        (_, true) => None,
        (Some(overlay), false) => Some(SentimentScorer::with_overlay(overlay)?),
        (None, false) => Some(SentimentScorer::bundled()),
    };
    let coders = Coders::new(codebook.as_ref(), scorer.as_ref());
    let reader = args.ingest.open(&args.input, args.quiet)?;
    let format = match args.format.as_deref() {
        Some("jsonl") => OutputFormat::Jsonl,
        Some(_) => OutputFormat::Csv,
        None => args
            .output
            .as_deref()
            .map_or(OutputFormat::Csv, OutputFormat::from_path),
    };
    let options = BatchOptions {
        format,
        keep_empty: args.keep_empty,
    };
    let started = Instant::now();
    let status = reader.status();
    let warned = reader.warnings().len();
    let mut skips = match &args.skips {
        Some(path) => {
            let mut writer = csv::Writer::from_path(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            writer.write_record(["line", "reason"])?;
            Some(writer)
        }
        None => None,
    };
    let mut on_skip = |skip: &Skip| -> Result<()> {
        if let Some(writer) = skips.as_mut() {
            writer.write_record([skip.line.to_string(), skip.reason.clone()])?;
        }
        Ok(())
    };
    let progress = super::progress::start(&reader, args.quiet);
    let accounting = super::with_threads(args.threads, || match &args.output {
        Some(path) => {
            let file =
                File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
            let out = BufWriter::with_capacity(1 << 20, file);
            code_survey_with_skips(reader, &coders, out, &options, &mut on_skip)
        }
        None => {
            let out = std::io::stdout().lock();
            code_survey_with_skips(reader, &coders, out, &options, &mut on_skip)
        }
    })??;
    progress.finish();
    if let Some(mut writer) = skips {
        writer.flush().context("cannot write the skips file")?;
    }
    if !args.quiet {
        for warning in status.warnings().into_iter().skip(warned) {
            eprintln!("warning: {warning}");
        }
        let mut err = std::io::stderr().lock();
        summary(
            &mut err,
            &args,
            codebook.as_ref(),
            &accounting,
            started.elapsed().as_secs_f64(),
        )?;
    }
    Ok(())
}

fn summary(
    out: &mut impl Write,
    args: &Args,
    codebook: Option<&Codebook>,
    a: &Accounting,
    seconds: f64,
) -> Result<()> {
    match codebook {
        Some(codebook) => writeln!(
            out,
            "coded {} with {} (version {}, hash {})",
            args.input.display(),
            codebook.source,
            codebook.version,
            codebook.hash
        )?,
        None => writeln!(out, "scored {}", args.input.display())?,
    }
    writeln!(out, "  rows read        {:>10}", a.rows_read)?;
    writeln!(out, "  comments coded   {:>10}", a.comments_coded)?;
    writeln!(out, "  empty answers    {:>10}", a.empty_answers)?;
    writeln!(out, "  rows skipped     {:>10}", a.rows_skipped)?;
    for skip in a.skips.iter().take(20) {
        writeln!(out, "    line {}: {}", skip.line, skip.reason)?;
    }
    if a.rows_skipped > 20 {
        let hint = if args.skips.is_some() {
            ""
        } else {
            " (--skips FILE lists them all)"
        };
        writeln!(out, "    ... and {} more{hint}", a.rows_skipped - 20)?;
    }
    let share = |n: u64| 100.0 * n as f64 / a.comments_coded.max(1) as f64;
    if a.sentiment_scored > 0 {
        writeln!(
            out,
            "  sentiment        mean {:+.3}; positive {:.1}%, negative {:.1}% (compound beyond ±0.05)",
            a.sentiment_sum / a.sentiment_scored as f64,
            share(a.sentiment_positive),
            share(a.sentiment_negative)
        )?;
    }
    if let Some(codebook) = codebook.filter(|_| a.comments_coded > 0) {
        writeln!(out, "  themes (comments, % of coded)")?;
        for (theme, &count) in codebook.themes.iter().zip(&a.theme_counts) {
            let indent = if theme.parent.is_some() { "  " } else { "" };
            let name = format!("{indent}{}", theme.id);
            writeln!(out, "    {name:<28} {count:>8} {:>6.1}%", share(count))?;
        }
        writeln!(
            out,
            "    {:<28} {:>8} {:>6.1}%",
            "(no theme)",
            a.uncoded,
            share(a.uncoded)
        )?;
    }
    let megabytes = a.text_bytes as f64 / 1e6;
    writeln!(
        out,
        "  {megabytes:.1} MB of text in {seconds:.2} s ({:.1} MB/s){}",
        megabytes / seconds.max(1e-9),
        args.output
            .as_ref()
            .map(|p| format!(", written to {}", p.display()))
            .unwrap_or_default()
    )?;
    Ok(())
}

/// Whether progress can be drawn: stderr is a terminal.
pub fn interactive() -> bool {
    std::io::stderr().is_terminal()
}
