//! The tantivy fields of a survey index, derived from the manifest. Field names are internal
//! (`closed_0`, `attr_1`): users name questions and attributes by their column, which the
//! manifest maps, so any column name works and none can collide with a built-in field.
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing,
    TextOptions, FAST, STORED, STRING,
};

use super::manifest::Manifest;
use super::tokenizer::TOKENIZER_NAME;

#[derive(Debug, Clone)]
pub struct Fields {
    /// The analysed comment: stems and exact forms with positions (see the tokenizer).
    pub text: Field,
    /// Everything shown for a hit ([`super::StoredComment`]): postcard bytes as text from index
    /// format 3 (see `document::bytes_as_text`), JSON before.
    pub record: Field,
    /// Themes as facet paths (`/engagement/exclusion`): a parent's query matches its children.
    pub theme: Field,
    /// Theme ids (parents included) as a fast string column, for tantivy's terms aggregations
    /// by other tools (on the facet field they give odd keys). verbatim counts themes with
    /// `theme_bits` and matches them with the facets, so the column is not indexed for search
    /// (from format 3; that cost 3-4% of tantivy's indexing thread).
    pub theme_id: Field,
    /// Theme membership as bit sets, 64 themes per field (`theme_bits_0` holds themes 0-63):
    /// counting the themes of a million hits reads one number per hit, not a list of strings.
    pub theme_bits: Vec<Field>,
    pub sentiment: Field,
    /// Per theme, in manifest order: the mean sentiment of the sentences carrying it.
    pub theme_sentiment: Vec<Field>,
    /// Per closed question: the answer's level label, and its position in the levels.
    pub closed: Vec<Field>,
    pub closed_level: Vec<Field>,
    pub attributes: Vec<Field>,
    pub respondent: Field,
    /// The open question's column.
    pub question: Field,
    /// Input order across every batch: ties in ranking break by it, so results are stable.
    pub seq: Field,
}

pub const SEQ_FIELD: &str = "seq";
pub const SENTIMENT_FIELD: &str = "sentiment";
pub const THEME_ID_FIELD: &str = "theme_id";

pub fn closed_name(i: usize) -> String {
    format!("closed_{i}")
}

pub fn closed_level_name(i: usize) -> String {
    format!("closed_{i}_level")
}

pub fn attribute_name(i: usize) -> String {
    format!("attr_{i}")
}

pub fn theme_bits_name(i: usize) -> String {
    format!("theme_bits_{i}")
}

/// How many `theme_bits_*` fields `themes` themes need.
pub fn theme_bits_fields(themes: usize) -> usize {
    themes.div_ceil(64).max(1)
}

pub fn theme_sentiment_name(i: usize) -> String {
    format!("theme_sentiment_{i}")
}

pub const QUESTION_FIELD: &str = "question";
pub const RESPONDENT_FIELD: &str = "respondent";

/// The facet of a theme path such as `/engagement/exclusion`.
pub fn facet(path: &str) -> Facet {
    Facet::from_path(path.split('/').filter(|s| !s.is_empty()))
}

impl Fields {
    pub fn schema(manifest: &Manifest) -> Schema {
        let mut builder = Schema::builder();
        let text_options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        builder.add_text_field("text", text_options);
        builder.add_text_field("record", STORED);
        builder.add_facet_field("theme", FacetOptions::default());
        builder.add_text_field(THEME_ID_FIELD, FAST);
        for i in 0..theme_bits_fields(manifest.themes.len()) {
            builder.add_u64_field(&theme_bits_name(i), FAST);
        }
        // Numbers are filtered and sorted through their fast columns; an inverted index of them
        // would cost indexing time and buy nothing.
        let number = NumericOptions::default().set_fast();
        builder.add_f64_field(SENTIMENT_FIELD, number.clone());
        for i in 0..manifest.themes.len() {
            builder.add_f64_field(&theme_sentiment_name(i), number.clone());
        }
        for i in 0..manifest.survey.closed.len() {
            builder.add_text_field(&closed_name(i), STRING | FAST);
            builder.add_u64_field(&closed_level_name(i), FAST);
        }
        for i in 0..manifest.survey.attributes.len() {
            builder.add_text_field(&attribute_name(i), STRING | FAST);
        }
        // The stored record has the respondent; a hit's seq is read from its fast column. From
        // format 3 the respondent is a fast column only: an `id:` filter reads it (a range of one
        // value), where an inverted index held a term per comment, each with one document.
        if manifest.format >= 3 {
            builder.add_text_field(RESPONDENT_FIELD, FAST);
        } else {
            builder.add_text_field(RESPONDENT_FIELD, STRING | FAST);
        }
        builder.add_text_field(QUESTION_FIELD, STRING | FAST);
        builder.add_u64_field(SEQ_FIELD, FAST);
        builder.build()
    }

    pub fn resolve(schema: &Schema, manifest: &Manifest) -> tantivy::Result<Fields> {
        let field = |name: &str| schema.get_field(name);
        Ok(Fields {
            text: field("text")?,
            record: field("record")?,
            theme: field("theme")?,
            theme_id: field(THEME_ID_FIELD)?,
            theme_bits: (0..theme_bits_fields(manifest.themes.len()))
                .map(|i| field(&theme_bits_name(i)))
                .collect::<tantivy::Result<_>>()?,
            sentiment: field(SENTIMENT_FIELD)?,
            theme_sentiment: (0..manifest.themes.len())
                .map(|i| field(&theme_sentiment_name(i)))
                .collect::<tantivy::Result<_>>()?,
            closed: (0..manifest.survey.closed.len())
                .map(|i| field(&closed_name(i)))
                .collect::<tantivy::Result<_>>()?,
            closed_level: (0..manifest.survey.closed.len())
                .map(|i| field(&closed_level_name(i)))
                .collect::<tantivy::Result<_>>()?,
            attributes: (0..manifest.survey.attributes.len())
                .map(|i| field(&attribute_name(i)))
                .collect::<tantivy::Result<_>>()?,
            respondent: field(RESPONDENT_FIELD)?,
            question: field(QUESTION_FIELD)?,
            seq: field(SEQ_FIELD)?,
        })
    }
}
