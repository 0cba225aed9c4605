//! `verbatim eval` end to end on the hand-worked fixtures of tests/fixtures/eval (README.md
//! there has every number), the two forms of multi-label gold, the map, the accounting of rows
//! found in one file only, two coders, and errors that name the file, the line and the column.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/eval";

fn verbatim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn eval_json(args: &[&str]) -> Value {
    let mut all = vec!["eval"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let run = verbatim(&all);
    assert!(run.status.success(), "{}", stderr(&run));
    serde_json::from_slice(&run.stdout).unwrap()
}

fn label<'v>(e: &'v Value, name: &str) -> &'v Value {
    e["labels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["label"] == name)
        .unwrap_or_else(|| panic!("no label {name}"))
}

fn close(value: &Value, expected: f64) {
    let got = value
        .as_f64()
        .unwrap_or_else(|| panic!("{value} is not a number"));
    assert!((got - expected).abs() < 1e-6, "{got} vs {expected}");
}

fn check_hand_worked(e: &Value) {
    let access = label(e, "access");
    assert_eq!(
        (&access["tp"], &access["fp"], &access["fn_"], &access["tn"]),
        (
            &Value::from(3),
            &Value::from(1),
            &Value::from(1),
            &Value::from(5)
        )
    );
    close(&access["precision"], 0.75);
    close(&access["recall"], 0.75);
    close(&access["f1"], 0.75);
    close(&access["kappa"], 0.28 / 0.48);
    close(&access["alpha"], 1.0 - 38.0 / 96.0);
    let staff = label(e, "staff");
    assert_eq!(staff["support"], 4);
    assert_eq!(staff["predicted"], 3);
    close(&staff["precision"], 2.0 / 3.0);
    close(&staff["recall"], 0.5);
    close(&staff["f1"], 4.0 / 7.0);
    close(&staff["kappa"], 0.16 / 0.46);
    close(&staff["alpha"], 1.0 - 57.0 / 91.0);
    let food = label(e, "food");
    close(&food["f1"], 1.0);
    close(&food["kappa"], 1.0);
    close(&food["alpha"], 1.0);
    close(&e["micro"]["precision"], 7.0 / 9.0);
    close(&e["micro"]["recall"], 0.7);
    close(&e["micro"]["f1"], 14.0 / 19.0);
    close(&e["macro"]["precision"], (0.75 + 1.0 + 2.0 / 3.0) / 3.0);
    close(&e["macro"]["recall"], 0.75);
    close(&e["macro"]["f1"], (0.75 + 1.0 + 4.0 / 7.0) / 3.0);
    close(&e["exact_match"], 0.5);
    close(&e["alpha"], 0.5408515535097814);
}

#[test]
fn scores_match_the_hand_worked_fixture() {
    let e = eval_json(&[
        &fixture("coded.csv"),
        "--gold",
        &fixture("gold.csv"),
        "--gold-column",
        "label",
    ]);
    check_hand_worked(&e);
    assert_eq!(e["labels"].as_array().unwrap().len(), 3);
}

#[test]
fn gold_as_one_column_per_label_gives_the_same_scores() {
    let e = eval_json(&[
        &fixture("coded.csv"),
        "--gold",
        &fixture("gold_indicators.csv"),
        "--gold-indicator",
        "access",
        "--gold-indicator",
        "staff",
        "--gold-indicator",
        "food",
    ]);
    check_hand_worked(&e);
    // The coded side as 0/1 columns too.
    let e = eval_json(&[
        &fixture("coded.csv"),
        "--coded-indicator",
        "access",
        "--coded-indicator",
        "staff",
        "--coded-indicator",
        "food",
        "--gold",
        &fixture("gold_indicators.csv"),
        "--gold-indicator",
        "access",
        "--gold-indicator",
        "staff",
        "--gold-indicator",
        "food",
    ]);
    check_hand_worked(&e);
}

#[test]
fn indicator_columns_can_be_named_by_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.csv");
    let renamed = std::fs::read_to_string(fixture_path("gold_indicators.csv"))
        .unwrap()
        .replacen(
            "id,access,staff,food",
            "id,code_access,code_staff,code_food",
            1,
        );
    std::fs::write(&gold, renamed).unwrap();
    let map = dir.path().join("map.toml");
    std::fs::write(
        &map,
        "access = \"code_access\"\nstaff = \"code_staff\"\nfood = \"code_food\"\n",
    )
    .unwrap();
    let e = eval_json(&[
        &fixture("coded.csv"),
        "--gold",
        s(&gold),
        "--gold-indicator",
        "code_*",
        "--map",
        s(&map),
    ]);
    close(&label(&e, "code_access")["f1"], 0.75);
    close(&e["micro"]["f1"], 14.0 / 19.0);
}

