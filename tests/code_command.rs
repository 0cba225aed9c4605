//! `verbatim code` end to end: the output a user's scripts read, the row accounting, determinism
//! across thread counts, and clear errors for bad input.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn verbatim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn temp_file(dir: &tempfile::TempDir, name: &str, contents: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn codes_the_bundled_corpus_with_evidence_and_codebook_hash() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("coded.csv");
    let run = verbatim(&[
        "code",
        "corpus/stp/quotes.csv",
        "--schema",
        "corpus/stp/survey.toml",
        "--codebook",
        "lexicons/stp.toml",
        "-o",
        s(&out),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "quote_id");
    assert_eq!(&headers[1], "question");
    assert_eq!(&headers[2], "text");
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 36);
    let director = rows.iter().find(|r| &r[0] == "stp-003").unwrap();
    assert_eq!(&director[col("top_down")], "1");
    assert_eq!(&director[col("governance")], "1");
    assert_eq!(&director[col("exclusion")], "0");
    assert_eq!(&director[col("themes")], "governance|top_down");
    assert!(director[col("evidence")]
        .contains("top_down <- top_down/phrase:top down @12-20 \"top down\""));
    assert_eq!(&director[col("role")], "Director");
    assert_eq!(&director[col("codebook_version")], "1.0.0");
    assert_eq!(director[col("codebook_hash")].len(), 16);
    let err = stderr(&run);
    assert!(err.contains("rows read                36"), "{err}");
    assert!(err.contains("comments coded           36"), "{err}");
    assert!(err.contains("rows skipped              0"), "{err}");
}

#[test]
fn jsonl_output_carries_structured_evidence_with_byte_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let input = temp_file(
        &dir,
        "s.csv",
        "id,comment\nr1,We were not excluded but the plan was top-down\n".as_bytes(),
    );
    let out = dir.path().join("coded.jsonl");
    let run = verbatim(&[
        "code",
        s(&input),
        "--codebook",
        "lexicons/stp.toml",
        "--text",
        "comment",
        "--id",
        "id",
        "-o",
        s(&out),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let line = std::fs::read_to_string(&out).unwrap();
    let row: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(row["id"], "r1");
    assert_eq!(row["themes"], serde_json::json!(["governance", "top_down"]));
    let evidence = &row["evidence"][0];
    assert_eq!(evidence["rule"], "top_down/phrase:top down");
    assert_eq!(
        (evidence["start"].as_u64(), evidence["end"].as_u64()),
        (Some(38), Some(46))
    );
    assert_eq!(evidence["text"], "top-down");
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let quotes = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/stp/quotes.csv"),
    )
    .unwrap();
    let body: Vec<&str> = quotes.lines().skip(1).collect();
    let mut big = String::from(quotes.lines().next().unwrap());
    big.push('\n');
    for copy in 0..300 {
        for line in &body {
            big.push_str(&line.replacen("stp-", &format!("c{copy}-"), 1));
            big.push('\n');
        }
    }
    let input = temp_file(&dir, "big.csv", big.as_bytes());
    let mut outputs = Vec::new();
    for threads in ["1", "2", "4"] {
        let out = dir.path().join(format!("out{threads}.csv"));
        let run = verbatim(&[
            "code",
            s(&input),
            "--schema",
            "corpus/stp/survey.toml",
            "--codebook",
            "lexicons/stp.toml",
            "-o",
            s(&out),
            "--threads",
            threads,
        ]);
        assert!(run.status.success(), "{}", stderr(&run));
        outputs.push(std::fs::read(&out).unwrap());
    }
    assert!(outputs[0].len() > 1_000_000);
    assert!(outputs[0] == outputs[1] && outputs[1] == outputs[2]);
}

