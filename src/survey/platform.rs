//! Recognising the exports of survey platforms by their header rows, and turning those rows into
//! columns: Qualtrics (row 1 column ids, row 2 question texts, row 3 `{"ImportId":...}`) and
//! SurveyMonkey (row 1 question texts with blanks over the extra columns of a question, row 2
//! "Response" / "Open-Ended Response" / option labels). Plain files have one header row.
use std::collections::HashMap;
use std::fmt;

use super::Column;

/// Where a survey file came from, as far as its header rows tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Platform {
    /// One header row of column names.
    #[default]
    Plain,
    /// A Qualtrics CSV/XLSX export with its three header rows.
    Qualtrics,
    /// A SurveyMonkey CSV/XLSX export with its two header rows.
    SurveyMonkey,
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Platform::Plain => "plain",
            Platform::Qualtrics => "Qualtrics",
            Platform::SurveyMonkey => "SurveyMonkey",
        })
    }
}

/// The columns a file's header rows describe.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub platform: Platform,
    pub columns: Vec<Column>,
    /// Header rows after the first, which are not data (Qualtrics 2, SurveyMonkey 1).
    pub extra_header_rows: usize,
    /// Per column: platform metadata (dates, IP address...), not a question.
    pub metadata: Vec<bool>,
    /// The platform's respondent id column.
    pub id: Option<usize>,
    pub notes: Vec<String>,
}

/// Qualtrics metadata columns (matched ignoring case); `Recipient*` and `Q_*` are metadata too.
const QUALTRICS_METADATA: &[&str] = &[
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "ExternalReference",
    "ExternalDataReference",
    "LocationLatitude",
    "LocationLongitude",
    "DistributionChannel",
    "UserLanguage",
];

const SURVEYMONKEY_METADATA: &[&str] = &[
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
];

/// Recognises the platform from the header and the (up to two) rows that follow it, and names the
/// columns. `following` holds only rows that came straight after the header.
pub(crate) fn detect(header: &[String], following: &[&[String]]) -> Layout {
    let layout = if let Some(layout) = qualtrics(header, following) {
        layout
    } else if let Some(layout) = surveymonkey(header, following) {
        layout
    } else {
        Layout {
            platform: Platform::Plain,
            columns: header
                .iter()
                .map(|h| Column {
                    name: h.trim().to_string(),
                    question: None,
                })
                .collect(),
            extra_header_rows: 0,
            metadata: vec![false; header.len()],
            id: None,
            notes: Vec::new(),
        }
    };
    let mut layout = layout;
    make_names_unique(&mut layout.columns, &mut layout.notes);
    layout
}

fn qualtrics(header: &[String], following: &[&[String]]) -> Option<Layout> {
    let (texts, imports) = match following {
        [texts, imports, ..] => (*texts, *imports),
        _ => return None,
    };
    let filled: Vec<&str> = imports
        .iter()
        .map(|f| f.trim())
        .filter(|f| !f.is_empty())
        .collect();
    let import_ids = filled
        .iter()
        .filter(|f| f.starts_with("{\"ImportId\""))
        .count();
    if import_ids == 0 || import_ids * 2 < filled.len() {
        return None;
    }
    let columns: Vec<Column> = header
        .iter()
        .enumerate()
        .map(|(i, h)| Column {
            name: h.trim().to_string(),
            question: texts
                .get(i)
                .map(|t| t.trim())
                .filter(|t| !t.is_empty())
                .map(str::to_string),
        })
        .collect();
    let metadata = columns
        .iter()
        .map(|c| is_qualtrics_metadata(&c.name))
        .collect();
    let id = columns
        .iter()
        .position(|c| c.name.eq_ignore_ascii_case("ResponseId"));
    Some(Layout {
        platform: Platform::Qualtrics,
        columns,
        extra_header_rows: 2,
        metadata,
        id,
        notes: Vec::new(),
    })
}

fn is_qualtrics_metadata(name: &str) -> bool {
    QUALTRICS_METADATA
        .iter()
        .any(|m| m.eq_ignore_ascii_case(name))
        || name.starts_with("Recipient")
        || name
            .strip_prefix("Q_")
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| c.is_ascii_uppercase())
}

