//! `verbatim learn`: a codebook learned from coded examples, rules by keyness, the number of
//! rules and each theme's threshold tuned by cross-validation on the training file alone.
//!
//! ```text
//! verbatim learn train.csv --text comment --gold-column label -o learned.toml
//! verbatim code test.csv --text comment --codebook learned.toml -o predicted.csv
//! ```
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use verbatim::learn::{learn, Examples, LearnOptions, Selection, Weighting};
use verbatim::text::Analyzer;

use super::labelled::{file_name, GoldLabelArgs, LabelledArgs};

#[derive(clap::Args)]
pub struct Args {
    /// Training comments with their labels (CSV, XLSX or JSONL).
    pub input: PathBuf,
    #[command(flatten)]
    pub gold_labels: GoldLabelArgs,
    #[command(flatten)]
    pub file: LabelledArgs,
    /// Column that identifies a comment, whose hash fixes its cross-validation fold
    /// [default: the inferred id column, else the line number].
    #[arg(long, value_name = "COLUMN")]
    pub id: Option<String>,
    /// Where to write the codebook (TOML); standard output when absent.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Cross-validation folds.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Numbers of rules per theme to try, comma-separated; cross-validation keeps the best.
    #[arg(long, value_delimiter = ',', default_values_t = vec![10, 20, 40, 80, 160, 320])]
    pub rules: Vec<usize>,
    /// A rule's term must be in at least this many comments of its label.
    #[arg(long, default_value_t = 3)]
    pub min_count: u64,
    /// ... and over- (or, for evidence against, under-) represented in them with at least
    /// this log-likelihood G² (3.84 is p < 0.05, 10.83 p < 0.001).
    #[arg(long, default_value_t = 3.84)]
    pub min_g2: f64,
    /// How rule weights are set: `logistic`, the coefficients of a logistic regression of the
    /// label on the rules' terms (for and against, negative weights included); or `keyness`,
    /// each rule's own log ratio (evidence for the label only).
    #[arg(long, value_enum, default_value_t = WeightsArg::Logistic)]
    pub weights: WeightsArg,
    /// L2 penalty of the logistic regression (1 / C of scikit-learn).
    #[arg(long, default_value_t = 1.0)]
    pub l2: f64,
    /// Stemming language of the analyser.
    #[arg(long, default_value = "english")]
    pub language: String,
    /// The codebook's name [default: "Learned from FILE"].
    #[arg(long)]
    pub name: Option<String>,
    /// Print only errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WeightsArg {
    Logistic,
    Keyness,
}

