//! Labelled comments as a file holds them: a key that says which comment a row is, the labels
//! of the row (`|`-joined in one column, or one 0/1 column per label), its text and, for a file
//! that `verbatim code` wrote, the evidence of each theme. `eval`, `suggest` and `learn` read
//! their inputs through here, so a missing column or a bad cell is reported the same way
//! everywhere: the file, the line, the column and what to do.
use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{bail, Result};

use crate::survey::{IngestOptions, RowEvent, Skip, SurveyReader};
use crate::text::fold;

/// Where a row's labels are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelColumns {
    /// One column of labels joined by `separator` (a single label is the common case).
    Joined { column: String, separator: String },
    /// One column per label holding 1 (has it) or 0 / blank (has not); a name ending in `*`
    /// stands for every column that starts with the rest. The label is the column's name.
    Indicators(Vec<String>),
}

/// A column a command was told to read, with the option that named it (for error messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub column: String,
    pub option: String,
}

impl Named {
    pub fn new(column: impl Into<String>, option: impl Into<String>) -> Named {
        Named {
            column: column.into(),
            option: option.into(),
        }
    }
}

/// What to read from a file.
#[derive(Debug, Clone, Default)]
pub struct TableSpec {
    /// Columns whose values together identify a row; empty: the row's line number.
    pub key: Vec<Named>,
    /// The labels; `None` reads none.
    pub labels: Option<(LabelColumns, String)>,
    /// The text column; `None` reads none.
    pub text: Option<Named>,
    /// The evidence column, read when the file has it.
    pub evidence: Option<String>,
    /// The CSV delimiter and the worksheet.
    pub delimiter: Option<u8>,
    pub sheet: Option<String>,
}

/// One row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledRow {
    /// Where the row starts in the file.
    pub line: u64,
    /// The key columns' values joined by [`KEY_SEPARATOR`], or the line number.
    pub key: String,
    /// Sorted, without duplicates or blanks.
    pub labels: Vec<String>,
    pub text: String,
    pub evidence: String,
}

/// Joins the values of a composite key.
pub const KEY_SEPARATOR: char = '\u{1f}';

/// A key as a reader writes it: the values of a composite key joined by ", ".
pub fn display_key(key: &str) -> String {
    key.replace(KEY_SEPARATOR, ", ")
}

/// A whole file of labelled rows.
#[derive(Debug, Clone)]
pub struct LabelledTable {
    /// The file as named.
    pub file: String,
    /// Its columns, in order.
    pub columns: Vec<String>,
    pub rows: Vec<LabelledRow>,
    /// Rows the reader could not read (at most the first 1000 kept), and how many in all.
    pub skipped: Vec<Skip>,
    pub skipped_count: u64,
    /// The labels an indicator file defines (its indicator columns), whether used or not.
    pub declared_labels: Vec<String>,
    /// Whether the text column was read.
    pub has_text: bool,
    /// Whether an evidence column was found.
    pub has_evidence: bool,
}

