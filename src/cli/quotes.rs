//! `verbatim quotes`: a pull-quote shortlist per theme, ranked, diverse, attributed and redacted,
//! for the terminal, Markdown, CSV, JSON or XLSX.
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use verbatim::index::SurveyIndex;
use verbatim::quotes::{export, picked, shortlist, Pick, QuoteOptions, Shortlist, Weights};

#[derive(clap::Args)]
pub struct Args {
    /// Directory of the index.
    #[arg(long)]
    pub index: PathBuf,
    /// The theme (id or label); repeat for several.
    #[arg(long, required_unless_present_any = ["all_themes", "pick"])]
    pub theme: Vec<String>,
    /// A shortlist for every theme of the codebook.
    #[arg(long, conflicts_with = "theme")]
    pub all_themes: bool,
    /// A comment you chose, by its number (the `#` in `verbatim search`, `seq` in its JSON),
    /// optionally with the theme to trim it to: `--pick 12` or `--pick 12:exclusion`. Repeat
    /// for a hand-made shortlist, exported in the order given, attributed and redacted like a
    /// ranked one.
    #[arg(
        long,
        value_name = "SEQ[:THEME]",
        value_parser = parse_pick,
        conflicts_with_all = ["theme", "all_themes", "filter", "attribution"]
    )]
    pub pick: Vec<Pick>,
    /// Quotes per theme.
    #[arg(long, default_value_t = 8)]
    pub top: usize,
    /// Only comments this query matches (the language of `verbatim search`), e.g. 'role:leader'.
    #[arg(long, value_name = "QUERY")]
    pub filter: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write to this file instead of standard output (needed for xlsx on a terminal).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Show each quote's score part by part, its rules, and its similarity to those above.
    #[arg(long)]
    pub explain: bool,
    /// Weights of the score's parts: evidence, sentiment, representative, quotable.
    #[arg(
        long,
        default_value = "evidence=1,sentiment=1,representative=1,quotable=1"
    )]
    pub weights: Weights,
    /// Score against diversity, 0..1: 1 ranks by score alone, lower spreads quotes across
    /// wording and respondents' attributes.
    #[arg(long, default_value_t = 0.7)]
    pub lambda: f64,
    /// Word-shingle Jaccard at or above which a quote is a near-duplicate of one chosen.
    #[arg(long, default_value_t = 0.5)]
    pub duplicate: f64,
    /// Quotes per respondent (0: no limit).
    #[arg(long, default_value_t = 1)]
    pub per_respondent: usize,
    /// Rank at most this many of a theme's comments (an even sample in input order beyond).
    #[arg(long, default_value_t = 5_000)]
    pub pool: usize,
    /// Longest quote in words before sentences with evidence are left out.
    #[arg(long, default_value_t = 60)]
    pub max_words: usize,
    /// Keep e-mail addresses, phone numbers, postcodes, NHS numbers, web addresses and names.
    #[arg(long)]
    pub no_redact: bool,
    /// Attributes of the attribution line, comma-separated (default: the survey's
    /// `attribution = true` attributes, else all).
    #[arg(long, value_delimiter = ',', value_name = "COLUMNS")]
    pub attribution: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Md,
    Csv,
    Json,
    Xlsx,
}

