//! Reading delimited text: sniff the delimiter, read `csv::ByteRecord`s one at a time, decode each
//! field (UTF-8, else Windows-1252), and turn each record into a row or a skip with its physical
//! line and a reason. Memory stays bounded by the longest record.
use std::io::Read;
use std::path::Path;

use csv::ByteRecord;

use super::csv_scan::Tracked;
use super::encoding::{ByteStream, FieldDecoder};
use super::sniff::sniff_delimiter;
use super::{format_count, IngestError, Record, RowEvent, Skip};

/// How much of the file the delimiter is sniffed from.
const SNIFF_BYTES: usize = 64 * 1024;

/// A CSV file whose header has been read.
pub(crate) struct OpenedCsv {
    pub header: Vec<String>,
    pub delimiter: u8,
    pub source: CsvSource,
}

/// Streams the data records of a CSV file after its header.
pub(crate) struct CsvSource {
    reader: csv::Reader<Tracked<ByteStream>>,
    decoder: FieldDecoder,
    header: Vec<String>,
    delimiter: u8,
    /// One record of lookahead: a record is only known to be the last one (and so possibly the
    /// victim of an unclosed quote) once the next read hits the end of the file.
    pending: Option<Fetched>,
    /// A record buffer to reuse, saving an allocation per row.
    spare: Option<ByteRecord>,
    finished: bool,
}

enum Fetched {
    Record(u64, ByteRecord),
    Eof,
    Failed(String),
}

/// Opens `stream` (already decoded to UTF-8 or raw bytes) and reads its header row.
pub(crate) fn open(
    path: &Path,
    mut stream: ByteStream,
    delimiter: Option<u8>,
    prefer_tab: bool,
    decoder: FieldDecoder,
) -> Result<OpenedCsv, IngestError> {
    let delimiter = match delimiter {
        Some(d) => d,
        None => {
            let mut sample = Vec::with_capacity(SNIFF_BYTES);
            (&mut stream)
                .take(SNIFF_BYTES as u64)
                .read_to_end(&mut sample)
                .map_err(|e| IngestError::from_io(path, e))?;
            let d = sniff_delimiter(&sample, prefer_tab);
            stream = Box::new(std::io::Cursor::new(sample).chain(stream));
            d
        }
    };
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(64 * 1024)
        .from_reader(Tracked::new(stream, delimiter));
    let mut source = CsvSource {
        reader,
        decoder,
        header: Vec::new(),
        delimiter,
        pending: None,
        spare: None,
        finished: false,
    };
    let header = match source.fetch() {
        Fetched::Record(line, record) => record
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let name = source.decoder.decode(f, line, || None);
                if i == 0 {
                    name.trim_start_matches('\u{feff}').to_string()
                } else {
                    name
                }
            })
            .collect::<Vec<_>>(),
        Fetched::Eof => {
            return Err(IngestError::Empty {
                what: path.display().to_string(),
            })
        }
        Fetched::Failed(message) => {
            return Err(IngestError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::other(message),
            })
        }
    };
    source.header = header.clone();
    // If the header is the only record and the file ends inside quotes, the header swallowed it.
    let next = source.fetch();
    if matches!(next, Fetched::Eof) {
        if let Some(quote_line) = source.reader.get_ref().unclosed_quote() {
            return Err(IngestError::Header {
                path: path.to_path_buf(),
                line: quote_line,
                message: format!(
                    "a quoted field in the header row opens here and never closes, so the whole file (to line {}) was read as the header — close or remove the stray \"",
                    source.reader.get_ref().last_line()
                ),
            });
        }
    }
    source.pending = Some(next);
    Ok(OpenedCsv {
        header,
        delimiter,
        source,
    })
}

/// A delimiter as a word, for messages.
pub(crate) fn delimiter_name(d: u8) -> String {
    match d {
        b',' => "comma".into(),
        b';' => "semicolon".into(),
        b'\t' => "tab".into(),
        b'|' => "pipe".into(),
        b' ' => "space".into(),
        other => format!("'{}'", other as char),
    }
}

impl CsvSource {
    fn fetch(&mut self) -> Fetched {
        let mut record = self.spare.take().unwrap_or_default();
        match self.reader.read_byte_record(&mut record) {
            Ok(true) => {
                let tracked = self.reader.get_mut();
                let line = tracked.next_start().unwrap_or_else(|| tracked.last_line());
                Fetched::Record(line, record)
            }
            Ok(false) => Fetched::Eof,
            Err(e) => Fetched::Failed(e.to_string()),
        }
    }

    /// A row, a skip, or `None` for a blank line (which is not a row).
    fn classify(&self, line: u64, record: &ByteRecord) -> Option<RowEvent> {
        let n = record.len();
        let h = self.header.len();
        if n == 1 && h > 1 && record[0].trim_ascii().is_empty() {
            return None;
        }
        let extra_is_empty = record.iter().skip(h).all(|f| f.trim_ascii().is_empty());
        if n < h || !extra_is_empty {
            return Some(RowEvent::Skip(Skip {
                line,
                reason: format!(
                    "{} {}, the header has {} — check the delimiter ({}) or an unbalanced quote",
                    format_count(n as u64),
                    if n == 1 { "field" } else { "fields" },
                    format_count(h as u64),
                    delimiter_name(self.delimiter)
                ),
            }));
        }
        let fields = record
            .iter()
            .take(h)
            .enumerate()
            .map(|(i, f)| self.decoder.decode(f, line, || self.header.get(i).cloned()))
            .collect();
        Some(RowEvent::Row(Record { line, fields }))
    }

