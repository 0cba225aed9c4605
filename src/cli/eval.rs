//! `verbatim eval`: how far a coding agrees with a reference coding of the same comments, a
//! codebook's output against human codes or one human coder against another.
//!
//! ```text
//! verbatim eval coded.csv --gold gold.csv --gold-column label [--map map.toml]
//! verbatim eval coder1.csv --gold coder2.csv --coded-column code --gold-column code
//! ```
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use verbatim::eval::{evaluate, EvalOptions, Evaluation, Mapping, Unmatched};
use verbatim::labels::{LabelColumns, LabelledTable, Named, TableSpec};

use super::labelled::GoldLabelArgs;

#[derive(clap::Args)]
pub struct Args {
    /// The coding to score: `verbatim code`'s CSV output, or a human coder's file.
    pub coded: PathBuf,
    /// The reference coding (gold standard, or the second coder).
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    #[command(flatten)]
    pub gold_labels: GoldLabelArgs,
    /// The coded file's label column [default: themes, as `verbatim code` writes it].
    #[arg(long, value_name = "COLUMN")]
    pub coded_column: Option<String>,
    /// Coded labels as 0/1 columns, one per label (repeat, or end a name with *).
    #[arg(long, value_name = "COLUMN", conflicts_with = "coded_column")]
    pub coded_indicator: Vec<String>,
    /// Separates several labels in one cell.
    #[arg(long, default_value = "|")]
    pub separator: String,
    /// Maps coded labels (themes) to gold labels: one `theme_id = "Gold label"` line each,
    /// several themes to one label allowed. Without it, labels match by name or slug.
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Column that identifies a comment in both files (repeat for a key of several columns)
    /// [default: the coded file's first column].
    #[arg(long, value_name = "COLUMN")]
    pub id: Vec<String>,
    /// The gold file's id column(s), when named differently [default: --id].
    #[arg(long, value_name = "COLUMN")]
    pub gold_id: Vec<String>,
    /// The comment text, for the error examples [default: `text` of the coded file, else of
    /// the gold file].
    #[arg(long, value_name = "COLUMN")]
    pub text: Option<String>,
    /// Coded labels that match no gold label: left out of the scores (listed), or scored as
    /// labels the gold file never has.
    #[arg(long, value_enum, default_value_t = UnmatchedArg::Drop)]
    pub unmatched: UnmatchedArg,
    /// Rules, terms and examples shown per label.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub errors: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// CSV delimiter of both files (`,` `;` `tab` `|`); sniffed when absent.
    #[arg(long)]
    pub delimiter: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum UnmatchedArg {
    Drop,
    Score,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Csv,
    Json,
}

pub fn run(args: Args) -> Result<()> {
    let delimiter = match &args.delimiter {
        Some(text) => Some(verbatim::survey::parse_delimiter(text).map_err(anyhow::Error::msg)?),
        None => None,
    };
    let (coded_key, gold_key) = keys(&args, delimiter)?;
    let coded_labels = if args.coded_indicator.is_empty() {
        let column = args.coded_column.clone().unwrap_or_else(|| "themes".into());
        (
            LabelColumns::Joined {
                column,
                separator: args.separator.clone(),
            },
            "--coded-column".to_string(),
        )
    } else {
        (
            LabelColumns::Indicators(args.coded_indicator.clone()),
            "--coded-indicator".to_string(),
        )
    };
    let gold_labels = args.gold_labels.columns(&args.separator);
    let text_column = |path: &Path| -> Result<Option<Named>> {
        let columns = header(path, delimiter)?;
        Ok(match &args.text {
            Some(name) => columns
                .contains(name)
                .then(|| Named::new(name.clone(), "--text")),
            None => columns
                .iter()
                .any(|c| c == "text")
                .then(|| Named::new("text", "--text")),
        })
    };
    let coded_text = text_column(&args.coded)?;
    let gold_text = if coded_text.is_some() {
        None
    } else {
        text_column(&args.gold)?
    };
    if let (Some(name), None, None) = (&args.text, &coded_text, &gold_text) {
        bail!(
            "neither {} nor {} has a column \"{name}\" (--text)",
            args.coded.display(),
            args.gold.display()
        );
    }
    let mut coded = LabelledTable::read(
        &args.coded,
        &TableSpec {
            key: coded_key,
            labels: Some(coded_labels),
            text: coded_text,
            evidence: Some("evidence".into()),
            delimiter,
            sheet: None,
        },
    )?;
    declare_code_themes(
        &mut coded,
        args.coded_column.is_none() && args.coded_indicator.is_empty(),
    );
    let gold = LabelledTable::read(
        &args.gold,
        &TableSpec {
            key: gold_key,
            labels: Some(gold_labels),
            text: gold_text,
            evidence: None,
            delimiter,
            sheet: None,
        },
    )?;
    let options = EvalOptions {
        mapping: args.map.as_deref().map(Mapping::from_path).transpose()?,
        unmatched: match args.unmatched {
            UnmatchedArg::Drop => Unmatched::Drop,
            UnmatchedArg::Score => Unmatched::Score,
        },
        errors: args.errors,
    };
    if let Some(mapping) = &options.mapping {
        warn_about_mapping(mapping, &coded, &gold);
    }
    let evaluation = evaluate(&coded, &gold, &options)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Text => out.write_all(text(&evaluation, &args).as_bytes())?,
        Format::Csv => csv(&mut out, &evaluation)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &evaluation)?;
            writeln!(out)?;
        }
    }
    if evaluation.rows.only_coded + evaluation.rows.only_gold > 0 && args.format != Format::Text {
        eprintln!(
            "warning: {} rows only in {}, {} only in {}: they are not scored",
            evaluation.rows.only_coded,
            evaluation.coded_file,
            evaluation.rows.only_gold,
            evaluation.gold_file
        );
    }
    Ok(())
}

