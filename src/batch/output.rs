//! The coded output, CSV or JSONL: which columns, in what order, and how one row is rendered.
use std::io::Write;

use anyhow::{bail, Result};
use serde_json::{json, Map, Value};

use super::{Accounting, BatchOptions, Coders};
use crate::codebook::{Codebook, Coding};
use crate::sentiment::{Sentiment, ThemeSentiments};
use crate::survey::{Record, SurveyReader};
use crate::text::Analysis;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Csv,
    Jsonl,
}

impl OutputFormat {
    /// The format a file name asks for: `.jsonl`/`.ndjson` are JSONL, anything else CSV.
    pub fn from_path(path: &std::path::Path) -> OutputFormat {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("jsonl" | "ndjson" | "json") => OutputFormat::Jsonl,
            _ => OutputFormat::Csv,
        }
    }
}

/// Which input columns go where in the output.
pub struct Layout {
    /// The respondent id column, if the survey has one.
    id: Option<(usize, String)>,
    /// Open questions: column index, column name, question wording.
    open: Vec<(usize, String, String)>,
    /// The other input columns, passed through untouched, in input order.
    passthrough: Vec<(usize, String)>,
    /// Output names of the theme columns (the theme id, prefixed where an input column has it).
    theme_columns: Vec<String>,
    sentiment: bool,
}

const RESERVED: &[&str] = &[
    "question",
    "text",
    "themes",
    "evidence",
    "sentiment",
    "line",
    "codebook_version",
    "codebook_hash",
];

impl Layout {
    pub fn new(reader: &SurveyReader, coders: &Coders<'_>) -> Result<Layout> {
        let columns: Vec<String> = reader.columns().iter().map(|c| c.name.clone()).collect();
        let index = |name: &str| columns.iter().position(|c| c == name);
        let schema = reader.schema();
        let id = schema
            .id
            .as_ref()
            .and_then(|name| index(name).map(|i| (i, name.clone())));
        let mut open = Vec::new();
        for question in &schema.open {
            let Some(i) = index(&question.column) else {
                bail!(
                    "the open question column {:?} is not in the file",
                    question.column
                );
            };
            open.push((i, question.column.clone(), question.question.clone()));
        }
        if open.is_empty() {
            bail!(
                "no open-text column to code: name one with --text COLUMN (columns: {})",
                columns.join(", ")
            );
        }
        let id_index = id.as_ref().map(|(i, _)| *i);
        let passthrough = columns
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != id_index && !open.iter().any(|(o, _, _)| o == i))
            .map(|(i, name)| {
                let generated = RESERVED.contains(&name.as_str())
                    || name.starts_with("sentiment_")
                    || coders
                        .codebook
                        .is_some_and(|c| c.themes.iter().any(|t| t.id == *name));
                (
                    i,
                    if generated {
                        format!("input_{name}")
                    } else {
                        name.clone()
                    },
                )
            })
            .collect();
        let theme_columns = coders.codebook.map_or_else(Vec::new, |codebook| {
            codebook
                .themes
                .iter()
                .map(|t| {
                    if RESERVED.contains(&t.id.as_str()) {
                        format!("theme_{}", t.id)
                    } else {
                        t.id.clone()
                    }
                })
                .collect()
        });
        Ok(Layout {
            id,
            open,
            passthrough,
            theme_columns,
            sentiment: coders.sentiment.is_some(),
        })
    }

    fn id_header(&self) -> &str {
        self.id.as_ref().map_or("row", |(_, name)| name.as_str())
    }

    fn themes(&self) -> bool {
        !self.theme_columns.is_empty()
    }

    fn header(&self) -> Vec<String> {
        let mut header: Vec<String> =
            vec![self.id_header().into(), "question".into(), "text".into()];
        if self.themes() {
            header.extend(self.theme_columns.iter().cloned());
            header.extend(["themes".into(), "evidence".into()]);
        }
        if self.sentiment {
            header.extend(["sentiment", "positive", "neutral", "negative"].map(String::from));
            header.extend(self.theme_columns.iter().map(|t| format!("sentiment_{t}")));
        }
        header.extend(self.passthrough.iter().map(|(_, name)| name.clone()));
        header.push("line".into());
        if self.themes() {
            header.extend(["codebook_version".into(), "codebook_hash".into()]);
        }
        header
    }
}

