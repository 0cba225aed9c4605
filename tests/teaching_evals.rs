//! Crosstabs on real survey data: ../shared/data/teaching-evals (195 seminar evaluations, ten
//! 1-5 Likert items and three open questions per student), coded with
//! lexicons/teaching-evals.toml. The expected cells are counted here straight from the CSV and
//! the codebook, independently of the index. Skips, saying why, when ../shared/data is absent.
use std::path::Path;
use std::process::Command;

use verbatim::codebook::Codebook;
use verbatim::crosstab::{crosstab, ColumnKind, CrosstabOptions, Measure, Unit};
use verbatim::index::SurveyIndex;

const DATA: &str = "../shared/data/teaching-evals/teaching_evals.csv";
const OPEN: [&str; 3] = ["positive_features", "negative_features", "other_comments"];

#[test]
fn themes_by_a_likert_item_match_a_direct_count() {
    if !Path::new(DATA).exists() {
        eprintln!("skipped: {DATA} is not here (the shared data folder is absent)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("te.idx");
    let output = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args([
            "index",
            DATA,
            "--codebook",
            "lexicons/teaching-evals.toml",
            "--index",
            index.to_str().unwrap(),
            "-q",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // Direct count: for each answer level of q3 ("explains clearly"), the non-empty open
    // answers, the students with at least one, and the answers the codebook codes per theme.
    let codebook = Codebook::from_path(Path::new("lexicons/teaching-evals.toml")).unwrap();
    let levels = ["1", "2", "3", "4", "5"];
    let column = |answer: &str| levels.iter().position(|l| *l == answer.trim()).unwrap_or(5);
    let mut comments = [0u64; 6];
    let mut students = [0u64; 6];
    let mut themed = vec![[0u64; 6]; codebook.themes.len()];
    let mut reader = csv::Reader::from_path(DATA).unwrap();
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        let c = column(&record[at("q3")]);
        let mut any = false;
        for question in OPEN {
            let text = &record[at(question)];
            if text.trim().is_empty() {
                continue;
            }
            any = true;
            comments[c] += 1;
            let coding = codebook.code(text);
            for (t, row) in themed.iter_mut().enumerate() {
                row[c] += u64::from(coding.coded[t]);
            }
        }
        students[c] += u64::from(any);
    }
    assert!(
        comments.iter().sum::<u64>() > 200,
        "the data has its open answers"
    );

    let open = SurveyIndex::open(&index).unwrap();
    let options = |unit| CrosstabOptions {
        cols: "q3".into(),
        unit,
        weight: None,
        measure: Measure::Count,
        filter: None,
    };
    let table = crosstab(&open, &options(Unit::Comment)).unwrap();
    assert_eq!(table.kind, ColumnKind::Ordered);
    assert_eq!(table.columns, ["1", "2", "3", "4", "5", "(missing)"]);
    assert_eq!(table.base_count, comments);
    for (t, theme) in codebook.themes.iter().enumerate() {
        let row = table.rows.iter().find(|r| r.theme == theme.id).unwrap();
        assert_eq!(row.counts, themed[t], "{}", theme.id);
        if row.counts.iter().sum::<u64>() > 0 {
            let test = row.test.as_ref().unwrap();
            assert!(
                (0.0..=1.0).contains(&test.p) && test.df == 4,
                "{}",
                theme.id
            );
            assert!(row.trend.is_some(), "{}", theme.id);
        }
    }
    let by_student = crosstab(&open, &options(Unit::Respondent)).unwrap();
    assert_eq!(by_student.base_count, students);

    // Restricted to one open question with a filter.
    let negative = crosstab(
        &open,
        &CrosstabOptions {
            filter: Some("question:negative_features".into()),
            ..options(Unit::Comment)
        },
    )
    .unwrap();
    assert!(negative.base_count.iter().sum::<u64>() < comments.iter().sum::<u64>());
}
