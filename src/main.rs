//! The `verbatim` command line: parses arguments and dispatches to one file per command.
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cli;

#[derive(Parser)]
#[command(
    name = "verbatim",
    version,
    about = "Code, score and search the free-text answers of surveys"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The main job: code a survey (the bundled STP corpus by default) into an output folder.
    Analyze(cli::analyze::Args),
    /// Batch-code the open answers of a survey file with a codebook.
    Code(cli::code::Args),
    /// Score the open answers of a survey file for sentiment alone.
    Sentiment(cli::sentiment::Args),
    /// Show how a text is analysed and coded, and why each rule fired or was cancelled.
    Explain(cli::explain::Args),
    /// Code a survey and build a searchable index of its comments.
    Index(cli::index::Args),
    /// Code a new wave of comments with an index's codebook and append them to it.
    Add(cli::add::Args),
    /// Search an index: words, phrases, themes, closed answers, attributes, sentiment.
    Search(cli::search::Args),
    /// Themes by a closed question, an attribute or another theme, with the statistics.
    Crosstab(cli::crosstab::Args),
    /// How far a coding agrees with human codes, or two coders agree: per-label P/R/F1,
    /// kappa and alpha, and the rules behind the errors.
    Eval(cli::eval::Args),
    /// Words, stems and phrases to add to a codebook, from a theme's, a label's or the
    /// uncoded comments, as codebook lines.
    Suggest(cli::suggest::Args),
    /// Learn a codebook from coded examples: rules by keyness, thresholds by cross-validation.
    Learn(cli::learn::Args),
    /// Split a file into train and test parts by a hash of each row's key.
    Split(cli::split::Args),
    /// A pull-quote shortlist per theme: ranked, diverse, attributed and redacted.
    Quotes(cli::quotes::Args),
    /// A report of an index: an HTML page and its Markdown twin, with charts and quotes.
    Report(cli::report::Args),
    /// A local web app: search quotes by theme, filter, crosstab, shortlist and export.
    Serve(cli::serve::Args),
    /// Work with codebook files.
    Codebook(cli::codebook::Args),
    /// Print the schema verbatim infers for a survey file, as a survey.toml you can edit.
    Schema(cli::schema::Args),
    /// Write a deterministic survey CSV of real sentences, for benchmarks.
    Generate(cli::generate::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(args) => cli::analyze::run(args),
        Command::Code(args) => cli::code::run(args),
        Command::Sentiment(args) => cli::sentiment::run(args),
        Command::Explain(args) => cli::explain::run(args),
        Command::Index(args) => cli::index::run(args),
        Command::Add(args) => cli::add::run(args),
        Command::Search(args) => cli::search::run(args),
        Command::Crosstab(args) => cli::crosstab::run(args),
        Command::Eval(args) => cli::eval::run(args),
        Command::Suggest(args) => cli::suggest::run(args),
        Command::Learn(args) => cli::learn::run(args),
        Command::Split(args) => cli::split::run(args),
        Command::Quotes(args) => cli::quotes::run(args),
        Command::Report(args) => cli::report::run(args),
        Command::Serve(args) => cli::serve::run(args),
        Command::Codebook(args) => cli::codebook::run(args),
        Command::Schema(args) => cli::schema::run(args),
        Command::Generate(args) => cli::generate::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
