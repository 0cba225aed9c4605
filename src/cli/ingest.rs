//! The survey-reading options shared by every command that reads a survey file, defined once.
use std::path::{Path, PathBuf};

use anyhow::Result;
use verbatim::survey::{IngestOptions, SurveyReader};

#[derive(clap::Args, Clone, Default)]
pub struct IngestArgs {
    /// Survey schema (survey.toml): id, open questions, closed questions, attributes.
    /// Without it, verbatim infers one and prints what it inferred.
    #[arg(long)]
    pub schema: Option<PathBuf>,
    /// Open-text column to code (repeat for several); overrides the schema.
    #[arg(long = "text", value_name = "COLUMN")]
    pub text: Vec<String>,
    /// Respondent id column; overrides the schema.
    #[arg(long, value_name = "COLUMN")]
    pub id: Option<String>,
    /// CSV delimiter (`,` `;` `tab` `|` or one character); sniffed when absent.
    #[arg(long)]
    pub delimiter: Option<String>,
    /// XLSX sheet to read (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
}

impl IngestArgs {
    pub fn options(&self) -> Result<IngestOptions> {
        let delimiter = match &self.delimiter {
            Some(text) => {
                Some(verbatim::survey::parse_delimiter(text).map_err(anyhow::Error::msg)?)
            }
            None => None,
        };
        Ok(IngestOptions {
            delimiter,
            sheet: self.sheet.clone(),
            schema_path: self.schema.clone(),
            text_columns: self.text.clone(),
            id_column: self.id.clone(),
            ..IngestOptions::default()
        })
    }

    /// Opens the survey and reports what was inferred and any warnings on stderr.
    pub fn open(&self, path: &Path, quiet: bool) -> Result<SurveyReader> {
        let reader = SurveyReader::open(path, &self.options()?)?;
        if !quiet {
            if reader.schema().inferred {
                eprintln!("{}", reader.schema().describe());
            }
            for warning in reader.warnings() {
                eprintln!("warning: {warning}");
            }
        }
        Ok(reader)
    }
}