#[test]
fn rows_in_one_file_only_are_counted_and_listed() {
    let e = eval_json(&[
        &fixture("coded.csv"),
        "--gold",
        &fixture("gold.csv"),
        "--gold-column",
        "label",
    ]);
    let rows = &e["rows"];
    assert_eq!(rows["coded_rows"], 11);
    assert_eq!(rows["gold_rows"], 11);
    assert_eq!(rows["matched"], 10);
    assert_eq!(rows["only_coded"], 1);
    assert_eq!(rows["only_gold"], 1);
    assert_eq!(rows["only_coded_examples"][0]["key"], "11");
    assert_eq!(rows["only_coded_examples"][0]["line"], 12);
    assert_eq!(rows["only_gold_examples"][0]["key"], "12");
    assert_eq!(rows["gold_without_label"], 1);
    assert_eq!(rows["coded_without_label"], 3);
    let text = verbatim(&[
        "eval",
        &fixture("coded.csv"),
        "--gold",
        &fixture("gold.csv"),
        "--gold-column",
        "label",
    ]);
    assert!(text.status.success(), "{}", stderr(&text));
    let out = stdout(&text);
    assert!(
        out.contains("rows: 11 coded, 11 gold, 10 matched; 1 only in the coded file, 1 only in the gold file"),
        "{out}"
    );
    assert!(
        out.contains("only in the coded file: 11 (line 12)"),
        "{out}"
    );
    assert!(out.contains("only in the gold file: 12 (line 12)"), "{out}");
}

