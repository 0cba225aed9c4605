//! `verbatim split`: a fixed train/test split of a survey file by a hash of each row's key, so
//! that the same rows are held out on every machine and in every run.
//!
//! ```text
//! verbatim split comments.csv --key row_index --test-share 0.2 --train train.csv --test test.csv
//! ```
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use verbatim::survey::{IngestOptions, RowEvent, SurveyReader};

#[derive(clap::Args)]
pub struct Args {
    /// The file to split (CSV, XLSX or JSONL); both parts are written as CSV.
    pub input: PathBuf,
    /// The column whose value decides a row's side [default: the inferred id column].
    #[arg(long, value_name = "COLUMN")]
    pub key: Option<String>,
    /// Share of rows in the test part: a row is a test row when the first 8 bytes of the
    /// SHA-256 of its key, as a number in [0, 1), are below it.
    #[arg(long, default_value_t = 0.2)]
    pub test_share: f64,
    /// Where to write the training rows.
    #[arg(long, value_name = "FILE")]
    pub train: PathBuf,
    /// Where to write the test rows.
    #[arg(long, value_name = "FILE")]
    pub test: PathBuf,
    /// CSV delimiter of the input; sniffed when absent.
    #[arg(long)]
    pub delimiter: Option<String>,
    /// Print only errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

pub fn run(args: Args) -> Result<()> {
    if !(0.0..=1.0).contains(&args.test_share) {
        bail!("--test-share must be between 0 and 1");
    }
    let delimiter = match &args.delimiter {
        Some(text) => Some(verbatim::survey::parse_delimiter(text).map_err(anyhow::Error::msg)?),
        None => None,
    };
    let options = IngestOptions {
        delimiter,
        ..IngestOptions::default()
    };
    let reader = SurveyReader::open(&args.input, &options)?;
    let columns: Vec<String> = reader.columns().iter().map(|c| c.name.clone()).collect();
    let key = match args.key.clone().or_else(|| reader.schema().id.clone()) {
        Some(key) => key,
        None => bail!(
            "which column identifies a row? name it with --key COLUMN ({} has no id column \
             verbatim recognises; its columns are: {})",
            args.input.display(),
            columns.join(", ")
        ),
    };
    let Some(key_index) = columns.iter().position(|c| *c == key) else {
        bail!(
            "{} has no column \"{key}\" (--key); its columns are: {}",
            args.input.display(),
            columns.join(", ")
        );
    };
    let open = |path: &PathBuf| -> Result<csv::Writer<std::fs::File>> {
        let mut writer = csv::Writer::from_path(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        writer.write_record(&columns)?;
        Ok(writer)
    };
    let mut train = open(&args.train)?;
    let mut test = open(&args.test)?;
    let (mut n_train, mut n_test, mut blank, mut skipped) = (0u64, 0u64, 0u64, 0u64);
    for event in reader {
        let record = match event {
            RowEvent::Row(record) => record,
            RowEvent::Skip(skip) => {
                skipped += 1;
                if !args.quiet {
                    eprintln!("warning: skipped {skip}");
                }
                continue;
            }
        };
        let value = record.get(key_index).trim();
        if value.is_empty() {
            blank += 1;
            if !args.quiet {
                eprintln!(
                    "warning: line {}: the key \"{key}\" is blank; the row goes to neither part",
                    record.line
                );
            }
            continue;
        }
        if verbatim::split::in_test(value, args.test_share) {
            test.write_record(&record.fields)?;
            n_test += 1;
        } else {
            train.write_record(&record.fields)?;
            n_train += 1;
        }
    }
    train.flush().context("cannot write the training part")?;
    test.flush().context("cannot write the test part")?;
    if !args.quiet {
        eprintln!(
            "split {} by the SHA-256 of \"{key}\": {n_train} rows to {}, {n_test} to {} ({:.1}% test); {blank} with a blank key, {skipped} unreadable",
            args.input.display(),
            args.train.display(),
            args.test.display(),
            100.0 * n_test as f64 / (n_train + n_test).max(1) as f64
        );
    }
    Ok(())
}