/// The header of a file, for defaults that depend on its columns.
fn header(path: &Path, delimiter: Option<u8>) -> Result<Vec<String>> {
    let options = verbatim::survey::IngestOptions {
        delimiter,
        sample_rows: 1,
        ..Default::default()
    };
    let reader = verbatim::survey::SurveyReader::open(path, &options)?;
    Ok(reader.columns().iter().map(|c| c.name.clone()).collect())
}

/// The join key of each file: --id / --gold-id, else the coded file's first column, which
/// `verbatim code` writes as the respondent id.
fn keys(args: &Args, delimiter: Option<u8>) -> Result<(Vec<Named>, Vec<Named>)> {
    let coded: Vec<String> = if args.id.is_empty() {
        let columns = header(&args.coded, delimiter)?;
        let Some(first) = columns.first() else {
            bail!("{} has no columns", args.coded.display());
        };
        let gold_columns = header(&args.gold, delimiter)?;
        if args.gold_id.is_empty() && !gold_columns.contains(first) {
            bail!(
                "cannot match the rows: the coded file's first column \"{first}\" is not a \
                 column of {} (its columns: {}); name the id column with --id COLUMN, and \
                 --gold-id COLUMN if the gold file calls it something else",
                args.gold.display(),
                gold_columns.join(", ")
            );
        }
        vec![first.clone()]
    } else {
        args.id.clone()
    };
    let gold = if args.gold_id.is_empty() {
        coded.clone()
    } else {
        args.gold_id.clone()
    };
    if coded.len() != gold.len() {
        bail!(
            "--id names {} column(s) and --gold-id {}: a key needs the same number in both files",
            coded.len(),
            gold.len()
        );
    }
    let named = |names: &[String], option: &str| -> Vec<Named> {
        names
            .iter()
            .map(|n| Named::new(n.clone(), option))
            .collect()
    };
    let gold_option = if args.gold_id.is_empty() {
        "--id"
    } else {
        "--gold-id"
    };
    Ok((named(&coded, "--id"), named(&gold, gold_option)))
}

/// In `verbatim code`'s CSV the theme columns sit between `text` and `themes`: every theme of
/// the codebook is a label of the file, coded or not.
fn declare_code_themes(table: &mut LabelledTable, default_labels: bool) {
    if !default_labels || !table.has_evidence {
        return;
    }
    let columns = &table.columns;
    if let (Some(text), Some(themes)) = (
        columns.iter().position(|c| c == "text"),
        columns.iter().position(|c| c == "themes"),
    ) {
        if text < themes {
            table.declared_labels = columns[text + 1..themes]
                .iter()
                .map(|c| c.strip_prefix("theme_").map_or(c.clone(), String::from))
                .collect();
        }
    }
}