pub fn run(args: Args) -> Result<()> {
    if !(0.0..=1.0).contains(&args.lambda) {
        bail!("--lambda is {}: give a number from 0 to 1", args.lambda);
    }
    if !(0.0..=1.0).contains(&args.duplicate) {
        bail!(
            "--duplicate is {}: give a number from 0 to 1",
            args.duplicate
        );
    }
    let index = SurveyIndex::open(&args.index)?;
    let attribution = match &args.attribution {
        Some(columns) => {
            for column in columns {
                if !index.manifest.survey.attributes.contains(column) {
                    bail!(
                        "--attribution: {column:?} is not an attribute of the index; its attributes are {}",
                        index.manifest.survey.attributes.join(", ")
                    );
                }
            }
            Some(columns.clone())
        }
        None => None,
    };
    let themes: Vec<String> = if args.all_themes {
        index.manifest.themes.iter().map(|t| t.id.clone()).collect()
    } else {
        args.theme.clone()
    };
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut lists = Vec::with_capacity(themes.len().max(1));
    if !args.pick.is_empty() {
        lists.push(picked(
            &index,
            &searcher,
            &args.pick,
            !args.no_redact,
            args.max_words,
        )?);
    }
    for theme in themes {
        let options = QuoteOptions {
            theme,
            filter: args.filter.clone(),
            top: args.top,
            weights: args.weights,
            lambda: args.lambda,
            duplicate: args.duplicate,
            per_respondent: args.per_respondent,
            pool: args.pool,
            max_words: args.max_words,
            redact: !args.no_redact,
            attribution: attribution.clone(),
        };
        lists.push(shortlist(&index, &searcher, &options)?);
    }

    let bytes = match args.format {
        Format::Text => text(&lists, args.explain).into_bytes(),
        Format::Md => export::markdown(&lists).into_bytes(),
        Format::Json => {
            let mut json = export::json(&lists)?;
            json.push('\n');
            json.into_bytes()
        }
        Format::Csv => {
            let mut out = Vec::new();
            export::write_csv(&lists, &mut out)?;
            out
        }
        Format::Xlsx => {
            if args.output.is_none() && std::io::stdout().is_terminal() {
                bail!("an XLSX workbook is not for the terminal: name a file with -o quotes.xlsx");
            }
            export::xlsx(&lists)?
        }
    };
    match &args.output {
        Some(path) => std::fs::write(path, &bytes)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    // The text and Markdown outputs say how each list was made; the others say it here.
    if matches!(args.format, Format::Csv | Format::Json | Format::Xlsx) || args.output.is_some() {
        for list in &lists {
            eprintln!("{}: {}", list.theme, export::summary(list));
        }
    }
    Ok(())
}

/// `12` or `12:exclusion`.
fn parse_pick(value: &str) -> Result<Pick, String> {
    let (seq, theme) = match value.split_once(':') {
        Some((seq, theme)) => (seq, Some(theme.trim().to_string())),
        None => (value, None),
    };
    let seq = seq.trim().parse::<u64>().map_err(|_| {
        format!(
            "{value:?}: give a comment's number as `verbatim search` shows it after `#` \
             (`seq` in its JSON), optionally with a theme: 12 or 12:exclusion"
        )
    })?;
    if theme.as_deref() == Some("") {
        return Err(format!("{value:?}: no theme after `:`"));
    }
    Ok(Pick { seq, theme })
}

fn text(lists: &[Shortlist], explain: bool) -> String {
    let mut out = String::new();
    for list in lists {
        let _ = writeln!(out, "{} ({})", list.label, list.theme);
        let _ = writeln!(out, "{}\n", export::summary(list));
        for q in &list.quotes {
            let _ = writeln!(out, "{:>2}. “{}”", q.rank, export::one_line(&q.text));
            let _ = writeln!(out, "    — {}  [{}]", q.attribution, q.respondent);
            if explain {
                let c = &q.components;
                let _ = writeln!(
                    out,
                    "    score {:.3} = mean of evidence {:.3}, sentiment {:.3}, representative {:.3}, quotable {:.3} (weights {})",
                    q.score, c.evidence, c.sentiment, c.representative, c.quotable, list.weights
                );
                let rules: Vec<String> = q
                    .rules
                    .iter()
                    .map(|(rule, words)| format!("{rule} “{words}”"))
                    .collect();
                let _ = writeln!(
                    out,
                    "    evidence: weight {:.2} against threshold {:.2}: {}",
                    q.evidence_weight,
                    q.threshold,
                    rules.join(", ")
                );
                let sentiment = q
                    .sentiment
                    .map(|s| format!("{s:+.3}"))
                    .unwrap_or_else(|| "none".into());
                let _ = writeln!(
                    out,
                    "    sentiment: theme sentiment {sentiment}; the theme's comments lean {}",
                    list.direction
                );
                let _ = writeln!(
                    out,
                    "    representative: cosine {:.3} to the theme's TF-IDF centroid",
                    q.centroid_cosine
                );
                let a = &q.quotability;
                let _ = writeln!(
                    out,
                    "    quotable: {} words (length {:.2}), complete {:.2}, concrete {:.2}{}",
                    a.words,
                    a.length,
                    a.complete,
                    a.concrete,
                    if q.trimmed {
                        "; trimmed to the theme's sentences"
                    } else {
                        ""
                    }
                );
                let _ = writeln!(
                    out,
                    "    diversity: similarity to the quotes above {:.3}, chosen at MMR {:.3} (lambda {})",
                    q.similarity, q.mmr, list.lambda
                );
                if q.redactions.total() > 0 {
                    let _ = writeln!(out, "    redacted: {}", q.redactions.describe());
                }
            }
            out.push('\n');
        }
        if list.quotes.is_empty() {
            out.push_str("  (no comments to quote)\n\n");
        }
    }
    out
}
