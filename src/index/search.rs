//! Runs a compiled query: the page of hits in the order asked for, the total, and the theme
//! counts of every hit. Ties break by input order, so the same index and query always give the
//! same page, however the index happens to be split into segments.
use std::cmp::Reverse;
use std::sync::Arc;

use anyhow::{Context, Result};
use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::{Column, ColumnValues};
use tantivy::schema::Value;
use tantivy::{DocAddress, DocId, Order, Score, Searcher, SegmentReader, TantivyDocument};

use super::compile::CompiledQuery;
use super::document::StoredComment;
use super::fields::{SENTIMENT_FIELD, SEQ_FIELD, THEME_ID_FIELD};
use super::value_counts::ValueCounts;
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

fn u64_column(segment: &SegmentReader, field: &str) -> Arc<dyn ColumnValues<u64>> {
    segment
        .fast_fields()
        .u64(field)
        .unwrap_or_else(|_| Column::build_empty_column(segment.max_doc()))
        .first_or_default_col(0)
}

fn f64_column(segment: &SegmentReader, field: &str) -> Column<f64> {
    segment
        .fast_fields()
        .f64(field)
        .unwrap_or_else(|_| Column::build_empty_column(segment.max_doc()))
}

type SentimentKey = (bool, f64, Reverse<u64>);
type SegmentKeyFn = Box<dyn Fn(DocId, Score) -> SentimentKey>;

/// Sort key for a sentiment order: comments with a score first, then by score, then input order.
fn sentiment_key(
    most_negative_first: bool,
) -> impl Fn(&SegmentReader) -> SegmentKeyFn + Send + Sync {
    move |segment: &SegmentReader| {
        let seq = u64_column(segment, SEQ_FIELD);
        let sentiment = f64_column(segment, SENTIMENT_FIELD);
        Box::new(move |doc: DocId, _score: Score| {
            let value = sentiment.first(doc);
            let key = value.map_or(0.0, |v| if most_negative_first { -v } else { v });
            (value.is_some(), key, Reverse(seq.get_val(doc)))
        })
    }
}

pub fn search(
    index: &SurveyIndex,
    searcher: &Searcher,
    compiled: &CompiledQuery,
    options: &SearchOptions,
) -> Result<SearchResults> {
    let query = compiled.query.as_ref();
    let top = TopDocs::with_limit(options.limit.max(1)).and_offset(options.offset);
    let themes = ValueCounts::new(THEME_ID_FIELD);
    let (total, counted, addresses): (usize, _, Vec<(f32, DocAddress)>) = match options.sort {
        SortOrder::Relevance => {
            let collector = top.tweak_score(|segment: &SegmentReader| {
                let seq = u64_column(segment, SEQ_FIELD);
                move |doc: DocId, score: Score| (score, Reverse(seq.get_val(doc)))
            });
            let (total, counted, hits) = searcher.search(query, &(Count, themes, collector))?;
            let hits = hits.into_iter().map(|((score, _), a)| (score, a)).collect();
            (total, counted, hits)
        }
        SortOrder::Negative | SortOrder::Positive => {
            let collector = top.tweak_score(sentiment_key(options.sort == SortOrder::Negative));
            let (total, counted, hits) = searcher.search(query, &(Count, themes, collector))?;
            let hits = hits.into_iter().map(|(_, a)| (0.0, a)).collect();
            (total, counted, hits)
        }
        SortOrder::Input => {
            let collector = top.order_by_fast_field::<u64>(SEQ_FIELD, Order::Asc);
            let (total, counted, hits) = searcher.search(query, &(Count, themes, collector))?;
            let hits = hits.into_iter().map(|(_, a)| (0.0, a)).collect();
            (total, counted, hits)
        }
    };
    let mut hits = Vec::with_capacity(addresses.len());
    if options.limit > 0 {
        for (score, address) in addresses {
            hits.push(load_hit(index, searcher, score, address)?);
        }
    }
    let mut theme_counts: Vec<(String, u64)> = counted.values.into_iter().collect();
    theme_counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(SearchResults {
        total,
        hits,
        theme_counts,
        uncoded: counted.missing,
    })
}

fn load_hit(
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
    let comment: StoredComment =
        serde_json::from_str(record).context("a stored comment is damaged: rebuild the index")?;
    let seq = doc
        .get_first(index.fields.seq)
        .and_then(|v| v.as_u64())
        .unwrap_or_default();
    Ok(Hit {
        score,
        seq,
        comment,
    })
}
