//! `verbatim schema FILE`: show what verbatim makes of a survey file.
//!
//! Prints a summary of the schema (the id, open and closed questions, attributes, ignored columns)
//! and any warnings to stderr, and the schema as a `survey.toml` to stdout, so
//! `verbatim schema survey.csv > survey.toml` gives a file to check, edit and pass back with
//! `--schema`.
use std::path::PathBuf;

use clap::Parser;

use verbatim::survey::{parse_delimiter, Format, IngestOptions, SurveyReader};

#[derive(Debug, Parser)]
pub struct Args {
    /// The survey file: .csv .tsv .txt .xlsx .xlsm .jsonl .ndjson.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// A survey.toml to check against the file instead of inferring one.
    #[arg(long, value_name = "SURVEY.TOML")]
    pub schema: Option<PathBuf>,

    /// A free-text column to code (repeat for several); replaces the inferred open questions.
    #[arg(long = "text", value_name = "COLUMN")]
    pub text: Vec<String>,

    /// The column that identifies a respondent.
    #[arg(long, value_name = "COLUMN")]
    pub id: Option<String>,

    /// The CSV delimiter (one character, or tab); sniffed among , ; tab | when absent.
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,

    /// The worksheet of an .xlsx file; the first when absent.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// The format, when the extension does not say: csv, xlsx or jsonl.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// Data rows to read to infer the schema.
    #[arg(long, value_name = "N", default_value_t = 2000)]
    pub sample_rows: usize,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let options = IngestOptions {
        delimiter: args.delimiter,
        sheet: args.sheet,
        format: args.format,
        schema_path: args.schema,
        text_columns: args.text,
        id_column: args.id,
        sample_rows: args.sample_rows,
    };
    // The error names the file, the line and what to do; no context to add.
    let reader = SurveyReader::open(&args.file, &options)?;
    for warning in reader.warnings() {
        eprintln!("warning: {warning}");
    }
    eprintln!("{}", reader.schema().describe());
    print!("{}", reader.schema().to_toml());
    Ok(())
}