fn warn_about_mapping(mapping: &Mapping, coded: &LabelledTable, gold: &LabelledTable) {
    let coded_labels = coded.labels();
    let gold_labels = gold.labels();
    let file = mapping.file.as_deref().unwrap_or("the map");
    for (theme, label) in &mapping.pairs {
        if !coded_labels.contains(theme) {
            eprintln!(
                "warning: {file}: \"{theme}\" is not a label of {}",
                coded.file
            );
        }
        if !gold_labels.contains(label) {
            eprintln!(
                "warning: {file}: \"{label}\" (for \"{theme}\") is not a label of {}",
                gold.file
            );
        }
    }
}

fn number(value: Option<f64>) -> String {
    value.map_or_else(|| "-".into(), |v| format!("{v:.3}"))
}

fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn text(e: &Evaluation, args: &Args) -> String {
    let mut out = String::new();
    let coded_column = if args.coded_indicator.is_empty() {
        args.coded_column.clone().unwrap_or_else(|| "themes".into())
    } else {
        args.coded_indicator.join(", ")
    };
    let gold_column = args.gold_labels.describe();
    let _ = writeln!(
        out,
        "{} ({coded_column}) against {} ({gold_column})",
        e.coded_file, e.gold_file
    );
    let r = &e.rows;
    let _ = writeln!(
        out,
        "rows: {} coded, {} gold, {} matched; {} only in the coded file, {} only in the gold file",
        count(r.coded_rows),
        count(r.gold_rows),
        count(r.matched),
        count(r.only_coded),
        count(r.only_gold)
    );
    for (what, examples, n) in [
        (
            "only in the coded file",
            &r.only_coded_examples,
            r.only_coded,
        ),
        ("only in the gold file", &r.only_gold_examples, r.only_gold),
    ] {
        if n > 0 {
            let listed: Vec<String> = examples
                .iter()
                .map(|x| format!("{} (line {})", x.key, x.line))
                .collect();
            let more = if n as usize > examples.len() {
                ", ..."
            } else {
                ""
            };
            let _ = writeln!(out, "  {what}: {}{more}", listed.join(", "));
        }
    }
    if r.coded_skipped + r.gold_skipped > 0 {
        let _ = writeln!(
            out,
            "  unreadable rows skipped: {} in the coded file, {} in the gold file",
            r.coded_skipped, r.gold_skipped
        );
    }
    if r.coded_without_label + r.gold_without_label > 0 {
        let _ = writeln!(
            out,
            "  matched comments without a label: {} coded, {} gold",
            count(r.coded_without_label),
            count(r.gold_without_label)
        );
    }
    if !e.left_out.is_empty() {
        let listed: Vec<String> = e
            .left_out
            .iter()
            .map(|x| format!("{} ({})", x.label, x.comments))
            .collect();
        let _ = writeln!(
            out,
            "left out, no gold label (--map, or --unmatched score to count them): {}",
            listed.join(", ")
        );
    }
    out.push('\n');
    let width = e
        .labels
        .iter()
        .map(|s| s.label.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let _ = writeln!(
        out,
        "{:<width$}  {:>7} {:>7} {:>7} {:>7} {:>7}  {:>9} {:>6} {:>6} {:>6} {:>6}",
        "label",
        "support",
        "coded",
        "TP",
        "FP",
        "FN",
        "precision",
        "recall",
        "F1",
        "kappa",
        "alpha"
    );
    for s in &e.labels {
        let _ = writeln!(
            out,
            "{:<width$}  {:>7} {:>7} {:>7} {:>7} {:>7}  {:>9} {:>6} {:>6} {:>6} {:>6}",
            s.label,
            s.support,
            s.predicted,
            s.table.tp,
            s.table.fp,
            s.table.fn_,
            number(s.precision),
            number(s.recall),
            number(s.f1),
            number(s.kappa),
            number(s.alpha)
        );
    }
    for (name, a) in [("micro", &e.micro), ("macro", &e.macro_)] {
        let _ = writeln!(
            out,
            "{:<width$}  {:>39}  {:>9} {:>6} {:>6} {:>6} {:>6}",
            name,
            "",
            number(a.precision),
            number(a.recall),
            number(a.f1),
            number(a.kappa),
            number(a.alpha)
        );
    }
    let _ = writeln!(
        out,
        "\nidentical label sets: {}",
        e.exact_match
            .map_or_else(|| "-".into(), |v| format!("{:.1}%", 100.0 * v))
    );
    let _ = writeln!(
        out,
        "Krippendorff's alpha over label sets (Jaccard distance; nominal alpha when each \
         comment has one label): {}",
        number(e.alpha)
    );
    let _ = writeln!(
        out,
        "(per-label kappa and alpha: the label present or not; macro kappa and alpha: their mean)"
    );

    let with_errors: Vec<_> = e
        .errors
        .iter()
        .filter(|x| x.false_positives > 0 || x.false_negatives > 0)
        .collect();
    if args.errors > 0 && !with_errors.is_empty() {
        let _ = writeln!(
            out,
            "\nFALSE POSITIVES: coded with the label, which the gold file does not give"
        );
        for x in &with_errors {
            if x.false_positives == 0 {
                continue;
            }
            let _ = writeln!(
                out,
                "{} ({} false positive{})",
                x.label,
                x.false_positives,
                if x.false_positives == 1 { "" } else { "s" }
            );
            for rule in &x.rules {
                let gold: Vec<String> = rule
                    .gold_labels
                    .iter()
                    .map(|(l, n)| format!("{l} {n}"))
                    .collect();
                let _ = writeln!(
                    out,
                    "  {}: wrong on {}, right on {} (precision {:.2}); gold: {}",
                    rule.rule,
                    rule.false_positives,
                    rule.true_positives,
                    rule.precision,
                    gold.join(", ")
                );
                for ex in &rule.examples {
                    let _ = writeln!(out, "      {}", example(ex));
                }
            }
            if x.without_evidence > 0 {
                let _ = writeln!(
                    out,
                    "  (no evidence column or rule): {}",
                    x.without_evidence
                );
                for ex in &x.without_evidence_examples {
                    let _ = writeln!(out, "      {}", example(ex));
                }
            }
        }
        let _ = writeln!(
            out,
            "\nFALSE NEGATIVES: the gold label, not coded; terms over-represented in these comments"
        );
        for x in &with_errors {
            if x.false_negatives == 0 {
                continue;
            }
            let terms: Vec<String> = x
                .missed_terms
                .iter()
                .map(|t| format!("{} ({})", t.term, t.missed))
                .collect();
            let _ = writeln!(
                out,
                "{} ({} missed): {}",
                x.label,
                x.false_negatives,
                if terms.is_empty() {
                    "no term stands out".to_string()
                } else {
                    terms.join(", ")
                }
            );
            for ex in &x.missed_examples {
                let _ = writeln!(out, "      {}", example(ex));
            }
        }
    }
    out
}

fn example(ex: &verbatim::eval::Example) -> String {
    let gold = if ex.gold.is_empty() {
        "no label".to_string()
    } else {
        ex.gold.join(" | ")
    };
    format!("line {} [{gold}] \"{}\"", ex.line, ex.text)
}

fn csv(out: &mut impl Write, e: &Evaluation) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "scope",
        "label",
        "coded_as",
        "support",
        "coded",
        "tp",
        "fp",
        "fn",
        "tn",
        "precision",
        "recall",
        "f1",
        "kappa",
        "alpha",
    ])?;
    let value = |v: Option<f64>| v.map_or_else(String::new, |v| format!("{v:.6}"));
    for s in &e.labels {
        writer.write_record([
            "label".to_string(),
            s.label.clone(),
            s.coded_as.join("|"),
            s.support.to_string(),
            s.predicted.to_string(),
            s.table.tp.to_string(),
            s.table.fp.to_string(),
            s.table.fn_.to_string(),
            s.table.tn.to_string(),
            value(s.precision),
            value(s.recall),
            value(s.f1),
            value(s.kappa),
            value(s.alpha),
        ])?;
    }
    for (scope, a) in [("micro", &e.micro), ("macro", &e.macro_)] {
        let mut record = vec![String::from(scope)];
        record.extend(std::iter::repeat_n(String::new(), 8));
        record.extend([
            value(a.precision),
            value(a.recall),
            value(a.f1),
            value(a.kappa),
            value(a.alpha),
        ]);
        writer.write_record(&record)?;
    }
    let mut record = vec![String::from("label_sets")];
    record.extend(std::iter::repeat_n(String::new(), 12));
    record.push(value(e.alpha));
    writer.write_record(&record)?;
    writer.flush()?;
    Ok(())
}
