//! The heatmap of a crosstab as a standalone SVG: for `verbatim crosstab --svg`, the report and
//! the web page.
use std::fmt::Write as _;

use super::{ColumnKind, Crosstab, Measure, ThemeRow, RESIDUAL_FLAG};
use crate::markup::escape_html as escape;

/// A heatmap: counts coloured by adjusted residual (red above expectation, blue below), or
/// mean sentiment (red negative, green positive), or co-occurrence by Jaccard.
pub fn heatmap_svg(table: &Crosstab) -> String {
    let (cell_w, cell_h, left, top) = (92.0, 26.0, 190.0, 120.0);
    let width = left + cell_w * table.columns.len() as f64 + 140.0;
    let height = top + cell_h * table.rows.len() as f64 + 40.0;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"#
    );
    let title = match table.kind {
        ColumnKind::Theme => "Theme co-occurrence (Jaccard)".to_string(),
        _ if table.measure == Measure::Sentiment => {
            format!("Mean theme sentiment by {}", table.column)
        }
        _ => format!(
            "Themes by {}: % of column, coloured by adjusted residual",
            table.column
        ),
    };
    let _ = writeln!(
        out,
        r#"<text x="10" y="20" font-size="14" font-weight="bold">{}</text>"#,
        escape(&title)
    );
    for (c, label) in table.columns.iter().enumerate() {
        let x = left + cell_w * c as f64 + cell_w / 2.0;
        let _ = writeln!(
            out,
            r#"<text x="{x}" y="{}" text-anchor="start" transform="rotate(-35 {x} {})">{}</text>"#,
            top - 8.0,
            top - 8.0,
            escape(label)
        );
    }
    for (r, row) in table.rows.iter().enumerate() {
        let y = top + cell_h * r as f64;
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}">{}</text>"#,
            10.0 + 12.0 * row.depth as f64,
            y + cell_h * 0.65,
            escape(&row.theme)
        );
        for c in 0..table.columns.len() {
            let x = left + cell_w * c as f64;
            let (fill, label) = svg_cell(table, row, c);
            let _ = writeln!(
                out,
                r##"<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" fill="{fill}" stroke="#ffffff"/><text x="{}" y="{}" text-anchor="middle">{}</text>"##,
                x + cell_w / 2.0,
                y + cell_h * 0.65,
                escape(&label)
            );
        }
    }
    let legend = match (table.kind, table.measure) {
        (_, Measure::Sentiment) => "red: negative, green: positive; stronger colour = further from 0",
        (ColumnKind::Theme, _) => "darker: the two themes occur together more often (Jaccard)",
        _ => "red: more often than expected, blue: less often; stronger colour = larger adjusted residual; + / \u{2212}: beyond ±1.96",
    };
    let _ = writeln!(
        out,
        r##"<text x="10" y="{}" fill="#555555">{}</text>"##,
        height - 12.0,
        escape(legend)
    );
    out.push_str("</svg>\n");
    out
}

/// Blend from white to `rgb` by `strength` in [0, 1].
fn shade(rgb: (f64, f64, f64), strength: f64) -> String {
    let s = strength.clamp(0.0, 1.0);
    let mix = |c: f64| (255.0 - (255.0 - c) * s).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(rgb.0), mix(rgb.1), mix(rgb.2))
}

fn svg_cell(table: &Crosstab, row: &ThemeRow, c: usize) -> (String, String) {
    const RED: (f64, f64, f64) = (214.0, 39.0, 40.0);
    const BLUE: (f64, f64, f64) = (31.0, 119.0, 180.0);
    const GREEN: (f64, f64, f64) = (44.0, 160.0, 44.0);
    match (table.kind, table.measure) {
        (_, Measure::Sentiment) => match row.sentiment.get(c).copied().flatten() {
            Some(m) => {
                let colour = if m.mean < 0.0 { RED } else { GREEN };
                (shade(colour, m.mean.abs()), format!("{:+.2}", m.mean))
            }
            None => ("#f4f4f4".into(), String::new()),
        },
        (ColumnKind::Theme, _) => {
            let j = row.jaccard.get(c).copied().unwrap_or(f64::NAN);
            if j.is_finite() {
                (shade(BLUE, j), format!("{j:.2}"))
            } else {
                ("#f4f4f4".into(), String::new())
            }
        }
        _ => {
            let residual = row.residual[c];
            let fill = if residual.is_finite() {
                let colour = if residual > 0.0 { RED } else { BLUE };
                shade(colour, residual.abs() / 4.0)
            } else {
                "#f4f4f4".into()
            };
            // Cells beyond the flag are marked as in the text table, not by colour alone.
            let mark = if residual > RESIDUAL_FLAG {
                " +"
            } else if residual < -RESIDUAL_FLAG {
                " \u{2212}"
            } else {
                ""
            };
            (fill, format!("{}{mark}", percent(row.column_percent[c])))
        }
    }
}

fn percent(value: f64) -> String {
    if value.is_finite() {
        format!("{value:.1}%")
    } else {
        "-".into()
    }
}