pub fn run(args: Args) -> Result<()> {
    let started = Instant::now();
    let Some(analyzer) = Analyzer::new(&args.language) else {
        let known: Vec<&str> = verbatim::text::LANGUAGES.iter().map(|(n, _)| *n).collect();
        bail!(
            "unknown language \"{}\"; one of: {}",
            args.language,
            known.join(", ")
        );
    };
    if !(args.l2 > 0.0 && args.l2.is_finite()) {
        bail!("--l2 must be a positive number");
    }
    if args.folds < 2 {
        bail!("--folds must be 2 or more");
    }
    if args.rules.is_empty() || args.rules.contains(&0) {
        bail!("--rules needs one or more positive numbers, such as 10,20,40");
    }
    let table = args.file.read(
        &args.input,
        args.gold_labels.gold_column.as_deref(),
        &args.gold_labels.gold_indicator,
        Some(args.id.as_deref()),
    )?;
    let label_names = table.labels();
    if label_names.is_empty() {
        bail!(
            "{} has no labels in {}: nothing to learn",
            table.file,
            args.gold_labels.describe()
        );
    }
    let mut empty = 0;
    let mut unlabelled = 0;
    let mut examples = Examples {
        texts: Vec::new(),
        labels: Vec::new(),
        label_names: label_names.clone(),
        keys: Vec::new(),
    };
    for row in &table.rows {
        if row.text.trim().is_empty() {
            empty += 1;
            continue;
        }
        unlabelled += usize::from(row.labels.is_empty());
        examples.texts.push(&row.text);
        examples.labels.push(
            row.labels
                .iter()
                .map(|l| label_names.binary_search(l).expect("a label of the table"))
                .collect(),
        );
        examples.keys.push(row.key.clone());
    }
    if examples.texts.is_empty() {
        bail!("{} has no comments to learn from", table.file);
    }
    let options = LearnOptions {
        folds: args.folds,
        rule_counts: args.rules.clone(),
        weighting: match args.weights {
            WeightsArg::Logistic => Weighting::Logistic { l2: args.l2 },
            WeightsArg::Keyness => Weighting::LogRatio,
        },
        selection: Selection {
            min_count: args.min_count.max(1),
            min_g2: args.min_g2,
            negative: args.weights == WeightsArg::Logistic,
        },
        ..LearnOptions::default()
    };
    let learned = learn(&analyzer, &examples, &options)?;
    let name = args
        .name
        .clone()
        .unwrap_or_else(|| format!("Learned from {}", file_name(&args.input)));
    let mut notes = vec![
        format!(
            "Learned by `verbatim learn` from {} ({} comments, {} labels).",
            file_name(&args.input),
            examples.texts.len(),
            label_names.len()
        ),
        String::new(),
        "Each theme's rules are the words, stems and phrases whose share differs most between"
            .into(),
        format!(
            "the comments of its label and the others (log-likelihood G2 >= {}, in at least {} of",
            args.min_g2, options.selection.min_count
        ),
        "them), one rule per stem. A theme is coded when the weights of its hits add up to its"
            .into(),
        "threshold; overlapping hits of one sign count once, at the largest weight.".into(),
    ];
    notes.extend(match options.weighting {
        Weighting::Logistic { l2 } => vec![
            format!(
                "Weights: the coefficients of a logistic regression (L2 penalty {l2}) of the label"
            ),
            "on the rules' terms, present or not; a negative weight is evidence against the theme."
                .into(),
            "A phrase's weight includes those of the rules of its sign inside it, since the".into(),
            "codebook counts overlapping hits once.".into(),
        ],
        Weighting::LogRatio => vec![
            "Weights: log2 of how many times more often a comment of the label has the term than"
                .into(),
            "another comment (counts + 0.5).".into(),
        ],
    });
    notes.extend([
        format!(
            "How many rules and which threshold: the best F1 in {}-fold cross-validation on the",
            learned.folds
        ),
        "training file alone. The comment after each rule gives the counts it was chosen on."
            .into(),
        "Edit it like any codebook; `verbatim codebook check` runs its examples.".into(),
    ]);
    let toml = learned.to_toml(&name, &notes, true, &analyzer);
    verbatim::codebook::Codebook::from_source(&toml, "the learned codebook")
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("the learned codebook does not compile, which is a bug in verbatim learn")?;
    match &args.output {
        Some(path) => std::fs::write(path, &toml)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{toml}"),
    }
    if !args.quiet {
        eprintln!(
            "learned from {}: {} comments ({} without a label), {} labels",
            table.file,
            examples.texts.len(),
            unlabelled,
            label_names.len()
        );
        if empty > 0 || table.skipped_count > 0 {
            eprintln!(
                "  left out: {empty} empty comments, {} unreadable rows",
                table.skipped_count
            );
            for skip in table.skipped.iter().take(5) {
                eprintln!("    {skip}");
            }
        }
        eprintln!(
            "  {}-fold cross-validation on the training file:",
            learned.folds
        );
        let width = learned
            .themes
            .iter()
            .map(|t| t.label.chars().count())
            .max()
            .unwrap_or(5)
            .max(5);
        eprintln!(
            "    {:<width$} {:>8} {:>6} {:>9} {:>9} {:>6} {:>6}",
            "label", "comments", "rules", "threshold", "precision", "recall", "F1"
        );
        for t in &learned.themes {
            eprintln!(
                "    {:<width$} {:>8} {:>6} {:>9.2} {:>9.3} {:>6.3} {:>6.3}",
                t.label,
                t.comments,
                t.rules.len(),
                t.threshold,
                t.cv.precision,
                t.cv.recall,
                t.cv.f1
            );
        }
        let (tp, fp, fn_) = learned.themes.iter().fold((0, 0, 0), |(a, b, c), t| {
            (a + t.cv.tp, b + t.cv.fp, c + t.cv.fn_)
        });
        let missing: u64 = learned
            .skipped
            .iter()
            .filter_map(|(label, _)| {
                let l = label_names.binary_search(label).ok()?;
                Some(examples.labels.iter().filter(|ls| ls.contains(&l)).count() as u64)
            })
            .sum();
        let micro = 2.0 * tp as f64 / (2 * tp + fp + fn_ + missing).max(1) as f64;
        let macro_: f64 =
            learned.themes.iter().map(|t| t.cv.f1).sum::<f64>() / label_names.len() as f64;
        eprintln!("    micro F1 {micro:.3}, macro F1 {macro_:.3} (cross-validated)");
        eprintln!("  strongest rules per theme, for and against (weight):");
        for t in &learned.themes {
            let mut by_weight: Vec<&verbatim::learn::Candidate> = t.rules.iter().collect();
            by_weight.sort_by(|a, b| {
                b.weight
                    .total_cmp(&a.weight)
                    .then(a.pattern.cmp(&b.pattern))
            });
            let show = |rules: Vec<&&verbatim::learn::Candidate>| -> String {
                rules
                    .iter()
                    .map(|r| format!("{} {:.2}", r.pattern, r.weight))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let positive = show(
                by_weight
                    .iter()
                    .filter(|r| r.weight > 0.0)
                    .take(6)
                    .collect(),
            );
            let negative = show(
                by_weight
                    .iter()
                    .rev()
                    .filter(|r| r.weight < 0.0)
                    .take(3)
                    .collect(),
            );
            if negative.is_empty() {
                eprintln!("    {}: {positive}", t.label);
            } else {
                eprintln!("    {}: {positive}; against: {negative}", t.label);
            }
        }
        for (label, reason) in &learned.skipped {
            eprintln!("  no theme for \"{label}\": {reason}");
        }
        eprintln!(
            "  {:.2} s{}",
            started.elapsed().as_secs_f64(),
            args.output
                .as_ref()
                .map(|p| format!(", written to {}", p.display()))
                .unwrap_or_default()
        );
    }
    Ok(())
}
