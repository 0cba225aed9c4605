//! `verbatim analyze`: the main job. Ingests a survey, codes it with a codebook, scores its
//! sentiment, indexes it and writes the report, all into one output folder; with no survey
//! named it runs on the bundled STP corpus.
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use super::code;
use super::ingest::IngestArgs;

const BUNDLED_SURVEY: &str = "corpus/stp/quotes.csv";
const BUNDLED_SCHEMA: &str = "corpus/stp/survey.toml";
const BUNDLED_CODEBOOK: &str = "lexicons/stp.toml";
/// The bundled quotes have no closed question; which survey they come from is the breakdown
/// that says most (LGC's officers, the LGA's councillors...).
const BUNDLED_BY: &str = "source";

#[derive(clap::Args)]
pub struct Args {
    /// Survey file; the bundled corpus/stp when absent.
    survey: Option<PathBuf>,
    /// Codebook file (default: lexicons/stp.toml).
    #[arg(long, short = 'c')]
    codebook: Option<PathBuf>,
    #[command(flatten)]
    ingest: IngestArgs,
    /// Output folder; results go to OUT/<survey name>/.
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// The closed question or attribute the report breaks themes down by (default: the first
    /// ordered closed question, else the first closed question, else the first attribute with 2
    /// to 12 values; `source` for the bundled corpus).
    #[arg(long, value_name = "COLUMN")]
    by: Option<String>,
    /// Quotes per theme in the report.
    #[arg(long, default_value_t = 5)]
    quotes: usize,
    /// Keep e-mail addresses, phone numbers, postcodes, NHS numbers, web addresses and names in
    /// the report's quotes.
    #[arg(long)]
    no_redact: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

pub fn run(args: Args) -> Result<()> {
    let mut ingest = args.ingest.clone();
    let mut by = args.by.clone();
    let survey = match args.survey {
        Some(survey) => survey,
        None => {
            if !Path::new(BUNDLED_SURVEY).exists() {
                bail!(
                    "the bundled corpus {BUNDLED_SURVEY} is not here: run from the verbatim checkout, or name a survey file"
                );
            }
            if ingest.schema.is_none() {
                ingest.schema = Some(PathBuf::from(BUNDLED_SCHEMA));
            }
            if by.is_none() {
                by = Some(BUNDLED_BY.to_string());
            }
            PathBuf::from(BUNDLED_SURVEY)
        }
    };
    let name = survey_name(&survey);
    let folder = args.out.join(&name);
    std::fs::create_dir_all(&folder)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", folder.display()))?;
    let output = folder.join("coded.csv");
    let codebook = args
        .codebook
        .unwrap_or_else(|| PathBuf::from(BUNDLED_CODEBOOK));
    code::run(code::Args {
        input: survey.clone(),
        codebook: Some(codebook.clone()),
        no_themes: false,
        no_sentiment: false,
        sentiment_overlay: None,
        output: Some(output),
        format: None,
        ingest: ingest.clone(),
        keep_empty: false,
        skips: Some(folder.join("skipped.csv")),
        threads: args.threads,
        quiet: false,
    })?;
    let index = folder.join("index");
    super::index::run(super::index::Args {
        input: survey,
        codebook,
        index: index.clone(),
        ingest,
        force: true,
        no_sentiment: false,
        sentiment_overlay: None,
        run: super::index::RunArgs {
            commit_every: 100_000,
            threads: args.threads,
            quiet: true,
        },
    })?;
    super::report::run(super::report::Args {
        index: index.clone(),
        output: folder.join("report"),
        by,
        quotes: args.quotes,
        title: None,
        no_redact: args.no_redact,
    })?;
    eprintln!(
        "search the comments with\n  verbatim search --index {} 'theme:exclusion'\n\
         and shortlist quotes with\n  verbatim quotes --index {} --theme exclusion --explain",
        index.display(),
        index.display()
    );
    Ok(())
}

/// `corpus/stp/quotes.csv` is "stp" (its folder names the survey); `wave2.csv` is "wave2".
fn survey_name(survey: &Path) -> String {
    let stem = survey
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("survey");
    let folder = survey
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|s| s.to_str());
    match folder {
        Some(folder) if stem == "quotes" || stem == "comments" || stem == "survey" => {
            folder.to_string()
        }
        _ => stem.to_string(),
    }
}
