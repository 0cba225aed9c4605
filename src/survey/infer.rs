//! Guessing a schema from the first rows: the id (a column named like an id whose values are
//! unique), closed questions (answers that fit a known scale), open questions (long, varied,
//! several words per answer), attributes (other few-valued columns), and the rest ignored.
use std::collections::HashMap;

use super::scales::{match_integer_scale, match_text_scale, normalize, ScaleMatch};
use super::schema::{ClosedQuestion, OpenQuestion, Schema};
use super::Column;

/// A closed question has at most this many distinct answers in the sample.
const MAX_SCALE_VALUES: usize = 16;
/// An attribute has at most this many distinct values in the sample.
const MAX_ATTRIBUTE_VALUES: usize = 50;

/// What the sample says about one column.
pub(crate) struct Profile<'a> {
    rows: usize,
    nonempty: usize,
    /// Distinct trimmed values with counts, in first-seen order.
    values: Vec<(&'a str, usize)>,
    distinct_folded: usize,
    words: usize,
}

impl<'a> Profile<'a> {
    pub(crate) fn new(rows: &[&'a [String]], column: usize) -> Profile<'a> {
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut folded: HashMap<String, ()> = HashMap::new();
        let mut values: Vec<(&str, usize)> = Vec::new();
        let mut nonempty = 0;
        let mut words = 0;
        for row in rows {
            let value = row.get(column).map(|v| v.trim()).unwrap_or("");
            if value.is_empty() {
                continue;
            }
            nonempty += 1;
            words += value.split_whitespace().count();
            match index.get(value) {
                Some(&i) => values[i].1 += 1,
                None => {
                    index.insert(value, values.len());
                    values.push((value, 1));
                    folded.insert(value.to_lowercase(), ());
                }
            }
        }
        Profile {
            rows: rows.len(),
            nonempty,
            distinct_folded: folded.len(),
            values,
            words,
        }
    }

    fn all_unique(&self) -> bool {
        self.values.len() == self.nonempty
    }

    fn mean_words(&self) -> f64 {
        self.words as f64 / self.nonempty.max(1) as f64
    }

    fn distinct_ratio(&self) -> f64 {
        self.distinct_folded as f64 / self.nonempty.max(1) as f64
    }

    /// The known scale the answers fit, if few enough distinct answers.
    pub(crate) fn scale(&self) -> Option<ScaleMatch> {
        if self.values.len() > MAX_SCALE_VALUES {
            return None;
        }
        match_integer_scale(&self.values).or_else(|| match_text_scale(&self.values))
    }

    /// Levels for a closed question the schema file gives without levels: a known scale, else the
    /// answers seen, most frequent first, unordered.
    pub(crate) fn levels(&self) -> ScaleMatch {
        self.scale().unwrap_or_else(|| {
            let mut values = self.values.clone();
            values.sort_by_key(|v| std::cmp::Reverse(v.1));
            // One level per answer, however it is spelt ("Yes", "yes."): the commonest spelling.
            let mut seen = std::collections::HashSet::new();
            values.retain(|(v, _)| seen.insert(normalize(v)));
            ScaleMatch {
                name: "answers seen".to_string(),
                levels: values.iter().map(|(v, _)| v.to_string()).collect(),
                ordered: false,
                non_substantive: Vec::new(),
            }
        })
    }

    fn is_free_text(&self) -> bool {
        let (words, ratio) = (self.mean_words(), self.distinct_ratio());
        (words >= 3.0 && ratio >= 0.5) || (words >= 6.0 && ratio >= 0.3)
    }

    fn is_few_valued(&self) -> bool {
        let distinct = self.values.len();
        distinct <= MAX_ATTRIBUTE_VALUES && (distinct * 2 <= self.nonempty || self.nonempty < 20)
    }
}

/// Whether a column name reads like a respondent or record id.
pub(crate) fn looks_like_id(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "id",
        "respondentid",
        "responseid",
        "respid",
        "respondent",
        "respondentnumber",
        "participantid",
        "quoteid",
        "commentid",
        "recordid",
        "userid",
        "caseid",
        "submissionid",
        "uniqueid",
        "uuid",
        "guid",
        "rowid",
        "rowindex",
        "serial",
        "serialnumber",
    ];
    let compact: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if NAMES.contains(&compact.as_str()) {
        return true;
    }
    let last = name
        .split(|c: char| !c.is_alphanumeric())
        .rfind(|w| !w.is_empty())
        .unwrap_or("");
    if last.eq_ignore_ascii_case("id") {
        return true;
    }
    // camelCase: respondentId, responseID
    let stem = last
        .strip_suffix("Id")
        .or_else(|| last.strip_suffix("ID"))
        .unwrap_or("");
    stem.chars().last().is_some_and(|c| c.is_lowercase())
}

/// Infers a schema (without provenance) from the sampled rows.
pub(crate) fn infer(
    columns: &[Column],
    metadata: &[bool],
    platform_id: Option<usize>,
    rows: &[&[String]],
) -> Schema {
    let mut schema = Schema {
        inferred: true,
        ..Default::default()
    };
    if let Some(i) = platform_id {
        schema.id = columns.get(i).map(|c| c.name.clone());
    }
    for (i, column) in columns.iter().enumerate() {
        let name = column.name.clone();
        let question = column.question.clone().unwrap_or_else(|| name.clone());
        if Some(i) == platform_id {
            continue;
        }
        if metadata.get(i).copied().unwrap_or(false) {
            schema.ignored.push(name);
            continue;
        }
        let profile = Profile::new(rows, i);
        if profile.nonempty == 0 {
            schema.ignored.push(name);
            continue;
        }
        if schema.id.is_none()
            && looks_like_id(&name)
            && profile.all_unique()
            && profile.nonempty * 10 >= profile.rows * 9
        {
            schema.id = Some(name);
            continue;
        }
        if let Some(scale) = profile.scale() {
            schema.closed.push(ClosedQuestion {
                column: name,
                question,
                levels: scale.levels,
                ordered: scale.ordered,
                non_substantive: scale.non_substantive,
            });
        } else if profile.is_free_text() {
            schema.open.push(OpenQuestion {
                column: name,
                question,
            });
        } else if profile.is_few_valued() {
            schema.attributes.push(name);
        } else {
            schema.ignored.push(name);
        }
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_names() {
        for yes in [
            "id",
            "ID",
            "respondent_id",
            "Response ID",
            "RespondentID",
            "respondentId",
            "quote_id",
            "row_index",
        ] {
            assert!(looks_like_id(yes), "{yes}");
        }
        for no in ["idea", "valid", "paid", "identity", "comment", "Android"] {
            assert!(!looks_like_id(no), "{no}");
        }
    }

    fn col(name: &str) -> Column {
        Column {
            name: name.into(),
            question: None,
        }
    }

    #[test]
    fn a_small_survey_is_inferred() {
        let columns = vec![
            col("id"),
            col("role"),
            col("rating"),
            col("comment"),
            col("email"),
        ];
        let data: Vec<Vec<String>> = (0..30)
            .map(|i| {
                vec![
                    format!("r{i}"),
                    ["Nurse", "Doctor", "Porter"][i % 3].to_string(),
                    ((i % 5) + 1).to_string(),
                    format!("The ward was busy on day {i} but staff were kind"),
                    format!("person{i}@example.org"),
                ]
            })
            .collect();
        let rows: Vec<&[String]> = data.iter().map(|r| r.as_slice()).collect();
        let schema = infer(&columns, &[false; 5], None, &rows);
        assert_eq!(schema.id.as_deref(), Some("id"));
        assert_eq!(schema.attributes, vec!["role"]);
        assert_eq!(schema.closed[0].column, "rating");
        assert_eq!(schema.closed[0].levels, vec!["1", "2", "3", "4", "5"]);
        assert_eq!(schema.open[0].column, "comment");
        assert_eq!(schema.ignored, vec!["email"]);
    }
}
