//! `verbatim suggest`: words, stems and phrases to add to a codebook, from the comments of a
//! theme or a gold label (or those no theme caught), as codebook lines ready to paste.
//!
//! ```text
//! verbatim suggest comments.csv --codebook cb.toml --gold-column label --label Access
//! verbatim suggest comments.csv --codebook cb.toml --theme access
//! verbatim suggest comments.csv --codebook cb.toml --uncoded
//! ```
use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use verbatim::codebook::Codebook;
use verbatim::labels::slug;
use verbatim::suggest::{to_toml, Corpus, GroupSuggestions, SuggestOptions};
use verbatim::text::Analyzer;

use super::labelled::LabelledArgs;

#[derive(clap::Args)]
pub struct Args {
    /// The comments (CSV, XLSX or JSONL).
    pub input: PathBuf,
    /// The codebook to grow: terms its theme already matches are left out.
    #[arg(long, short = 'c')]
    pub codebook: Option<PathBuf>,
    /// Group the comments by this gold label column ('|'-joined labels allowed).
    #[arg(long, value_name = "COLUMN")]
    pub gold_column: Option<String>,
    /// Group by 0/1 label columns (repeat, or end a name with *).
    #[arg(long, value_name = "COLUMN", conflicts_with = "gold_column")]
    pub gold_indicator: Vec<String>,
    /// Only these gold labels (repeat) [default: every label].
    #[arg(long, value_name = "LABEL")]
    pub label: Vec<String>,
    /// The codebook theme(s) to suggest for: with gold labels, the theme of the one --label;
    /// without, the comments the codebook codes with the theme [default: every theme].
    #[arg(long, value_name = "ID")]
    pub theme: Vec<String>,
    /// The comments no theme of the codebook caught, their share, and what they say.
    #[arg(long, conflicts_with_all = ["gold_column", "gold_indicator", "label", "theme"])]
    pub uncoded: bool,
    #[command(flatten)]
    pub file: LabelledArgs,
    /// Suggestions per group.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// A term must be in at least this many comments of the group.
    #[arg(long, default_value_t = 3)]
    pub min_count: u64,
    /// ... and over-represented with at least this log-likelihood G² (10.83 is p < 0.001).
    #[arg(long, default_value_t = 10.83)]
    pub min_g2: f64,
    #[arg(long, value_enum, default_value_t = Format::Toml)]
    pub format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Toml,
    Csv,
    Json,
}