/// Writes the header (CSV) and then rendered rows.
pub struct Writer<W: Write> {
    out: W,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W, format: OutputFormat, layout: &Layout) -> Result<Writer<W>> {
        let mut writer = Writer { out };
        if format == OutputFormat::Csv {
            let mut csv = csv::Writer::from_writer(Vec::new());
            csv.write_record(layout.header())?;
            writer
                .out
                .write_all(&csv.into_inner().map_err(|e| e.into_error())?)?;
        }
        Ok(writer)
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes)
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Codes and renders a run of rows; returns the bytes to write and what was counted.
pub fn render(
    rows: &[Record],
    coders: &Coders<'_>,
    layout: &Layout,
    options: &BatchOptions,
) -> Result<(Vec<u8>, Accounting)> {
    let themes = coders.codebook.map_or(0, |c| c.themes.len());
    let mut counts = Accounting {
        theme_counts: vec![0; themes],
        ..Accounting::default()
    };
    let mut csv = Vec::new();
    let mut scratch = Vec::new();
    let mut jsonl = Vec::new();
    let mut analysis = Analysis::default();
    let mut scored = Sentiment::default();
    let mut by_theme = ThemeSentiments::default();
    for record in rows {
        for (column, column_name, question) in &layout.open {
            let text = record.fields.get(*column).map_or("", String::as_str);
            let empty = text.trim().is_empty();
            if empty {
                counts.empty_answers += 1;
                if !options.keep_empty {
                    continue;
                }
            } else {
                counts.comments_coded += 1;
                counts.text_bytes += text.len() as u64;
            }
            coders.analyzer().analyze_into(text, &mut analysis);
            let coding = match coders.codebook {
                Some(codebook) if !empty => Some(codebook.code_analysis(&analysis)),
                _ => None,
            };
            let sentiment = match coders.sentiment {
                Some(scorer) if !empty => {
                    scorer.score_into(&analysis, &mut scored);
                    Some(&scored)
                }
                _ => None,
            };
            let theme_sentiment = match (coders.codebook, &coding, sentiment) {
                (Some(codebook), Some(coding), Some(sentiment)) => {
                    by_theme.compute(codebook, &analysis, coding, sentiment)
                }
                _ => by_theme.none(themes),
            };
            if let Some(sentiment) = sentiment {
                counts.sentiment_scored += 1;
                counts.sentiment_sum += f64::from(sentiment.compound);
                counts.sentiment_positive += u64::from(sentiment.compound > 0.05);
                counts.sentiment_negative += u64::from(sentiment.compound < -0.05);
            }
            if let Some(coding) = &coding {
                let mut any = false;
                for t in coding.coded_themes() {
                    counts.theme_counts[t] += 1;
                    any = true;
                }
                if !any {
                    counts.uncoded += 1;
                }
            }
            let row = RowOut {
                record,
                layout,
                codebook: coders.codebook,
                text,
                column: column_name,
                question,
                coding: coding.as_ref(),
                sentiment,
                theme_sentiment,
            };
            match options.format {
                OutputFormat::Csv => row.write_csv(&mut CsvRow::new(&mut csv), &mut scratch)?,
                OutputFormat::Jsonl => {
                    serde_json::to_writer(&mut jsonl, &row.json())?;
                    jsonl.push(b'\n');
                }
            }
        }
    }
    let bytes = match options.format {
        OutputFormat::Csv => csv,
        OutputFormat::Jsonl => jsonl,
    };
    Ok((bytes, counts))
}

struct RowOut<'a> {
    record: &'a Record,
    layout: &'a Layout,
    codebook: Option<&'a Codebook>,
    text: &'a str,
    column: &'a str,
    question: &'a str,
    coding: Option<&'a Coding>,
    sentiment: Option<&'a Sentiment>,
    theme_sentiment: &'a [Option<f32>],
}

/// Scores are written with four decimals: enough for any analysis, and stable across platforms.
fn decimal(value: f32) -> String {
    let mut out = Vec::with_capacity(8);
    push_decimal(value, &mut out);
    String::from_utf8(out).expect("digits, sign and point")
}

