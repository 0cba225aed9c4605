//! The line that says who said a quote: the values of the survey's attribution attributes in
//! order ("Leader, county council"), as a report would print it.
use crate::index::SurveySpec;

/// The survey's `attribution = true` attributes, else every attribute.
pub fn default_columns(survey: &SurveySpec) -> Vec<String> {
    if survey.attribution.is_empty() {
        survey.attributes.clone()
    } else {
        survey.attribution.clone()
    }
}

/// The value of attribute `column` (empty when not given).
pub fn value<'a>(attributes: &'a [(String, String)], column: &str) -> &'a str {
    attributes
        .iter()
        .find(|(name, _)| name == column)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// "Leader, county council": the given values in `columns` order, the first capitalised;
/// "Respondent" when none is given.
pub fn attribution_line(attributes: &[(String, String)], columns: &[String]) -> String {
    let values: Vec<&str> = columns
        .iter()
        .map(|c| value(attributes, c).trim())
        .filter(|v| !v.is_empty())
        .collect();
    let line = values.join(", ");
    let mut chars = line.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Respondent".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn lines_in_column_order_skipping_missing_values() {
        let columns = vec!["role".to_string(), "authority_type".to_string()];
        let a = attrs(&[("authority_type", "county council"), ("role", "leader")]);
        assert_eq!(attribution_line(&a, &columns), "Leader, county council");
        let a = attrs(&[("role", "Director")]);
        assert_eq!(attribution_line(&a, &columns), "Director");
        assert_eq!(attribution_line(&[], &columns), "Respondent");
    }
}
