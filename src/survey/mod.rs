//! Survey ingest: open a survey export (CSV in any delimiter and common encoding, XLSX, JSON Lines;
//! plain, Qualtrics or SurveyMonkey), work out what each column is (from `survey.toml` or inferred
//! from the first rows), then stream the rows. Every data row comes out as a [`RowEvent::Row`] or,
//! if it cannot be read, a [`RowEvent::Skip`] with its line and the reason: nothing is dropped
//! silently, and no input makes the reader panic.
//!
//! ```no_run
//! use verbatim::survey::{IngestOptions, RowEvent, SurveyReader};
//! # fn main() -> Result<(), verbatim::survey::IngestError> {
//! let reader = SurveyReader::open("survey.csv".as_ref(), &IngestOptions::default())?;
//! eprintln!("{}", reader.schema().describe());
//! let comment = reader.schema().open_indexes(reader.columns())[0];
//! for event in reader {
//!     match event {
//!         RowEvent::Row(record) => println!("{}: {}", record.line, record.fields[comment]),
//!         RowEvent::Skip(skip) => eprintln!("skipped {skip}"),
//!     }
//! }
//! # Ok(()) }
//! ```
mod csv_scan;
mod csv_source;
mod encoding;
mod error;
mod infer;
mod jsonl_source;
mod platform;
mod roles;
mod scales;
mod schema;
mod schema_file;
mod sniff;
mod status;
mod xlsx_source;

use std::collections::VecDeque;
use std::fmt;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

pub use error::IngestError;
pub use platform::Platform;
pub use schema::{level_index, ClosedQuestion, OpenQuestion, Provenance, Schema};
pub use sniff::parse_delimiter;
pub use status::IngestStatus;

use encoding::{ByteStream, CountingReader, FieldDecoder};
use status::{lock, Diagnostics};

/// How to open a survey file. Everything is optional: the default sniffs and infers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestOptions {
    /// The CSV delimiter; sniffed among `,` `;` tab `|` when `None`.
    pub delimiter: Option<u8>,
    /// The worksheet to read; the first when `None`.
    pub sheet: Option<String>,
    /// The format; from the file's extension when `None`.
    pub format: Option<Format>,
    /// A `survey.toml`; the schema is inferred when `None`.
    pub schema_path: Option<PathBuf>,
    /// The free-text columns (`--text`), overriding what the schema says or inference finds.
    pub text_columns: Vec<String>,
    /// The id column (`--id`), likewise.
    pub id_column: Option<String>,
    /// Data rows read ahead to infer the schema (they are replayed, not reread).
    pub sample_rows: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            delimiter: None,
            sheet: None,
            format: None,
            schema_path: None,
            text_columns: Vec::new(),
            id_column: None,
            sample_rows: 2000,
        }
    }
}

/// A survey file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Delimited text: `.csv`, `.tsv`, `.txt`.
    Csv,
    /// A workbook: `.xlsx`, `.xlsm` (and `.xls`, `.xlsb`, `.ods`, which calamine also reads).
    Xlsx,
    /// JSON Lines: `.jsonl`, `.ndjson`.
    Jsonl,
}

impl Format {
    /// The format a file's extension says, or an error naming the file.
    pub fn from_path(path: &Path) -> Result<Format, IngestError> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match extension.as_str() {
            "csv" | "tsv" | "tab" | "txt" => Ok(Format::Csv),
            "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => Ok(Format::Xlsx),
            "jsonl" | "ndjson" | "jsonlines" => Ok(Format::Jsonl),
            _ => Err(IngestError::UnknownFormat {
                path: path.to_path_buf(),
                extension,
            }),
        }
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        match s.to_ascii_lowercase().as_str() {
            "csv" | "tsv" | "txt" => Ok(Format::Csv),
            "xlsx" | "xlsm" | "excel" => Ok(Format::Xlsx),
            "jsonl" | "ndjson" => Ok(Format::Jsonl),
            _ => Err(format!("unknown format \"{s}\": use csv, xlsx or jsonl")),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Jsonl => "jsonl",
        })
    }
}

