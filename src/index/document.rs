//! One comment as the index holds it: the tantivy document (analysed text, facets, fast fields)
//! and the stored record that a hit shows.
use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;

use super::fields::{facet, Fields};
use super::manifest::Manifest;
use super::tokenizer::encode_words;
use crate::codebook::{Codebook, Coding};
use crate::sentiment::{theme_sentiment, SentimentScorer};
use crate::survey::Record;
use crate::text::Analysis;

/// What a hit shows: the comment, its coding and sentiment, and who wrote it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoredComment {
    /// The respondent id, or the row's line number when the survey has no id column.
    pub id: String,
    /// The open question's column.
    pub question: String,
    /// The line of the input file the row started on.
    pub line: u64,
    /// The input file, as named to `index` or `add`.
    pub file: String,
    pub text: String,
    /// Coded themes, parents included, in codebook order.
    pub themes: Vec<String>,
    pub evidence: Vec<StoredEvidence>,
    pub sentiment: Option<StoredSentiment>,
    /// Coded themes with the mean sentiment of the sentences carrying them.
    pub theme_sentiment: Vec<(String, f64)>,
    /// Closed questions answered: column and answer (the level's label where recognised).
    pub answers: Vec<(String, String)>,
    /// Attributes given: column and value.
    pub attributes: Vec<(String, String)>,
}

impl StoredComment {
    /// Reads a stored record: postcard bytes as text (index format 3) or JSON (formats 1, 2).
    pub fn from_stored(text: &str, format: u32) -> anyhow::Result<StoredComment> {
        if format >= 3 {
            let bytes = text_as_bytes(text)
                .ok_or_else(|| anyhow::anyhow!("a character beyond U+00FF in a binary record"))?;
            Ok(postcard::from_bytes(&bytes)?)
        } else {
            Ok(serde_json::from_str(text)?)
        }
    }
}

/// Binary as a text value, each byte one character (U+0000 to U+00FF, so 0x80 and above take
/// two bytes): tantivy's doc store writes a bytes value one byte at a time, a text value in one
/// copy, and a record is mostly ASCII survey text.
pub fn bytes_as_text(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut rest = bytes;
    while !rest.is_empty() {
        let ascii = rest
            .iter()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let (run, after) = rest.split_at(ascii);
        text.push_str(std::str::from_utf8(run).expect("ASCII is UTF-8"));
        match after.split_first() {
            Some((&byte, after)) => {
                text.push(char::from(byte));
                rest = after;
            }
            None => rest = after,
        }
    }
    text
}

/// The bytes of [`bytes_as_text`]; `None` if `text` holds a character it cannot have written.
pub fn text_as_bytes(text: &str) -> Option<Vec<u8>> {
    text.chars().map(|c| u8::try_from(c).ok()).collect()
}

/// [`StoredComment`] as it is written (postcard from format 3, JSON before): the same fields,
/// from borrowed values, so that building a document copies no theme, rule or column name.
#[derive(Serialize)]
struct StoredCommentRef<'a> {
    id: &'a str,
    question: &'a str,
    line: u64,
    file: &'a str,
    text: &'a str,
    themes: Vec<&'a str>,
    evidence: Vec<StoredEvidenceRef<'a>>,
    sentiment: Option<StoredSentiment>,
    theme_sentiment: Vec<(&'a str, f64)>,
    answers: Vec<(&'a str, &'a str)>,
    attributes: Vec<(&'a str, &'a str)>,
}

struct StoredEvidenceRef<'a> {
    theme: &'a str,
    rule: &'a str,
    start: usize,
    end: usize,
    negated: bool,
}

/// Written as an array in field order (`["funding","funding/stem:fund",4,10,false]`): a comment
/// carries a dozen of these, and their field names were a sixth of the stored record, written,
/// compressed and stored for every comment. [`StoredEvidence`] reads this and the named form of
/// indexes built before format 3.
impl Serialize for StoredEvidenceRef<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (self.theme, self.rule, self.start, self.end, self.negated).serialize(serializer)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoredEvidence {
    pub theme: String,
    pub rule: String,
    pub start: usize,
    pub end: usize,
    pub negated: bool,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct StoredSentiment {
    pub compound: f64,
    pub positive: f64,
    pub neutral: f64,
    pub negative: f64,
}

/// Scores are kept to four decimals, as `verbatim code` writes them, so that a filter such as
/// `sentiment<-0.3` agrees with the number a user reads.
pub fn four_decimals(value: f32) -> f64 {
    let rounded = (f64::from(value) * 10_000.0).round() / 10_000.0;
    if rounded == 0.0 {
        0.0
    } else {
        rounded
    }
}

/// Where each survey role sits in the rows of one input file.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    pub id: Option<usize>,
    /// Per open question of the manifest: its column in the file.
    pub open: Vec<usize>,
    /// Per closed question of the manifest: its column in the file, if present.
    pub closed: Vec<Option<usize>>,
    pub attributes: Vec<Option<usize>>,
}