#[test]
fn every_row_is_accounted_for_with_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let input = temp_file(
        &dir,
        "ragged.csv",
        b"id,role,comment\n1,Leader,We were excluded\n2,Leader\n3,Officer,\n4,Leader,top down,extra\n5,Officer,\"multi\nline top down\"\n",
    );
    let skips = dir.path().join("skips.csv");
    let out = dir.path().join("coded.csv");
    let run = verbatim(&[
        "code",
        s(&input),
        "--codebook",
        "lexicons/stp.toml",
        "--text",
        "comment",
        "--id",
        "id",
        "-o",
        s(&out),
        "--skips",
        s(&skips),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let err = stderr(&run);
    assert!(err.contains("rows read                 5"), "{err}");
    assert!(err.contains("comments coded            2"), "{err}");
    assert!(err.contains("empty answers             1"), "{err}");
    assert!(err.contains("rows skipped              2"), "{err}");
    assert!(err.contains("line 3:"), "{err}");
    assert!(err.contains("line 5:"), "{err}");
    let skipped = std::fs::read_to_string(&skips).unwrap();
    assert_eq!(skipped.lines().count(), 3, "{skipped}");
    let coded = std::fs::read_to_string(&out).unwrap();
    assert!(coded.contains("\"multi\nline top down\""), "{coded}");
}

#[test]
fn a_missing_file_and_a_bad_codebook_are_clear_errors() {
    let run = verbatim(&["code", "no-such.csv", "--codebook", "lexicons/stp.toml"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("no-such.csv"), "{}", stderr(&run));

    let dir = tempfile::tempdir().unwrap();
    let codebook = temp_file(
        &dir,
        "bad.toml",
        b"[codebook]\nname = \"x\"\nversion = \"1\"\n[[theme]]\nid = \"a\"\nglobs = [\"*\"]\n",
    );
    let run = verbatim(&["code", "corpus/stp/quotes.csv", "--codebook", s(&codebook)]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("bad.toml:6: theme \"a\", glob \"*\""),
        "{}",
        stderr(&run)
    );
}

#[test]
fn no_text_column_says_how_to_name_one() {
    let dir = tempfile::tempdir().unwrap();
    let input = temp_file(&dir, "closed.csv", b"id,score\n1,5\n2,4\n3,3\n");
    let run = verbatim(&["code", s(&input), "--codebook", "lexicons/stp.toml"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("--text"), "{}", stderr(&run));
}

#[test]
fn explain_shows_tokens_hits_and_cancellations() {
    let run = verbatim(&[
        "explain",
        "--codebook",
        "lexicons/stp.toml",
        "Yet another top down imposition that hasn't been thought through. We weren't excluded",
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let out = String::from_utf8(run.stdout).unwrap();
    assert!(out.contains("rule top_down/phrase:top down"), "{out}");
    assert!(
        out.contains("cancelled: inside the negation scope of \"weren't\" at 69..76"),
        "{out}"
    );
    assert!(out.contains("coded: governance | top_down"), "{out}");
}

#[test]
fn codebook_check_passes_the_bundled_codebooks_and_fails_a_broken_example() {
    let run = verbatim(&["codebook", "check", "lexicons/stp.toml"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(String::from_utf8_lossy(&run.stdout).contains("lexicons/stp.toml: ok"));

    let dir = tempfile::tempdir().unwrap();
    let codebook = temp_file(
        &dir,
        "cb.toml",
        b"[codebook]\nname = \"x\"\nversion = \"1\"\n[[theme]]\nid = \"a\"\nwords = [\"jargon\"]\nexamples = [\"too complex\"]\n",
    );
    let run = verbatim(&["codebook", "check", s(&codebook)]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("cb.toml:7: theme \"a\", examples: does not code this theme"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn a_five_megabyte_comment_emoji_and_rtl_text_are_coded_without_loss() {
    let dir = tempfile::tempdir().unwrap();
    let long = "The plan was imposed top-down without consultation. ".repeat(100_000);
    let mut csv = String::from("id,comment\n");
    csv.push_str(&format!("long,\"{long}\"\n"));
    csv.push_str("emoji,Top-down again 😡👎 no say at all\n");
    csv.push_str("rtl,\"الخطة فرضت من الأعلى — top down\"\n");
    let input = temp_file(&dir, "big-comment.csv", csv.as_bytes());
    let out = dir.path().join("coded.jsonl");
    let run = verbatim(&[
        "code",
        s(&input),
        "--codebook",
        "lexicons/stp.toml",
        "--text",
        "comment",
        "--id",
        "id",
        "-o",
        s(&out),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let rows: Vec<serde_json::Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["text"].as_str().unwrap().len(), long.len());
    assert_eq!(rows[0]["evidence"].as_array().unwrap().len(), 300_000);
    assert_eq!(rows[1]["text"], "Top-down again 😡👎 no say at all");
    assert_eq!(
        rows[1]["themes"],
        serde_json::json!(["engagement", "exclusion", "governance", "top_down"])
    );
    let rtl = &rows[2];
    let evidence = &rtl["evidence"][0];
    let text = rtl["text"].as_str().unwrap();
    let (start, end) = (
        evidence["start"].as_u64().unwrap() as usize,
        evidence["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "top down");
}

#[test]
fn the_skips_file_lists_every_skip_even_beyond_those_kept_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("id,comment\n");
    for i in 0..1500 {
        csv.push_str(&format!("{i},top down,extra field\n"));
        csv.push_str(&format!("k{i},fine\n"));
    }
    let input = temp_file(&dir, "ragged.csv", csv.as_bytes());
    let skips = dir.path().join("skips.csv");
    let run = verbatim(&[
        "code",
        s(&input),
        "--codebook",
        "lexicons/stp.toml",
        "--text",
        "comment",
        "--id",
        "id",
        "-o",
        s(&dir.path().join("out.csv")),
        "--skips",
        s(&skips),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let err = stderr(&run);
    assert!(err.contains("rows read              3000"), "{err}");
    assert!(err.contains("rows skipped           1500"), "{err}");
    let listed = std::fs::read_to_string(&skips).unwrap();
    assert_eq!(listed.lines().count(), 1501);
    assert!(
        listed.lines().last().unwrap().starts_with("3000,"),
        "{}",
        listed.lines().last().unwrap()
    );
}
