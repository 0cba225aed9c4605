//! `verbatim report`: a self-contained HTML page and its Markdown twin: per theme its
//! prevalence, differences by the main closed question, mean sentiment and pull quotes.
use std::path::PathBuf;

use anyhow::Result;
use verbatim::index::SurveyIndex;
use verbatim::report::{build, write, ReportOptions, HTML_FILE};

#[derive(clap::Args)]
pub struct Args {
    /// Directory of the index.
    #[arg(long)]
    pub index: PathBuf,
    /// Folder to write index.html, report.md and charts/ into.
    #[arg(long, short = 'o', default_value = "report")]
    pub output: PathBuf,
    /// The closed question or attribute to break themes down by (default: the first ordered
    /// closed question, else the first closed question, else the first attribute with 2 to 12
    /// values).
    #[arg(long, value_name = "COLUMN")]
    pub by: Option<String>,
    /// Quotes per theme.
    #[arg(long, default_value_t = 5)]
    pub quotes: usize,
    /// The report's title (default: from the codebook's name).
    #[arg(long)]
    pub title: Option<String>,
    /// Keep e-mail addresses, phone numbers, postcodes, NHS numbers, web addresses and names in
    /// the quotes.
    #[arg(long)]
    pub no_redact: bool,
}

pub fn run(args: Args) -> Result<()> {
    let index = SurveyIndex::open(&args.index)?;
    let report = build(
        &index,
        &ReportOptions {
            title: args.title,
            by: args.by,
            quotes: args.quotes,
            redact: !args.no_redact,
        },
    )?;
    let files = write(&report, &args.output)?;
    let redactions: usize = report
        .themes
        .iter()
        .map(|t| t.quotes.redactions.total())
        .sum();
    eprintln!(
        "report of {} comments and {} themes in {} ({} files; open {}); {} redaction{} in the quotes",
        verbatim::survey::format_count(report.counts.comments),
        report.themes.len(),
        args.output.display(),
        files.len(),
        args.output.join(HTML_FILE).display(),
        redactions,
        if redactions == 1 { "" } else { "s" }
    );
    Ok(())
}