/// Everything needed to turn rows into documents; shared by the worker threads.
pub struct DocumentBuilder<'a> {
    pub manifest: &'a Manifest,
    pub fields: &'a Fields,
    pub codebook: &'a Codebook,
    pub sentiment: Option<&'a SentimentScorer>,
    pub columns: &'a ColumnMap,
    pub file: &'a str,
}

impl DocumentBuilder<'_> {
    /// The documents of a row's non-empty answers, in question order.
    pub fn documents(&self, record: &Record) -> Vec<TantivyDocument> {
        let mut documents = Vec::new();
        for (q, &column) in self.columns.open.iter().enumerate() {
            let text = record.get(column);
            if text.trim().is_empty() {
                continue;
            }
            documents.push(self.document(record, q, text));
        }
        documents
    }

    fn document(&self, record: &Record, question: usize, text: &str) -> TantivyDocument {
        let analysis = self.codebook.analyzer().analyze(text);
        let coding = self.codebook.code_analysis(&analysis);
        let fields = self.fields;
        let mut doc = TantivyDocument::new();
        // The words go as encoded text: a pre-tokenized value would be serialised as JSON, and
        // the text itself analysed a second time on tantivy's one indexing thread.
        let mut words = String::with_capacity(text.len() * 2);
        encode_words(&analysis, &mut words);
        doc.add_text(fields.text, words);
        let id = match self.columns.id {
            Some(c) => Cow::Borrowed(record.get(c).trim()),
            None => Cow::Owned(record.line.to_string()),
        };
        doc.add_text(fields.respondent, &id);
        let column = &self.manifest.survey.open[question].column;
        doc.add_text(fields.question, column);
        let mut themes = Vec::new();
        let mut bits = vec![0u64; fields.theme_bits.len()];
        let coded: Vec<usize> = coding.coded_themes().collect();
        for &t in &coded {
            let spec = &self.manifest.themes[t];
            // tantivy indexes a facet's every ancestor path with it: a coded parent's own
            // facet would index the same terms again.
            let has_coded_child = coded
                .iter()
                .any(|&c| self.manifest.themes[c].parent.as_deref() == Some(spec.id.as_str()));
            if !has_coded_child {
                doc.add_facet(fields.theme, facet(&spec.facet));
            }
            doc.add_text(fields.theme_id, &spec.id);
            bits[t / 64] |= 1 << (t % 64);
            themes.push(spec.id.as_str());
        }
        for (field, bits) in fields.theme_bits.iter().zip(bits) {
            doc.add_u64(*field, bits);
        }
        let (sentiment, theme_sentiment) = self.sentiment(&analysis, &coding, &mut doc);
        let mut answers = Vec::new();
        for (i, spec) in self.manifest.survey.closed.iter().enumerate() {
            let Some(answer) = self.columns.closed[i].map(|c| record.get(c).trim()) else {
                continue;
            };
            if answer.is_empty() {
                continue;
            }
            let label = match spec.level_index(answer) {
                Some(level) => {
                    doc.add_u64(fields.closed_level[i], level as u64);
                    spec.levels[level].as_str()
                }
                None => answer,
            };
            doc.add_text(fields.closed[i], label);
            answers.push((spec.column.as_str(), label));
        }
        let mut attributes = Vec::new();
        for (i, name) in self.manifest.survey.attributes.iter().enumerate() {
            let Some(value) = self.columns.attributes[i].map(|c| record.get(c).trim()) else {
                continue;
            };
            if value.is_empty() {
                continue;
            }
            doc.add_text(fields.attributes[i], value);
            attributes.push((name.as_str(), value));
        }
        let stored = StoredCommentRef {
            id: &id,
            question: column,
            line: record.line,
            file: self.file,
            text,
            themes,
            evidence: coding
                .evidence()
                .map(|hit| StoredEvidenceRef {
                    theme: &self.manifest.themes[hit.theme].id,
                    rule: &self.codebook.rules[hit.rule].id,
                    start: hit.start,
                    end: hit.end,
                    negated: hit.negated,
                })
                .collect(),
            sentiment,
            theme_sentiment,
            answers,
            attributes,
        };
        if self.manifest.format >= 3 {
            // Sized for the text and a dozen pieces of evidence, so that it seldom grows.
            let buffer = Vec::with_capacity(text.len() + 1024);
            let bytes = postcard::to_extend(&stored, buffer).expect("a stored comment serialises");
            doc.add_text(fields.record, bytes_as_text(&bytes));
        } else {
            doc.add_text(
                fields.record,
                serde_json::to_string(&stored).expect("a stored comment serialises"),
            );
        }
        doc
    }

    fn sentiment(
        &self,
        analysis: &Analysis<'_>,
        coding: &Coding,
        doc: &mut TantivyDocument,
    ) -> (Option<StoredSentiment>, Vec<(&str, f64)>) {
        let Some(scorer) = self.sentiment else {
            return (None, Vec::new());
        };
        let sentiment = scorer.score(analysis);
        let compound = four_decimals(sentiment.compound);
        doc.add_f64(self.fields.sentiment, compound);
        let mut per_theme = Vec::new();
        for (t, value) in theme_sentiment(self.codebook, analysis, coding, &sentiment)
            .into_iter()
            .enumerate()
        {
            if let Some(value) = value {
                let value = four_decimals(value);
                doc.add_f64(self.fields.theme_sentiment[t], value);
                per_theme.push((self.manifest.themes[t].id.as_str(), value));
            }
        }
        let stored = StoredSentiment {
            compound,
            positive: four_decimals(sentiment.positive),
            neutral: four_decimals(sentiment.neutral),
            negative: four_decimals(sentiment.negative),
        };
        (Some(stored), per_theme)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_borrowed_record_writes_what_reads_back() {
        let owned = StoredComment {
            id: "R1".into(),
            question: "comment".into(),
            line: 7,
            file: "wave1.csv".into(),
            text: "Top down, \"again\".".into(),
            themes: vec!["engagement".into(), "top-down".into()],
            evidence: vec![StoredEvidence {
                theme: "top-down".into(),
                rule: "top-down/phrase:top down".into(),
                start: 0,
                end: 8,
                negated: false,
            }],
            sentiment: Some(StoredSentiment {
                compound: -0.25,
                positive: 0.0,
                neutral: 0.8,
                negative: 0.2,
            }),
            theme_sentiment: vec![("top-down".into(), -0.25)],
            answers: vec![("confidence".into(), "Not very confident".into())],
            attributes: vec![("role".into(), "Leader".into())],
        };
        let borrowed = StoredCommentRef {
            id: &owned.id,
            question: &owned.question,
            line: owned.line,
            file: &owned.file,
            text: &owned.text,
            themes: owned.themes.iter().map(String::as_str).collect(),
            evidence: owned
                .evidence
                .iter()
                .map(|e| StoredEvidenceRef {
                    theme: &e.theme,
                    rule: &e.rule,
                    start: e.start,
                    end: e.end,
                    negated: e.negated,
                })
                .collect(),
            sentiment: owned.sentiment,
            theme_sentiment: vec![("top-down", -0.25)],
            answers: vec![("confidence", "Not very confident")],
            attributes: vec![("role", "Leader")],
        };
        let written = serde_json::to_string(&borrowed).unwrap();
        assert!(
            written.contains(r#""evidence":[["top-down","top-down/phrase:top down",0,8,false]]"#),
            "{written}"
        );
        let read: StoredComment = serde_json::from_str(&written).unwrap();
        assert_eq!(read, owned);
        // format 3 stores the same fields in postcard's binary form
        let bytes = postcard::to_stdvec(&borrowed).unwrap();
        assert!(
            bytes.len() < written.len() / 2 + 40,
            "{} bytes",
            bytes.len()
        );
        let read: StoredComment = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(read, owned);
        let text = bytes_as_text(&bytes);
        assert_eq!(text_as_bytes(&text).unwrap(), bytes);
        assert_eq!(StoredComment::from_stored(&text, 3).unwrap(), owned);
        // indexes before format 3 stored evidence with its field names
        let named = serde_json::to_string(&owned).unwrap();
        assert!(
            named.contains(r#""evidence":[{"theme":"top-down","#),
            "{named}"
        );
        assert_eq!(StoredComment::from_stored(&named, 2).unwrap(), owned);
    }

    proptest::proptest! {
        /// Any bytes survive the trip through a text value.
        #[test]
        fn bytes_read_back_from_their_text(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let text = bytes_as_text(&bytes);
            proptest::prop_assert_eq!(text.chars().count(), bytes.len());
            proptest::prop_assert_eq!(text_as_bytes(&text), Some(bytes));
        }
    }

    #[test]
    fn a_record_with_a_character_beyond_latin_1_is_an_error_not_a_panic() {
        assert!(text_as_bytes("caf\u{e9}").is_some());
        assert!(text_as_bytes("\u{2014}").is_none());
        assert!(StoredComment::from_stored("\u{2014}", 3).is_err());
        assert!(StoredComment::from_stored("", 3).is_err());
    }
}