/// Appends [`decimal`]'s text for `value` to `out`.
///
/// Float formatting was a tenth of the whole `code` command, so finite scores are written as
/// the integer round(value × 10⁴) with the point put in by hand. That is the same text as
/// `{:.4}` of the rounded float: an f32 below 100 in magnitude is within 4 × 10⁻⁶ of k / 10⁴, far
/// less than the 0.5 × 10⁻⁴ that would move its fourth decimal (scores lie in [-1, 1]). Zero,
/// negative zero included, is `0.0000`.
fn push_decimal(value: f32, out: &mut Vec<u8>) {
    let scaled = (value * 10_000.0).round();
    if scaled.is_nan() || scaled.abs() >= 1e6 {
        // Infinite, NaN, or too large for the integer path: the general formatter.
        let rounded = scaled / 10_000.0;
        let text = format!("{:.4}", if rounded == 0.0 { 0.0 } else { rounded });
        out.extend_from_slice(text.as_bytes());
        return;
    }
    let units = scaled as i64;
    if units < 0 {
        out.push(b'-');
    }
    let units = units.unsigned_abs();
    let whole = units / 10_000;
    let fraction = units % 10_000;
    if whole < 10 {
        // Scores lie in [-1, 1]: one digit, without the general loop and its copy.
        out.push(b'0' + whole as u8);
    } else {
        push_number(out, whole);
    }
    out.extend_from_slice(&[
        b'.',
        b'0' + (fraction / 1000) as u8,
        b'0' + (fraction / 100 % 10) as u8,
        b'0' + (fraction / 10 % 10) as u8,
        b'0' + (fraction % 10) as u8,
    ]);
}

fn decimal_json(value: f32) -> Value {
    decimal(value)
        .parse::<f64>()
        .map_or(Value::Null, |v| json!(v))
}

