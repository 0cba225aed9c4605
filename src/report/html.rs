//! The report as one self-contained HTML page: inline CSS and SVG, no scripts, nothing fetched
//! from the network. Every piece of respondent or codebook text goes through [`escape`].
use std::fmt::Write as _;

use super::charts::{column_bars_svg, prevalence_svg};
use super::{count, p_value, Report, ThemeSection};
use crate::crosstab::heatmap_svg;
use crate::markup::escape_html as escape;
use crate::quotes::export::{one_line, summary};

const STYLE: &str = r#"
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5b5b66; --line: #e3e3e8; --accent: #2f5d8a; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fafafa; }
main { max-width: 980px; margin: 0 auto; padding: 2rem 1.5rem 4rem; background: #fff; }
h1 { font-size: 1.8rem; line-height: 1.25; margin: 0 0 .5rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 .6rem; padding-top: .8rem; border-top: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .5rem; }
.meta, .note, .desc { color: var(--muted); }
.desc { font-style: italic; }
nav > ol { columns: 2; column-gap: 2rem; padding-left: 1.4rem; }
nav > ol > li { break-inside: avoid; }
nav ul { padding-left: 1.2rem; list-style: circle; }
a { color: var(--accent); }
a:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; margin: .6rem 0 1rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.child td:first-child { padding-left: 1.6rem; }
figure { margin: 1rem 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .88rem; }
.stats { font-size: 1rem; }
.verdict { margin: .3rem 0; }
ul.highlights { margin: .3rem 0 1rem; }
blockquote { margin: 1rem 0; padding: .6rem 1rem; border-left: 4px solid var(--accent); background: #f5f7fa; }
blockquote p { margin: 0 0 .3rem; font-size: 1.02rem; }
blockquote footer { color: var(--muted); font-size: .9rem; }
.neg { color: #a93226; } .pos { color: #1e7b45; }
footer.methods { margin-top: 3rem; font-size: .9rem; color: var(--muted); border-top: 2px solid var(--line); padding-top: 1rem; }
"#;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let title = escape(&report.title);
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>"
    );
    header(&mut out, report);
    contents(&mut out, report);
    overview(&mut out, report);
    for (t, theme) in report.themes.iter().enumerate() {
        section(&mut out, report, theme, t);
    }
    methods(&mut out);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn header(out: &mut String, report: &Report) {
    let c = &report.counts;
    let _ = writeln!(out, "<header>\n<h1>{}</h1>", escape(&report.title));
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} comments from {} respondents ({} rows read, {} skipped) in {}. \
         Coded with codebook <strong>{}</strong> version {} (hash <code>{}</code>); {} comments \
         ({:.1}%) have no theme.</p>\n</header>",
        count(c.comments as f64),
        count(c.respondents as f64),
        count(c.rows_read as f64),
        count(c.rows_skipped as f64),
        escape(&report.files.join(", ")),
        escape(&report.codebook),
        escape(&report.codebook_version),
        escape(&report.codebook_hash),
        count(report.uncoded),
        percent_of(report.uncoded, c.comments as f64)
    );
}

fn percent_of(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        100.0 * part / whole
    } else {
        0.0
    }
}

fn contents(out: &mut String, report: &Report) {
    out.push_str("<nav aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n<li><a href=\"#overview\">Overview</a>");
    let mut open_children = false;
    for theme in &report.themes {
        let link = format!(
            "<a href=\"#theme-{}\">{}</a>",
            escape(&theme.id),
            escape(&theme.label)
        );
        if theme.depth > 0 {
            if !open_children {
                out.push_str("<ul>\n");
                open_children = true;
            }
            let _ = writeln!(out, "<li>{link}</li>");
        } else {
            if open_children {
                out.push_str("</ul>\n");
                open_children = false;
            }
            let _ = write!(out, "</li>\n<li>{link}");
        }
    }
    if open_children {
        out.push_str("</ul>\n");
    }
    out.push_str(
        "</li>\n<li><a href=\"#methods\">How these numbers were made</a></li>\n</ol>\n</nav>\n",
    );
}

fn sentiment_text(theme: &ThemeSection) -> String {
    match theme.sentiment {
        Some(s) => {
            let class = if s.upper < 0.0 {
                "neg"
            } else if s.lower > 0.0 {
                "pos"
            } else {
                ""
            };
            format!(
                "<span class=\"{class}\">{:+.2}</span> [{:+.2}, {:+.2}]",
                s.mean, s.lower, s.upper
            )
        }
        None => "–".to_string(),
    }
}

