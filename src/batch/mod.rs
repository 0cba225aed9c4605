//! Batch coding: stream a survey through the codebook and write one row per comment, in input
//! order, with bounded memory. A reader thread parses chunks of rows while rayon codes the
//! previous chunk; every row read is accounted for as coded, empty or skipped.
mod output;

use std::io::Write;
use std::sync::mpsc::sync_channel;

use anyhow::{Context, Result};
use rayon::prelude::*;

pub use output::{Layout, OutputFormat};

use crate::codebook::Codebook;
use crate::survey::{RowEvent, Skip, SurveyReader};

/// Rows per chunk handed from the reader thread to the coders.
const CHUNK_ROWS: usize = 2048;
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
}

impl Accounting {
    fn merge(&mut self, other: &Accounting) {
        self.comments_coded += other.comments_coded;
        self.empty_answers += other.empty_answers;
        self.uncoded += other.uncoded;
        self.text_bytes += other.text_bytes;
        for (total, count) in self.theme_counts.iter_mut().zip(&other.theme_counts) {
            *total += count;
        }
    }
}

/// Codes every open answer of `reader` with `codebook` and writes the rows to `out`.
pub fn code_survey(
    reader: SurveyReader,
    codebook: &Codebook,
    out: impl Write,
    options: &BatchOptions,
) -> Result<Accounting> {
    let layout = Layout::new(&reader, codebook)?;
    let mut writer = output::Writer::new(out, options.format, &layout, codebook)?;
    let mut accounting = Accounting {
        theme_counts: vec![0; codebook.themes.len()],
        ..Accounting::default()
    };
    let (sender, receiver) = sync_channel::<Vec<RowEvent>>(2);
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(move || {
            let mut reader = reader;
            loop {
                let chunk: Vec<RowEvent> = reader.by_ref().take(CHUNK_ROWS).collect();
                if chunk.is_empty() || sender.send(chunk).is_err() {
                    break;
                }
            }
        });
        for chunk in receiver {
            let mut rows = Vec::with_capacity(chunk.len());
            for event in chunk {
                accounting.rows_read += 1;
                match event {
                    RowEvent::Row(record) => rows.push(record),
                    RowEvent::Skip(skip) => {
                        accounting.rows_skipped += 1;
                        if accounting.skips.len() < SKIPS_KEPT {
                            accounting.skips.push(skip);
                        }
                    }
                }
            }
            let rendered: Vec<(Vec<u8>, Accounting)> = rows
                .par_chunks(TASK_ROWS)
                .map(|task| output::render(task, codebook, &layout, options))
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
