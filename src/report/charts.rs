//! The report's charts as standalone SVG: theme prevalence (bars coloured by mean sentiment), and
//! one theme's share by the breakdown's answers. Plain SVG text, no scripts, all labels escaped.
use std::fmt::Write as _;

use super::{count, Report, ThemeSection};
use crate::crosstab::{Crosstab, RESIDUAL_FLAG};
use crate::markup::escape_html as escape;

/// Red for negative, grey for neutral, green for positive, stronger further from 0.
fn sentiment_colour(mean: Option<f64>) -> String {
    let Some(m) = mean.filter(|m| m.is_finite()) else {
        return "#9e9e9e".into();
    };
    let (r, g, b) = if m < 0.0 {
        (200.0, 60.0, 50.0)
    } else {
        (50.0, 140.0, 70.0)
    };
    let s = (m.abs() / 0.5).clamp(0.15, 1.0);
    let mix = |c: f64| (158.0 + (c - 158.0) * s).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(r), mix(g), mix(b))
}

/// Horizontal bars: the share of comments with each theme, children indented under parents.
pub fn prevalence_svg(report: &Report) -> String {
    let themes = &report.themes;
    let (left, bar_h, gap, top, bar_w) = (210.0, 18.0, 6.0, 48.0, 420.0);
    let max = themes
        .iter()
        .map(|t| t.percent)
        .filter(|p| p.is_finite())
        .fold(1.0f64, f64::max);
    let (scale_max, ticks) = scale(max);
    let height = top + (bar_h + gap) * themes.len() as f64 + 44.0;
    let width = left + bar_w + 130.0;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12" role="img" aria-labelledby="prevalence-title">"#
    );
    let _ = writeln!(
        out,
        r#"<title id="prevalence-title">Share of comments with each theme</title><text x="10" y="20" font-size="14" font-weight="bold">Share of comments with each theme</text>"#
    );
    for tick in 0..=ticks {
        let value = scale_max * tick as f64 / ticks as f64;
        let x = left + bar_w * tick as f64 / ticks as f64;
        let _ = writeln!(
            out,
            r##"<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="#e0e0e0"/><text x="{x}" y="{}" text-anchor="middle" fill="#555555">{value:.0}%</text>"##,
            top - 6.0,
            height - 40.0,
            top - 10.0
        );
    }
    for (i, theme) in themes.iter().enumerate() {
        let y = top + (bar_h + gap) * i as f64;
        let w = if theme.percent.is_finite() {
            bar_w * theme.percent / scale_max
        } else {
            0.0
        };
        let weight = if theme.depth == 0 { "bold" } else { "normal" };
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" font-weight="{weight}">{}</text>"#,
            10.0 + 14.0 * theme.depth as f64,
            y + bar_h * 0.75,
            escape(&truncate(&theme.label, 30 - 2 * theme.depth))
        );
        let _ = writeln!(
            out,
            r#"<rect x="{left}" y="{y}" width="{w:.1}" height="{bar_h}" fill="{}"><title>{}: {} comments, {:.1}%</title></rect><text x="{}" y="{}">{} ({:.1}%)</text>"#,
            sentiment_colour(theme.sentiment.map(|s| s.mean)),
            escape(&theme.label),
            count(theme.comments),
            theme.percent,
            left + w + 6.0,
            y + bar_h * 0.75,
            count(theme.comments),
            theme.percent
        );
    }
    let _ = writeln!(
        out,
        r##"<text x="10" y="{}" fill="#555555">Bar colour: mean theme sentiment (red negative, grey neutral or none, green positive).</text>"##,
        height - 14.0
    );
    out.push_str("</svg>\n");
    out
}

/// One theme's share of comments in each column of the breakdown, with the overall share as a
/// dashed line; significant cells (adjusted residual beyond ±1.96) are coloured.
pub fn column_bars_svg(table: &Crosstab, theme: &ThemeSection, t: usize) -> String {
    let row = &table.rows[t];
    let columns = table.columns.len().saturating_sub(1);
    let (left, bar_h, gap, top, bar_w) = (190.0, 16.0, 5.0, 40.0, 300.0);
    let height = top + (bar_h + gap) * columns as f64 + 40.0;
    let width = left + bar_w + 150.0;
    let answered: f64 = table.base[..columns].iter().sum();
    let with_theme: f64 = row.n[..columns].iter().sum();
    let overall = if answered > 0.0 {
        100.0 * with_theme / answered
    } else {
        0.0
    };
    let max = row.column_percent[..columns]
        .iter()
        .copied()
        .filter(|p| p.is_finite())
        .fold(overall.max(1.0), f64::max);
    let (scale_max, _) = scale(max);
    let mut out = String::new();
    let title = format!("{}: share of comments by {}", theme.label, table.column);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12" role="img"><title>{0}</title><text x="10" y="18" font-size="13" font-weight="bold">{0}</text>"#,
        escape(&title)
    );
    for c in 0..columns {
        let y = top + (bar_h + gap) * c as f64;
        let p = row.column_percent[c];
        let w = if p.is_finite() {
            bar_w * p / scale_max
        } else {
            0.0
        };
        let residual = row.residual[c];
        let fill = if residual.is_finite() && residual > RESIDUAL_FLAG {
            "#c0392b"
        } else if residual.is_finite() && residual < -RESIDUAL_FLAG {
            "#2f6fad"
        } else {
            "#a8a8a8"
        };
        let label = if p.is_finite() {
            format!("{:.1}% of {}", p, count(table.base[c]))
        } else {
            "no comments".to_string()
        };
        let _ = writeln!(
            out,
            r#"<text x="10" y="{}">{}</text><rect x="{left}" y="{y}" width="{w:.1}" height="{bar_h}" fill="{fill}"/><text x="{}" y="{}">{}</text>"#,
            y + bar_h * 0.8,
            escape(&truncate(&table.columns[c], 28)),
            left + w + 6.0,
            y + bar_h * 0.8,
            escape(&label)
        );
    }
    let x = left + bar_w * overall / scale_max;
    let _ = writeln!(
        out,
        r##"<line x1="{x:.1}" y1="{}" x2="{x:.1}" y2="{}" stroke="#333333" stroke-dasharray="4 3"/><text x="{x:.1}" y="{}" text-anchor="middle" fill="#333333">all: {overall:.1}%</text>"##,
        top - 4.0,
        top + (bar_h + gap) * columns as f64,
        top - 8.0
    );
    let _ = writeln!(
        out,
        r##"<text x="10" y="{}" fill="#555555">Red: more often than expected, blue: less often (adjusted residual beyond ±1.96).</text>"##,
        height - 12.0
    );
    out.push_str("</svg>\n");
    out
}

/// The end of a percentage axis above `max`, and its number of ticks: steps of 5, 10 or 20
/// points, so that every tick is a round number.
fn scale(max: f64) -> (f64, usize) {
    let step = if max <= 25.0 {
        5.0
    } else if max <= 60.0 {
        10.0
    } else {
        20.0
    };
    let ticks = (max / step).ceil().max(1.0);
    ((ticks * step).min(100.0), ticks as usize)
}

fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}
