//! Reading `survey.toml`:
//!
//! ```toml
//! id = "respondent_id"                      # optional
//! [[open]]
//! column = "comment"
//! question = "What could we do better?"     # optional
//! [[closed]]
//! column = "confidence"
//! levels = ["Very confident", "Fairly confident", "Not very confident", "Not at all confident"]
//! ordered = true                            # default true when levels are given
//! non_substantive = ["Don't know"]          # optional: answers that are no position on the scale
//! [[attribute]]
//! column = "role"
//! attribution = true                        # optional: part of a quote's attribution line
//! ```
//!
//! Unknown keys are errors. Every error names the file and the line; a column that is not in the
//! data is named with the columns that are. A closed question without `levels` gets them from the
//! data (a known scale, else the answers seen).
use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::infer::Profile;
use super::roles::{resolve, unknown_column};
use super::scales::normalize;
use super::schema::{ClosedQuestion, OpenQuestion, Schema};
use super::{Column, IngestError};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSchema {
    id: Option<Spanned<String>>,
    #[serde(default)]
    open: Vec<FileOpen>,
    #[serde(default)]
    closed: Vec<FileClosed>,
    #[serde(default)]
    attribute: Vec<FileAttribute>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileOpen {
    column: Spanned<String>,
    question: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileClosed {
    column: Spanned<String>,
    question: Option<String>,
    levels: Option<Spanned<Vec<String>>>,
    ordered: Option<bool>,
    non_substantive: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAttribute {
    column: Spanned<String>,
    /// Part of the line that attributes a quote ("Leader, county council").
    #[serde(default)]
    attribution: bool,
}

/// Reads and checks `path` against the data's `columns`; `rows` (the sample) supply levels a
/// closed question does not list. The result's `ignored` is left for the caller to fill.
pub(crate) fn load(
    path: &Path,
    columns: &[Column],
    rows: &[&[String]],
    data_file: &str,
) -> Result<Schema, IngestError> {
    let bytes = std::fs::read(path).map_err(|e| IngestError::from_io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let (line, column) = line_col(&String::from_utf8_lossy(e.as_bytes()), offset);
        IngestError::SchemaSyntax {
            path: path.to_path_buf(),
            line,
            column,
            message: "not valid UTF-8 — save the schema file as UTF-8".to_string(),
        }
    })?;
    parse(
        path,
        text.trim_start_matches('\u{feff}'),
        columns,
        rows,
        data_file,
    )
}

/// [`load`] from text already read.
pub(crate) fn parse(
    path: &Path,
    text: &str,
    columns: &[Column],
    rows: &[&[String]],
    data_file: &str,
) -> Result<Schema, IngestError> {
    let file: FileSchema = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        IngestError::SchemaSyntax {
            path: path.to_path_buf(),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })?;
    let mut checker = Checker {
        path,
        text,
        columns,
        data_file,
        used: HashMap::new(),
    };
    let mut schema = Schema::default();
    if let Some(id) = &file.id {
        schema.id = Some(checker.claim(id, "the id")?);
    }
    for open in &file.open {
        let (name, i) = checker.claim_indexed(&open.column, "an open question")?;
        schema.open.push(OpenQuestion {
            question: question_text(open.question.as_deref(), &columns[i]),
            column: name,
        });
    }
    for closed in &file.closed {
        let (name, i) = checker.claim_indexed(&closed.column, "a closed question")?;
        schema
            .closed
            .push(checker.closed_question(closed, name, &columns[i], rows, i)?);
    }
    for attribute in &file.attribute {
        let name = checker.claim(&attribute.column, "an attribute")?;
        if attribute.attribution {
            schema.attribution.push(name.clone());
        }
        schema.attributes.push(name);
    }
    Ok(schema)
}

fn question_text(given: Option<&str>, column: &Column) -> String {
    given
        .map(str::to_string)
        .or_else(|| column.question.clone())
        .unwrap_or_else(|| column.name.clone())
}

struct Checker<'a> {
    path: &'a Path,
    text: &'a str,
    columns: &'a [Column],
    data_file: &'a str,
    /// Column name → (role, line) for the columns already given a role.
    used: HashMap<String, (&'static str, usize)>,
}

impl Checker<'_> {
    fn line(&self, span: std::ops::Range<usize>) -> usize {
        line_col(self.text, span.start).0
    }

    fn claim(
        &mut self,
        column: &Spanned<String>,
        role: &'static str,
    ) -> Result<String, IngestError> {
        self.claim_indexed(column, role).map(|(name, _)| name)
    }

    /// Resolves a column reference and records its role; a second role is an error.
    fn claim_indexed(
        &mut self,
        column: &Spanned<String>,
        role: &'static str,
    ) -> Result<(String, usize), IngestError> {
        let line = self.line(column.span());
        let i = resolve(column.get_ref(), self.columns).map_err(|suggestion| {
            unknown_column(
                format!("{}, line {line}", self.path.display()),
                column.get_ref(),
                self.data_file,
                self.columns,
                suggestion,
            )
        })?;
        let name = self.columns[i].name.clone();
        if let Some((earlier, earlier_line)) = self.used.get(&name) {
            return Err(IngestError::SchemaInvalid {
                path: self.path.to_path_buf(),
                line,
                message: format!(
                    "column \"{name}\" is already {earlier} (line {earlier_line}); a column has one role — remove one of them"
                ),
            });
        }
        self.used.insert(name.clone(), (role, line));
        Ok((name, i))
    }

    fn closed_question(
        &self,
        closed: &FileClosed,
        name: String,
        column: &Column,
        rows: &[&[String]],
        index: usize,
    ) -> Result<ClosedQuestion, IngestError> {
        let question = question_text(closed.question.as_deref(), column);
        let (mut levels, ordered, mut non_substantive) = match &closed.levels {
            Some(levels) => {
                let line = self.line(levels.span());
                let list = levels.get_ref().clone();
                if list.is_empty() {
                    return Err(IngestError::SchemaInvalid {
                        path: self.path.to_path_buf(),
                        line,
                        message: format!(
                            "levels of \"{name}\" is empty — list the answers, or remove `levels` to take them from the data"
                        ),
                    });
                }
                let mut seen: HashMap<String, &str> = HashMap::new();
                for level in &list {
                    if let Some(first) = seen.insert(normalize(level), level) {
                        return Err(IngestError::SchemaInvalid {
                            path: self.path.to_path_buf(),
                            line,
                            message: format!(
                                "levels of \"{name}\" lists \"{first}\" and \"{level}\", which are the same answer — keep one"
                            ),
                        });
                    }
                }
                (list, closed.ordered.unwrap_or(true), Vec::new())
            }
            None => {
                let found = Profile::new(rows, index).levels();
                (
                    found.levels,
                    closed.ordered.unwrap_or(found.ordered),
                    found.non_substantive,
                )
            }
        };
        if let Some(given) = &closed.non_substantive {
            for level in given {
                if !levels.iter().any(|l| l == level) {
                    levels.push(level.clone());
                }
            }
            non_substantive = given.clone();
        }
        Ok(ClosedQuestion {
            column: name,
            question,
            levels,
            ordered,
            non_substantive,
        })
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns() -> Vec<Column> {
        ["respondent_id", "comment", "confidence", "role"]
            .iter()
            .map(|n| Column {
                name: n.to_string(),
                question: None,
            })
            .collect()
    }

    fn parse_str(text: &str) -> Result<Schema, IngestError> {
        let data: Vec<Vec<String>> = vec![
            vec![
                "1".into(),
                "x".into(),
                "Fairly confident".into(),
                "Nurse".into(),
            ],
            vec![
                "2".into(),
                "y".into(),
                "Not very confident".into(),
                "Porter".into(),
            ],
        ];
        let rows: Vec<&[String]> = data.iter().map(|r| r.as_slice()).collect();
        parse(
            Path::new("survey.toml"),
            text,
            &columns(),
            &rows,
            "survey.csv",
        )
    }

    #[test]
    fn a_full_schema_parses() {
        let s = parse_str(
            r#"id = "respondent_id"
[[open]]
column = "comment"
question = "What could we do better?"
[[closed]]
column = "confidence"
levels = ["Very confident", "Fairly confident"]
non_substantive = ["Don't know"]
[[attribute]]
column = "role"
"#,
        )
        .unwrap();
        assert_eq!(s.id.as_deref(), Some("respondent_id"));
        assert_eq!(s.open[0].question, "What could we do better?");
        assert_eq!(s.closed[0].levels.len(), 3);
        assert!(s.closed[0].ordered);
        assert_eq!(s.attributes, vec!["role"]);
    }

    #[test]
    fn unknown_key_names_the_line() {
        let err = parse_str(
            "id = \"respondent_id\"\n\n[[open]]\ncolumn = \"comment\"\nwording = \"x\"\n",
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("survey.toml, line 5, column 1: unknown field `wording`"),
            "{text}"
        );
    }

    #[test]
    fn missing_column_names_the_column_and_the_columns() {
        let err = parse_str("[[open]]\ncolumn = \"commnet\"\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "survey.toml, line 2: column \"commnet\" is not in survey.csv (did you mean \"comment\"?); \
             its columns are: \"respondent_id\", \"comment\", \"confidence\", \"role\""
        );
    }

    #[test]
    fn a_column_with_two_roles_is_an_error() {
        let err =
            parse_str("[[open]]\ncolumn = \"comment\"\n[[attribute]]\ncolumn = \"comment\"\n")
                .unwrap_err();
        assert!(
            err.to_string().starts_with(
                "survey.toml, line 4: column \"comment\" is already an open question (line 2)"
            ),
            "{err}"
        );
    }

    #[test]
    fn levels_come_from_the_data_when_not_given() {
        let s = parse_str("[[closed]]\ncolumn = \"confidence\"\n").unwrap();
        assert_eq!(s.closed[0].levels[0], "Very confident");
        assert!(s.closed[0].ordered);
    }

    #[test]
    fn empty_levels_are_an_error() {
        let err = parse_str("[[closed]]\ncolumn = \"confidence\"\nlevels = []\n").unwrap_err();
        assert!(err.to_string().starts_with("survey.toml, line 3:"), "{err}");
    }
}