fn surveymonkey(header: &[String], following: &[&[String]]) -> Option<Layout> {
    let position = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let respondent = position("Respondent ID")?;
    position("Collector ID").or_else(|| position("Start Date"))?;
    let labels = following.first()?;
    let is_response = |f: &str| f == "Response" || f == "Open-Ended Response";
    let has_response_label = labels.iter().any(|f| is_response(f.trim()));
    let id_blank = labels.get(respondent).is_some_and(|f| f.trim().is_empty());
    let has_labels = labels.iter().any(|f| !f.trim().is_empty());
    if !(has_response_label || (id_blank && has_labels)) {
        return None;
    }
    let mut question = String::new();
    let mut columns = Vec::with_capacity(header.len());
    let mut metadata = Vec::with_capacity(header.len());
    for (i, top) in header.iter().enumerate() {
        let top = top.trim();
        let is_meta = !top.is_empty() && is_surveymonkey_metadata(top);
        if !top.is_empty() {
            question = top.to_string();
        }
        let label = labels.get(i).map(|l| l.trim()).unwrap_or("");
        let name = if label.is_empty() || is_response(label) {
            question.clone()
        } else if question.is_empty() {
            label.to_string()
        } else {
            format!("{question} - {label}")
        };
        columns.push(Column {
            name,
            question: (!is_meta && !question.is_empty()).then(|| question.clone()),
        });
        metadata.push(is_meta);
    }
    Some(Layout {
        platform: Platform::SurveyMonkey,
        columns,
        extra_header_rows: 1,
        metadata,
        id: Some(respondent),
        notes: Vec::new(),
    })
}

fn is_surveymonkey_metadata(name: &str) -> bool {
    SURVEYMONKEY_METADATA
        .iter()
        .any(|m| m.eq_ignore_ascii_case(name))
        || name
            .strip_prefix("Custom Data")
            .is_some_and(|rest| rest.trim().chars().all(|c| c.is_ascii_digit()))
}

/// Blank names become `column_N`; a repeated name gets `_2`, `_3`... so every column can be named.
fn make_names_unique(columns: &mut [Column], notes: &mut Vec<String>) {
    let mut blank = Vec::new();
    for (i, c) in columns.iter_mut().enumerate() {
        if c.name.is_empty() {
            c.name = format!("column_{}", i + 1);
            blank.push(c.name.clone());
        }
    }
    if !blank.is_empty() {
        notes.push(format!(
            "{} header cell(s) are blank; named {}",
            blank.len(),
            blank.join(", ")
        ));
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for c in columns.iter() {
        seen.insert(c.name.clone(), 0);
    }
    let mut renamed = Vec::new();
    let mut used: HashMap<String, usize> = HashMap::new();
    for c in columns.iter_mut() {
        let count = used.entry(c.name.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            let mut k = *count;
            let mut candidate = format!("{}_{k}", c.name);
            while seen.contains_key(&candidate) {
                k += 1;
                candidate = format!("{}_{k}", c.name);
            }
            renamed.push(format!("\"{}\" → \"{candidate}\"", c.name));
            seen.insert(candidate.clone(), 0);
            c.name = candidate;
        }
    }
    if !renamed.is_empty() {
        notes.push(format!(
            "repeated column names were made unique: {}",
            renamed.join(", ")
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(fields: &[&str]) -> Vec<String> {
        fields.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn qualtrics_three_row_header() {
        let header = row(&["StartDate", "ResponseId", "Q1", "Q2_1"]);
        let texts = row(&[
            "Start Date",
            "Response ID",
            "What could we do better?",
            "Rate - Staff",
        ]);
        let imports = row(&[
            "{\"ImportId\":\"startDate\",\"timeZone\":\"Europe/London\"}",
            "{\"ImportId\":\"_recordId\"}",
            "{\"ImportId\":\"QID1_TEXT\"}",
            "{\"ImportId\":\"QID2_1\"}",
        ]);
        let layout = detect(&header, &[&texts, &imports]);
        assert_eq!(layout.platform, Platform::Qualtrics);
        assert_eq!(layout.extra_header_rows, 2);
        assert_eq!(layout.id, Some(1));
        assert_eq!(layout.metadata, vec![true, true, false, false]);
        assert_eq!(layout.columns[2].name, "Q1");
        assert_eq!(
            layout.columns[2].question.as_deref(),
            Some("What could we do better?")
        );
    }

    #[test]
    fn surveymonkey_two_row_header_is_forward_filled() {
        let header = row(&[
            "Respondent ID",
            "Collector ID",
            "Which services did you use?",
            "",
            "What could we do better?",
        ]);
        let labels = row(&["", "", "GP", "Pharmacy", "Open-Ended Response"]);
        let layout = detect(&header, &[&labels]);
        assert_eq!(layout.platform, Platform::SurveyMonkey);
        let names: Vec<&str> = layout.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "Respondent ID",
                "Collector ID",
                "Which services did you use? - GP",
                "Which services did you use? - Pharmacy",
                "What could we do better?"
            ]
        );
        assert_eq!(layout.id, Some(0));
        assert_eq!(layout.metadata, vec![true, true, false, false, false]);
        assert_eq!(
            layout.columns[3].question.as_deref(),
            Some("Which services did you use?")
        );
    }

    #[test]
    fn plain_header_gets_unique_names() {
        let header = row(&["id", " comment ", "", "comment"]);
        let layout = detect(&header, &[]);
        assert_eq!(layout.platform, Platform::Plain);
        let names: Vec<&str> = layout.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["id", "comment", "column_3", "comment_2"]);
        assert_eq!(layout.notes.len(), 2);
    }
}