impl RowOut<'_> {
    fn field(&self, index: usize) -> &str {
        self.record.fields.get(index).map_or("", String::as_str)
    }

    fn id(&self) -> String {
        match &self.layout.id {
            Some((index, _)) => self.field(*index).to_string(),
            None => self.record.line.to_string(),
        }
    }

    fn coded(&self, theme: usize) -> bool {
        self.coding.is_some_and(|c| c.coded[theme])
    }

    fn theme_ids(&self) -> Vec<&str> {
        let Some(codebook) = self.codebook else {
            return Vec::new();
        };
        (0..codebook.themes.len())
            .filter(|&t| self.coded(t))
            .map(|t| codebook.themes[t].id.as_str())
            .collect()
    }

    /// Writes the row's fields to `csv`, then ends the record.
    ///
    /// Each field is written as soon as it is known, composite cells through the one `scratch`
    /// buffer, so a row costs no `String` per field: allocation was a tenth of the command.
    fn write_csv(&self, csv: &mut CsvRow<'_>, scratch: &mut Vec<u8>) -> Result<()> {
        match &self.layout.id {
            Some((index, _)) => csv.field(self.field(*index)),
            None => write_number(csv, scratch, self.record.line),
        }
        csv.field(self.question);
        csv.field(self.text);
        if let Some(codebook) = self.codebook {
            for t in 0..codebook.themes.len() {
                csv.number(if self.coded(t) { b"1" } else { b"0" });
            }
            scratch.clear();
            for t in (0..codebook.themes.len()).filter(|&t| self.coded(t)) {
                if !scratch.is_empty() {
                    scratch.push(b'|');
                }
                scratch.extend_from_slice(codebook.themes[t].id.as_bytes());
            }
            csv.field(&scratch);
            scratch.clear();
            self.evidence_cell(codebook, scratch)?;
            csv.field(&scratch);
        }
        if self.layout.sentiment {
            match self.sentiment {
                Some(s) => {
                    for value in [s.compound, s.positive, s.neutral, s.negative] {
                        csv.decimal(Some(value));
                    }
                }
                None => {
                    for _ in 0..4 {
                        csv.decimal(None);
                    }
                }
            }
            for &value in self.theme_sentiment {
                csv.decimal(value);
            }
        }
        for (i, _) in &self.layout.passthrough {
            csv.field(self.field(*i));
        }
        write_number(csv, scratch, self.record.line);
        if let Some(codebook) = self.codebook {
            csv.field(&codebook.version);
            csv.field(&codebook.hash);
        }
        csv.end();
        Ok(())
    }

    /// `theme <- rule @start-end "text"`, one per piece of evidence, joined by `; `.
    fn evidence_cell(&self, codebook: &Codebook, out: &mut Vec<u8>) -> Result<()> {
        let Some(coding) = self.coding else {
            return Ok(());
        };
        for (k, hit) in coding.evidence().enumerate() {
            if k > 0 {
                out.extend_from_slice(b"; ");
            }
            let rule = &codebook.rules[hit.rule];
            // By hand rather than write!: formatting machinery was most of this cell's cost.
            out.extend_from_slice(codebook.themes[hit.theme].id.as_bytes());
            out.extend_from_slice(b" <- ");
            out.extend_from_slice(rule.id.as_bytes());
            out.extend_from_slice(b" @");
            push_number(out, hit.start as u64);
            out.push(b'-');
            push_number(out, hit.end as u64);
            out.push(b' ');
            serde_json::to_writer(&mut *out, &self.text[hit.start..hit.end])?;
            if hit.negated {
                out.extend_from_slice(b" (negated)");
            }
        }
        Ok(())
    }

    fn json(&self) -> Value {
        let mut object = Map::new();
        object.insert(self.layout.id_header().to_string(), json!(self.id()));
        object.insert("question".into(), json!(self.question));
        object.insert("column".into(), json!(self.column));
        object.insert("text".into(), json!(self.text));
        if let Some(codebook) = self.codebook {
            object.insert("themes".into(), json!(self.theme_ids()));
            let mut scores = Map::new();
            let mut evidence = Vec::new();
            if let Some(coding) = self.coding {
                for t in coding.coded_themes() {
                    scores.insert(codebook.themes[t].id.clone(), json!(coding.scores[t]));
                }
                for hit in coding.evidence() {
                    evidence.push(json!({
                        "theme": codebook.themes[hit.theme].id,
                        "rule": codebook.rules[hit.rule].id,
                        "start": hit.start, "end": hit.end,
                        "text": &self.text[hit.start..hit.end],
                        "weight": hit.weight, "negated": hit.negated,
                    }));
                }
            }
            object.insert("scores".into(), Value::Object(scores));
            object.insert("evidence".into(), Value::Array(evidence));
        }
        if self.layout.sentiment {
            let value = match self.sentiment {
                Some(s) => {
                    let sentences: Vec<Value> = s
                        .sentences
                        .iter()
                        .map(|x| json!({"start": x.start, "end": x.end, "compound": decimal_json(x.compound)}))
                        .collect();
                    json!({
                        "compound": decimal_json(s.compound), "positive": decimal_json(s.positive),
                        "neutral": decimal_json(s.neutral), "negative": decimal_json(s.negative),
                        "sentences": sentences,
                    })
                }
                None => Value::Null,
            };
            object.insert("sentiment".into(), value);
            if let Some(codebook) = self.codebook {
                let per_theme: Map<String, Value> = codebook
                    .themes
                    .iter()
                    .zip(self.theme_sentiment)
                    .filter_map(|(theme, v)| v.map(|v| (theme.id.clone(), decimal_json(v))))
                    .collect();
                object.insert("theme_sentiment".into(), Value::Object(per_theme));
            }
        }
        let mut answers = Map::new();
        for (index, name) in &self.layout.passthrough {
            answers.insert(name.clone(), Value::String(self.field(*index).to_string()));
        }
        object.insert("answers".into(), Value::Object(answers));
        object.insert("line".into(), json!(self.record.line));
        if let Some(codebook) = self.codebook {
            object.insert(
                "codebook".into(),
                json!({"file": codebook.source, "version": codebook.version, "hash": codebook.hash}),
            );
        }
        Value::Object(object)
    }
}

fn write_number(csv: &mut CsvRow<'_>, scratch: &mut Vec<u8>, n: u64) {
    scratch.clear();
    push_number(scratch, n);
    csv.number(scratch);
}