impl LabelledTable {
    /// Reads every row of `path` as `spec` says.
    pub fn read(path: &Path, spec: &TableSpec) -> Result<LabelledTable> {
        let file = path.display().to_string();
        let options = IngestOptions {
            delimiter: spec.delimiter,
            sheet: spec.sheet.clone(),
            ..IngestOptions::default()
        };
        let reader = SurveyReader::open(path, &options)?;
        let columns: Vec<String> = reader.columns().iter().map(|c| c.name.clone()).collect();
        let find = |named: &Named| -> Result<usize> {
            match columns.iter().position(|c| *c == named.column) {
                Some(i) => Ok(i),
                None => bail!(
                    "{file} has no column \"{}\" ({}); its columns are: {}",
                    named.column,
                    named.option,
                    columns.join(", ")
                ),
            }
        };
        let key: Vec<usize> = spec.key.iter().map(find).collect::<Result<_>>()?;
        let text = spec.text.as_ref().map(find).transpose()?;
        let evidence = spec
            .evidence
            .as_ref()
            .and_then(|name| columns.iter().position(|c| c == name));
        let labels = match &spec.labels {
            None => None,
            Some((LabelColumns::Joined { column, separator }, option)) => {
                if separator.is_empty() {
                    bail!("the label separator is empty: give one or more characters");
                }
                let index = find(&Named::new(column.clone(), option.clone()))?;
                Some(Labels::Joined(index, separator.clone()))
            }
            Some((LabelColumns::Indicators(names), option)) => {
                let mut chosen = Vec::new();
                for name in names {
                    let matched: Vec<usize> = match name.strip_suffix('*') {
                        Some(prefix) => (0..columns.len())
                            .filter(|&i| columns[i].starts_with(prefix))
                            .collect(),
                        None => vec![find(&Named::new(name.clone(), option.clone()))?],
                    };
                    if matched.is_empty() {
                        bail!(
                            "{file} has no column starting with \"{}\" ({option}); its columns \
                             are: {}",
                            name.trim_end_matches('*'),
                            columns.join(", ")
                        );
                    }
                    for i in matched {
                        if !chosen.contains(&i) {
                            chosen.push(i);
                        }
                    }
                }
                Some(Labels::Indicators(chosen))
            }
        };
        let declared_labels = match &labels {
            Some(Labels::Indicators(indexes)) => {
                indexes.iter().map(|&i| columns[i].clone()).collect()
            }
            _ => Vec::new(),
        };
        let mut table = LabelledTable {
            file: file.clone(),
            columns: columns.clone(),
            rows: Vec::new(),
            skipped: Vec::new(),
            skipped_count: 0,
            declared_labels,
            has_text: text.is_some(),
            has_evidence: evidence.is_some(),
        };
        for event in reader {
            let record = match event {
                RowEvent::Row(record) => record,
                RowEvent::Skip(skip) => {
                    table.skip(skip);
                    continue;
                }
            };
            let key_value = if key.is_empty() {
                record.line.to_string()
            } else {
                let values: Vec<&str> = key.iter().map(|&i| record.get(i).trim()).collect();
                if values.iter().all(|v| v.is_empty()) {
                    table.skip(Skip {
                        line: record.line,
                        reason: format!(
                            "the id ({}) is blank, so the row cannot be matched",
                            spec.key
                                .iter()
                                .map(|k| k.column.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                    continue;
                }
                values.join(&KEY_SEPARATOR.to_string())
            };
            let row_labels = match &labels {
                None => Vec::new(),
                Some(Labels::Joined(index, separator)) => {
                    split_labels(record.get(*index), separator)
                }
                Some(Labels::Indicators(indexes)) => {
                    let mut set = Vec::new();
                    for &i in indexes {
                        match indicator(record.get(i)) {
                            Some(true) => set.push(columns[i].clone()),
                            Some(false) => {}
                            None => bail!(
                                "{file}:{} column \"{}\": {:?} is not 0 or 1 (a 0/1 label \
                                 column holds 1, 0 or blank; yes/no and true/false are read too)",
                                record.line,
                                columns[i],
                                record.get(i)
                            ),
                        }
                    }
                    set.sort();
                    set
                }
            };
            table.rows.push(LabelledRow {
                line: record.line,
                key: key_value,
                labels: row_labels,
                text: text.map_or_else(String::new, |i| record.get(i).to_string()),
                evidence: evidence.map_or_else(String::new, |i| record.get(i).to_string()),
            });
        }
        Ok(table)
    }

    fn skip(&mut self, skip: Skip) {
        self.skipped_count += 1;
        if self.skipped.len() < 1000 {
            self.skipped.push(skip);
        }
    }

    /// Every label used on some row or declared by an indicator column, sorted.
    pub fn labels(&self) -> Vec<String> {
        let mut all: BTreeSet<&str> = self.declared_labels.iter().map(String::as_str).collect();
        for row in &self.rows {
            all.extend(row.labels.iter().map(String::as_str));
        }
        all.into_iter().map(String::from).collect()
    }
}

enum Labels {
    Joined(usize, String),
    Indicators(Vec<usize>),
}

/// The labels of a joined cell: split, trimmed, blanks dropped, sorted and deduplicated. A cell
/// that is a JSON array of strings (`["food","staff"]`, as a JSON Lines file of `verbatim code`
/// holds its themes) gives its strings.
pub fn split_labels(cell: &str, separator: &str) -> Vec<String> {
    if cell.trim_start().starts_with('[') {
        if let Ok(list) = serde_json::from_str::<Vec<String>>(cell) {
            let set: BTreeSet<&str> = list
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .collect();
            return set.into_iter().map(String::from).collect();
        }
    }
    let set: BTreeSet<&str> = cell
        .split(separator)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    set.into_iter().map(String::from).collect()
}

/// An indicator cell: `Some(true)` for 1, `Some(false)` for 0 or blank, `None` otherwise.
pub fn indicator(cell: &str) -> Option<bool> {
    match cell.trim().to_ascii_lowercase().as_str() {
        "1" | "1.0" | "true" | "yes" | "y" | "x" => Some(true),
        "0" | "0.0" | "" | "false" | "no" | "n" => Some(false),
        _ => None,
    }
}

/// A theme id for a label: folded to lower case without accents, apostrophes dropped, every
/// other run of characters that are not letters or digits made one `_`. "Couldn't be improved"
/// is `couldnt_be_improved`, "Environment/ facilities" is `environment_facilities`.
pub fn slug(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    let mut gap = false;
    for c in fold(label).chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            gap = false;
            out.push(c);
        } else if c != '\'' {
            gap = true;
        }
    }
    if out.is_empty() {
        out.push_str("theme");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_of_the_nhs_labels_are_the_codebook_ids() {
        assert_eq!(slug("Couldn't be improved"), "couldnt_be_improved");
        assert_eq!(slug("Environment/ facilities"), "environment_facilities");
        assert_eq!(slug("Care received"), "care_received");
        assert_eq!(slug("Transition/coordination"), "transition_coordination");
        assert_eq!(slug("Medication "), "medication");
        assert_eq!(slug("Café – accès"), "cafe_acces");
        assert_eq!(slug("!!!"), "theme");
    }

    #[test]
    fn joined_labels_are_trimmed_sorted_and_unique() {
        assert_eq!(split_labels(" b | a|b||", "|"), ["a", "b"]);
        assert!(split_labels("", "|").is_empty());
        assert_eq!(split_labels("x; y", ";"), ["x", "y"]);
        assert_eq!(split_labels("[\"staff\",\"food\"]", "|"), ["food", "staff"]);
        assert_eq!(split_labels("[a|b", "|"), ["[a", "b"]);
    }

    #[test]
    fn indicator_cells() {
        assert_eq!(indicator("1"), Some(true));
        assert_eq!(indicator(" "), Some(false));
        assert_eq!(indicator("Yes"), Some(true));
        assert_eq!(indicator("2"), None);
    }
}
