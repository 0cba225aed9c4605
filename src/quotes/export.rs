//! Shortlists as files for a report: Markdown, CSV, JSON and XLSX. Respondent text is data, never
//! markup or a formula: Markdown escapes it, CSV neutralises cells a spreadsheet would run, and
//! XLSX stores every text as a string cell.
use std::fmt::Write as _;
use std::io::Write;

use anyhow::{Context, Result};
use rust_xlsxwriter::{Format, FormatAlign, Workbook};

use super::{Direction, Quote, Shortlist};
pub use crate::markup::escape_markdown;

/// The columns of the CSV and XLSX exports, in order.
pub const COLUMNS: &[&str] = &[
    "theme",
    "rank",
    "quote",
    "attribution",
    "respondent",
    "trimmed",
    "theme_sentiment",
    "score",
    "evidence",
    "sentiment_part",
    "representative",
    "quotable",
    "rules",
    "file",
    "line",
    "redactions",
];

/// One line describing how a shortlist was made, for the head of every export.
pub fn summary(list: &Shortlist) -> String {
    if list.picked {
        let mut out = format!(
            "{} quote{} chosen by hand from the index",
            list.quotes.len(),
            plural(list.quotes.len())
        );
        if list.redacted {
            let _ = write!(out, "; {}", list.redactions.describe());
        } else {
            out.push_str("; not redacted");
        }
        return out;
    }
    let mut out = format!(
        "{} quote{} from {} comment{} with theme {}",
        list.quotes.len(),
        plural(list.quotes.len()),
        list.matched,
        plural(list.matched),
        list.theme
    );
    if let Some(filter) = &list.filter {
        let _ = write!(out, " matching {filter:?}");
    }
    if list.ranked < list.matched {
        let _ = write!(
            out,
            " ({} ranked, evenly spaced in input order)",
            list.ranked
        );
    }
    match (list.mean_sentiment, list.direction) {
        (Some(mean), Direction::Mixed) => {
            let _ = write!(out, "; mixed feeling (mean theme sentiment {mean:+.2})");
        }
        (Some(mean), direction) => {
            let way = if direction == Direction::Negative {
                "negative"
            } else {
                "positive"
            };
            let _ = write!(out, "; leaning {way} (mean theme sentiment {mean:+.2})");
        }
        (None, _) => {}
    }
    let passed = list.passed_over;
    if passed.near_duplicates + passed.same_respondent > 0 {
        let _ = write!(
            out,
            "; passed over {} near-duplicate{} and {} more from the same respondent",
            passed.near_duplicates,
            plural(passed.near_duplicates),
            passed.same_respondent
        );
    }
    if list.redacted {
        let _ = write!(out, "; {}", list.redactions.describe());
    } else {
        out.push_str("; not redacted");
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A Markdown section per theme: each quote as a block quote with its attribution.
pub fn markdown(lists: &[Shortlist]) -> String {
    let mut out = String::new();
    for list in lists {
        let _ = writeln!(out, "## {}\n", escape_markdown(&list.label));
        let _ = writeln!(out, "_{}._\n", escape_markdown(&summary(list)));
        for quote in &list.quotes {
            let _ = writeln!(
                out,
                "> “{}”\n>\n> — {} ({})\n",
                escape_markdown(&one_line(&quote.text)),
                escape_markdown(&quote.attribution),
                escape_markdown(&quote.respondent)
            );
        }
    }
    out
}

/// Collapses line breaks and runs of spaces: a quote is one paragraph.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, or a tab or carriage
/// return first) gets a leading apostrophe, as OWASP recommends against CSV injection.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn number(value: f64) -> String {
    format!("{value:.4}")
}

/// The values of one quote's row, in [`COLUMNS`] order; `true` marks the free-text cells.
fn row(list: &Shortlist, quote: &Quote) -> Vec<(String, bool)> {
    let rules: Vec<String> = quote
        .rules
        .iter()
        .map(|(rule, words)| format!("{rule} ({words})"))
        .collect();
    vec![
        (list.theme.clone(), true),
        (quote.rank.to_string(), false),
        (one_line(&quote.text), true),
        (quote.attribution.clone(), true),
        (quote.respondent.clone(), true),
        (quote.trimmed.to_string(), false),
        (quote.sentiment.map(number).unwrap_or_default(), false),
        (number(quote.score), false),
        (number(quote.components.evidence), false),
        (number(quote.components.sentiment), false),
        (number(quote.components.representative), false),
        (number(quote.components.quotable), false),
        (rules.join("; "), true),
        (quote.file.clone(), true),
        (quote.line.to_string(), false),
        (quote.redactions.total().to_string(), false),
    ]
}

/// One row per quote, text cells neutralised against formula injection.
pub fn write_csv(lists: &[Shortlist], out: impl Write) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(COLUMNS)?;
    for list in lists {
        for quote in &list.quotes {
            let cells: Vec<String> = row(list, quote)
                .into_iter()
                .map(|(value, text)| if text { neutralise(&value) } else { value })
                .collect();
            writer.write_record(&cells)?;
        }
    }
    writer.flush()?;
    Ok(())
}

pub fn json(lists: &[Shortlist]) -> Result<String> {
    Ok(serde_json::to_string_pretty(lists)?)
}

/// A workbook with one sheet of quotes (the CSV's columns) and one of how each list was made.
/// Every text is written as a string cell, which a spreadsheet never evaluates.
pub fn xlsx(lists: &[Shortlist]) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let top = Format::new().set_align(FormatAlign::Top);
    let sheet = workbook.add_worksheet();
    sheet.set_name("Quotes")?;
    for (c, name) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &bold)?;
    }
    sheet.set_column_width(2, 70)?;
    sheet.set_column_width(3, 28)?;
    sheet.set_column_width(12, 40)?;
    sheet.set_freeze_panes(1, 0)?;
    let mut r = 1u32;
    for list in lists {
        for quote in &list.quotes {
            for (c, (value, text)) in row(list, quote).into_iter().enumerate() {
                let c = c as u16;
                let format = if c == 2 || c == 12 { &wrap } else { &top };
                match value.parse::<f64>() {
                    Ok(n) if !text && !value.is_empty() => {
                        sheet.write_number_with_format(r, c, n, format)?;
                    }
                    _ => {
                        sheet.write_string_with_format(r, c, &value, format)?;
                    }
                }
            }
            r += 1;
        }
    }
    let about = workbook.add_worksheet();
    about.set_name("About")?;
    about.write_string_with_format(0, 0, "theme", &bold)?;
    about.write_string_with_format(0, 1, "how the quotes were chosen", &bold)?;
    about.set_column_width(1, 120)?;
    for (i, list) in lists.iter().enumerate() {
        about.write_string(i as u32 + 1, 0, &list.theme)?;
        about.write_string(i as u32 + 1, 1, summary(list))?;
    }
    workbook
        .save_to_buffer()
        .context("cannot write the XLSX workbook")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formula_cells_only() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+44 1"), "'+44 1");
        assert_eq!(neutralise("-bad"), "'-bad");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("fine = ok"), "fine = ok");
    }

    #[test]
    fn one_line_collapses_breaks() {
        assert_eq!(one_line(" two\n lines  here "), "two lines here");
    }
}
