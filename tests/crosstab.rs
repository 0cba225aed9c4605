//! `verbatim crosstab` on the hand-made wave (tests/fixtures/index/wave1.csv), whose answers
//! can be counted by reading the file:
//!
//! | id  | confidence           | weight | themes (lexicons/stp.toml)                 |
//! |-----|----------------------|--------|--------------------------------------------|
//! | R01 | Very confident       | 1.5    | engagement, positive_engagement            |
//! | R02 | Fairly confident     | 1      | delivery, funding                          |
//! | R03 | Not very confident   | 2      | governance, top_down                       |
//! | R04 | Not at all confident | 1      | engagement, exclusion, governance, secrecy |
//! | R05 | Don't know           | 0.5    | jargon                                     |
//! | R06 | (empty answer: not indexed)                                                |
//! | R07 | Not very confident   | 1      | engagement, tokenistic, delivery, funding  |
//! | R08 | Fairly confident     | 2      | none                                       |
use std::path::{Path, PathBuf};
use std::process::Command;

use verbatim::crosstab::{crosstab, ColumnKind, Crosstab, CrosstabOptions, Measure, Unit};
use verbatim::index::{compile, search, SearchOptions, SortOrder, SurveyIndex};

fn verbatim(args: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn wave1(dir: &Path) -> PathBuf {
    let index = dir.join("stp.idx");
    verbatim(&[
        "index",
        "tests/fixtures/index/wave1.csv",
        "--schema",
        "tests/fixtures/index/survey.toml",
        "--codebook",
        "lexicons/stp.toml",
        "--index",
        index.to_str().unwrap(),
        "-q",
    ]);
    index
}

fn table(index: &Path, cols: &str, configure: impl FnOnce(&mut CrosstabOptions)) -> Crosstab {
    let mut options = CrosstabOptions {
        cols: cols.into(),
        unit: Unit::Comment,
        weight: None,
        measure: Measure::Count,
        filter: None,
    };
    configure(&mut options);
    crosstab(&SurveyIndex::open(index).unwrap(), &options).unwrap()
}

fn row<'a>(table: &'a Crosstab, theme: &str) -> &'a verbatim::crosstab::ThemeRow {
    table.rows.iter().find(|r| r.theme == theme).unwrap()
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}

#[test]
fn counts_and_chi_square_by_confidence() {
    let dir = tempfile::tempdir().unwrap();
    let index = wave1(dir.path());
    let t = table(&index, "confidence", |_| {});
    assert_eq!(t.kind, ColumnKind::Ordered);
    assert_eq!(
        t.columns,
        [
            "Very confident",
            "Fairly confident",
            "Not very confident",
            "Not at all confident",
            "Don't know",
            "(missing)"
        ]
    );
    assert_eq!(t.base_count, [1, 2, 2, 1, 1, 0]);
    assert_eq!(row(&t, "governance").counts, [0, 0, 1, 1, 0, 0]);
    assert_eq!(row(&t, "funding").counts, [0, 1, 1, 0, 0, 0]);
    // children code parents: engagement = R01, R04, R07
    assert_eq!(row(&t, "engagement").counts, [1, 0, 1, 1, 0, 0]);
    assert_eq!(t.uncoded, [0.0, 1.0, 0.0, 0.0, 0.0, 0.0]);
    // governance against the five answers: observed [[0,0,1,1,0],[1,2,1,0,1]], N = 7.
    // Worked by hand: expected row 1 = 2/7 x column totals (1,2,2,1,1); chi-square =
    // 3.25 + 1.30 = 4.55 on (2-1)(5-1) = 4 df; for 4 df the survival function is
    // exp(-x/2)(1 + x/2) = 0.33666; Cramér's V = sqrt(4.55 / (7 x 1)) = 0.80623.
    let test = row(&t, "governance").test.as_ref().unwrap();
    assert!(close(test.chi_square, 4.55, 1e-9), "{}", test.chi_square);
    assert_eq!(test.df, 4);
    assert!(close(test.p, 0.336_659_875, 1e-6), "{}", test.p);
    assert!(close(test.cramers_v, 0.806_225_775, 1e-6));
    assert!(test.approximation_unsafe, "every expected count is under 5");
    assert!(test.fisher_p.is_none());
    // exclusion (R04 only, "Not at all"): observed [[0,0,0,1,0],[1,2,2,0,1]]; expected row 1
    // = column totals / 7, row 2 = 6 x column totals / 7; the cells add up to 6 + 1 = 7.0
    // on 4 df, p = exp(-3.5)(1 + 3.5) = 0.135888
    let exclusion = row(&t, "exclusion");
    let test = exclusion.test.as_ref().unwrap();
    assert!(close(test.chi_square, 7.0, 1e-9));
    assert!(close(test.p, 0.135_888_225, 1e-6));
    // its cell is over-represented: adjusted residual (1 - 1/7) / sqrt(1/7 (1-1/7)(1-1/7))
    // = sqrt(7) = 2.6458 > 1.96
    assert!(close(exclusion.residual[3], 7f64.sqrt(), 1e-9));
    assert!(
        exclusion.residual[5].is_nan(),
        "the missing column is not tested"
    );
    assert!(t
        .warnings
        .iter()
        .any(|w| w.contains("expected counts are small")));
    // Benjamini-Hochberg over the 10 themes with a test: adjusted >= raw, and the largest p
    // stays as it is.
    let tested: Vec<_> = t.rows.iter().filter_map(|r| r.test.as_ref()).collect();
    assert_eq!(tested.len(), 10);
    assert!(tested.iter().all(|t| t.p_adjusted >= t.p - 1e-12));
    let largest = tested.iter().map(|t| t.p).fold(0.0, f64::max);
    assert!(tested
        .iter()
        .any(|t| close(t.p, largest, 1e-12) && close(t.p_adjusted, largest, 1e-12)));
}

