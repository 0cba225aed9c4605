//! What each column of a survey is: the respondent id, open (free-text) questions, closed
//! questions with their levels, attributes to break results down by, and columns to ignore.
//! A schema comes from `survey.toml` ([`super::schema_file`]) or is inferred from the first rows
//! ([`super::infer`]); either way it can describe itself and be written back as `survey.toml`.
use std::fmt::Write as _;
use std::path::PathBuf;

use super::scales::normalize;
use super::{format_count, Column, Platform};

/// The roles of a survey's columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schema {
    /// The column that identifies a respondent, if any.
    pub id: Option<String>,
    /// Free-text questions, in column order (several per row are allowed).
    pub open: Vec<OpenQuestion>,
    /// Questions answered from a fixed list.
    pub closed: Vec<ClosedQuestion>,
    /// Few-valued columns to break results down by (role, organisation type).
    pub attributes: Vec<String>,
    /// The attributes that make up a quote's attribution line, in order; all of them when
    /// empty.
    pub attribution: Vec<String>,
    /// Every other column.
    pub ignored: Vec<String>,
    /// True when inferred from the data, false when read from a schema file.
    pub inferred: bool,
    /// Where the schema came from, for [`Schema::describe`].
    pub provenance: Provenance,
}

/// Where a schema came from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Provenance {
    /// The survey file as the user named it.
    pub data_file: String,
    /// The schema file, when one was read.
    pub schema_file: Option<PathBuf>,
    /// Data rows looked at.
    pub rows_sampled: usize,
    pub platform: Platform,
}

/// A free-text question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenQuestion {
    pub column: String,
    /// The wording: from the schema file, else the platform's question text, else the column name.
    pub question: String,
}

/// A question answered from a list of levels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedQuestion {
    pub column: String,
    pub question: String,
    /// All levels: the substantive ones (in order when `ordered`), then the non-substantive ones.
    pub levels: Vec<String>,
    /// Whether the substantive levels are ordered (as listed: the questionnaire's order).
    pub ordered: bool,
    /// The levels that are no position on the scale ("Don't know", "N/A"), also in `levels`.
    pub non_substantive: Vec<String>,
}

impl ClosedQuestion {
    /// The index in `levels` of an answer, ignoring case, spacing, curly apostrophes, a trailing
    /// full stop and number prefixes. `None` for a blank or unknown answer.
    pub fn level_index(&self, answer: &str) -> Option<usize> {
        level_index(&self.levels, answer)
    }

    /// Whether `level` is a non-substantive answer.
    pub fn is_non_substantive(&self, level: &str) -> bool {
        self.non_substantive.iter().any(|l| l == level)
    }

    /// The substantive levels, in order.
    pub fn substantive_levels(&self) -> impl Iterator<Item = &str> {
        self.levels
            .iter()
            .filter(|l| !self.is_non_substantive(l))
            .map(String::as_str)
    }
}

/// The position of `answer` among `levels`: as written, else ignoring case, spacing and
/// punctuation.
pub fn level_index(levels: &[String], answer: &str) -> Option<usize> {
    if let Some(i) = levels.iter().position(|l| l == answer) {
        return Some(i);
    }
    let wanted = normalize(answer);
    if wanted.is_empty() {
        return None;
    }
    levels.iter().position(|l| normalize(l) == wanted)
}

impl Schema {
    /// The index in `columns` of a column named in this schema.
    pub fn column_index(columns: &[Column], name: &str) -> Option<usize> {
        columns.iter().position(|c| c.name == name)
    }

    /// The id column's index in `columns`.
    pub fn id_index(&self, columns: &[Column]) -> Option<usize> {
        self.id
            .as_deref()
            .and_then(|id| Self::column_index(columns, id))
    }

    /// The open questions' column indexes in `columns`, in schema order.
    pub fn open_indexes(&self, columns: &[Column]) -> Vec<usize> {
        self.open
            .iter()
            .filter_map(|q| Self::column_index(columns, &q.column))
            .collect()
    }