/// A column of the survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The name to refer to it by: the header cell (Qualtrics: the column id such as `Q2_1`;
    /// SurveyMonkey: the question text, plus " - option" for a multi-option question).
    pub name: String,
    /// The question text the platform export gives for it, if any.
    pub question: Option<String>,
}

/// One data row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Where it starts: the physical line of a CSV or JSONL file, the row number of a sheet.
    pub line: u64,
    /// One field per column of [`SurveyReader::columns`].
    pub fields: Vec<String>,
}

impl Record {
    /// The field of column `index`, or "" if there is none.
    pub fn get(&self, index: usize) -> &str {
        self.fields.get(index).map_or("", String::as_str)
    }
}

/// A row that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// Where the row starts (as [`Record::line`]).
    pub line: u64,
    /// Why it was skipped and what to check, without the line number.
    pub reason: String,
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// What the reader yields for each row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowEvent {
    Row(Record),
    Skip(Skip),
}

/// The rows of one format's file after its header.
trait Source: Iterator<Item = RowEvent> + Send {}
impl<T: Iterator<Item = RowEvent> + Send> Source for T {}

/// An open survey file: its columns, its schema, and an iterator over its rows.
pub struct SurveyReader {
    path: PathBuf,
    format: Format,
    delimiter: Option<u8>,
    sheet: Option<String>,
    columns: Vec<Column>,
    schema: Schema,
    platform: Platform,
    source: Box<dyn Source>,
    /// Rows read ahead (platform detection, schema inference), yielded first.
    buffered: VecDeque<RowEvent>,
    status: IngestStatus,
}

impl fmt::Debug for SurveyReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SurveyReader")
            .field("path", &self.path)
            .field("format", &self.format)
            .field("platform", &self.platform)
            .field("columns", &self.columns.len())
            .finish_non_exhaustive()
    }
}