/// One CSV row being written, as `csv::Writer` writes with its defaults (the header is
/// written by it): fields separated by commas, a field quoted when it holds a comma, a
/// quote, CR or LF, quotes doubled inside, and LF at the end. Written by hand because the
/// crate's per-byte state machine and per-field bookkeeping were a tenth of the command.
struct CsvRow<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> CsvRow<'o> {
    fn new(out: &'o mut Vec<u8>) -> CsvRow<'o> {
        CsvRow { out, first: true }
    }

    /// A number, which never needs quotes (digits, sign, point, or `NaN`/`inf`).
    fn number(&mut self, field: &[u8]) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.extend_from_slice(field);
    }

    /// A score to four decimals, written in place; an empty field for none.
    fn decimal(&mut self, value: Option<f32>) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        if let Some(value) = value {
            push_decimal(value, self.out);
        }
    }

    fn field(&mut self, field: impl AsRef<[u8]>) {
        let field = field.as_ref();
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        let special = if field.len() < 32 {
            // memchr's setup costs more than a short loop.
            field
                .iter()
                .any(|&b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
        } else {
            memchr::memchr3(b',', b'"', b'\n', field).is_some()
                || memchr::memchr(b'\r', field).is_some()
        };
        if !special {
            self.out.extend_from_slice(field);
            return;
        }
        self.out.push(b'"');
        let mut rest = field;
        while let Some(quote) = memchr::memchr(b'"', rest) {
            self.out.extend_from_slice(&rest[..=quote]);
            self.out.push(b'"');
            rest = &rest[quote + 1..];
        }
        self.out.extend_from_slice(rest);
        self.out.push(b'"');
    }

    /// Ends the row. (A row of one empty field, which `csv` writes as `""`, never occurs: every
    /// row has its line number.)
    fn end(&mut self) {
        self.out.push(b'\n');
    }
}

/// Appends the decimal digits of `n`.
fn push_number(out: &mut Vec<u8>, n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text scores were written with before `push_decimal`.
    fn formatted(value: f32) -> String {
        let rounded = (value * 10_000.0).round() / 10_000.0;
        format!("{:.4}", if rounded == 0.0 { 0.0 } else { rounded })
    }

    #[test]
    fn rows_are_written_as_the_csv_crate_writes_them() {
        let fields: [&[u8]; 12] = [
            b"plain",
            b"",
            b"a,b",
            b"say \"hi\"",
            b"\"",
            b"\"\"",
            b"line\nbreak",
            b"cr\rhere",
            b" spaced ",
            "caf\u{e9} \u{2019}".as_bytes(),
            b"#hash",
            b"end\"",
        ];
        for first in 0..fields.len() {
            let row: Vec<&[u8]> = fields.iter().cycle().skip(first).take(5).copied().collect();
            let mut expected = csv::Writer::from_writer(Vec::new());
            expected.write_record(&row).unwrap();
            let mut out = Vec::new();
            let mut csv = CsvRow::new(&mut out);
            for field in &row {
                csv.field(field);
            }
            csv.end();
            assert_eq!(out, expected.into_inner().unwrap());
        }
    }

    #[test]
    fn numbers_match_the_formatter() {
        for n in [0, 7, 10, 99, 100, 12_345, u64::MAX] {
            let mut out = Vec::new();
            push_number(&mut out, n);
            assert_eq!(out, n.to_string().into_bytes());
        }
    }

    #[test]
    fn decimals_match_the_float_formatter() {
        let mut bits = (-120.0f32).to_bits();
        let special = [
            0.0, -0.0, -0.00004, 0.00005, -0.00005, 0.99995, -1.0, 1.0, 99.99995,
        ];
        for value in special
            .into_iter()
            .chain([f32::NAN, f32::INFINITY, 1e7, -3e9])
        {
            assert_eq!(decimal(value), formatted(value), "{value:e}");
        }
        // Every 997th float from -120 down to zero and from zero up to 120.
        while f32::from_bits(bits) < 0.0 {
            let value = f32::from_bits(bits);
            assert_eq!(decimal(value), formatted(value), "{value:e}");
            assert_eq!(decimal(-value), formatted(-value), "{:e}", -value);
            bits -= 997;
        }
    }
}
