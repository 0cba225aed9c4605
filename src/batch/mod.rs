//! Batch coding: stream a survey through the codebook and write one row per comment, in input
//! order, with bounded memory. A reader thread parses chunks of rows while rayon codes the
//! previous chunk; every row read is accounted for as coded, empty or skipped.
mod output;

use std::io::Write;

use anyhow::{Context, Result};
use rayon::prelude::*;

pub use output::{Layout, OutputFormat};

use crate::codebook::Codebook;
use crate::sentiment::SentimentScorer;
use crate::survey::{RowEvent, Skip, SurveyReader};
use crate::text::Analyzer;

/// What codes each comment: a codebook, a sentiment scorer, or both.
pub struct Coders<'a> {
    pub codebook: Option<&'a Codebook>,
    pub sentiment: Option<&'a SentimentScorer>,
    /// The analyser when there is no codebook to bring its own.
    fallback: Analyzer,
}

impl<'a> Coders<'a> {
    pub fn new(
        codebook: Option<&'a Codebook>,
        sentiment: Option<&'a SentimentScorer>,
    ) -> Coders<'a> {
        Coders {
            codebook,
            sentiment,
            fallback: Analyzer::english(),
        }
    }

    fn analyzer(&self) -> &Analyzer {
        self.codebook.map_or(&self.fallback, |c| c.analyzer())
    }
}

/// Rows per rayon task: enough work to amortise the task, small enough to balance.
const TASK_ROWS: usize = 64;
/// Skips kept with their reasons; beyond that they are counted only.
pub const SKIPS_KEPT: usize = 1000;

#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub format: OutputFormat,
    /// Write a row for empty answers too (coded with no theme).
    pub keep_empty: bool,
}

/// What happened to every row of the input.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Accounting {
    pub rows_read: u64,
    pub comments_coded: u64,
    pub empty_answers: u64,
    pub rows_skipped: u64,
    /// The first [`SKIPS_KEPT`] skips, with line numbers and reasons.
    pub skips: Vec<Skip>,
    /// Comments coded with each theme, in codebook order.
    pub theme_counts: Vec<u64>,
    /// Comments with no theme.
    pub uncoded: u64,
    /// Bytes of comment text coded.
    pub text_bytes: u64,
    /// Comments scored for sentiment, the sum of their compounds, and how many are positive
    /// (compound > 0.05) and negative (< -0.05).
    pub sentiment_scored: u64,
    pub sentiment_sum: f64,
    pub sentiment_positive: u64,
    pub sentiment_negative: u64,
}

impl Accounting {
    fn merge(&mut self, other: &Accounting) {
        self.comments_coded += other.comments_coded;
        self.empty_answers += other.empty_answers;
        self.uncoded += other.uncoded;
        self.text_bytes += other.text_bytes;
        self.sentiment_scored += other.sentiment_scored;
        self.sentiment_sum += other.sentiment_sum;
        self.sentiment_positive += other.sentiment_positive;
        self.sentiment_negative += other.sentiment_negative;
        for (total, count) in self.theme_counts.iter_mut().zip(&other.theme_counts) {
            *total += count;
        }
    }
}

/// Codes every open answer of `reader` and writes the rows to `out`.
pub fn code_survey(
    reader: SurveyReader,
    coders: &Coders<'_>,
    out: impl Write,
    options: &BatchOptions,
) -> Result<Accounting> {
    code_survey_with_skips(reader, coders, out, options, &mut |_| Ok(()))
}

/// [`code_survey`], handing every skipped row to `on_skip` as it happens (the accounting keeps
/// only the first [`SKIPS_KEPT`]), so a report of all skips needs no memory per skip.
pub fn code_survey_with_skips(
    reader: SurveyReader,
    coders: &Coders<'_>,
    out: impl Write,
    options: &BatchOptions,
    on_skip: &mut (dyn FnMut(&Skip) -> Result<()> + Send),
) -> Result<Accounting> {
    let layout = Layout::new(&reader, coders)?;
    let mut writer = output::Writer::new(out, options.format, &layout)?;
    let mut accounting = Accounting {
        theme_counts: vec![0; coders.codebook.map_or(0, |c| c.themes.len())],
        ..Accounting::default()
    };
    std::thread::scope(|scope| -> Result<()> {
        for chunk in reader.read_in_chunks(scope) {
            let mut rows = Vec::with_capacity(chunk.len());
            for event in chunk {
                accounting.rows_read += 1;
                match event {
                    RowEvent::Row(record) => rows.push(record),
                    RowEvent::Skip(skip) => {
                        on_skip(&skip)?;
                        accounting.rows_skipped += 1;
                        if accounting.skips.len() < SKIPS_KEPT {
                            accounting.skips.push(skip);
                        }
                    }
                }
            }
            let rendered: Vec<(Vec<u8>, Accounting)> = rows
                .par_chunks(TASK_ROWS)
                .map(|task| output::render(task, coders, &layout, options))
                .collect::<Result<_>>()?;
            for (bytes, counts) in rendered {
                writer
                    .write_all(&bytes)
                    .context("cannot write the coded output")?;
                accounting.merge(&counts);
            }
        }
        Ok(())
    })?;
    writer.finish().context("cannot write the coded output")?;
    Ok(accounting)
}