impl SurveyReader {
    /// Opens `path`, reads its header (and, to infer the schema, up to `sample_rows` rows, which
    /// are then yielded first), and checks the schema against the columns.
    pub fn open(path: &Path, options: &IngestOptions) -> Result<SurveyReader, IngestError> {
        let data_file = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| IngestError::from_io(path, e))?;
        if meta.is_dir() {
            return Err(IngestError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::other("it is a directory, not a survey file"),
            });
        }
        let format = match options.format {
            Some(f) => f,
            None => Format::from_path(path)?,
        };
        let total_bytes = meta.len();
        let bytes_read = Arc::new(AtomicU64::new(0));
        let diagnostics = Arc::new(Mutex::new(Diagnostics {
            file: data_file.clone(),
            ..Default::default()
        }));

        let opened = open_source(path, format, options, &bytes_read, &diagnostics)?;
        if format == Format::Xlsx {
            // calamine has read the whole workbook.
            bytes_read.store(total_bytes, Ordering::Relaxed);
        }
        let OpenedSource {
            header,
            mut source,
            delimiter,
            sheet,
            may_have_header_rows,
        } = opened;

        // Platform exports have more header rows: look at the two rows after the first.
        let mut buffered: VecDeque<RowEvent> = VecDeque::new();
        if may_have_header_rows {
            buffered.extend(source.by_ref().take(2));
        }
        let following: Vec<&[String]> = buffered
            .iter()
            .map_while(|e| match e {
                RowEvent::Row(r) => Some(r.fields.as_slice()),
                RowEvent::Skip(_) => None,
            })
            .collect();
        let layout = platform::detect(&header, &following);
        for _ in 0..layout.extra_header_rows {
            buffered.pop_front();
        }
        lock(&diagnostics)
            .notes
            .extend(layout.notes.iter().cloned());

        // Read ahead a sample to infer from; it is yielded again before the rest.
        let mut sampled = buffered
            .iter()
            .filter(|e| matches!(e, RowEvent::Row(_)))
            .count();
        while sampled < options.sample_rows {
            let Some(event) = source.next() else { break };
            sampled += usize::from(matches!(event, RowEvent::Row(_)));
            buffered.push_back(event);
        }
        let rows: Vec<&[String]> = buffered
            .iter()
            .filter_map(|e| match e {
                RowEvent::Row(r) => Some(r.fields.as_slice()),
                RowEvent::Skip(_) => None,
            })
            .take(options.sample_rows)
            .collect();

        let mut schema = match &options.schema_path {
            Some(schema_path) => {
                schema_file::load(schema_path, &layout.columns, &rows, &data_file)?
            }
            None => infer::infer(&layout.columns, &layout.metadata, layout.id, &rows),
        };
        roles::apply_overrides(
            &mut schema,
            &layout.columns,
            &options.text_columns,
            options.id_column.as_deref(),
            &data_file,
        )?;
        schema.provenance = Provenance {
            data_file,
            schema_file: options.schema_path.clone(),
            rows_sampled: rows.len(),
            platform: layout.platform,
        };

        Ok(SurveyReader {
            path: path.to_path_buf(),
            format,
            delimiter,
            sheet,
            columns: layout.columns,
            schema,
            platform: layout.platform,
            source,
            buffered,
            status: IngestStatus {
                bytes_read,
                total_bytes,
                diagnostics,
            },
        })
    }

    /// The columns, in file order; every [`Record::fields`] aligns with them.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The index of the column named `name` (exactly).
    pub fn column_index(&self, name: &str) -> Option<usize> {
        Schema::column_index(&self.columns, name)
    }

    /// What each column is.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Which platform's export this is.
    pub fn platform(&self) -> Platform {
        self.platform
    }

    /// The file as opened.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The format it was read as.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The CSV delimiter used (given or sniffed); `None` for other formats.
    pub fn delimiter(&self) -> Option<u8> {
        self.delimiter
    }

    /// The worksheet read; `None` for other formats.
    pub fn sheet(&self) -> Option<&str> {
        self.sheet.as_deref()
    }

    /// The warnings known so far (encoding, recognised exports, renamed columns...). More may
    /// appear while reading: ask again at the end, or keep a [`SurveyReader::status`] handle.
    pub fn warnings(&self) -> Vec<String> {
        self.status.warnings()
    }

    /// Bytes of the file read so far, shared with the reader: a progress bar over
    /// [`IngestStatus::total_bytes`].
    pub fn bytes_read(&self) -> Arc<AtomicU64> {
        self.status.bytes_read.clone()
    }

    /// A handle on progress and warnings that stays valid after the reader moves to a thread.
    pub fn status(&self) -> IngestStatus {
        self.status.clone()
    }
}

/// Rows handed from the reading thread to the coding one at a time by
/// [`SurveyReader::read_in_chunks`].
pub const CHUNK_ROWS: usize = 2048;

impl SurveyReader {
    /// Reads the rest of the file on a thread of `scope`, handing its rows over in chunks of
    /// [`CHUNK_ROWS`]: parsing overlaps coding, and at most two chunks wait, which bounds the
    /// memory of a file of any size. The thread stops when the receiver is dropped.
    pub fn read_in_chunks<'scope>(
        self,
        scope: &'scope std::thread::Scope<'scope, '_>,
    ) -> std::sync::mpsc::Receiver<Vec<RowEvent>> {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<RowEvent>>(2);
        scope.spawn(move || {
            let mut reader = self;
            loop {
                let chunk: Vec<RowEvent> = reader.by_ref().take(CHUNK_ROWS).collect();
                if chunk.is_empty() || sender.send(chunk).is_err() {
                    break;
                }
            }
        });
        receiver
    }
}

impl Iterator for SurveyReader {
    type Item = RowEvent;

