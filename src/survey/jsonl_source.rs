//! Reading JSON Lines: one JSON object per line. The columns are the keys seen in the first lines,
//! in first-seen order; strings are taken as they are, other values as their JSON text (nested
//! objects keep their key order). A line that is not a JSON object is a skip naming the line and
//! serde's message. Blank lines are not rows.
use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::encoding::{ByteStream, FieldDecoder};
use super::status::{lock, SharedDiagnostics};
use super::{IngestError, Record, RowEvent, Skip};

/// How many unknown keys (keys first seen after the sample) to mention by name.
const MAX_UNKNOWN_KEY_NOTES: usize = 5;

pub(crate) struct OpenedJsonl {
    pub header: Vec<String>,
    pub source: JsonlSource,
}

/// Yields one row per JSON object line, aligned to the columns found in the sample.
pub(crate) struct JsonlSource {
    reader: BufReader<ByteStream>,
    decoder: FieldDecoder,
    diagnostics: SharedDiagnostics,
    line: u64,
    buf: Vec<u8>,
    columns: HashMap<String, usize>,
    width: usize,
    /// Lines parsed while finding the columns, replayed first.
    sampled: VecDeque<Parsed>,
    unknown_keys: HashSet<String>,
    finished: bool,
}

enum Parsed {
    Object(u64, Vec<(String, String)>),
    Skip(Skip),
}

/// Reads up to `sample_lines` non-blank lines to find the columns.
pub(crate) fn open(
    path: &Path,
    stream: ByteStream,
    sample_lines: usize,
    decoder: FieldDecoder,
    diagnostics: SharedDiagnostics,
) -> Result<OpenedJsonl, IngestError> {
    let mut source = JsonlSource {
        reader: BufReader::with_capacity(64 * 1024, stream),
        decoder,
        diagnostics,
        line: 0,
        buf: Vec::new(),
        columns: HashMap::new(),
        width: 0,
        sampled: VecDeque::new(),
        unknown_keys: HashSet::new(),
        finished: false,
    };
    let mut header: Vec<String> = Vec::new();
    let mut objects = 0usize;
    while source.sampled.len() < sample_lines.max(1) {
        let Some(parsed) = source.read_parsed() else {
            break;
        };
        if let Parsed::Object(_, pairs) = &parsed {
            objects += 1;
            for (key, _) in pairs {
                if !source.columns.contains_key(key) {
                    source.columns.insert(key.clone(), header.len());
                    header.push(key.clone());
                }
            }
        }
        source.sampled.push_back(parsed);
    }
    if source.sampled.is_empty() {
        return Err(IngestError::Empty {
            what: path.display().to_string(),
        });
    }
    if objects == 0 {
        let (first_line, first_problem) = match &source.sampled[0] {
            Parsed::Skip(s) => (s.line, s.reason.clone()),
            Parsed::Object(line, _) => (*line, String::new()),
        };
        return Err(IngestError::NoJsonObjects {
            path: path.to_path_buf(),
            lines: source.sampled.len(),
            first_line,
            first_problem,
        });
    }
    source.width = header.len();
    Ok(OpenedJsonl { header, source })
}

impl JsonlSource {
    /// The next non-blank line, parsed; `None` at the end of the file.
    fn read_parsed(&mut self) -> Option<Parsed> {
        while !self.finished {
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => self.finished = true,
                Ok(_) => {
                    self.line += 1;
                    let bytes = self.buf.trim_ascii();
                    if bytes.is_empty() {
                        continue;
                    }
                    let line = self.line;
                    let text = self.decoder.decode(bytes, line, || None);
                    let text = text.trim_start_matches('\u{feff}');
                    return Some(match serde_json::from_str::<JsonObject>(text) {
                        Ok(JsonObject(pairs)) => Parsed::Object(
                            line,
                            pairs
                                .into_iter()
                                .map(|(k, v)| (k, v.field_text()))
                                .collect(),
                        ),
                        Err(e) => Parsed::Skip(Skip {
                            line,
                            reason: json_reason(&e),
                        }),
                    });
                }
                Err(e) => {
                    self.finished = true;
                    return Some(Parsed::Skip(Skip {
                        line: self.line + 1,
                        reason: format!(
                            "read error: {e}; the file could not be read past this line"
                        ),
                    }));
                }
            }
        }
        None
    }

    fn make_event(&mut self, parsed: Parsed) -> RowEvent {
        match parsed {
            Parsed::Skip(s) => RowEvent::Skip(s),
            Parsed::Object(line, pairs) => {
                let mut fields = vec![String::new(); self.width];
                for (key, value) in pairs {
                    match self.columns.get(&key) {
                        Some(&i) => fields[i] = value,
                        None => self.note_unknown_key(key, line),
                    }
                }
                RowEvent::Row(Record { line, fields })
            }
        }
    }

    fn note_unknown_key(&mut self, key: String, line: u64) {
        if self.unknown_keys.len() > MAX_UNKNOWN_KEY_NOTES || self.unknown_keys.contains(&key) {
            return;
        }
        let note = if self.unknown_keys.len() == MAX_UNKNOWN_KEY_NOTES {
            "more keys not seen in the first lines were ignored".to_string()
        } else {
            format!(
                "line {line}: key \"{key}\" did not occur in the lines sampled for the columns, so it is ignored — raise the sample size (--sample-rows) to include it"
            )
        };
        self.unknown_keys.insert(key);
        lock(&self.diagnostics).notes.push(note);
    }
}

