//! Runs a compiled query: the page of hits in the order asked for, the total, and the theme
//! counts of every hit. Ties break by input order, so the same index and query always give the
//! same page, however the index happens to be split into segments.
use anyhow::{Context, Result};
use tantivy::collector::Count;
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::compile::CompiledQuery;
use super::document::StoredComment;
use super::fields::{theme_bits_name, SEQ_FIELD};
use super::top_hits::{dense_u64, TopHits};
use super::value_counts::ThemeCounts;
use super::SurveyIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SortOrder {
    /// Best match first (BM25 on the words; filters alone keep input order).
    Relevance,
    /// Most negative sentiment first.
    Negative,
    /// Most positive sentiment first.
    Positive,
    /// Input order.
    Input,
}

#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub limit: usize,
    pub offset: usize,
    pub sort: SortOrder,
}

#[derive(Debug, Clone)]
pub struct Hit {
    pub score: f32,
    pub seq: u64,
    pub comment: StoredComment,
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Themes of all the hits (not just this page), parents included, most frequent first.
    pub theme_counts: Vec<(String, u64)>,
    /// Hits with no theme.
    pub uncoded: u64,
}

pub fn search(
    index: &SurveyIndex,
    searcher: &Searcher,
    compiled: &CompiledQuery,
    options: &SearchOptions,
) -> Result<SearchResults> {
    let query = compiled.query.as_ref();
    // Without scored words every hit scores alike, so relevance is input order, which needs
    // no scoring at all.
    let sort = match options.sort {
        SortOrder::Relevance if !compiled.scored => SortOrder::Input,
        sort => sort,
    };
    let top = TopHits {
        keep: if options.limit == 0 {
            0
        } else {
            options.offset + options.limit
        },
        sort,
        sorted_by_input: index.sorted_by_input(),
    };
    let themes = ThemeCounts {
        fields: (0..index.fields.theme_bits.len())
            .map(theme_bits_name)
            .collect(),
        themes: index.manifest.themes.len(),
    };
    let (total, counted, ranked) = searcher.search(query, &(Count, themes, top))?;
    let mut hits = Vec::with_capacity(options.limit);
    for (key, address) in ranked.into_iter().skip(options.offset) {
        let score = if sort == SortOrder::Relevance {
            key.primary as f32
        } else {
            0.0
        };
        hits.push(load_hit(index, searcher, score, address)?);
    }
    let mut theme_counts: Vec<(String, u64)> = index
        .manifest
        .themes
        .iter()
        .zip(counted.counts)
        .filter(|(_, n)| *n > 0)
        .map(|(t, n)| (t.id.clone(), n))
        .collect();
    theme_counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(SearchResults {
        total,
        hits,
        theme_counts,
        uncoded: counted.uncoded,
    })
}

pub fn load_hit(
    index: &SurveyIndex,
    searcher: &Searcher,
    score: f32,
    address: DocAddress,
) -> Result<Hit> {
    let doc: TantivyDocument = searcher
        .doc(address)
        .context("cannot read a comment from the index")?;
    let record = doc
        .get_first(index.fields.record)
        .and_then(|v| v.as_str())
        .context("a comment in the index has no stored record: rebuild the index")?;
    let comment = StoredComment::from_stored(record, index.manifest.format)
        .context("a stored comment is damaged: rebuild the index")?;
    let seq =
        dense_u64(searcher.segment_reader(address.segment_ord), SEQ_FIELD).get_val(address.doc_id);
    Ok(Hit {
        score,
        seq,
        comment,
    })
}
