//! What a reader has noticed so far (warnings) and how far it has got (bytes read), shared through a
//! cheap handle so a progress bar or the main thread can ask while the reader runs on another thread.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use super::format_count;

/// Warnings gathered while reading. Filled by the sources, rendered on demand.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics {
    /// The file as the user named it, the first word of every warning.
    pub file: String,
    /// One-off notes (a recognised export, renamed columns, unknown JSON keys).
    pub notes: Vec<String>,
    /// Fields (or JSONL lines) that were not valid UTF-8 and were decoded as Windows-1252.
    pub legacy: LegacyBytes,
}

/// Count and first place of text decoded as Windows-1252.
#[derive(Debug, Default)]
pub(crate) struct LegacyBytes {
    /// "field" for CSV, "line" for JSON Lines.
    pub unit: &'static str,
    pub count: u64,
    pub first_line: u64,
    pub first_column: Option<String>,
}

impl Diagnostics {
    pub(crate) fn warnings(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .notes
            .iter()
            .map(|n| format!("{}: {n}", self.file))
            .collect();
        if self.legacy.count > 0 {
            out.push(self.legacy_warning());
        }
        out
    }

    fn legacy_warning(&self) -> String {
        let l = &self.legacy;
        let (noun, verb) = if l.count == 1 {
            (l.unit.to_string(), "is")
        } else {
            (format!("{}s", l.unit), "are")
        };
        let place = match &l.first_column {
            Some(col) => format!("line {}, column \"{col}\"", l.first_line),
            None => format!("line {}", l.first_line),
        };
        let first = if l.count == 1 { "at" } else { "first at" };
        let advice = if l.unit == "field" {
            "decoded as Windows-1252, as Excel writes CSV. Save as CSV UTF-8 to silence this."
        } else {
            "decoded as Windows-1252. Save the file as UTF-8 to silence this."
        };
        format!(
            "{}: {} {noun} {verb} not valid UTF-8 ({first} {place}); {advice}",
            self.file,
            format_count(l.count)
        )
    }
}

pub(crate) type SharedDiagnostics = Arc<Mutex<Diagnostics>>;

/// Locks the diagnostics; a panic elsewhere while holding the lock does not make warnings unreadable.
pub(crate) fn lock(d: &SharedDiagnostics) -> MutexGuard<'_, Diagnostics> {
    d.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A cloneable, thread-safe view of a [`SurveyReader`](super::SurveyReader)'s progress and
/// warnings. Take it before moving the reader to a reader thread.
#[derive(Debug, Clone)]
pub struct IngestStatus {
    pub(crate) bytes_read: Arc<AtomicU64>,
    pub(crate) total_bytes: u64,
    pub(crate) diagnostics: SharedDiagnostics,
}

impl IngestStatus {
    /// Bytes of the file read so far (reading runs a little ahead of the rows yielded).
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read.load(Ordering::Relaxed)
    }

    /// The file's size in bytes, for a progress bar.
    pub fn total_bytes(&self) -> u64 {
        self.total_bytes
    }

    /// The warnings known so far, each a full sentence naming the file.
    pub fn warnings(&self) -> Vec<String> {
        lock(&self.diagnostics).warnings()
    }
}
