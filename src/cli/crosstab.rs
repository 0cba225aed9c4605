//! `verbatim crosstab`: themes by a closed question, an attribute, the open question or
//! another theme, with chi-square, Fisher, residuals, BH-adjusted p, Cramér's V and trend.
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use verbatim::crosstab::{
    crosstab, heatmap_svg, ColumnKind, Crosstab, CrosstabOptions, Measure, ThemeRow, Unit,
    RESIDUAL_FLAG,
};
use verbatim::index::SurveyIndex;

#[derive(clap::Args)]
pub struct Args {
    /// Directory of the index.
    #[arg(long)]
    pub index: PathBuf,
    /// Rows: the themes.
    #[arg(long, default_value = "theme")]
    pub rows: String,
    /// Columns: a closed question, an attribute, `question` (the open questions) or `theme`
    /// (co-occurrence).
    #[arg(long)]
    pub cols: String,
    /// What each cell shows: counts, or the mean sentiment of the theme with its 95% interval.
    #[arg(long, value_enum, default_value_t = MeasureArg::Count)]
    pub measure: MeasureArg,
    /// Count comments, or respondents (a respondent has a theme if any of their comments has).
    #[arg(long, value_enum, default_value_t = UnitArg::Comment)]
    pub unit: UnitArg,
    /// A column (attribute) holding each respondent's survey weight.
    #[arg(long, value_name = "COLUMN")]
    pub weight: Option<String>,
    /// Tabulate only the comments this query matches (the language of `verbatim search`).
    #[arg(long, value_name = "QUERY")]
    pub filter: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Also write the table as an SVG heatmap to this file.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MeasureArg {
    Count,
    Sentiment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum UnitArg {
    Comment,
    Respondent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Csv,
    Json,
}

pub fn run(args: Args) -> Result<()> {
    let rows = args.rows.to_lowercase();
    if rows != "theme" && rows != "themes" {
        bail!(
            "--rows must be theme (themes are the rows; put {:?} in --cols)",
            args.rows
        );
    }
    let index = SurveyIndex::open(&args.index)?;
    let options = CrosstabOptions {
        cols: args.cols.clone(),
        unit: match args.unit {
            UnitArg::Comment => Unit::Comment,
            UnitArg::Respondent => Unit::Respondent,
        },
        weight: args.weight.clone(),
        measure: match args.measure {
            MeasureArg::Count => Measure::Count,
            MeasureArg::Sentiment => Measure::Sentiment,
        },
        filter: args.filter.clone(),
    };
    let table = crosstab(&index, &options)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Text => out.write_all(text(&table).as_bytes())?,
        Format::Csv => csv(&mut out, &table)?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &table)?;
            writeln!(out)?;
        }
    }
    for warning in &table.warnings {
        eprintln!("warning: {warning}");
    }
    if let Some(path) = &args.svg {
        std::fs::write(path, heatmap_svg(&table))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

fn number(value: f64, weighted: bool) -> String {
    if weighted {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    }
}

fn percent(value: f64) -> String {
    if value.is_finite() {
        format!("{value:.1}%")
    } else {
        "-".into()
    }
}

fn flag(residual: f64) -> &'static str {
    if residual > RESIDUAL_FLAG {
        "+"
    } else if residual < -RESIDUAL_FLAG {
        "-"
    } else {
        " "
    }
}

fn p_value(p: f64) -> String {
    if !p.is_finite() {
        "-".into()
    } else if p < 0.001 {
        "<.001".into()
    } else {
        format!("{p:.3}")
    }
}

fn cell(table: &Crosstab, row: &ThemeRow, c: usize) -> String {
    match table.measure {
        Measure::Sentiment => match row.sentiment.get(c).copied().flatten() {
            Some(m) if m.lower.is_finite() => {
                format!("{:+.2} [{:+.2},{:+.2}]", m.mean, m.lower, m.upper)
            }
            Some(m) => format!("{:+.2}", m.mean),
            None => "-".into(),
        },
        Measure::Count => match table.kind {
            ColumnKind::Theme => number(row.n[c], table.weighted),
            _ => format!(
                "{} {}{}",
                number(row.n[c], table.weighted),
                percent(row.column_percent[c]),
                flag(row.residual[c])
            ),
        },
    }
}

