//! The coded output, CSV or JSONL: which columns, in what order, and how one row is rendered.
use std::io::Write;

use anyhow::{bail, Result};
use serde_json::{json, Map, Value};

use super::{Accounting, BatchOptions};
use crate::codebook::{Codebook, Coding};
use crate::survey::{Record, SurveyReader};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Csv,
    Jsonl,
}

impl OutputFormat {
    /// The format a file name asks for: `.jsonl`/`.ndjson` are JSONL, anything else CSV.
    pub fn from_path(path: &std::path::Path) -> OutputFormat {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
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
}

impl Layout {
    pub fn new(reader: &SurveyReader, codebook: &Codebook) -> Result<Layout> {
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
        let passthrough = columns
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                Some(*i) != id.as_ref().map(|(i, _)| *i) && !open.iter().any(|(o, _, _)| o == i)
            })
            .map(|(i, name)| (i, name.clone()))
            .collect();
        let reserved = [
            "question",
            "text",
            "themes",
            "evidence",
            "line",
            "codebook_version",
            "codebook_hash",
        ];
        let theme_columns = codebook
            .themes
            .iter()
            .map(|t| {
                if columns.contains(&t.id) || reserved.contains(&t.id.as_str()) {
                    format!("theme_{}", t.id)
                } else {
                    t.id.clone()
                }
            })
            .collect();
        Ok(Layout {
            id,
            open,
            passthrough,
            theme_columns,
        })
    }

    fn id_header(&self) -> &str {
        self.id.as_ref().map_or("row", |(_, name)| name.as_str())
    }

    fn header(&self) -> Vec<&str> {
        let mut header = vec![self.id_header(), "question", "text"];
        header.extend(self.theme_columns.iter().map(String::as_str));
        header.extend(["themes", "evidence"]);
        header.extend(self.passthrough.iter().map(|(_, name)| name.as_str()));
        header.extend(["line", "codebook_version", "codebook_hash"]);
        header
    }
}

/// Writes the header (CSV) and then rendered rows.
pub struct Writer<W: Write> {
    out: W,
}

impl<W: Write> Writer<W> {
    pub fn new(
        out: W,
        format: OutputFormat,
        layout: &Layout,
        _codebook: &Codebook,
    ) -> Result<Writer<W>> {
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
    codebook: &Codebook,
    layout: &Layout,
    options: &BatchOptions,
) -> Result<(Vec<u8>, Accounting)> {
    let mut counts = Accounting {
        theme_counts: vec![0; codebook.themes.len()],
        ..Accounting::default()
    };
    let mut csv = csv::Writer::from_writer(Vec::new());
    let mut jsonl = Vec::new();
    for record in rows {
        for (column, column_name, question) in &layout.open {
            let text = record.fields.get(*column).map_or("", String::as_str);
            let coding = if text.trim().is_empty() {
                counts.empty_answers += 1;
                if !options.keep_empty {
                    continue;
                }
                None
            } else {
                let coding = codebook.code(text);
                counts.comments_coded += 1;
                counts.text_bytes += text.len() as u64;
                let mut any = false;
                for t in coding.coded_themes() {
                    counts.theme_counts[t] += 1;
                    any = true;
                }
                if !any {
                    counts.uncoded += 1;
                }
                Some(coding)
            };
            let row = RowOut {
                record,
                layout,
                codebook,
                text,
                column: column_name,
                question,
                coding: coding.as_ref(),
            };
            match options.format {
                super::OutputFormat::Csv => csv.write_record(row.csv_fields())?,
                super::OutputFormat::Jsonl => {
                    serde_json::to_writer(&mut jsonl, &row.json())?;
                    jsonl.push(b'\n');
                }
            }
        }
    }
    let bytes = match options.format {
        super::OutputFormat::Csv => csv.into_inner().map_err(|e| e.into_error())?,
        super::OutputFormat::Jsonl => jsonl,
    };
    Ok((bytes, counts))
}

struct RowOut<'a> {
    record: &'a Record,
    layout: &'a Layout,
    codebook: &'a Codebook,
    text: &'a str,
    column: &'a str,
    question: &'a str,
    coding: Option<&'a Coding>,
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
        (0..self.codebook.themes.len())
            .filter(|&t| self.coded(t))
            .map(|t| self.codebook.themes[t].id.as_str())
            .collect()
    }

    /// `theme <- rule @start-end "text"`, one per piece of evidence, joined by `; `.
    fn evidence_cell(&self) -> String {
        let Some(coding) = self.coding else {
            return String::new();
        };
        let pieces: Vec<String> = coding
            .evidence()
            .map(|hit| {
                let rule = &self.codebook.rules[hit.rule];
                let matched =
                    serde_json::to_string(&self.text[hit.start..hit.end]).unwrap_or_default();
                let negated = if hit.negated { " (negated)" } else { "" };
                format!(
                    "{} <- {} @{}-{} {matched}{negated}",
                    self.codebook.themes[hit.theme].id, rule.id, hit.start, hit.end
                )
            })
            .collect();
        pieces.join("; ")
    }

    fn csv_fields(&self) -> Vec<String> {
        let mut fields = vec![self.id(), self.question.to_string(), self.text.to_string()];
        fields.extend(
            (0..self.codebook.themes.len())
                .map(|t| if self.coded(t) { "1" } else { "0" }.to_string()),
        );
        fields.push(self.theme_ids().join("|"));
        fields.push(self.evidence_cell());
        fields.extend(
            self.layout
                .passthrough
                .iter()
                .map(|(i, _)| self.field(*i).to_string()),
        );
        fields.push(self.record.line.to_string());
        fields.push(self.codebook.version.clone());
        fields.push(self.codebook.hash.clone());
        fields
    }

    fn json(&self) -> Value {
        let mut answers = Map::new();
        for (index, name) in &self.layout.passthrough {
            answers.insert(name.clone(), Value::String(self.field(*index).to_string()));
        }
        let evidence: Vec<Value> = self
            .coding
            .map(|coding| {
                coding
                    .evidence()
                    .map(|hit| {
                        json!({
                            "theme": self.codebook.themes[hit.theme].id,
                            "rule": self.codebook.rules[hit.rule].id,
                            "start": hit.start, "end": hit.end,
                            "text": &self.text[hit.start..hit.end],
                            "weight": hit.weight, "negated": hit.negated,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let scores: Map<String, Value> = self
            .coding
            .map(|coding| {
                coding
                    .coded_themes()
                    .map(|t| (self.codebook.themes[t].id.clone(), json!(coding.scores[t])))
                    .collect()
            })
            .unwrap_or_default();
        let mut object = Map::new();
        object.insert(self.layout.id_header().to_string(), json!(self.id()));
        object.insert("question".into(), json!(self.question));
        object.insert("column".into(), json!(self.column));
        object.insert("text".into(), json!(self.text));
        object.insert("themes".into(), json!(self.theme_ids()));
        object.insert("scores".into(), Value::Object(scores));
        object.insert("evidence".into(), Value::Array(evidence));
        object.insert("answers".into(), Value::Object(answers));
        object.insert("line".into(), json!(self.record.line));
        object.insert(
            "codebook".into(),
            json!({"file": self.codebook.source, "version": self.codebook.version, "hash": self.codebook.hash}),
        );
        Value::Object(object)
    }
}