    /// The closed question on `column`, if any.
    pub fn closed_question(&self, column: &str) -> Option<&ClosedQuestion> {
        self.closed.iter().find(|q| q.column == column)
    }

    /// A human summary, several lines, for stderr.
    pub fn describe(&self) -> String {
        let p = &self.provenance;
        let mut out = String::new();
        let platform = match p.platform {
            Platform::Plain => String::new(),
            other => format!("{other} export, "),
        };
        match &p.schema_file {
            Some(file) if !self.inferred => {
                let _ = writeln!(
                    out,
                    "schema from {} for {} ({platform}{}):",
                    file.display(),
                    p.data_file,
                    rows_sampled(p.rows_sampled)
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    "inferred schema for {} ({platform}{}):",
                    p.data_file,
                    rows_sampled(p.rows_sampled)
                );
            }
        }
        let _ = writeln!(
            out,
            "  id: {}",
            self.id
                .as_deref()
                .unwrap_or("none (rows are known by their line number; name one with --id)")
        );
        let open: Vec<String> = self
            .open
            .iter()
            .map(|q| {
                if q.question == q.column {
                    q.column.clone()
                } else {
                    format!("{} (\"{}\")", q.column, one_line(&q.question))
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "  open: {}",
            if open.is_empty() {
                "none found — name the free-text column(s) with --text COLUMN".to_string()
            } else {
                open.join(", ")
            }
        );
        let closed = describe_closed_questions(&self.closed);
        let _ = writeln!(out, "  closed: {}", list_or_none(&closed));
        let _ = writeln!(out, "  attributes: {}", list_or_none(&self.attributes));
        let _ = write!(out, "  ignored: {}", list_or_none(&self.ignored));
        out
    }

    /// The schema as a `survey.toml` that reads back (with `--schema`) to the same schema.
    pub fn to_toml(&self) -> String {
        let p = &self.provenance;
        let mut out = String::new();
        let origin = if self.inferred {
            format!(
                "inferred by verbatim from {} ({})",
                one_line(&p.data_file),
                rows_sampled(p.rows_sampled)
            )
        } else {
            format!("for {}", one_line(&p.data_file))
        };
        let _ = writeln!(out, "# survey.toml {origin}.");
        out.push_str("# Check it, edit it, and pass it back with --schema survey.toml.\n");
        out.push_str(
            "# Levels of a closed question are in questionnaire order; non_substantive lists\n",
        );
        out.push_str("# answers that are no position on the scale (\"Don't know\").\n");
        if !self.ignored.is_empty() {
            let names: Vec<String> = self.ignored.iter().map(|c| one_line(c)).collect();
            out.push_str(&comment_wrapped(&format!(
                "Not used (add any of them below to use them): {}",
                names.join(", ")
            )));
        }
        if let Some(id) = &self.id {
            let _ = writeln!(out, "\nid = {}", toml_string(id));
        }
        for q in &self.open {
            let _ = writeln!(out, "\n[[open]]\ncolumn = {}", toml_string(&q.column));
            if q.question != q.column {
                let _ = writeln!(out, "question = {}", toml_string(&q.question));
            }
        }
        for q in &self.closed {
            let _ = writeln!(out, "\n[[closed]]\ncolumn = {}", toml_string(&q.column));
            if q.question != q.column {
                let _ = writeln!(out, "question = {}", toml_string(&q.question));
            }
            let levels: Vec<String> = q.levels.iter().map(|l| toml_string(l)).collect();
            let _ = writeln!(out, "levels = [{}]", levels.join(", "));
            let _ = writeln!(out, "ordered = {}", q.ordered);
            if !q.non_substantive.is_empty() {
                let ns: Vec<String> = q.non_substantive.iter().map(|l| toml_string(l)).collect();
                let _ = writeln!(out, "non_substantive = [{}]", ns.join(", "));
            }
        }
        for a in &self.attributes {
            let _ = writeln!(out, "\n[[attribute]]\ncolumn = {}", toml_string(a));
            if self.attribution.contains(a) {
                out.push_str("attribution = true\n");
            }
        }
        out
    }
}

/// Consecutive questions with the same levels are listed together: `q1, q2, q3 [ordered: 1 < ...]`.
fn describe_closed_questions(closed: &[ClosedQuestion]) -> Vec<String> {
    let same_levels = |a: &ClosedQuestion, b: &ClosedQuestion| {
        a.levels == b.levels && a.ordered == b.ordered && a.non_substantive == b.non_substantive
    };
    let mut out = Vec::new();
    let mut start = 0;
    while start < closed.len() {
        let mut end = start + 1;
        while end < closed.len() && same_levels(&closed[start], &closed[end]) {
            end += 1;
        }
        let names: Vec<String> = closed[start..end]
            .iter()
            .map(|q| one_line(&q.column))
            .collect();
        out.push(describe_closed(&names.join(", "), &closed[start]));
        start = end;
    }
    out
}

fn describe_closed(names: &str, q: &ClosedQuestion) -> String {
    let substantive: Vec<&str> = q.substantive_levels().collect();
    let mut s = if q.ordered {
        format!("{names} [ordered: {}", substantive.join(" < "))
    } else {
        format!("{names} [unordered: {}", substantive.join(", "))
    };
    if !q.non_substantive.is_empty() {
        let _ = write!(s, "; non-substantive: {}", q.non_substantive.join(", "));
    }
    s.push(']');
    s
}

/// `text` as `# ` comment lines of at most 100 characters (a longer word stays whole).
fn comment_wrapped(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::from("#");
    for word in text.split(' ') {
        if line.len() > 1 && line.chars().count() + 1 + word.chars().count() > 100 {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#  ");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// "1 row sampled", "2,000 rows sampled".
fn rows_sampled(n: usize) -> String {
    match n {
        1 => "1 row sampled".to_string(),
        n => format!("{} rows sampled", format_count(n as u64)),
    }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items
            .iter()
            .map(|i| one_line(i))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Newlines (a SurveyMonkey question text can hold them) and other control characters folded to
/// spaces, for one-line output and TOML comments (which allow no control character but tab).
fn one_line(s: &str) -> String {
    if s.chars().any(char::is_control) {
        s.split(|c: char| c.is_control() || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        s.to_string()
    }
}

/// A TOML basic string, escaped.
pub(crate) fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Schema {
        Schema {
            id: Some("respondent_id".into()),
            open: vec![OpenQuestion {
                column: "comment".into(),
                question: "What could we do \"better\"?\nAnything.".into(),
            }],
            closed: vec![ClosedQuestion {
                column: "confidence".into(),
                question: "confidence".into(),
                levels: vec![
                    "Very confident".into(),
                    "Fairly confident".into(),
                    "Don't know".into(),
                ],
                ordered: true,
                non_substantive: vec!["Don't know".into()],
            }],
            attributes: vec!["role".into()],
            attribution: vec!["role".into()],
            ignored: vec!["StartDate".into()],
            inferred: true,
            provenance: Provenance {
                data_file: "survey.csv".into(),
                rows_sampled: 2000,
                ..Default::default()
            },
        }
    }

    #[test]
    fn describe_names_every_role() {
        let d = sample().describe();
        assert!(
            d.starts_with("inferred schema for survey.csv (2,000 rows sampled):"),
            "{d}"
        );
        assert!(d.contains("id: respondent_id"), "{d}");
        assert!(
            d.contains("open: comment (\"What could we do \"better\"? Anything.\")"),
            "{d}"
        );
        assert!(
            d.contains("closed: confidence [ordered: Very confident < Fairly confident; non-substantive: Don't know]"),
            "{d}"
        );
        assert!(d.contains("attributes: role"), "{d}");
        assert!(d.contains("ignored: StartDate"), "{d}");
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
    }

    #[test]
    fn level_index_ignores_case_and_spacing() {
        let q = &sample().closed[0];
        assert_eq!(q.level_index("fairly  CONFIDENT"), Some(1));
        assert_eq!(q.level_index("Don’t know"), Some(2));
        assert_eq!(q.level_index(""), None);
        assert_eq!(q.substantive_levels().count(), 2);
    }
}
