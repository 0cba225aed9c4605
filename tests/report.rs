//! `verbatim report` on the quotes fixture (tests/fixtures/quotes: 9 comments, 5 with funding, 3
//! with exclusion, 1 with none, answers to the ordered question `confidence`): the page's
//! structure, its numbers, and that respondent text can neither run nor leak.
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use common::{ok, verbatim};

const FIXTURES: &str = "tests/fixtures/quotes";

fn report(dir: &Path, extra: &[&str]) -> PathBuf {
    let index = dir.join("quotes.idx");
    if !index.exists() {
        ok(verbatim(&[
            "index",
            &format!("{FIXTURES}/survey.csv"),
            "--schema",
            &format!("{FIXTURES}/survey.toml"),
            "--codebook",
            &format!("{FIXTURES}/codebook.toml"),
            "--index",
            index.to_str().unwrap(),
        ]));
    }
    let out = dir.join("report");
    let mut args = vec![
        "report",
        "--index",
        index.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    ok(verbatim(&args));
    out
}

#[test]
fn html_page_has_every_section_and_escapes_respondent_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = report(dir.path(), &[]);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<title>Quotes fixture: themes, sentiment and quotes</title>"));
    for id in ["overview", "theme-funding", "theme-exclusion", "methods"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "section {id}");
        assert!(
            html.contains(&format!("href=\"#{id}\"")),
            "contents link to {id}"
        );
    }
    // Self-contained and inert: no script, nothing fetched.
    assert!(
        !html.contains("<script"),
        "respondent markup must be escaped"
    );
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    // (The SVG namespace is a name, not an address that is fetched.)
    let fetchable = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for fetch in ["src=", "http://", "https://", "<link", "@import", "url("] {
        assert!(
            !fetchable.contains(fetch),
            "{fetch} in a self-contained page"
        );
    }
    // Numbers: 5 of 9 comments have funding, 3 exclusion, 1 none.
    assert!(html.contains("<strong>5</strong> comments (55.6% of all)"));
    assert!(html.contains("<strong>3</strong> comments (33.3% of all)"));
    assert!(html.contains("1 comments (11.1%) have no theme"));
    // The breakdown is the first ordered closed question.
    assert!(html.contains("Themes by confidence"));
    assert!(html.contains("confidence, the first ordered closed question"));
    assert!(html.contains("No significant difference by confidence"));
    // Quotes are redacted and attributed.
    assert!(html.contains("ask Dr [redacted] on [redacted]"));
    assert!(!html.contains("jane.doe"));
    assert!(html.contains("— Leader, county council"));
    // Every chart is inline SVG.
    assert!(html.matches("<svg ").count() >= 4);
}

#[test]
fn markdown_twin_and_chart_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = report(dir.path(), &["--by", "region", "--quotes", "2"]);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.starts_with("# Quotes fixture: themes, sentiment and quotes\n"));
    assert!(md.contains("| Funding gap | 5 | 55.6% |"));
    assert!(md.contains("### Themes by region"));
    assert!(md.contains("&lt;script&gt;"));
    assert!(!md.contains("<script"));
    for chart in [
        "charts/prevalence.svg",
        "charts/breakdown.svg",
        "charts/theme-funding.svg",
        "charts/theme-exclusion.svg",
    ] {
        assert!(md.contains(&format!("]({chart})")), "{chart} linked");
        let svg = std::fs::read_to_string(out.join(chart)).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.trim_end().ends_with("</svg>"));
    }
    // --quotes 2: two quotes per theme.
    assert_eq!(
        md.matches("> — ").count(),
        4,
        "two quotes for each of two themes"
    );
}

#[test]
fn the_same_index_gives_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    let first = std::fs::read(report(dir.path(), &[]).join("index.html")).unwrap();
    let second = std::fs::read(report(dir.path(), &[]).join("index.html")).unwrap();
    assert_eq!(first, second);
}

#[test]
fn unknown_breakdown_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    report(dir.path(), &[]);
    let out = verbatim(&[
        "report",
        "--index",
        dir.path().join("quotes.idx").to_str().unwrap(),
        "-o",
        dir.path().join("r2").to_str().unwrap(),
        "--by",
        "postcode",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("postcode"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// The page in a real browser (headless Chromium, where installed): it parses into the expected
/// sections, and the planted `<script>` stays text, never an element.
#[test]
fn renders_in_a_headless_browser() {
    let Some(chromium) = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
    else {
        eprintln!("skipped: no chromium (apt-get install chromium) to render the report with");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = report(dir.path(), &[]);
    let page = std::fs::canonicalize(out.join("index.html")).unwrap();
    let profile = dir.path().join("chromium-profile");
    let rendered = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!("--user-data-dir={}", profile.display()),
            "--dump-dom",
            &format!("file://{}", page.display()),
        ])
        .output()
        .expect("chromium runs");
    assert!(
        rendered.status.success(),
        "{}",
        String::from_utf8_lossy(&rendered.stderr)
    );
    let dom = String::from_utf8(rendered.stdout).unwrap();
    assert!(dom.contains("<section id=\"theme-funding\""), "{dom}");
    assert!(dom.contains("<section id=\"theme-exclusion\""));
    assert_eq!(dom.matches("<script").count(), 0, "no script element");
    assert!(dom.contains("&lt;script&gt;alert('x')&lt;/script&gt;"));
    assert!(dom.matches("<blockquote>").count() >= 5);
}