impl Iterator for JsonlSource {
    type Item = RowEvent;

    fn next(&mut self) -> Option<RowEvent> {
        let parsed = match self.sampled.pop_front() {
            Some(p) => p,
            None => self.read_parsed()?,
        };
        Some(self.make_event(parsed))
    }
}

/// serde's message without its "at line 1 column N" (every line is line 1 to serde).
fn json_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let message = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => &text,
    };
    format!("invalid JSON at column {}: {message}", e.column())
}

/// A JSON object with its keys in file order.
struct JsonObject(Vec<(String, JsonValue)>);

/// A JSON value that keeps object keys in file order (serde_json's `Value` sorts them).
enum JsonValue {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<JsonValue>),
    Object(Vec<(String, JsonValue)>),
}

impl JsonValue {
    /// The text of a top-level field: strings as they are, `null` as empty, the rest as JSON.
    fn field_text(self) -> String {
        match self {
            JsonValue::Null => String::new(),
            JsonValue::String(s) => s,
            other => {
                let mut out = String::new();
                other.write_json(&mut out);
                out
            }
        }
    }

    fn write_json(&self, out: &mut String) {
        match self {
            JsonValue::Null => out.push_str("null"),
            JsonValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            JsonValue::Number(n) => out.push_str(&n.to_string()),
            JsonValue::String(s) => write_json_string(s, out),
            JsonValue::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            JsonValue::Object(pairs) => {
                out.push('{');
                for (i, (key, value)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_string(key, out);
                    out.push(':');
                    value.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

fn write_json_string(s: &str, out: &mut String) {
    // Serialising a &str cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = JsonValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<JsonValue, E> {
        Ok(JsonValue::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<JsonValue, E> {
        Ok(serde_json::Number::from_f64(v).map_or(JsonValue::Null, JsonValue::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<JsonValue, E> {
        Ok(JsonValue::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<JsonValue, E> {
        Ok(JsonValue::String(v))
    }
    fn visit_unit<E>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }
    fn visit_none<E>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<JsonValue, D::Error> {
        JsonValue::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(JsonValue::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<JsonValue, A::Error> {
        Ok(JsonValue::Object(collect_pairs(map)?))
    }
}

fn collect_pairs<'de, A: MapAccess<'de>>(mut map: A) -> Result<Vec<(String, JsonValue)>, A::Error> {
    let mut pairs: Vec<(String, JsonValue)> = Vec::new();
    while let Some((key, value)) = map.next_entry::<String, JsonValue>()? {
        // A repeated key: the last value wins, in the first key's place (as serde_json does).
        match pairs.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => pairs.push((key, value)),
        }
    }
    Ok(pairs)
}

impl<'de> Deserialize<'de> for JsonValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = JsonObject;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object {...} (one response per line)")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<JsonObject, A::Error> {
        Ok(JsonObject(collect_pairs(map)?))
    }
}

impl<'de> Deserialize<'de> for JsonObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ObjectVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::status::Diagnostics;
    use std::sync::{Arc, Mutex};

    /// Header, events, notes.
    type Read = (Vec<String>, Vec<RowEvent>, Vec<String>);

    fn read(data: &str) -> Result<Read, IngestError> {
        let diagnostics = Arc::new(Mutex::new(Diagnostics::default()));
        let opened = open(
            Path::new("t.jsonl"),
            Box::new(std::io::Cursor::new(data.as_bytes().to_vec())),
            2,
            FieldDecoder::new(diagnostics.clone(), "line"),
            diagnostics.clone(),
        )?;
        let events: Vec<RowEvent> = opened.source.collect();
        let notes = lock(&diagnostics).notes.clone();
        Ok((opened.header, events, notes))
    }

    #[test]
    fn keys_become_columns_in_first_seen_order() {
        let (header, events, _) =
            read("{\"z\":1,\"a\":\"x\"}\n\n{\"a\":\"y\",\"m\":{\"q\":1,\"b\":[true,null]}}\n")
                .unwrap();
        assert_eq!(header, vec!["z", "a", "m"]);
        let RowEvent::Row(r) = &events[1] else {
            panic!()
        };
        assert_eq!(r.line, 3);
        assert_eq!(r.fields, vec!["", "y", "{\"q\":1,\"b\":[true,null]}"]);
    }

    #[test]
    fn bad_lines_are_skips_with_serdes_message() {
        let (_, events, _) = read("{\"a\":1}\n{\"a\":\n[1,2]\n").unwrap();
        let RowEvent::Skip(s) = &events[1] else {
            panic!()
        };
        assert_eq!(s.line, 2);
        assert!(
            s.reason.starts_with("invalid JSON at column"),
            "{}",
            s.reason
        );
        let RowEvent::Skip(s) = &events[2] else {
            panic!()
        };
        assert_eq!(s.line, 3);
        assert!(s.reason.contains("expected a JSON object"), "{}", s.reason);
    }

    #[test]
    fn keys_after_the_sample_are_noted() {
        let (_, events, notes) = read("{\"a\":1}\n{\"a\":2}\n{\"a\":3,\"late\":4}\n").unwrap();
        assert_eq!(events.len(), 3);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("line 3: key \"late\""), "{}", notes[0]);
    }

    #[test]
    fn no_objects_is_an_error() {
        assert!(matches!(read("\n\n"), Err(IngestError::Empty { .. })));
        assert!(matches!(
            read("hello\nworld\n"),
            Err(IngestError::NoJsonObjects { .. })
        ));
    }
}
