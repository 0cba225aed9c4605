//! The errors that stop a survey file from being opened at all. Problems with single rows are not
//! errors: the reader yields them as [`Skip`](super::Skip)s and carries on.
use std::io;
use std::path::PathBuf;

/// Why a survey file (or its `survey.toml`) could not be opened. Every message names the file, and
/// where it can the line and column, and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The survey file (or schema file) does not exist.
    #[error("{}: file not found — check the path (relative paths start from {})", path.display(), current_dir())]
    NotFound { path: PathBuf },

    /// The file exists but could not be read.
    #[error("{}: cannot read it: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// The file (or sheet) holds nothing, not even a header row.
    #[error("{} is empty: no header row", what)]
    Empty { what: String },

    /// The header row cannot be read (an unbalanced quote swallowed the file).
    #[error("{}, line {line}: {message}", path.display())]
    Header {
        path: PathBuf,
        line: u64,
        message: String,
    },

    /// The extension does not say which reader to use.
    #[error(
        "{}: unknown format {}; verbatim reads .csv .tsv .txt .xlsx .xlsm .jsonl .ndjson — pass --format csv, xlsx or jsonl",
        path.display(),
        if extension.is_empty() { "(no extension)".to_string() } else { format!("\".{extension}\"") }
    )]
    UnknownFormat { path: PathBuf, extension: String },

    /// calamine could not open the workbook.
    #[error("{}: cannot read it as a workbook: {message} — save it from Excel as .xlsx, or as CSV UTF-8", path.display())]
    Workbook { path: PathBuf, message: String },

    /// `--sheet` names a sheet the workbook does not have.
    #[error("{}: no sheet named \"{sheet}\"; its sheets are: {}", path.display(), quoted_list(available))]
    SheetNotFound {
        path: PathBuf,
        sheet: String,
        available: Vec<String>,
    },

    /// A `.jsonl` file whose first lines hold no JSON object.
    #[error("{}: no JSON object in the first {lines} non-blank lines (line {first_line}: {first_problem}) — a JSON Lines file has one {{...}} object per line", path.display())]
    NoJsonObjects {
        path: PathBuf,
        lines: usize,
        first_line: u64,
        first_problem: String,
    },

    /// `survey.toml` is not valid TOML, or has a key verbatim does not know.
    #[error("{}, line {line}, column {column}: {message}", path.display())]
    SchemaSyntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    /// `survey.toml` parses, but says something inconsistent (a column listed twice, empty levels).
    #[error("{}, line {line}: {message}", path.display())]
    SchemaInvalid {
        path: PathBuf,
        line: usize,
        message: String,
    },

    /// A schema (file, `--text` or `--id`) names a column the data does not have.
    #[error(
        "{origin}: column \"{column}\" is not in {data_file}{}; its columns are: {}",
        suggestion.as_ref().map(|s| format!(" (did you mean \"{s}\"?)")).unwrap_or_default(),
        quoted_list(available)
    )]
    UnknownColumn {
        /// Where the name came from: `survey.toml, line 7` or `--text`.
        origin: String,
        column: String,
        data_file: String,
        available: Vec<String>,
        suggestion: Option<String>,
    },
}

impl IngestError {
    /// Maps an `io::Error` from opening `path` to [`IngestError::NotFound`] or [`IngestError::Io`].
    pub(crate) fn from_io(path: &std::path::Path, source: io::Error) -> IngestError {
        if source.kind() == io::ErrorKind::NotFound {
            IngestError::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            IngestError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    }
}

fn current_dir() -> String {
    std::env::current_dir()
        .map(|d| d.display().to_string())
        .unwrap_or_else(|_| "the current directory".to_string())
}

/// `"a", "b", "c"`, cut after 40 names so a 900-column export stays readable.
pub(crate) fn quoted_list(names: &[String]) -> String {
    const MAX: usize = 40;
    let mut out: Vec<String> = names.iter().take(MAX).map(|n| format!("\"{n}\"")).collect();
    if names.len() > MAX {
        out.push(format!("… and {} more", names.len() - MAX));
    }
    if out.is_empty() {
        "(none)".to_string()
    } else {
        out.join(", ")
    }
}