    fn next(&mut self) -> Option<RowEvent> {
        match self.buffered.pop_front() {
            Some(event) => Some(event),
            None => self.source.next(),
        }
    }
}

/// A file whose first header row has been read.
struct OpenedSource {
    header: Vec<String>,
    source: Box<dyn Source>,
    delimiter: Option<u8>,
    sheet: Option<String>,
    /// Whether a platform export's extra header rows can follow (not for JSON Lines).
    may_have_header_rows: bool,
}

/// Opens the reader for `format` and reads the header.
fn open_source(
    path: &Path,
    format: Format,
    options: &IngestOptions,
    bytes_read: &Arc<AtomicU64>,
    diagnostics: &status::SharedDiagnostics,
) -> Result<OpenedSource, IngestError> {
    Ok(match format {
        Format::Csv => {
            let stream = text_stream(path, bytes_read, diagnostics)?;
            let prefer_tab = matches!(
                path.extension().and_then(|e| e.to_str()),
                Some(e) if e.eq_ignore_ascii_case("tsv") || e.eq_ignore_ascii_case("tab")
            );
            let decoder = FieldDecoder::new(diagnostics.clone(), "field");
            let opened = csv_source::open(path, stream, options.delimiter, prefer_tab, decoder)?;
            OpenedSource {
                header: opened.header,
                source: Box::new(opened.source),
                delimiter: Some(opened.delimiter),
                sheet: None,
                may_have_header_rows: true,
            }
        }
        Format::Xlsx => {
            let opened = xlsx_source::open(path, options.sheet.as_deref())?;
            OpenedSource {
                header: opened.header,
                source: Box::new(opened.source),
                delimiter: None,
                sheet: Some(opened.sheet),
                may_have_header_rows: true,
            }
        }
        Format::Jsonl => {
            let stream = text_stream(path, bytes_read, diagnostics)?;
            let decoder = FieldDecoder::new(diagnostics.clone(), "line");
            let opened = jsonl_source::open(
                path,
                stream,
                options.sample_rows,
                decoder,
                diagnostics.clone(),
            )?;
            OpenedSource {
                header: opened.header,
                source: Box::new(opened.source),
                delimiter: None,
                sheet: None,
                may_have_header_rows: false,
            }
        }
    })
}

/// Opens a text file for reading through the byte counter and the BOM-aware decoder.
fn text_stream(
    path: &Path,
    bytes_read: &Arc<AtomicU64>,
    diagnostics: &status::SharedDiagnostics,
) -> Result<ByteStream, IngestError> {
    let file = File::open(path).map_err(|e| IngestError::from_io(path, e))?;
    let counted = CountingReader::new(file, bytes_read.clone());
    let buffered: ByteStream = Box::new(BufReader::with_capacity(64 * 1024, counted));
    let (stream, detected) =
        encoding::decoded(buffered).map_err(|e| IngestError::from_io(path, e))?;
    if let Some(note) = detected.note() {
        lock(diagnostics).notes.push(note);
    }
    Ok(stream)
}

/// 10266 → "10,266".
pub fn format_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reader_can_move_to_a_thread() {
        fn assert_send<T: Send>() {}
        assert_send::<SurveyReader>();
        assert_send::<IngestStatus>();
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(2000), "2,000");
        assert_eq!(format_count(1234567), "1,234,567");
    }

    #[test]
    fn formats_come_from_extensions() {
        assert_eq!(Format::from_path(Path::new("a.CSV")).unwrap(), Format::Csv);
        assert_eq!(
            Format::from_path(Path::new("a.xlsm")).unwrap(),
            Format::Xlsx
        );
        assert_eq!(
            Format::from_path(Path::new("a.ndjson")).unwrap(),
            Format::Jsonl
        );
        let err = Format::from_path(Path::new("a.pdf")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("a.pdf: unknown format \".pdf\""),
            "{err}"
        );
    }
}
