//! Finding the columns a user names (in `survey.toml`, `--text`, `--id`) among the data's columns,
//! with a suggestion when a name is misspelt, and applying `--text`/`--id` to a schema.
use super::schema::{OpenQuestion, Schema};
use super::{Column, IngestError};

/// The data column `name` refers to: an exact match, else the only match ignoring case and
/// surrounding spaces. On failure, the closest name (if close) as a suggestion.
pub(crate) fn resolve(name: &str, columns: &[Column]) -> Result<usize, Option<String>> {
    if let Some(i) = columns.iter().position(|c| c.name == name) {
        return Ok(i);
    }
    let wanted = name.trim().to_lowercase();
    let loose: Vec<usize> = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.name.trim().to_lowercase() == wanted)
        .map(|(i, _)| i)
        .collect();
    if let [only] = loose[..] {
        return Ok(only);
    }
    Err(suggest(&wanted, columns))
}

/// The column closest to `wanted` by edit distance, if within a third of its length.
fn suggest(wanted: &str, columns: &[Column]) -> Option<String> {
    let limit = (wanted.chars().count() / 3).max(1);
    columns
        .iter()
        .map(|c| (edit_distance(wanted, &c.name.to_lowercase()), &c.name))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n.clone())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// The error for a column name that is not in the data.
pub(crate) fn unknown_column(
    origin: String,
    column: &str,
    data_file: &str,
    columns: &[Column],
    suggestion: Option<String>,
) -> IngestError {
    IngestError::UnknownColumn {
        origin,
        column: column.to_string(),
        data_file: data_file.to_string(),
        available: columns.iter().map(|c| c.name.clone()).collect(),
        suggestion,
    }
}

/// Applies `--text` (the open questions are exactly these columns) and `--id`, then lists every
/// column with no role as ignored.
pub(crate) fn apply_overrides(
    schema: &mut Schema,
    columns: &[Column],
    text: &[String],
    id: Option<&str>,
    data_file: &str,
) -> Result<(), IngestError> {
    let find = |flag: &str, name: &str| -> Result<usize, IngestError> {
        resolve(name, columns)
            .map_err(|s| unknown_column(flag.to_string(), name, data_file, columns, s))
    };
    if let Some(id) = id {
        let i = find("--id", id)?;
        let name = columns[i].name.clone();
        remove_role(schema, &name);
        schema.open.retain(|q| q.column != name);
        schema.id = Some(name);
    }
    if !text.is_empty() {
        let mut open = Vec::new();
        for t in text {
            let i = find("--text", t)?;
            let name = columns[i].name.clone();
            if open.iter().any(|q: &OpenQuestion| q.column == name) {
                continue;
            }
            remove_role(schema, &name);
            let question = schema
                .open
                .iter()
                .find(|q| q.column == name)
                .map(|q| q.question.clone())
                .or_else(|| columns[i].question.clone())
                .unwrap_or_else(|| name.clone());
            open.push(OpenQuestion {
                column: name,
                question,
            });
        }
        schema.open = open;
    }
    schema.ignored = columns
        .iter()
        .map(|c| c.name.clone())
        .filter(|name| !has_role(schema, name))
        .collect();
    Ok(())
}

/// Takes `name` out of every role but `open` (which the caller rebuilds).
fn remove_role(schema: &mut Schema, name: &str) {
    if schema.id.as_deref() == Some(name) {
        schema.id = None;
    }
    schema.closed.retain(|q| q.column != name);
    schema.attributes.retain(|a| a != name);
}

fn has_role(schema: &Schema, name: &str) -> bool {
    schema.id.as_deref() == Some(name)
        || schema.open.iter().any(|q| q.column == name)
        || schema.closed.iter().any(|q| q.column == name)
        || schema.attributes.iter().any(|a| a == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(names: &[&str]) -> Vec<Column> {
        names
            .iter()
            .map(|n| Column {
                name: n.to_string(),
                question: None,
            })
            .collect()
    }

    #[test]
    fn names_resolve_exactly_then_loosely() {
        let c = cols(&["id", "Comment", "role"]);
        assert_eq!(resolve("Comment", &c), Ok(1));
        assert_eq!(resolve(" comment ", &c), Ok(1));
        assert_eq!(resolve("commnet", &c), Err(Some("Comment".to_string())));
        assert_eq!(resolve("zzz", &c), Err(None));
    }

    #[test]
    fn text_and_id_override_inference() {
        let c = cols(&["id", "a", "b", "c"]);
        let mut s = Schema {
            id: Some("id".into()),
            open: vec![OpenQuestion {
                column: "a".into(),
                question: "a".into(),
            }],
            attributes: vec!["b".into()],
            ..Default::default()
        };
        apply_overrides(&mut s, &c, &[], Some("a"), "t.csv").unwrap();
        assert_eq!(s.id.as_deref(), Some("a"));
        assert!(s.open.is_empty(), "a column has one role");
        apply_overrides(&mut s, &c, &["b".into()], Some("c"), "t.csv").unwrap();
        assert_eq!(s.id.as_deref(), Some("c"));
        assert_eq!(s.open.len(), 1);
        assert_eq!(s.open[0].column, "b");
        assert!(s.attributes.is_empty());
        assert_eq!(s.ignored, vec!["id", "a"]);
        let err = apply_overrides(&mut s, &c, &["nope".into()], None, "t.csv").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("--text: column \"nope\" is not in t.csv"),
            "{err}"
        );
    }
}
