//! Turning the bytes of a text file into UTF-8 without losing a row: byte-order marks (UTF-8,
//! UTF-16) are honoured and stripped, UTF-16 without a BOM is recognised by its zero bytes, and any
//! single field that is not valid UTF-8 is decoded as Windows-1252 (what Excel's "CSV" writes) and
//! counted, so the user can be told once instead of seeing mojibake or lost rows.
use std::io::{self, Cursor, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};
use encoding_rs_io::DecodeReaderBytesBuilder;

use super::status::{lock, SharedDiagnostics};

/// A byte stream that is read once, from any thread.
pub(crate) type ByteStream = Box<dyn Read + Send>;

/// Counts the bytes read from the file, for a progress bar over the file size.
pub(crate) struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R> CountingReader<R> {
    pub(crate) fn new(inner: R, count: Arc<AtomicU64>) -> Self {
        CountingReader { inner, count }
    }
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// What the start of the file said about its encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detected {
    /// No byte-order mark: UTF-8, with Windows-1252 fields decoded one by one.
    Utf8,
    /// A UTF-8 byte-order mark, stripped.
    Utf8Bom,
    /// UTF-16 with a byte-order mark, transcoded to UTF-8.
    Utf16Bom(&'static Encoding),
    /// UTF-16 without a byte-order mark, recognised by its zero bytes.
    Utf16NoBom(&'static Encoding),
}

impl Detected {
    /// A note for the warnings when the encoding is unusual enough to mention.
    pub(crate) fn note(self) -> Option<String> {
        match self {
            Detected::Utf16NoBom(enc) => Some(format!(
                "has no byte-order mark but looks like {}; read it as such",
                enc.name()
            )),
            _ => None,
        }
    }
}

/// Wraps `inner` so it yields UTF-8 (or, for files without a BOM, the original bytes, which are
/// checked field by field later). Never fails on content; only I/O errors are returned.
pub(crate) fn decoded(mut inner: ByteStream) -> io::Result<(ByteStream, Detected)> {
    let mut prefix = vec![0u8; 4096];
    let mut filled = 0;
    while filled < prefix.len() {
        match inner.read(&mut prefix[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    prefix.truncate(filled);
    let detected = detect(&prefix);
    let rejoined: ByteStream = Box::new(Cursor::new(prefix).chain(inner));
    let mut builder = DecodeReaderBytesBuilder::new();
    builder.utf8_passthru(true).strip_bom(true);
    if let Detected::Utf16NoBom(enc) = detected {
        builder.encoding(Some(enc));
    }
    Ok((Box::new(builder.build(rejoined)), detected))
}

fn detect(prefix: &[u8]) -> Detected {
    if prefix.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Detected::Utf8Bom;
    }
    if prefix.starts_with(&[0xFF, 0xFE]) {
        return Detected::Utf16Bom(UTF_16LE);
    }
    if prefix.starts_with(&[0xFE, 0xFF]) {
        return Detected::Utf16Bom(UTF_16BE);
    }
    // ASCII text in UTF-16 has a zero in every other byte; a UTF-8 file with a stray NUL does not.
    let pairs = prefix.len() / 2;
    if pairs >= 2 {
        let zeros_even = prefix.iter().step_by(2).filter(|&&b| b == 0).count();
        let zeros_odd = prefix
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count();
        if zeros_odd * 10 >= pairs * 7 && zeros_even * 20 <= pairs {
            return Detected::Utf16NoBom(UTF_16LE);
        }
        if zeros_even * 10 >= pairs * 7 && zeros_odd * 20 <= pairs {
            return Detected::Utf16NoBom(UTF_16BE);
        }
    }
    Detected::Utf8
}

/// Decodes fields: valid UTF-8 as is, anything else as Windows-1252, counted in the diagnostics.
#[derive(Clone)]
pub(crate) struct FieldDecoder {
    diagnostics: SharedDiagnostics,
    unit: &'static str,
}

impl FieldDecoder {
    /// `unit` names what is decoded in the warning: "field" or "line".
    pub(crate) fn new(diagnostics: SharedDiagnostics, unit: &'static str) -> Self {
        FieldDecoder { diagnostics, unit }
    }

    /// Decodes `bytes`; `column` is only called (to name the place) when they are not UTF-8.
    pub(crate) fn decode(
        &self,
        bytes: &[u8],
        line: u64,
        column: impl FnOnce() -> Option<String>,
    ) -> String {
        match std::str::from_utf8(bytes) {
            Ok(text) => text.to_owned(),
            Err(_) => {
                let (text, _had_errors) = WINDOWS_1252.decode_without_bom_handling(bytes);
                let mut d = lock(&self.diagnostics);
                let legacy = &mut d.legacy;
                legacy.unit = self.unit;
                if legacy.count == 0 {
                    legacy.first_line = line;
                    legacy.first_column = column();
                }
                legacy.count += 1;
                text.into_owned()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::status::Diagnostics;
    use std::sync::Mutex;

    fn decode_all(bytes: &[u8]) -> (String, Detected) {
        let (mut r, d) = decoded(Box::new(Cursor::new(bytes.to_vec()))).unwrap();
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        (String::from_utf8(out).unwrap(), d)
    }

    #[test]
    fn utf8_bom_is_stripped() {
        assert_eq!(
            decode_all(b"\xEF\xBB\xBFa,b\n"),
            ("a,b\n".into(), Detected::Utf8Bom)
        );
    }

    #[test]
    fn utf16le_with_bom_is_transcoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "é,“x”\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode_all(&bytes).0, "é,“x”\n");
    }

    #[test]
    fn utf16le_without_bom_is_recognised() {
        let mut bytes = vec![];
        for unit in "id,comment\n1,hello there\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let (text, d) = decode_all(&bytes);
        assert_eq!(text, "id,comment\n1,hello there\n");
        assert_eq!(d, Detected::Utf16NoBom(UTF_16LE));
    }

    #[test]
    fn invalid_utf8_passes_through_untouched() {
        assert_eq!(detect(b"caf\xE9\n"), Detected::Utf8);
        let (mut r, _) = decoded(Box::new(Cursor::new(b"caf\xE9 \x00\n".to_vec()))).unwrap();
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"caf\xE9 \x00\n");
    }

    #[test]
    fn only_a_bom_decodes_to_nothing() {
        assert_eq!(decode_all(b"\xEF\xBB\xBF").0, "");
        assert_eq!(decode_all(b"\xFF\xFE").0, "");
        assert_eq!(decode_all(b"").0, "");
    }

    #[test]
    fn windows_1252_fields_are_decoded_and_counted() {
        let diagnostics = Arc::new(Mutex::new(Diagnostics {
            file: "survey.csv".into(),
            ..Default::default()
        }));
        let decoder = FieldDecoder::new(diagnostics.clone(), "field");
        assert_eq!(decoder.decode(b"plain", 2, || None), "plain");
        assert_eq!(
            decoder.decode(b"\x93caf\xE9\x94 isn\x92t", 12, || Some("comment".into())),
            "“café” isn’t"
        );
        decoder.decode(b"\x85", 13, || Some("other".into()));
        let warnings = lock(&diagnostics).warnings();
        assert_eq!(
            warnings,
            vec![
                "survey.csv: 2 fields are not valid UTF-8 (first at line 12, column \"comment\"); \
                  decoded as Windows-1252, as Excel writes CSV. Save as CSV UTF-8 to silence this."
                    .to_string()
            ]
        );
    }
}
