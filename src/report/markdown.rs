//! The Markdown twin of the HTML report: the same sections and numbers, with the charts as SVG
//! files beside it (`charts/`). Respondent text is escaped so that it renders as written.
use std::fmt::Write as _;

use super::{count, p_value, Report, ThemeSection};
use crate::quotes::export::{escape_markdown, one_line, summary};

/// The chart file names the Markdown refers to, relative to the report folder.
pub fn overview_chart() -> &'static str {
    "charts/prevalence.svg"
}

pub fn breakdown_chart() -> &'static str {
    "charts/breakdown.svg"
}

pub fn theme_chart(theme: &ThemeSection) -> String {
    format!("charts/theme-{}.svg", file_safe(&theme.id))
}

/// Theme ids are codebook identifiers, but a file name must not depend on that.
pub fn file_safe(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn sentiment(theme: &ThemeSection) -> String {
    match theme.sentiment {
        Some(s) => format!("{:+.2} [{:+.2}, {:+.2}]", s.mean, s.lower, s.upper),
        None => "–".to_string(),
    }
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let c = &report.counts;
    let _ = writeln!(out, "# {}\n", escape_markdown(&report.title));
    let _ = writeln!(
        out,
        "{} comments from {} respondents ({} rows read, {} skipped) in {}. Coded with codebook **{}** version {} (hash `{}`); {} comments have no theme.\n",
        count(c.comments as f64),
        count(c.respondents as f64),
        count(c.rows_read as f64),
        count(c.rows_skipped as f64),
        escape_markdown(&report.files.join(", ")),
        escape_markdown(&report.codebook),
        escape_markdown(&report.codebook_version),
        report.codebook_hash,
        count(report.uncoded)
    );
    out.push_str("## Overview\n\n");
    let _ = writeln!(
        out,
        "![Share of comments with each theme]({})\n",
        overview_chart()
    );
    out.push_str("| Theme | Comments | Share | Mean sentiment [95% CI] |\n|---|---:|---:|---:|\n");
    for theme in &report.themes {
        let indent = if theme.depth > 0 { "  ↳ " } else { "" };
        let _ = writeln!(
            out,
            "| {indent}{} | {} | {:.1}% | {} |",
            escape_markdown(&theme.label),
            count(theme.comments),
            theme.percent,
            sentiment(theme)
        );
    }
    out.push('\n');
    if let Some(table) = &report.by {
        let _ = writeln!(out, "### Themes by {}\n", escape_markdown(&table.column));
        if let Some(note) = &report.by_note {
            let _ = writeln!(out, "Broken down by {}.\n", escape_markdown(note));
        }
        let _ = writeln!(
            out,
            "![Themes by {}]({})\n",
            escape_markdown(&table.column),
            breakdown_chart()
        );
    }
    for theme in &report.themes {
        let _ = writeln!(out, "## {}\n", escape_markdown(&theme.label));
        if !theme.description.trim().is_empty() {
            let _ = writeln!(out, "_{}_\n", escape_markdown(theme.description.trim()));
        }
        let _ = writeln!(
            out,
            "**{}** comments ({:.1}% of all); mean theme sentiment {}.\n",
            count(theme.comments),
            theme.percent,
            sentiment(theme)
        );
        if let Some(verdict) = &theme.difference {
            let _ = writeln!(out, "{}.\n", escape_markdown(verdict));
        }
        for h in &theme.highlights {
            let _ = writeln!(
                out,
                "- **{}**: {}",
                escape_markdown(&h.column),
                escape_markdown(&h.finding())
            );
        }
        if !theme.highlights.is_empty() {
            out.push('\n');
        }
        if report.by.is_some() && theme.comments > 0.0 {
            let _ = writeln!(
                out,
                "![{} by breakdown]({})\n",
                escape_markdown(&theme.label),
                theme_chart(theme)
            );
        }
        let _ = writeln!(
            out,
            "### Quotes\n\n_{}._\n",
            escape_markdown(&summary(&theme.quotes))
        );
        for quote in &theme.quotes.quotes {
            let _ = writeln!(
                out,
                "> “{}”\n>\n> — {} ({})\n",
                escape_markdown(&one_line(&quote.text)),
                escape_markdown(&quote.attribution),
                escape_markdown(&quote.respondent)
            );
        }
    }
    let _ = writeln!(
        out,
        "## How these numbers were made\n\n\
         Themes are coded by the codebook's rules; `verbatim explain` shows the words that fired each. \
         Differences use a chi-square test (Fisher's exact test for two answers), Benjamini-Hochberg adjusted across themes; \
         cells are listed only for themes with an adjusted p below {} and only where the adjusted residual is beyond ±1.96. \
         Quotes are ranked by evidence, sentiment in the theme's direction, representativeness and quotability, chosen for diversity, \
         trimmed to the theme's sentences (… marks a cut) and redacted; `verbatim quotes --explain` shows why each was chosen.\n\n\
         Made by verbatim {}.",
        p_value(super::ALPHA),
        env!("CARGO_PKG_VERSION")
    );
    out
}
