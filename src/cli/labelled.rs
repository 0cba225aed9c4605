//! Reading a file of labelled comments for `learn` and `suggest`: the options they share, and
//! the defaults they take from the inferred schema (the one open-text column, the id column).
use std::path::Path;

use anyhow::{bail, Result};
use verbatim::labels::{LabelColumns, LabelledTable, Named, TableSpec};
use verbatim::survey::{IngestOptions, SurveyReader};

#[derive(clap::Args, Clone, Default)]
pub struct LabelledArgs {
    /// The comment column [default: the file's one open-text column, as inferred].
    #[arg(long, value_name = "COLUMN")]
    pub text: Option<String>,
    /// Separates several labels in one cell of --gold-column.
    #[arg(long, default_value = "|")]
    pub separator: String,
    /// CSV delimiter (`,` `;` `tab` `|`); sniffed when absent.
    #[arg(long)]
    pub delimiter: Option<String>,
    /// XLSX sheet to read (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
}

/// Where the human labels are, for `eval` (the reference coding) and `learn` (the training
/// labels): one column of joined labels, or 0/1 columns.
#[derive(clap::Args, Clone, Default)]
pub struct GoldLabelArgs {
    /// The column of the human labels; several labels in one cell are joined by --separator.
    #[arg(
        long,
        value_name = "COLUMN",
        required_unless_present = "gold_indicator"
    )]
    pub gold_column: Option<String>,
    /// Labels as 0/1 columns, one per label (repeat, or end a name with * for every column
    /// that starts with it).
    #[arg(long, value_name = "COLUMN", conflicts_with = "gold_column")]
    pub gold_indicator: Vec<String>,
}

impl GoldLabelArgs {
    /// The label columns, and the option that named them (for errors).
    pub fn columns(&self, separator: &str) -> (LabelColumns, String) {
        match &self.gold_column {
            Some(column) => (
                LabelColumns::Joined {
                    column: column.clone(),
                    separator: separator.to_string(),
                },
                "--gold-column".to_string(),
            ),
            None => (
                LabelColumns::Indicators(self.gold_indicator.clone()),
                "--gold-indicator".to_string(),
            ),
        }
    }

    /// The label column, or the 0/1 columns, as a reader names them.
    pub fn describe(&self) -> String {
        self.gold_column
            .clone()
            .unwrap_or_else(|| self.gold_indicator.join(", "))
    }
}

impl LabelledArgs {
    fn delimiter(&self) -> Result<Option<u8>> {
        match &self.delimiter {
            Some(text) => Ok(Some(
                verbatim::survey::parse_delimiter(text).map_err(anyhow::Error::msg)?,
            )),
            None => Ok(None),
        }
    }

    /// Reads `path` with the labels of `gold_column` or `gold_indicator` (or none). `key`:
    /// `None` keys rows by line; `Some(None)` by the inferred id column (else by line);
    /// `Some(Some(column))` by that column.
    pub fn read(
        &self,
        path: &Path,
        gold_column: Option<&str>,
        gold_indicator: &[String],
        key: Option<Option<&str>>,
    ) -> Result<LabelledTable> {
        let delimiter = self.delimiter()?;
        let options = IngestOptions {
            delimiter,
            sheet: self.sheet.clone(),
            ..IngestOptions::default()
        };
        let reader = SurveyReader::open(path, &options)?;
        let schema = reader.schema();
        let text = match &self.text {
            Some(name) => name.clone(),
            None => {
                let open: Vec<&str> = schema.open.iter().map(|q| q.column.as_str()).collect();
                match open.as_slice() {
                    [only] => (*only).to_string(),
                    _ => {
                        let columns: Vec<&str> =
                            reader.columns().iter().map(|c| c.name.as_str()).collect();
                        bail!(
                            "which column holds the comments? name it with --text COLUMN \
                             ({} looks like {} open-text columns; its columns are: {})",
                            path.display(),
                            open.len(),
                            columns.join(", ")
                        );
                    }
                }
            }
        };
        let id = match key {
            None => None,
            Some(Some(column)) => Some(column.to_string()),
            Some(None) => schema.id.clone(),
        };
        drop(reader);
        let labels = match (gold_column, gold_indicator) {
            (Some(column), _) => Some((
                LabelColumns::Joined {
                    column: column.to_string(),
                    separator: self.separator.clone(),
                },
                "--gold-column".to_string(),
            )),
            (None, []) => None,
            (None, names) => Some((
                LabelColumns::Indicators(names.to_vec()),
                "--gold-indicator".to_string(),
            )),
        };
        LabelledTable::read(
            path,
            &TableSpec {
                key: id.into_iter().map(|c| Named::new(c, "--id")).collect(),
                labels,
                text: Some(Named::new(text, "--text")),
                evidence: None,
                delimiter,
                sheet: self.sheet.clone(),
            },
        )
    }
}

/// The file's name without its folder, for codebook names.
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
