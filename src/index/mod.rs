//! The survey index: one tantivy document per comment, with its themes, sentiment, and the
//! respondent's closed answers and attributes, so that quotes can be found by theme and by who
//! said them. A manifest beside the tantivy files records how the index was built.
mod build;
mod compile;
mod document;
mod facets;
mod fetch;
mod fields;
mod highlight;
mod manifest;
mod merge;
mod search;
mod tokenizer;
mod top_hits;
mod value_counts;
mod view;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexSettings, Order, ReloadPolicy};

pub use build::{add_survey, column_map, BuildOptions, BuildReport};
pub use compile::{compile, key as field_key, CompiledQuery};
pub use document::{
    four_decimals, ColumnMap, DocumentBuilder, StoredComment, StoredEvidence, StoredSentiment,
};
pub use facets::{sentiment_bin, FacetCounted, FacetCounts, SENTIMENT_BINS};
pub use fetch::comments_by_seq;
pub use fields::{
    attribute_name, closed_name, theme_bits_name, theme_sentiment_name, Fields, QUESTION_FIELD,
    RESPONDENT_FIELD, SENTIMENT_FIELD, SEQ_FIELD,
};
pub use highlight::{
    highlights, kwic_lines, segments, snippet, Highlighter, KwicLine, Segment, Snippet,
};
pub use manifest::{
    BatchCounts, ClosedSpec, CodebookSpec, Counts, Manifest, SentimentSpec, SurveySpec, ThemeSpec,
    CODEBOOK_FILE, FORMAT, MANIFEST_FILE, OVERLAY_FILE, SCHEMA_FILE,
};
pub use merge::{merge_plan, MAX_SEGMENTS};
pub use search::{load_hit, search, Hit, SearchOptions, SearchResults, SortOrder};
pub use tokenizer::{
    index_tokens, index_words, IndexWord, TermLayout, VerbatimTokenizer, EXACT_MARK, TOKENIZER_NAME,
};
pub use top_hits::{dense_u64, RankKey, TopHits};
pub use value_counts::{distinct_values, ThemeCounted, ThemeCounts};
pub use view::{hit_json, pairs_object};

use crate::text::Analyzer;

pub struct SurveyIndex {
    pub dir: PathBuf,
    pub index: Index,
    pub manifest: Manifest,
    pub fields: Fields,
    pub analyzer: Arc<Analyzer>,
}

impl SurveyIndex {
    /// Creates an empty index in `dir`, which must not hold one already.
    pub fn create(dir: &Path, manifest: Manifest) -> Result<SurveyIndex> {
        if dir.join(MANIFEST_FILE).exists() {
            bail!(
                "{} already holds an index: append with `verbatim add FILE --index {}`, or rebuild it with --force",
                dir.display(),
                dir.display()
            );
        }
        if dir.exists()
            && std::fs::read_dir(dir)
                .with_context(|| format!("cannot read {}", dir.display()))?
                .next()
                .is_some()
        {
            bail!(
                "{} exists and is not empty: name a new directory for the index",
                dir.display()
            );
        }
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let schema = Fields::schema(&manifest);
        // No `sort_by_field`: input order comes from how the index is written (see `merge`),
        // which costs nothing, where tantivy's sort rewrote every segment it wrote.
        let index = Index::builder()
            .schema(schema)
            .settings(IndexSettings::default())
            .create_in_dir(dir)
            .with_context(|| format!("cannot create an index in {}", dir.display()))?;
        manifest.write(dir)?;
        SurveyIndex::wrap(dir, index, manifest)
    }

    pub fn open(dir: &Path) -> Result<SurveyIndex> {
        let manifest = Manifest::read(dir)?;
        let index = Index::open_in_dir(dir).with_context(|| {
            format!(
                "cannot open the index at {}: rebuild it with `verbatim index`",
                dir.display()
            )
        })?;
        SurveyIndex::wrap(dir, index, manifest)
    }

    fn wrap(dir: &Path, index: Index, manifest: Manifest) -> Result<SurveyIndex> {
        let Some(analyzer) = Analyzer::new(&manifest.language) else {
            bail!(
                "{}: unknown stemming language {:?}",
                dir.display(),
                manifest.language
            );
        };
        let analyzer = Arc::new(analyzer);
        // Analysers are not stored with the index: register ours on every open.
        let layout = if manifest.format >= 3 {
            TermLayout::ExactAndDifferingStem
        } else {
            TermLayout::StemAndExact
        };
        index.tokenizers().register(
            TOKENIZER_NAME,
            TextAnalyzer::builder(VerbatimTokenizer::new(analyzer.clone(), layout)).build(),
        );
        let fields = Fields::resolve(&index.schema(), &manifest)
            .with_context(|| format!("{} does not match its manifest", dir.display()))?;
        Ok(SurveyIndex {
            dir: dir.to_path_buf(),
            index,
            manifest,
            fields,
            analyzer,
        })
    }

    /// Whether every segment keeps its comments in input order, so that ties in a ranking break
    /// by position within a segment: format 2 indexes by construction, format 1 because tantivy
    /// sorted them.
    pub fn sorted_by_input(&self) -> bool {
        self.manifest.format >= 2
            || self
                .index
                .settings()
                .sort_by_field
                .as_ref()
                .is_some_and(|s| s.field == fields::SEQ_FIELD && s.order == Order::Asc)
    }

    /// The counts of the last commit.
    pub fn counts(&self) -> Result<Counts> {
        let metas = self
            .index
            .load_metas()
            .with_context(|| format!("cannot read the index at {}", self.dir.display()))?;
        Counts::from_payload(metas.payload.as_deref())
    }

    pub fn reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .with_context(|| format!("cannot read the index at {}", self.dir.display()))
    }

    /// An error unless `hash` is the hash of the codebook the index was built with.
    pub fn check_codebook(&self, file: &Path, hash: &str) -> Result<()> {
        let built = &self.manifest.codebook;
        if built.hash != hash {
            bail!(
                "{} was coded with codebook {:?} version {} (hash {}), not with {} (hash {hash}).\n\
                 Comments coded with different codebooks cannot share an index. Either leave out \
                 --codebook to code with the index's own copy ({}), or recode everything: \
                 `verbatim index SURVEY --codebook {} --index NEW_INDEX`",
                self.dir.display(),
                built.name,
                built.version,
                built.hash,
                file.display(),
                self.dir.join(CODEBOOK_FILE).display(),
                file.display()
            );
        }
        Ok(())
    }
}
