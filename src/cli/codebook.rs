//! `verbatim codebook check`: validate a codebook and run its examples.
use std::path::PathBuf;

use anyhow::{bail, Result};
use verbatim::codebook::{Codebook, CodebookError, RuleKind};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Validate a codebook: every key known, every pattern well formed, every example coded.
    Check {
        /// Codebook file (TOML).
        file: PathBuf,
    },
}

pub fn run(args: Args) -> Result<()> {
    match args.action {
        Action::Check { file } => check(file),
    }
}

fn check(file: PathBuf) -> Result<()> {
    let codebook = Codebook::from_path(&file)?;
    let problems = codebook.check_examples();
    let examples: usize = codebook
        .themes
        .iter()
        .map(|t| t.examples.len() + t.counterexamples.len())
        .sum();
    if !problems.is_empty() {
        bail!(CodebookError {
            file: file.display().to_string(),
            problems,
        });
    }
    let kinds = [
        RuleKind::Word,
        RuleKind::Stem,
        RuleKind::Glob,
        RuleKind::Phrase,
        RuleKind::Near,
        RuleKind::Regex,
    ];
    let counts: Vec<String> = kinds
        .iter()
        .map(|&kind| {
            (
                kind,
                codebook.rules.iter().filter(|r| r.kind == kind).count(),
            )
        })
        .filter(|&(_, n)| n > 0)
        .map(|(kind, n)| format!("{n} {}", kind.name()))
        .collect();
    let parents = codebook
        .themes
        .iter()
        .filter(|t| !t.children.is_empty())
        .count();
    println!(
        "{}: ok\n  {} version {}, hash {}\n  {} themes ({parents} with children), {} rules ({})\n  {examples} examples and counterexamples hold",
        file.display(),
        codebook.name,
        codebook.version,
        codebook.hash,
        codebook.themes.len(),
        codebook.rules.len(),
        counts.join(", ")
    );
    Ok(())
}