#[test]
fn fisher_for_two_answers_and_a_trend_on_the_scale() {
    let dir = tempfile::tempdir().unwrap();
    let index = wave1(dir.path());
    let t = table(&index, "confidence", |o| {
        o.filter = Some("confidence:very..fairly".into());
    });
    assert_eq!(t.base_count, [1, 2, 0, 0, 0, 0]);
    // engagement: R01 (very) has it, R02 and R08 (fairly) do not: [[1, 0], [0, 2]].
    // Hypergeometric with margins (1, 2) and (1, 2): P(a=1) = 1/3, P(a=0) = 2/3, so the
    // two-sided p (tables no more likely than the one seen) is 1/3.
    let test = row(&t, "engagement").test.as_ref().unwrap();
    assert!(close(test.fisher_p.unwrap(), 1.0 / 3.0, 1e-9));
    assert!(close(test.reported_p(), 1.0 / 3.0, 1e-9));
    // Trend: exclusion is only at "Not at all confident", the last substantive level, so
    // every comment with it sits later on the scale than every one without: r = +1.
    let all = table(&index, "confidence", |_| {});
    let trend = row(&all, "exclusion").trend.as_ref().unwrap();
    assert!(close(trend.rank_biserial, 1.0, 1e-12));
    let positive = row(&all, "positive_engagement").trend.as_ref().unwrap();
    assert!(close(positive.rank_biserial, -1.0, 1e-12));
}

#[test]
fn weights_respondents_and_cooccurrence() {
    let dir = tempfile::tempdir().unwrap();
    let index = wave1(dir.path());
    let weighted = table(&index, "confidence", |o| o.weight = Some("weight".into()));
    assert_eq!(weighted.base, [1.5, 3.0, 3.0, 1.0, 0.5, 0.0]);
    assert_eq!(
        row(&weighted, "governance").n,
        [0.0, 0.0, 2.0, 1.0, 0.0, 0.0]
    );

    // theme by theme, N = 7: governance (R03, R04) with top_down (R03): both = 1,
    // Jaccard = 1 / (2 + 1 - 1) = 0.5, lift = 1 x 7 / (2 x 1) = 3.5
    let co = table(&index, "theme", |_| {});
    let themes: Vec<&str> = co.columns.iter().map(String::as_str).collect();
    let top_down = themes.iter().position(|t| *t == "top_down").unwrap();
    let governance = row(&co, "governance");
    assert_eq!(governance.n[top_down], 1.0);
    assert!(close(governance.jaccard[top_down], 0.5, 1e-12));
    assert!(close(governance.lift[top_down], 3.5, 1e-12));

    // The same respondents again: comments double, respondents do not.
    verbatim(&[
        "add",
        "tests/fixtures/index/wave1.csv",
        "--index",
        index.to_str().unwrap(),
        "-q",
    ]);
    let comments = table(&index, "confidence", |_| {});
    let respondents = table(&index, "confidence", |o| o.unit = Unit::Respondent);
    assert_eq!(comments.base_count, [2, 4, 4, 2, 2, 0]);
    assert_eq!(respondents.base_count, [1, 2, 2, 1, 1, 0]);
    assert_eq!(row(&respondents, "governance").counts, [0, 0, 1, 1, 0, 0]);
}

#[test]
fn mean_theme_sentiment_per_cell() {
    let dir = tempfile::tempdir().unwrap();
    let index = wave1(dir.path());
    let t = table(&index, "confidence", |o| o.measure = Measure::Sentiment);
    // funding is in R02 (fairly) and R07 (not very): each cell's mean is that comment's
    // funding sentiment, as search shows it.
    let opened = SurveyIndex::open(&index).unwrap();
    let reader = opened.reader().unwrap();
    let searcher = reader.searcher();
    let funding_of = |id: &str| -> f64 {
        let compiled = compile(&opened, &searcher, &format!("id:{id}")).unwrap();
        let options = SearchOptions {
            limit: 1,
            offset: 0,
            sort: SortOrder::Input,
        };
        let hit = &search(&opened, &searcher, &compiled, &options)
            .unwrap()
            .hits[0];
        hit.comment
            .theme_sentiment
            .iter()
            .find(|(t, _)| t == "funding")
            .unwrap()
            .1
    };
    let funding = row(&t, "funding");
    let fairly = funding.sentiment[1].unwrap();
    assert!(close(fairly.mean, funding_of("R02"), 1e-12));
    assert!(fairly.lower.is_nan(), "one comment: no interval");
    assert!(close(
        funding.sentiment[2].unwrap().mean,
        funding_of("R07"),
        1e-12
    ));
    assert!(funding.sentiment[0].is_none());
}

#[test]
fn the_command_writes_text_csv_json_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    let index = wave1(dir.path());
    let svg = dir.path().join("heat.svg");
    let output = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args([
            "crosstab",
            "--index",
            index.to_str().unwrap(),
            "--rows",
            "theme",
            "--cols",
            "role",
            "--format",
            "csv",
            "--svg",
            svg.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    // 14 themes x (4 roles: "Cabinet member", "Leader", "Officer", "leader"; plus missing)
    assert_eq!(records.len(), 14 * 5);
    let image = std::fs::read_to_string(&svg).unwrap();
    assert!(image.starts_with("<svg") && image.contains("Cabinet member"));
    let text = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args([
            "crosstab",
            "--index",
            index.to_str().unwrap(),
            "--cols",
            "nosuch",
        ])
        .output()
        .unwrap();
    assert_eq!(text.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&text.stderr).contains("columns: theme, question, confidence"));
}
