//! Streams a survey into the index: a reader thread parses chunks of rows, rayon codes and
//! builds their documents, an indexing thread hands them in input order to one tantivy
//! indexing thread, so that every segment holds consecutive comments (see `merge`), and
//! commits. Commits come every `commit_every` comments and at the end, each carrying the
//! running counts, so a run killed half-way leaves an index that opens with every committed
//! comment and no other; coding goes on while a commit writes its segment.

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use tantivy::indexer::NoMergePolicy;
use tantivy::{IndexWriter, TantivyDocument};

use super::document::{ColumnMap, DocumentBuilder};
use super::manifest::{BatchCounts, Counts, Manifest};
use super::merge::merge_in_input_order;
use super::SurveyIndex;
use crate::codebook::Codebook;
use crate::sentiment::SentimentScorer;
use crate::survey::{RowEvent, Skip, SurveyReader};

const TASK_ROWS: usize = 64;
/// Coded chunks waiting for the indexing thread, at most: about 5 MB of documents each.
const CHUNKS_AHEAD: usize = 8;

/// Memory for tantivy's indexing thread before it writes a segment.
const WRITER_HEAP_BYTES: usize = 256 * 1024 * 1024;
/// Skips kept with their reasons for the summary; beyond that they are counted only.
pub const SKIPS_KEPT: usize = 1000;

/// One chunk of rows, coded into documents, with what the run's report counts for it.
struct CodedChunk {
    /// Per task of rows: their documents and how many respondents answered.
    built: Vec<(Vec<TantivyDocument>, u64)>,
    rows_read: u64,
    skips: Vec<Skip>,
    /// Open answers the rows hold, empty ones included.
    answers: u64,
    text_bytes: u64,
}

pub struct BuildOptions {
    /// Commit after at least this many comments (and at the end).
    pub commit_every: u64,
    /// The input file as the user named it, recorded with each comment.
    pub file: String,
}

/// What one run did.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub batch: BatchCounts,
    pub text_bytes: u64,
    pub skips: Vec<Skip>,
    /// The counts of the whole index after the run.
    pub totals: Counts,
    pub commits: u64,
    /// Merges of neighbouring segments after the last commit.
    pub merges: usize,
}

/// Where the manifest's columns are in this file; an open question that is missing is an error.
pub fn column_map(reader: &SurveyReader, manifest: &Manifest) -> Result<ColumnMap> {
    let names: Vec<&str> = reader.columns().iter().map(|c| c.name.as_str()).collect();
    let find = |name: &str| names.iter().position(|c| *c == name);
    let mut open = Vec::new();
    for question in &manifest.survey.open {
        match find(&question.column) {
            Some(i) => open.push(i),
            None => bail!(
                "the open question column {:?} of the index is not in the file (columns: {})",
                question.column,
                names.join(", ")
            ),
        }
    }
    Ok(ColumnMap {
        id: manifest.survey.id.as_deref().and_then(find),
        open,
        closed: manifest
            .survey
            .closed
            .iter()
            .map(|q| find(&q.column))
            .collect(),
        attributes: manifest.survey.attributes.iter().map(|a| find(a)).collect(),
    })
}