    fn unclosed_quote_skip(&self, line: u64, quote_line: u64) -> RowEvent {
        let end = self.reader.get_ref().last_line();
        RowEvent::Skip(Skip {
            line,
            reason: format!(
                "unbalanced quote: the quoted field that opens on line {quote_line} never closes, so lines {quote_line}–{end} (to the end of the file) were read as one field, not as rows — close or remove the stray \" on line {quote_line}"
            ),
        })
    }
}

impl Iterator for CsvSource {
    type Item = RowEvent;

    fn next(&mut self) -> Option<RowEvent> {
        while !self.finished {
            let current = match self.pending.take() {
                Some(f) => f,
                None => self.fetch(),
            };
            match current {
                Fetched::Eof => self.finished = true,
                Fetched::Failed(message) => {
                    self.finished = true;
                    let line = self.reader.get_ref().last_line();
                    return Some(RowEvent::Skip(Skip {
                        line,
                        reason: format!(
                            "read error: {message}; the file could not be read past this line"
                        ),
                    }));
                }
                Fetched::Record(line, record) => {
                    let next = self.fetch();
                    let is_last = matches!(next, Fetched::Eof);
                    self.pending = Some(next);
                    if is_last {
                        if let Some(quote_line) = self.reader.get_ref().unclosed_quote() {
                            if quote_line >= line {
                                return Some(self.unclosed_quote_skip(line, quote_line));
                            }
                        }
                    }
                    let event = self.classify(line, &record);
                    self.spare = Some(record);
                    if let Some(event) = event {
                        return Some(event);
                    }
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::status::Diagnostics;
    use std::sync::{Arc, Mutex};

    fn read(data: &[u8]) -> (Vec<String>, Vec<RowEvent>) {
        let diagnostics = Arc::new(Mutex::new(Diagnostics::default()));
        let opened = open(
            Path::new("t.csv"),
            Box::new(std::io::Cursor::new(data.to_vec())),
            None,
            false,
            FieldDecoder::new(diagnostics, "field"),
        )
        .unwrap();
        (opened.header, opened.source.collect())
    }

    fn lines(events: &[RowEvent]) -> Vec<(bool, u64)> {
        events
            .iter()
            .map(|e| match e {
                RowEvent::Row(r) => (true, r.line),
                RowEvent::Skip(s) => (false, s.line),
            })
            .collect()
    }

    #[test]
    fn lines_are_physical_lines_where_records_start() {
        let (header, events) = read(b"a,b\r\n1,\"x\r\ny\"\r\n\r\n3,4\r\n");
        assert_eq!(header, vec!["a", "b"]);
        assert_eq!(lines(&events), vec![(true, 2), (true, 5)]);
        let RowEvent::Row(r) = &events[0] else {
            panic!()
        };
        assert_eq!(r.fields, vec!["1", "x\r\ny"]);
    }

    #[test]
    fn ragged_rows_are_skipped_with_a_reason() {
        let (_, events) = read(b"a,b,c\n1,2,3\n1,2\n1,2,3,4\n1,2,3,,\n");
        assert_eq!(
            lines(&events),
            vec![(true, 2), (false, 3), (false, 4), (true, 5)]
        );
        let RowEvent::Skip(s) = &events[1] else {
            panic!()
        };
        assert_eq!(
            s.reason,
            "2 fields, the header has 3 — check the delimiter (comma) or an unbalanced quote"
        );
    }

    #[test]
    fn unclosed_quote_names_its_line() {
        let (_, events) = read(b"a,b\n1,2\n3,\"oops\n4,5\n6,7\n");
        assert_eq!(lines(&events), vec![(true, 2), (false, 3)]);
        let RowEvent::Skip(s) = &events[1] else {
            panic!()
        };
        assert!(s.reason.contains("opens on line 3"), "{}", s.reason);
        assert!(s.reason.contains("lines 3–5"), "{}", s.reason);
    }

    #[test]
    fn whitespace_only_lines_are_not_rows() {
        let (_, events) = read(b"a,b\n  \n1,2\n");
        assert_eq!(lines(&events), vec![(true, 3)]);
    }

    #[test]
    fn unclosed_quote_in_the_header_is_an_error() {
        let diagnostics = Arc::new(Mutex::new(Diagnostics::default()));
        let err = open(
            Path::new("t.csv"),
            Box::new(std::io::Cursor::new(b"id,\"comment\n1,x\n2,y\n".to_vec())),
            None,
            false,
            FieldDecoder::new(diagnostics, "field"),
        )
        .err()
        .unwrap();
        assert!(
            err.to_string()
                .starts_with("t.csv, line 1: a quoted field in the header row"),
            "{err}"
        );
    }

    #[test]
    fn header_only_has_no_rows() {
        assert!(read(b"a,b\n").1.is_empty());
        assert!(read(b"a,b").1.is_empty());
    }
}