fn overview(out: &mut String, report: &Report) {
    out.push_str("<section id=\"overview\" aria-labelledby=\"overview-title\">\n<h2 id=\"overview-title\">Overview</h2>\n");
    let _ = writeln!(
        out,
        "<figure>{}<figcaption>Share of all comments with each theme; a comment can have several themes, and a parent theme counts every comment of its children.</figcaption></figure>",
        prevalence_svg(report)
    );
    out.push_str(
        "<table>\n<caption class=\"note\">Themes: comments, share of all comments, and mean theme sentiment with its 95% confidence interval (−1 most negative, +1 most positive).</caption>\n\
         <thead><tr><th scope=\"col\">Theme</th><th scope=\"col\" class=\"num\">Comments</th><th scope=\"col\" class=\"num\">Share</th><th scope=\"col\" class=\"num\">Mean sentiment [95% CI]</th></tr></thead>\n<tbody>\n",
    );
    for theme in &report.themes {
        let class = if theme.depth > 0 {
            " class=\"child\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<tr{class}><td><a href=\"#theme-{}\">{}</a></td><td class=\"num\">{}</td><td class=\"num\">{:.1}%</td><td class=\"num\">{}</td></tr>",
            escape(&theme.id),
            escape(&theme.label),
            count(theme.comments),
            theme.percent,
            sentiment_text(theme)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    if let Some(table) = &report.by {
        let _ = writeln!(out, "<h3>Themes by {}</h3>", escape(&table.column));
        if let Some(note) = &report.by_note {
            let _ = writeln!(
                out,
                "<p class=\"note\">Broken down by {}.</p>",
                escape(note)
            );
        }
        let _ = writeln!(
            out,
            "<figure>{}<figcaption>Each cell: the share of the column's comments with the theme. Red: more often than expected if the theme did not depend on {}; blue: less often; the stronger the colour, the larger the adjusted residual.</figcaption></figure>",
            heatmap_svg(table),
            escape(&table.column)
        );
        for warning in &table.warnings {
            let _ = writeln!(out, "<p class=\"note\">Note: {}</p>", escape(warning));
        }
    }
    out.push_str("</section>\n");
}

fn section(out: &mut String, report: &Report, theme: &ThemeSection, t: usize) {
    let id = escape(&theme.id);
    let _ = writeln!(
        out,
        "<section id=\"theme-{id}\" aria-labelledby=\"title-{id}\">\n<h2 id=\"title-{id}\">{}</h2>",
        escape(&theme.label)
    );
    if !theme.description.trim().is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"desc\">{}</p>",
            escape(theme.description.trim())
        );
    }
    let _ = writeln!(
        out,
        "<p class=\"stats\"><strong>{}</strong> comments ({:.1}% of all); mean theme sentiment {}.</p>",
        count(theme.comments),
        theme.percent,
        sentiment_text(theme)
    );
    if let Some(verdict) = &theme.difference {
        let _ = writeln!(out, "<p class=\"verdict\">{}.</p>", escape(verdict));
    }
    if !theme.highlights.is_empty() {
        out.push_str("<ul class=\"highlights\">\n");
        for h in &theme.highlights {
            let _ = writeln!(
                out,
                "<li><strong>{}</strong>: {}</li>",
                escape(&h.column),
                escape(&h.finding())
            );
        }
        out.push_str("</ul>\n");
    }
    if let Some(table) = &report.by {
        if theme.comments > 0.0 {
            let _ = writeln!(out, "<figure>{}</figure>", column_bars_svg(table, theme, t));
        }
    }
    let _ = writeln!(
        out,
        "<h3>Quotes</h3>\n<p class=\"note\">{}.</p>",
        escape(&summary(&theme.quotes))
    );
    for quote in &theme.quotes.quotes {
        let _ = writeln!(
            out,
            "<blockquote><p>“{}”</p><footer>— {} <span class=\"note\">({})</span></footer></blockquote>",
            escape(&one_line(&quote.text)),
            escape(&quote.attribution),
            escape(&quote.respondent)
        );
    }
    out.push_str("</section>\n");
}

fn methods(out: &mut String) {
    let _ = writeln!(
        out,
        "<footer class=\"methods\" id=\"methods\">\n<h2>How these numbers were made</h2>\n\
         <p>Themes are coded by the codebook's rules (words, stems, phrases, proximity, with negation and exclusions); every coded theme has the words that fired it, which <code>verbatim explain</code> shows. \
         Sentiment is rule-based (a valence lexicon with negation, intensifiers and contrast); a theme's sentiment in a comment is the mean over the sentences that carry its evidence.</p>\n\
         <p>Differences by the breakdown use a chi-square test of independence (Fisher's exact test for two answers), Benjamini-Hochberg adjusted across themes; only themes with an adjusted p below {} list cells, and only cells whose adjusted standardised residual is beyond ±1.96. Comments without an answer are left out of the tests.</p>\n\
         <p>Quotes are ranked by the mean of four parts, each from 0 to 1: the strength of the theme's evidence, sentiment in the direction the theme's comments lean, closeness to the theme's other comments (TF-IDF), and how well the quote reads (10 to 60 words, a complete sentence, concrete words); then chosen for diversity (maximal marginal relevance over wording and the respondents' attributes), with near-duplicates left out and one quote per respondent. A quote is trimmed to the sentences that carry the theme (… marks a cut). E-mail addresses, phone numbers, postcodes, NHS numbers, web addresses and names after a title are replaced by [redacted]. <code>verbatim quotes --explain</code> shows every part for every quote.</p>\n\
         <p>Made by verbatim {} from the index; the same index gives the same report.</p>\n</footer>",
        p_value(super::ALPHA),
        env!("CARGO_PKG_VERSION")
    );
}