/// Codes every open answer of `reader` and appends it to the index.
pub fn add_survey(
    index: &SurveyIndex,
    reader: SurveyReader,
    codebook: &Codebook,
    sentiment: Option<&SentimentScorer>,
    options: &BuildOptions,
) -> Result<BuildReport> {
    let columns = column_map(&reader, &index.manifest)?;
    let builder = DocumentBuilder {
        manifest: &index.manifest,
        fields: &index.fields,
        codebook,
        sentiment,
        columns: &columns,
        file: &options.file,
    };
    let mut writer: IndexWriter<TantivyDocument> = index
        .index
        .writer_with_num_threads(1, WRITER_HEAP_BYTES)
        .with_context(|| {
            format!(
                "cannot write to the index at {} (is another `verbatim index` or `add` running?)",
                index.dir.display()
            )
        })?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    let previous = index.counts()?;
    let mut totals = previous.clone();
    totals.batches.push(BatchCounts {
        file: options.file.clone(),
        partial: true,
        ..BatchCounts::default()
    });
    let mut report = BuildReport::default();
    report.batch.file = options.file.clone();
    // Coding (this thread, on the rayon pool) runs up to CHUNKS_AHEAD chunks ahead of indexing
    // (its own thread, which also commits): a commit holds the indexing thread until the
    // segment is written, and coding goes on meanwhile instead of waiting for it.
    let (coded, to_index) = std::sync::mpsc::sync_channel::<CodedChunk>(CHUNKS_AHEAD);
    std::thread::scope(|scope| -> Result<()> {
        let indexing = scope.spawn(|| {
            let mut since_commit = 0u64;
            for chunk in to_index {
                report.batch.rows_read += chunk.rows_read;
                report.batch.rows_skipped += chunk.skips.len() as u64;
                let room = SKIPS_KEPT.saturating_sub(report.skips.len());
                report.skips.extend(chunk.skips.into_iter().take(room));
                let mut comments = 0u64;
                // One document at a time: tantivy's queue holds a bounded number of
                // operations, so indexing waits for tantivy's thread rather than piling
                // documents up in memory (a batch handed over whole would count as one).
                for (documents, respondents) in chunk.built {
                    totals.respondents += respondents;
                    for mut document in documents {
                        document.add_u64(index.fields.seq, totals.next_seq);
                        totals.next_seq += 1;
                        comments += 1;
                        writer.add_document(document)?;
                    }
                }
                report.text_bytes += chunk.text_bytes;
                report.batch.comments += comments;
                report.batch.empty_answers += chunk.answers - comments;
                since_commit += comments;
                if since_commit >= options.commit_every {
                    commit(&mut writer, &mut totals, &previous, &report, true)?;
                    report.commits += 1;
                    since_commit = 0;
                }
            }
            commit(&mut writer, &mut totals, &previous, &report, false)?;
            report.commits += 1;
            Ok::<_, anyhow::Error>(())
        });
        for chunk in reader.read_in_chunks(scope) {
            let mut rows = Vec::with_capacity(chunk.len());
            let mut skips = Vec::new();
            let rows_read = chunk.len() as u64;
            for event in chunk {
                match event {
                    RowEvent::Row(record) => rows.push(record),
                    RowEvent::Skip(skip) => skips.push(skip),
                }
            }
            let built: Vec<(Vec<TantivyDocument>, u64)> = rows
                .par_chunks(TASK_ROWS)
                .map(|task| {
                    let mut documents = Vec::new();
                    let mut respondents = 0;
                    for record in task {
                        let row = builder.documents(record);
                        respondents += u64::from(!row.is_empty());
                        documents.extend(row);
                    }
                    (documents, respondents)
                })
                .collect();
            let text_bytes = rows
                .iter()
                .flat_map(|record| columns.open.iter().map(|&c| record.get(c)))
                .filter(|t| !t.trim().is_empty())
                .map(|t| t.len() as u64)
                .sum();
            let chunk = CodedChunk {
                built,
                rows_read,
                skips,
                answers: (rows.len() * index.manifest.survey.open.len()) as u64,
                text_bytes,
            };
            // A failed send means indexing stopped on an error, which the join reports.
            if coded.send(chunk).is_err() {
                break;
            }
        }
        drop(coded);
        indexing
            .join()
            .map_err(|_| anyhow::anyhow!("the indexing thread panicked"))?
    })?;
    report.merges = merge_in_input_order(index, &mut writer)?;
    writer
        .wait_merging_threads()
        .context("the index could not finish merging its segments")?;
    report.totals = totals;
    Ok(report)
}

fn commit(
    writer: &mut IndexWriter<TantivyDocument>,
    totals: &mut Counts,
    previous: &Counts,
    report: &BuildReport,
    partial: bool,
) -> Result<()> {
    let batch = &report.batch;
    totals.comments = previous.comments + batch.comments;
    totals.rows_read = previous.rows_read + batch.rows_read;
    totals.empty_answers = previous.empty_answers + batch.empty_answers;
    totals.rows_skipped = previous.rows_skipped + batch.rows_skipped;
    totals.text_bytes = previous.text_bytes + report.text_bytes;
    *totals.batches.last_mut().expect("this run's batch") = BatchCounts {
        partial,
        ..batch.clone()
    };
    let mut prepared = writer
        .prepare_commit()
        .context("cannot commit to the index")?;
    prepared.set_payload(&totals.to_payload());
    prepared.commit().context("cannot commit to the index")?;
    Ok(())
}