pub fn run(args: Args) -> Result<()> {
    let codebook = args
        .codebook
        .as_deref()
        .map(Codebook::from_path)
        .transpose()?;
    let gold = args.gold_column.is_some() || !args.gold_indicator.is_empty();
    if !gold && codebook.is_none() {
        bail!(
            "which comments? group them by human codes with --gold-column COLUMN, or give \
             --codebook FILE to use its themes (--theme ID) or the comments it leaves uncoded \
             (--uncoded)"
        );
    }
    if !args.label.is_empty() && !gold {
        bail!("--label picks gold labels: give --gold-column (or --gold-indicator) too");
    }
    let table = args.file.read(
        &args.input,
        args.gold_column.as_deref(),
        &args.gold_indicator,
        None,
    )?;
    let rows: Vec<&verbatim::labels::LabelledRow> = table
        .rows
        .iter()
        .filter(|r| !r.text.trim().is_empty())
        .collect();
    if rows.is_empty() {
        bail!("{} has no comments", table.file);
    }
    let english = Analyzer::english();
    let analyzer = codebook.as_ref().map_or(&english, |c| c.analyzer());
    let corpus = Corpus::new(analyzer, rows.iter().map(|r| r.text.as_str()).collect());
    let total = rows.len() as u64;
    let options = SuggestOptions {
        top: args.top,
        min_count: args.min_count.max(1),
        min_g2: args.min_g2,
        ..SuggestOptions::default()
    };
    let theme_index = |id: &str| -> Result<usize> {
        let codebook = codebook.as_ref().expect("checked");
        codebook.theme_index(id).ok_or_else(|| {
            let known: Vec<&str> = codebook.themes.iter().map(|t| t.id.as_str()).collect();
            anyhow::anyhow!(
                "{} has no theme \"{id}\" (--theme); its themes are: {}",
                codebook.source,
                known.join(", ")
            )
        })
    };
    let mut groups = Vec::new();
    let count = |g: &[bool]| g.iter().filter(|&&x| x).count() as u64;
    if args.uncoded {
        let codebook = codebook.as_ref().expect("checked");
        let coded = corpus.code(codebook);
        let group: Vec<bool> = coded.iter().map(|c| !c.contains(&true)).collect();
        let (already, suggestions) = corpus.suggest(&group, Some(codebook), None, &options);
        groups.push(GroupSuggestions {
            group: format!("comments {} codes with no theme", codebook.source),
            theme: None,
            label: None,
            comments: count(&group),
            total,
            already_matched: already,
            suggestions,
        });
    } else if gold {
        let labels = if args.label.is_empty() {
            table.labels()
        } else {
            let known = table.labels();
            for label in &args.label {
                if !known.contains(label) {
                    bail!(
                        "no comment of {} has the label \"{label}\" (--label); its labels are: {}",
                        table.file,
                        known.join(", ")
                    );
                }
            }
            args.label.clone()
        };
        if !args.theme.is_empty() && (args.theme.len() != 1 || labels.len() != 1) {
            bail!("with gold labels, --theme names the theme of a single --label");
        }
        for label in &labels {
            let group: Vec<bool> = rows.iter().map(|r| r.labels.contains(label)).collect();
            let theme = match (&codebook, args.theme.first()) {
                (Some(_), Some(id)) => Some(theme_index(id)?),
                (Some(codebook), None) => codebook
                    .themes
                    .iter()
                    .position(|t| t.id == *label || t.label == *label)
                    .or_else(|| codebook.theme_index(&slug(label))),
                (None, _) => None,
            };
            let (already, suggestions) = match (&codebook, theme) {
                (Some(codebook), Some(t)) => {
                    corpus.suggest(&group, Some(codebook), Some(t), &options)
                }
                _ => corpus.suggest(&group, None, None, &options),
            };
            groups.push(GroupSuggestions {
                group: format!("comments labelled \"{label}\""),
                theme: theme.map(|t| codebook.as_ref().expect("a theme").themes[t].id.clone()),
                label: Some(label.clone()),
                comments: count(&group),
                total,
                already_matched: already,
                suggestions,
            });
        }
    } else {
        let codebook = codebook.as_ref().expect("checked");
        let themes: Vec<usize> = if args.theme.is_empty() {
            (0..codebook.themes.len()).collect()
        } else {
            args.theme
                .iter()
                .map(|id| theme_index(id))
                .collect::<Result<_>>()?
        };
        let coded = corpus.code(codebook);
        for t in themes {
            let group: Vec<bool> = coded.iter().map(|c| c[t]).collect();
            let (already, suggestions) = corpus.suggest(&group, Some(codebook), Some(t), &options);
            groups.push(GroupSuggestions {
                group: format!("comments coded \"{}\"", codebook.themes[t].id),
                theme: Some(codebook.themes[t].id.clone()),
                label: None,
                comments: count(&group),
                total,
                already_matched: already,
                suggestions,
            });
        }
    }

    let mut bytes = Vec::new();
    match args.format {
        Format::Toml => bytes.extend_from_slice(
            to_toml(&groups, codebook.as_ref().map(|c| c.source.as_str())).as_bytes(),
        ),
        Format::Json => {
            serde_json::to_writer_pretty(&mut bytes, &groups)?;
            bytes.push(b'\n');
        }
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(&mut bytes);
            writer.write_record([
                "group",
                "theme",
                "kind",
                "term",
                "group_hits",
                "group_size",
                "rest_hits",
                "rest_size",
                "g2",
                "p_value",
                "log_ratio",
                "other_themes",
                "example_1",
                "example_2",
            ])?;
            for group in &groups {
                for s in &group.suggestions {
                    let k = &s.keyness;
                    writer.write_record([
                        group.group.clone(),
                        group.theme.clone().unwrap_or_default(),
                        s.kind.name().to_string(),
                        s.term.clone(),
                        k.group_hits.to_string(),
                        k.group_size.to_string(),
                        k.rest_hits.to_string(),
                        k.rest_size.to_string(),
                        format!("{:.3}", k.g2),
                        format!("{:.3e}", k.p_value),
                        format!("{:.3}", k.log_ratio),
                        s.other_themes.join("|"),
                        s.examples.first().cloned().unwrap_or_default(),
                        s.examples.get(1).cloned().unwrap_or_default(),
                    ])?;
                }
            }
            writer.flush()?;
        }
    }
    match &args.output {
        Some(path) => std::fs::write(path, &bytes)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    if args.uncoded {
        if let Some(group) = groups.first() {
            eprintln!(
                "{} of {} comments ({:.1}%) have no theme",
                group.comments,
                group.total,
                100.0 * group.comments as f64 / group.total.max(1) as f64
            );
        }
    }
    Ok(())
}
