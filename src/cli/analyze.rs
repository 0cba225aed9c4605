//! `verbatim analyze`: the main job. Codes a survey with a codebook and writes the results to an
//! output folder; with no survey named it runs on the bundled STP corpus.
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use super::code;
use super::ingest::IngestArgs;

const BUNDLED_SURVEY: &str = "corpus/stp/quotes.csv";
const BUNDLED_SCHEMA: &str = "corpus/stp/survey.toml";
const BUNDLED_CODEBOOK: &str = "lexicons/stp.toml";

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
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

pub fn run(args: Args) -> Result<()> {
    let mut ingest = args.ingest.clone();
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
        commit_every: 100_000,
        threads: args.threads,
        quiet: true,
    })?;
    eprintln!(
        "index of the comments in {}: search it with\n  verbatim search --index {} 'theme:exclusion'",
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