#[test]
fn false_positives_name_the_rule_that_fired() {
    let e = eval_json(&[
        &fixture("coded.csv"),
        "--gold",
        &fixture("gold.csv"),
        "--gold-column",
        "label",
    ]);
    let errors = e["errors"].as_array().unwrap();
    let access = errors.iter().find(|x| x["label"] == "access").unwrap();
    assert_eq!(access["false_positives"], 1);
    assert_eq!(access["rules"][0]["rule"], "access/word:doctor");
    assert_eq!(access["rules"][0]["true_positives"], 0);
    assert_eq!(access["rules"][0]["gold_labels"][0][0], "staff");
    assert_eq!(access["rules"][0]["examples"][0]["text"], "Kind doctor");
    let staff = errors.iter().find(|x| x["label"] == "staff").unwrap();
    assert_eq!(staff["rules"][0]["rule"], "staff/word:staff");
    assert_eq!(staff["rules"][0]["false_positives"], 1);
    assert_eq!(staff["rules"][0]["true_positives"], 1);
    assert_eq!(staff["false_negatives"], 2);
    let missed: Vec<&str> = staff["missed_examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["key"].as_str().unwrap())
        .collect();
    assert_eq!(missed, ["5", "3"]); // shortest first
}

#[test]
fn a_map_puts_several_themes_under_one_label() {
    let e = eval_json(&[
        &fixture("coded_fine.csv"),
        "--gold",
        &fixture("gold.csv"),
        "--gold-column",
        "label",
        "--map",
        &fixture("map.toml"),
    ]);
    let access = label(&e, "access");
    assert_eq!(
        access["coded_as"],
        serde_json::json!(["parking", "waiting"])
    );
    close(&access["f1"], 1.0);
    assert_eq!(access["tp"], 4);
    // Without the map, the fine themes match no gold label: they are left out and listed.
    let e = eval_json(&[
        &fixture("coded_fine.csv"),
        "--gold",
        &fixture("gold.csv"),
        "--gold-column",
        "label",
    ]);
    let left: Vec<&str> = e["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["label"].as_str().unwrap())
        .collect();
    assert_eq!(left, ["parking", "waiting"]);
    assert_eq!(label(&e, "access")["predicted"], 0);
    // --unmatched score counts them as labels of their own, never in the gold file.
    let e = eval_json(&[
        &fixture("coded_fine.csv"),
        "--gold",
        &fixture("gold.csv"),
        "--gold-column",
        "label",
        "--unmatched",
        "score",
    ]);
    close(&label(&e, "waiting")["precision"], 0.0);
    assert!(label(&e, "waiting")["recall"].is_null());
}

#[test]
fn two_coders_agree_symmetrically() {
    // The gold file against itself under another column name: perfect agreement.
    let e = eval_json(&[
        &fixture("gold.csv"),
        "--coded-column",
        "label",
        "--gold",
        &fixture("gold.csv"),
        "--gold-column",
        "label",
    ]);
    close(&e["micro"]["f1"], 1.0);
    close(&e["alpha"], 1.0);
    // Coder A = the codebook's file, coder B = gold, and the other way round: F1, kappa and
    // alpha are the same; precision and recall swap.
    let ab = eval_json(&[
        &fixture("coded.csv"),
        "--gold",
        &fixture("gold.csv"),
        "--gold-column",
        "label",
    ]);
    let ba = eval_json(&[
        &fixture("gold.csv"),
        "--coded-column",
        "label",
        "--gold",
        &fixture("coded.csv"),
        "--gold-column",
        "themes",
    ]);
    for name in ["access", "staff", "food"] {
        let (x, y) = (label(&ab, name), label(&ba, name));
        assert_eq!(x["f1"], y["f1"]);
        assert_eq!(x["kappa"], y["kappa"]);
        assert_eq!(x["alpha"], y["alpha"]);
        assert_eq!(x["precision"], y["recall"]);
    }
    assert_eq!(ab["alpha"], ba["alpha"]);
}

#[test]
fn csv_and_text_output_are_deterministic() {
    let args = [
        "eval",
        &fixture("coded.csv"),
        "--gold",
        &fixture("gold.csv"),
        "--gold-column",
        "label",
        "--format",
        "csv",
    ];
    let first = verbatim(&args);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(first.stdout, verbatim(&args).stdout);
    let csv = stdout(&first);
    assert!(csv.starts_with(
        "scope,label,coded_as,support,coded,tp,fp,fn,tn,precision,recall,f1,kappa,alpha\n"
    ));
    assert!(
        csv.contains(
            "label,access,access,4,4,3,1,1,5,0.750000,0.750000,0.750000,0.583333,0.604167\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains("micro,,,,,,,,,0.777778,0.700000,0.736842,,\n"),
        "{csv}"
    );
}

fn error_of(args: &[&str]) -> String {
    let run = verbatim(args);
    assert_eq!(run.status.code(), Some(2), "{}", stdout(&run));
    let err = stderr(&run);
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn a_missing_column_names_the_file_and_column() {
    let err = error_of(&[
        "eval",
        &fixture("coded.csv"),
        "--gold",
        &fixture("gold.csv"),
        "--gold-column",
        "labels",
    ]);
    assert!(
        err.contains("tests/fixtures/eval/gold.csv has no column \"labels\" (--gold-column); its columns are: id, text, label"),
        "{err}"
    );
    let err = error_of(&[
        "eval",
        &fixture("coded.csv"),
        "--gold",
        &fixture("gold.csv"),
        "--gold-column",
        "label",
        "--id",
        "respondent",
    ]);
    assert!(
        err.contains("coded.csv has no column \"respondent\" (--id)"),
        "{err}"
    );
}

#[test]
fn bad_cells_and_duplicate_ids_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "id,access\n1,1\n2,maybe\n").unwrap();
    let err = error_of(&[
        "eval",
        &fixture("coded.csv"),
        "--gold",
        s(&bad),
        "--gold-indicator",
        "access",
    ]);
    assert!(
        err.contains("bad.csv:3 column \"access\": \"maybe\" is not 0 or 1"),
        "{err}"
    );
    let twice = dir.path().join("twice.csv");
    std::fs::write(&twice, "id,label\n1,access\n2,staff\n1,food\n").unwrap();
    let err = error_of(&[
        "eval",
        &fixture("coded.csv"),
        "--gold",
        s(&twice),
        "--gold-column",
        "label",
    ]);
    assert!(
        err.contains("twice.csv: the id \"1\" is on line 2 and line 4"),
        "{err}"
    );
    let other_id = dir.path().join("other.csv");
    std::fs::write(&other_id, "respondent,label\n1,access\n").unwrap();
    let err = error_of(&[
        "eval",
        &fixture("coded.csv"),
        "--gold",
        s(&other_id),
        "--gold-column",
        "label",
    ]);
    assert!(
        err.contains("the coded file's first column \"id\" is not a column of"),
        "{err}"
    );
    assert!(err.contains("--gold-id"), "{err}");
    let map = dir.path().join("map.toml");
    std::fs::write(&map, "waiting = \"access\"\nparking = 3\n").unwrap();
    let err = error_of(&[
        "eval",
        &fixture("coded_fine.csv"),
        "--gold",
        &fixture("gold.csv"),
        "--gold-column",
        "label",
        "--map",
        s(&map),
    ]);
    assert!(err.contains("map.toml:2: "), "{err}");
}

#[test]
fn a_different_gold_id_column_joins() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.csv");
    let renamed = std::fs::read_to_string(fixture_path("gold.csv"))
        .unwrap()
        .replacen("id,", "respondent,", 1);
    std::fs::write(&gold, renamed).unwrap();
    let e = eval_json(&[
        &fixture("coded.csv"),
        "--gold",
        s(&gold),
        "--gold-column",
        "label",
        "--id",
        "id",
        "--gold-id",
        "respondent",
    ]);
    check_hand_worked(&e);
}

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(FIXTURES)
        .join(name)
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}