/// The aligned terminal table: a row per theme, a column per answer, then the statistics.
pub fn text(table: &Crosstab) -> String {
    let mut out = String::new();
    let title = match table.kind {
        ColumnKind::Theme => "theme co-occurrence".to_string(),
        _ => format!("themes by {}", table.column),
    };
    let _ = writeln!(
        out,
        "{title} ({}{}{}{})",
        table.unit,
        if table.weighted { ", weighted" } else { "" },
        if table.measure == Measure::Sentiment {
            "; mean theme sentiment [95% CI]"
        } else if table.kind == ColumnKind::Theme {
            ""
        } else {
            "; n and % of the column; + / - adjusted residual beyond ±1.96"
        },
        table
            .filter
            .as_ref()
            .map(|f| format!("; filter {f}"))
            .unwrap_or_default()
    );
    let name_width = table
        .rows
        .iter()
        .map(|r| r.theme.chars().count() + 2 * r.depth)
        .max()
        .unwrap_or(5)
        .max(10);
    let cells: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| {
            (0..table.columns.len())
                .map(|c| cell(table, r, c))
                .collect()
        })
        .collect();
    let widths: Vec<usize> = (0..table.columns.len())
        .map(|c| {
            cells
                .iter()
                .map(|r| r[c].chars().count())
                .chain([table.columns[c].chars().count().min(22), 6])
                .max()
                .unwrap_or(6)
        })
        .collect();
    let short = |label: &str, width: usize| -> String {
        if label.chars().count() <= width {
            label.to_string()
        } else {
            let mut s: String = label.chars().take(width - 1).collect();
            s.push('…');
            s
        }
    };
    let stats_header = match (table.kind, table.measure) {
        (ColumnKind::Theme, _) | (_, Measure::Sentiment) => String::new(),
        (ColumnKind::Ordered, _) => "   chi2  df      p   p(BH)     V  trend r      p".into(),
        _ => "   chi2  df      p   p(BH)     V".into(),
    };
    let _ = write!(out, "{:<name_width$}", "");
    for (c, label) in table.columns.iter().enumerate() {
        let _ = write!(out, "  {:>w$}", short(label, widths[c]), w = widths[c]);
    }
    let _ = writeln!(out, "{stats_header}");
    let _ = write!(out, "{:<name_width$}", "base (n)");
    for (c, base) in table.base.iter().enumerate() {
        let _ = write!(
            out,
            "  {:>w$}",
            number(*base, table.weighted),
            w = widths[c]
        );
    }
    let _ = writeln!(out);
    for (row, cells) in table.rows.iter().zip(&cells) {
        let name = format!("{}{}", "  ".repeat(row.depth), row.theme);
        let _ = write!(out, "{name:<name_width$}");
        for (c, text) in cells.iter().enumerate() {
            let _ = write!(out, "  {text:>w$}", w = widths[c]);
        }
        if table.measure == Measure::Count {
            if let Some(t) = &row.test {
                let _ = write!(
                    out,
                    " {:>7.2} {:>3} {:>6} {:>7} {:>5.2}",
                    t.chi_square,
                    t.df,
                    p_value(t.reported_p()),
                    p_value(t.p_adjusted),
                    t.cramers_v
                );
                if t.approximation_unsafe {
                    out.push('!');
                }
            }
            if let Some(trend) = &row.trend {
                let _ = write!(
                    out,
                    "  {:>+7.2} {:>6}",
                    trend.rank_biserial,
                    p_value(trend.p)
                );
            }
        }
        out.push('\n');
    }
    if table.kind != ColumnKind::Theme {
        let _ = write!(out, "{:<name_width$}", "(no theme)");
        for (c, n) in table.uncoded.iter().enumerate() {
            let _ = write!(out, "  {:>w$}", number(*n, table.weighted), w = widths[c]);
        }
        out.push('\n');
    }
    if table.measure == Measure::Count && table.kind != ColumnKind::Theme {
        let _ = writeln!(
            out,
            "p: chi-square test of the theme against the answers (Fisher's exact for two answers); \
             p(BH): adjusted across the {} themes; V: Cramér's V; ! expected counts small{}; \
             {} not tested",
            table.rows.len(),
            if table.kind == ColumnKind::Ordered {
                "; trend r: rank-biserial of the answer level, comments with the theme vs without \
                 (positive: later levels)"
            } else {
                ""
            },
            verbatim::crosstab::MISSING
        );
    }
    out
}

fn csv(out: &mut impl Write, table: &Crosstab) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "theme",
        "column",
        "value",
        "n",
        "count",
        "base",
        "row_percent",
        "column_percent",
        "residual",
        "flagged",
        "mean_sentiment",
        "ci_lower",
        "ci_upper",
        "jaccard",
        "lift",
        "chi_square",
        "df",
        "p",
        "p_adjusted",
        "cramers_v",
        "fisher_p",
        "approximation_unsafe",
        "trend_rank_biserial",
        "trend_p",
    ])?;
    let f = |v: f64| {
        if v.is_finite() {
            format!("{v:.6}")
        } else {
            String::new()
        }
    };
    for row in &table.rows {
        for (c, value) in table.columns.iter().enumerate() {
            let mean = row.sentiment.get(c).copied().flatten();
            let test = row.test.as_ref();
            writer.write_record([
                row.theme.clone(),
                table.column.clone(),
                value.clone(),
                f(row.n[c]),
                row.counts[c].to_string(),
                f(table.base[c]),
                f(row.row_percent[c]),
                f(row.column_percent[c]),
                f(row.residual[c]),
                flag(row.residual[c]).trim().to_string(),
                mean.map_or(String::new(), |m| f(m.mean)),
                mean.map_or(String::new(), |m| f(m.lower)),
                mean.map_or(String::new(), |m| f(m.upper)),
                row.jaccard.get(c).map_or(String::new(), |v| f(*v)),
                row.lift.get(c).map_or(String::new(), |v| f(*v)),
                test.map_or(String::new(), |t| f(t.chi_square)),
                test.map_or(String::new(), |t| t.df.to_string()),
                test.map_or(String::new(), |t| f(t.p)),
                test.map_or(String::new(), |t| f(t.p_adjusted)),
                test.map_or(String::new(), |t| f(t.cramers_v)),
                test.and_then(|t| t.fisher_p).map_or(String::new(), f),
                test.map_or(String::new(), |t| t.approximation_unsafe.to_string()),
                row.trend
                    .as_ref()
                    .map_or(String::new(), |t| f(t.rank_biserial)),
                row.trend.as_ref().map_or(String::new(), |t| f(t.p)),
            ])?;
        }
    }
    writer.flush()?;
    Ok(())
}
