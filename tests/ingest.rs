//! Survey ingest, end to end: real files in, rows, skips, warnings and schemas out.
//! Fixtures live in tests/fixtures/ingest/ (see its README); binary inputs that are easier to
//! describe than to store (Windows-1252, UTF-16, a 5 MB field) are written here into a tempdir.
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use verbatim::survey::{
    Format, IngestError, IngestOptions, Platform, Record, RowEvent, Skip, SurveyReader,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ingest")
        .join(name)
}

fn open(path: &Path) -> SurveyReader {
    SurveyReader::open(path, &IngestOptions::default())
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()))
}

fn open_with(path: &Path, options: IngestOptions) -> Result<SurveyReader, IngestError> {
    SurveyReader::open(path, &options)
}

fn split(reader: SurveyReader) -> (Vec<Record>, Vec<Skip>) {
    let mut rows = Vec::new();
    let mut skips = Vec::new();
    for event in reader {
        match event {
            RowEvent::Row(r) => rows.push(r),
            RowEvent::Skip(s) => skips.push(s),
        }
    }
    (rows, skips)
}

fn names(reader: &SurveyReader) -> Vec<&str> {
    reader.columns().iter().map(|c| c.name.as_str()).collect()
}

fn temp_file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn field<'a>(reader_columns: &[&str], record: &'a Record, column: &str) -> &'a str {
    let i = reader_columns.iter().position(|c| *c == column).unwrap();
    record.get(i)
}

// ---- delimiters -------------------------------------------------------------------------------

#[test]
fn semicolon_delimiter_is_sniffed_despite_commas_in_text() {
    let reader = open(&fixture("semicolon.csv"));
    assert_eq!(reader.delimiter(), Some(b';'));
    assert_eq!(names(&reader), vec!["respondent_id", "role", "comment"]);
    let (rows, skips) = split(reader);
    assert!(skips.is_empty(), "{skips:?}");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].fields[2], "Good care, but the wait was long");
    assert_eq!(rows[1].fields[2], "Rota gaps; too few staff");
}

#[test]
fn tab_delimiter_is_sniffed() {
    let reader = open(&fixture("tab.tsv"));
    assert_eq!(reader.delimiter(), Some(b'\t'));
    let (rows, _) = split(reader);
    assert_eq!(
        rows[1].fields,
        vec!["2", "Parking was hard; signs unclear", "2"]
    );
}

#[test]
fn delimiter_option_overrides_sniffing() {
    let options = IngestOptions {
        delimiter: Some(b','),
        ..Default::default()
    };
    let reader = open_with(&fixture("semicolon.csv"), options).unwrap();
    assert_eq!(names(&reader), vec!["respondent_id;role;comment"]);
    let (rows, skips) = split(reader);
    // Rows with a comma now have two fields: skipped, and the reason says why.
    assert_eq!(rows.len(), 1);
    assert_eq!(skips.len(), 2);
    assert_eq!(
        skips[0].to_string(),
        "line 2: 2 fields, the header has 1 — check the delimiter (comma) or an unbalanced quote"
    );
}

// ---- CSV structure and encodings ---------------------------------------------------------------

#[test]
fn bom_crlf_and_embedded_newlines_are_read_exactly() {
    let reader = open(&fixture("bom_crlf_multiline.csv"));
    assert_eq!(names(&reader), vec!["id", "comment", "score"]);
    let (rows, skips) = split(reader);
    assert!(skips.is_empty());
    let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
    assert_eq!(
        lines,
        vec![2, 5, 8],
        "physical lines where the records start"
    );
    assert_eq!(rows[0].fields[1], "First line\r\nsecond line");
    assert_eq!(
        rows[1].fields[1],
        "He said \"thanks\"\r\nand left,\r\nhappy"
    );
    assert_eq!(rows[2].fields, vec!["3", "plain", "3"]);
}

#[test]
fn windows_1252_fields_are_decoded_and_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(
        &dir,
        "survey.csv",
        b"id,comment\r\n1,plain UTF-8 caf\xC3\xA9\r\n2,\x93Caf\xE9\x94 isn\x92t bad\r\n3,\x85ok\r\n",
    );
    let reader = open(&path);
    let warnings = reader.warnings();
    let (rows, skips) = split(reader);
    assert!(skips.is_empty());
    assert_eq!(rows.len(), 3, "no row is dropped for its encoding");
    assert_eq!(rows[0].fields[1], "plain UTF-8 café");
    assert_eq!(rows[1].fields[1], "“Café” isn’t bad");
    assert_eq!(rows[2].fields[1], "…ok");
    assert_eq!(
        warnings,
        vec![format!(
            "{}: 2 fields are not valid UTF-8 (first at line 3, column \"comment\"); decoded as \
             Windows-1252, as Excel writes CSV. Save as CSV UTF-8 to silence this.",
            path.display()
        )]
    );
}

#[test]
fn utf16le_with_bom_is_transcoded() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "id\tcomment\r\n1\tnaïve café ☕ 👍\r\n2\t“quoted”\r\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let path = temp_file(&dir, "export.txt", &bytes);
    let reader = open(&path);
    assert_eq!(names(&reader), vec!["id", "comment"]);
    assert!(reader.warnings().is_empty());
    let (rows, _) = split(reader);
    assert_eq!(rows[0].fields, vec!["1", "naïve café ☕ 👍"]);
    assert_eq!(rows[1].fields, vec!["2", "“quoted”"]);
    assert_eq!(rows[1].line, 3);
}

#[test]
fn ragged_rows_are_skipped_with_their_line() {
    let (rows, skips) = split(open(&fixture("ragged.csv")));
    assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![2, 5]);
    assert_eq!(
        skips.iter().map(ToString::to_string).collect::<Vec<_>>(),
        vec![
            "line 3: 7 fields, the header has 5 — check the delimiter (comma) or an unbalanced quote",
            "line 4: 4 fields, the header has 5 — check the delimiter (comma) or an unbalanced quote",
        ]
    );
}

#[test]
fn unbalanced_quote_is_a_skip_naming_where_it_opens() {
    let (rows, skips) = split(open(&fixture("unbalanced_quote.csv")));
    assert_eq!(rows.len(), 1);
    assert_eq!(skips.len(), 1);
    assert_eq!(skips[0].line, 3);
    assert!(
        skips[0].reason.starts_with("unbalanced quote"),
        "{}",
        skips[0]
    );
    assert!(skips[0].reason.contains("opens on line 3"), "{}", skips[0]);
    assert!(skips[0].reason.contains("lines 3–5"), "{}", skips[0]);
}

#[test]
fn empty_file_is_an_error() {
    let err = open_with(&fixture("empty.csv"), IngestOptions::default()).unwrap_err();
    assert!(matches!(err, IngestError::Empty { .. }));
    assert!(
        err.to_string()
            .ends_with("empty.csv is empty: no header row"),
        "{err}"
    );
}

#[test]
fn a_file_of_only_a_bom_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("utf8.csv", &b"\xEF\xBB\xBF"[..]),
        ("utf16.csv", &b"\xFF\xFE"[..]),
        ("blank.csv", &b"\r\n\n\n"[..]),
    ] {
        let path = temp_file(&dir, name, bytes);
        let err = open_with(&path, IngestOptions::default()).unwrap_err();
        assert!(matches!(err, IngestError::Empty { .. }), "{name}: {err}");
    }
}

#[test]
fn header_only_has_columns_and_no_rows() {
    let reader = open(&fixture("header_only.csv"));
    assert_eq!(names(&reader), vec!["id", "comment", "score"]);
    assert_eq!(reader.schema().ignored, vec!["id", "comment", "score"]);
    assert_eq!(reader.count(), 0);
}

#[test]
fn missing_file_is_named() {
    let err = open_with(Path::new("no/such/survey.csv"), IngestOptions::default()).unwrap_err();
    assert!(matches!(err, IngestError::NotFound { .. }));
    assert!(
        err.to_string()
            .starts_with("no/such/survey.csv: file not found"),
        "{err}"
    );
}

#[test]
fn unknown_extension_asks_for_a_format_and_format_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(&dir, "answers.dat", b"id|comment\n1|fine\n");
    let err = open_with(&path, IngestOptions::default()).unwrap_err();
    assert!(
        err.to_string().contains("unknown format \".dat\"") && err.to_string().contains("--format"),
        "{err}"
    );
    let options = IngestOptions {
        format: Some(Format::Csv),
        ..Default::default()
    };
    let (rows, _) = split(open_with(&path, options).unwrap());
    assert_eq!(rows[0].fields, vec!["1", "fine"]);
}

#[test]
fn a_five_megabyte_field_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let big: String = "All good, \"mostly\".\nNext line. ".repeat(5 * 1024 * 1024 / 30);
    let mut data = b"id,comment,score\n1,\"".to_vec();
    data.extend_from_slice(big.replace('"', "\"\"").as_bytes());
    data.extend_from_slice(b"\",5\n2,short,4\n");
    let path = temp_file(&dir, "big.csv", &data);
    let (rows, skips) = split(open(&path));
    assert!(skips.is_empty());
    assert_eq!(rows.len(), 2);
    assert!(rows[0].fields[1].len() > 5_000_000);
    assert_eq!(rows[0].fields[1], big);
    let newlines = big.matches('\n').count() as u64;
    assert_eq!(rows[1].line, 3 + newlines);
}

#[test]
fn nul_bytes_and_invalid_utf8_do_not_panic_or_drop_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(
        &dir,
        "nul.csv",
        b"id,comment\n1,a\x00b\n2,\xFF\xFE\xFD\n3,\xF0\x9F\n4,\"\x00\"\n",
    );
    let (rows, skips) = split(open(&path));
    assert!(skips.is_empty());
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].fields[1], "a\u{0}b");
    assert_eq!(rows[1].fields[1], "ÿþý");
    assert_eq!(rows[3].fields[1], "\u{0}");
}

#[test]
fn emoji_and_right_to_left_text_survive_byte_for_byte() {
    let (rows, _) = split(open(&fixture("emoji_rtl.csv")));
    let comments: Vec<&str> = rows.iter().map(|r| r.fields[1].as_str()).collect();
    assert_eq!(
        comments,
        vec![
            "Great service 👍🏽 — the nurse was lovely 😊",
            "الخدمة ممتازة، شكرا لكم",
            "השירות היה מצוין",
            "Family 👨‍👩‍👧‍👦 visited; café re\u{301}sume\u{301} naïve",
            "mixed: العربية and English, with \u{200f} RLM and \u{200d} ZWJ",
        ]
    );
}

#[test]
fn the_sample_is_replayed_so_streaming_starts_at_the_first_row() {
    let options = IngestOptions {
        sample_rows: 3,
        ..Default::default()
    };
    let reader = open_with(&fixture("staff_survey.csv"), options).unwrap();
    assert_eq!(reader.schema().provenance.rows_sampled, 3);
    let (rows, _) = split(reader);
    assert_eq!(rows.len(), 40);
    let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, (2..42).collect::<Vec<u64>>());
}

#[test]
fn the_reader_runs_on_another_thread_and_reports_progress() {
    let path = fixture("staff_survey.csv");
    let reader = open(&path);
    let status = reader.status();
    let bytes = reader.bytes_read();
    let rows = std::thread::spawn(move || reader.count()).join().unwrap();
    assert_eq!(rows, 40);
    let size = std::fs::metadata(&path).unwrap().len();
    assert_eq!(status.total_bytes(), size);
    assert_eq!(status.bytes_read(), size);
    assert_eq!(bytes.load(std::sync::atomic::Ordering::Relaxed), size);
}

// ---- survey platforms --------------------------------------------------------------------------

#[test]
fn qualtrics_export_keeps_question_texts_and_drops_header_rows() {
    let reader = open(&fixture("qualtrics.csv"));
    assert_eq!(reader.platform(), Platform::Qualtrics);
    let columns = reader.columns();
    let q2 = columns.iter().find(|c| c.name == "Q2").unwrap();
    assert_eq!(
        q2.question.as_deref(),
        Some("What could we do better?\nPlease be as specific as you can.")
    );
    let schema = reader.schema().clone();
    assert_eq!(schema.id.as_deref(), Some("ResponseId"));
    assert_eq!(schema.open.len(), 1);
    assert_eq!(schema.open[0].column, "Q2");
    assert!(schema.open[0]
        .question
        .starts_with("What could we do better?"));
    for meta in [
        "StartDate",
        "IPAddress",
        "Duration (in seconds)",
        "RecipientEmail",
        "UserLanguage",
    ] {
        assert!(
            schema.ignored.iter().any(|c| c == meta),
            "{meta} not ignored"
        );
    }
    let q1 = schema.closed_question("Q1").unwrap();
    assert_eq!(
        q1.question,
        "How confident are you that your STP will deliver?"
    );
    assert_eq!(q1.levels[0], "Very confident");
    assert_eq!(
        schema.closed_question("Q3_1").unwrap().levels[1],
        "Somewhat agree"
    );
    assert_eq!(schema.attributes, vec!["Q4"]);
    let (rows, skips) = split(reader);
    assert!(skips.is_empty());
    assert_eq!(rows.len(), 8);
    // Q2's question text holds a newline, so the header rows take physical lines 1-4.
    assert_eq!(rows[0].line, 5);
    assert!(rows
        .iter()
        .all(|r| !r.fields.iter().any(|f| f.contains("ImportId"))));
}

#[test]
fn surveymonkey_export_names_option_columns() {
    let reader = open(&fixture("surveymonkey.csv"));
    assert_eq!(reader.platform(), Platform::SurveyMonkey);
    let owned: Vec<String> = names(&reader).iter().map(|s| s.to_string()).collect();
    let cols: Vec<&str> = owned.iter().map(String::as_str).collect();
    assert_eq!(
        cols[9..],
        [
            "How satisfied were you with your visit?",
            "Which services did you use? - GP",
            "Which services did you use? - Pharmacy",
            "Which services did you use? - Other (please specify)",
            "What could we do better?",
        ]
    );
    assert_eq!(
        reader.columns()[11].question.as_deref(),
        Some("Which services did you use?")
    );
    let schema = reader.schema().clone();
    assert_eq!(schema.id.as_deref(), Some("Respondent ID"));
    for meta in [
        "Collector ID",
        "IP Address",
        "Email Address",
        "Custom Data 1",
    ] {
        assert!(
            schema.ignored.iter().any(|c| c == meta),
            "{meta} not ignored"
        );
    }
    assert!(schema
        .open
        .iter()
        .any(|q| q.column == "What could we do better?"));
    let satisfied = schema
        .closed_question("How satisfied were you with your visit?")
        .unwrap();
    assert_eq!(satisfied.levels[0], "Very satisfied");
    assert_eq!(satisfied.levels[4], "Very dissatisfied");
    let (rows, _) = split(reader);
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[0].line, 3);
    assert_eq!(
        field(&cols, &rows[0], "Which services did you use? - GP"),
        "GP"
    );
}

// ---- JSON Lines ----------------------------------------------------------------------------------

#[test]
fn jsonl_bad_line_is_a_skip_with_its_line() {
    let reader = open(&fixture("responses.jsonl"));
    let cols: Vec<String> = names(&reader).iter().map(|s| s.to_string()).collect();
    assert_eq!(
        cols,
        vec!["response_id", "comment", "score", "tags", "consent"]
    );
    let events: Vec<RowEvent> = reader.collect();
    assert_eq!(events.len(), 4);
    let RowEvent::Skip(skip) = &events[2] else {
        panic!("line 3 should be skipped: {:?}", events[2])
    };
    assert_eq!(skip.line, 3);
    assert!(skip.reason.starts_with("invalid JSON at column"), "{skip}");
    assert!(skip.reason.contains("EOF while parsing"), "{skip}");
    let RowEvent::Row(first) = &events[0] else {
        panic!()
    };
    assert_eq!(
        first.fields[3], "{\"b\":1,\"a\":[1,2]}",
        "nested JSON keeps its key order"
    );
    let RowEvent::Row(second) = &events[1] else {
        panic!()
    };
    assert_eq!(second.fields[4], "true");
    let RowEvent::Row(last) = &events[3] else {
        panic!()
    };
    assert_eq!(last.line, 5, "the blank line 4 is not a row");
    assert_eq!(last.fields, vec!["r4", "No id on this one", "", "", ""]);
}

// ---- worksheets ------------------------------------------------------------------------------------

#[test]
fn xlsx_cells_read_as_typed() {
    let reader = open(&fixture("survey.xlsx"));
    assert_eq!(reader.sheet(), Some("Responses"));
    assert_eq!(
        names(&reader),
        vec![
            "respondent_id",
            "submitted",
            "visit_date",
            "rating",
            "share",
            "consent",
            "comment"
        ]
    );
    let (rows, skips) = split(reader);
    assert!(skips.is_empty());
    assert_eq!(
        rows[0].fields,
        vec![
            "101",
            "2024-03-05T14:30:00",
            "2024-03-01",
            "4",
            "0.25",
            "TRUE",
            "Kind staff.\nWould come again."
        ]
    );
    assert_eq!(rows[1].fields[3..6], ["2", "1.5", "FALSE"]);
    assert_eq!(
        rows[2].line, 5,
        "sheet row numbers, the blank row 4 is not a row"
    );
    assert_eq!(
        rows[2].fields,
        vec![
            "103",
            "",
            "2024-03-03",
            "5",
            "",
            "",
            "Excellent — thank you"
        ]
    );
}

#[test]
fn xlsx_named_sheet_and_missing_sheet() {
    let options = |sheet: &str| IngestOptions {
        sheet: Some(sheet.to_string()),
        ..Default::default()
    };
    let reader = open_with(&fixture("survey.xlsx"), options("Staff")).unwrap();
    assert_eq!(names(&reader), vec!["name", "team"]);
    assert_eq!(split(reader).0[0].fields, vec!["Ada", "Ward 7"]);
    let err = open_with(&fixture("survey.xlsx"), options("Nope")).unwrap_err();
    assert!(
        err.to_string().ends_with(
            "no sheet named \"Nope\"; its sheets are: \"Responses\", \"Staff\", \"Empty\""
        ),
        "{err}"
    );
    let err = open_with(&fixture("survey.xlsx"), options("Empty")).unwrap_err();
    assert!(err.to_string().starts_with("sheet \"Empty\" of"), "{err}");
}

// ---- schemas -------------------------------------------------------------------------------------

#[test]
fn schema_is_inferred_for_a_realistic_survey() {
    let reader = open(&fixture("staff_survey.csv"));
    let schema = reader.schema();
    assert!(schema.inferred);
    assert_eq!(schema.id.as_deref(), Some("respondent_id"));
    let open: Vec<&str> = schema.open.iter().map(|q| q.column.as_str()).collect();
    assert_eq!(open, vec!["what_is_working", "what_could_be_better"]);
    let confidence = schema.closed_question("confidence").unwrap();
    assert_eq!(
        confidence.levels,
        vec![
            "Very confident",
            "Fairly confident",
            "Not very confident",
            "Not at all confident",
            "Don't know"
        ]
    );
    assert!(confidence.ordered);
    assert_eq!(confidence.non_substantive, vec!["Don't know"]);
    let involvement = schema.closed_question("involvement").unwrap();
    assert_eq!(involvement.levels, vec!["1", "2", "3", "4", "5"]);
    assert!(involvement.ordered);
    assert_eq!(schema.attributes, vec!["role", "authority_type"]);
    assert_eq!(schema.ignored, vec!["submitted"]);
    let described = schema.describe();
    assert!(described.starts_with("inferred schema for "), "{described}");
    assert!(
        described.contains("staff_survey.csv (40 rows sampled):"),
        "{described}"
    );
    assert!(described.contains("  id: respondent_id\n"), "{described}");
    assert!(
        described.contains(
            "confidence [ordered: Very confident < Fairly confident < Not very confident < Not at all confident; non-substantive: Don't know]"
        ),
        "{described}"
    );
    assert!(
        described.contains("  attributes: role, authority_type\n"),
        "{described}"
    );
}

#[test]
fn inferred_schema_round_trips_through_survey_toml() {
    for name in [
        "staff_survey.csv",
        "qualtrics.csv",
        "surveymonkey.csv",
        "responses.jsonl",
    ] {
        let data = fixture(name);
        let inferred = open(&data).schema().clone();
        let dir = tempfile::tempdir().unwrap();
        let toml_path = temp_file(&dir, "survey.toml", inferred.to_toml().as_bytes());
        let options = IngestOptions {
            schema_path: Some(toml_path.clone()),
            ..Default::default()
        };
        let read_back = open_with(&data, options).unwrap().schema().clone();
        assert!(!read_back.inferred);
        assert_eq!(read_back.id, inferred.id, "{name}");
        assert_eq!(read_back.open, inferred.open, "{name}");
        assert_eq!(read_back.closed, inferred.closed, "{name}");
        assert_eq!(read_back.attributes, inferred.attributes, "{name}");
        assert_eq!(read_back.ignored, inferred.ignored, "{name}");
    }
}

#[test]
fn survey_toml_is_read() {
    let options = IngestOptions {
        schema_path: Some(fixture("staff_survey.toml")),
        ..Default::default()
    };
    let reader = open_with(&fixture("staff_survey.csv"), options).unwrap();
    let schema = reader.schema();
    assert!(!schema.inferred);
    assert_eq!(schema.open[0].question, "What could the STP do better?");
    let confidence = schema.closed_question("confidence").unwrap();
    assert_eq!(
        confidence.levels.last().map(String::as_str),
        Some("Don't know")
    );
    assert!(
        confidence.ordered,
        "ordered defaults to true when levels are given"
    );
    let involvement = schema.closed_question("involvement").unwrap();
    assert_eq!(
        involvement.levels,
        vec!["1", "2", "3", "4", "5"],
        "levels from the data"
    );
    assert_eq!(schema.attributes, vec!["role"]);
    assert_eq!(
        schema.ignored,
        vec!["submitted", "authority_type", "what_is_working"]
    );
    assert!(schema.describe().starts_with("schema from "));
}

#[test]
fn survey_toml_unknown_key_names_the_line() {
    let options = IngestOptions {
        schema_path: Some(fixture("schema_unknown_key.toml")),
        ..Default::default()
    };
    let err = open_with(&fixture("staff_survey.csv"), options).unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err, IngestError::SchemaSyntax { line: 5, .. }),
        "{text}"
    );
    assert!(
        text.contains("schema_unknown_key.toml, line 5, column 1: unknown field `wording`"),
        "{text}"
    );
}

#[test]
fn survey_toml_missing_column_names_it_and_the_columns() {
    let options = IngestOptions {
        schema_path: Some(fixture("schema_missing_column.toml")),
        ..Default::default()
    };
    let err = open_with(&fixture("staff_survey.csv"), options).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(
            "schema_missing_column.toml, line 4: column \"what_could_be_beter\" is not in "
        ),
        "{text}"
    );
    assert!(
        text.contains("(did you mean \"what_could_be_better\"?)"),
        "{text}"
    );
    assert!(text.ends_with(
        "its columns are: \"respondent_id\", \"submitted\", \"role\", \"authority_type\", \"confidence\", \
         \"involvement\", \"what_is_working\", \"what_could_be_better\""
    ), "{text}");
}

#[test]
fn text_and_id_options_override_inference() {
    let options = IngestOptions {
        text_columns: vec!["what_is_working".into()],
        id_column: Some("submitted".into()),
        ..Default::default()
    };
    let reader = open_with(&fixture("staff_survey.csv"), options).unwrap();
    let schema = reader.schema();
    assert_eq!(schema.id.as_deref(), Some("submitted"));
    assert_eq!(schema.open.len(), 1);
    assert_eq!(schema.open[0].column, "what_is_working");
    assert!(schema.ignored.contains(&"respondent_id".to_string()));
    assert!(schema.ignored.contains(&"what_could_be_better".to_string()));

    let options = IngestOptions {
        text_columns: vec!["coment".into()],
        ..Default::default()
    };
    let err = open_with(&fixture("staff_survey.csv"), options).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("--text: column \"coment\" is not in"),
        "{err}"
    );
}

#[test]
fn schema_command_prints_toml_to_stdout_and_the_description_to_stderr() {
    let run = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_verbatim"))
            .arg("schema")
            .args(args)
            .output()
            .unwrap()
    };
    let data = fixture("staff_survey.csv");
    let out = run(&[
        data.as_os_str(),
        "--text".as_ref(),
        "what_is_working".as_ref(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("id = \"respondent_id\""), "{stdout}");
    assert!(
        stdout.contains("[[open]]\ncolumn = \"what_is_working\"\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("what_could_be_better\"\n"), "{stdout}");
    assert!(stderr.contains("inferred schema for"), "{stderr}");
    assert!(stderr.contains("open: what_is_working\n"), "{stderr}");

    let out = run(&[data.as_os_str(), "--delimiter".as_ref(), "ab".as_ref()]);
    assert!(!out.status.success());
    let out = run(&["no-such-survey.csv".as_ref()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no-such-survey.csv: file not found"),
        "{stderr}"
    );
}

// ---- robustness -------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any bytes at all: an error or rows and skips, never a panic, and every line accounted.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let dir = tempfile::tempdir().unwrap();
        for name in ["any.csv", "any.jsonl"] {
            let path = temp_file(&dir, name, &bytes);
            if let Ok(reader) = SurveyReader::open(&path, &IngestOptions::default()) {
                let width = reader.columns().len();
                let _ = reader.schema().describe();
                let _ = reader.schema().to_toml();
                for event in reader {
                    if let RowEvent::Row(r) = event {
                        prop_assert_eq!(r.fields.len(), width);
                    }
                }
            }
        }
    }

    /// Whatever csv writes (quotes, delimiters, newlines, any text), the reader reads back.
    #[test]
    fn written_csv_reads_back_exactly(
        rows in proptest::collection::vec(
            proptest::collection::vec("[a-z ,;\"\n\r\t|é😊]{0,12}", 3),
            1..20,
        )
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("round.csv");
        let mut writer = csv::WriterBuilder::new().from_path(&path).unwrap();
        writer.write_record(["id", "comment", "note"]).unwrap();
        for row in &rows {
            writer.write_record(row).unwrap();
        }
        writer.flush().unwrap();
        drop(writer);
        let options = IngestOptions { delimiter: Some(b','), ..Default::default() };
        let reader = SurveyReader::open(&path, &options).unwrap();
        let got: Vec<Vec<String>> = reader
            .filter_map(|e| match e { RowEvent::Row(r) => Some(r.fields), RowEvent::Skip(_) => None })
            .collect();
        // A row of three blank fields is written as ",," and read back; a row whose only
        // content is whitespace in a single field is not possible with three columns.
        prop_assert_eq!(got, rows);
    }
}

// ---- the development data in ../shared/data ------------------------------------------------------

fn shared_data(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(relative);
    if path.exists() {
        Some(path)
    } else {
        println!(
            "skipped: {} is absent (the development data lives beside the project, not in it)",
            path.display()
        );
        None
    }
}

#[test]
fn nhs_feedback_reads_every_row() {
    let Some(path) = shared_data("nhs-feedback/comments.csv") else {
        return;
    };
    let reader = open(&path);
    assert_eq!(
        names(&reader),
        vec![
            "row_index",
            "organization",
            "question",
            "text",
            "code",
            "label",
            "subcategory",
            "criticality"
        ]
    );
    assert!(reader.warnings().is_empty(), "{:?}", reader.warnings());
    let open_columns: Vec<String> = reader
        .schema()
        .open
        .iter()
        .map(|q| q.column.clone())
        .collect();
    assert_eq!(open_columns, vec!["text"]);
    let (rows, skips) = split(reader);
    assert!(skips.is_empty(), "{:?}", &skips[..skips.len().min(3)]);
    assert_eq!(
        rows.len(),
        10_266,
        "python's csv module counts 10,266 data rows"
    );
    assert_eq!(rows[0].fields[3], "Nothing.");
}

#[test]
fn teaching_evals_infer_likert_items_and_open_questions() {
    let Some(path) = shared_data("teaching-evals/teaching_evals.csv") else {
        return;
    };
    let reader = open(&path);
    let schema = reader.schema().clone();
    assert_eq!(schema.id.as_deref(), Some("id"));
    for i in 1..=10 {
        let q = schema
            .closed_question(&format!("q{i}"))
            .unwrap_or_else(|| panic!("q{i} is not closed: {}", schema.describe()));
        assert_eq!(q.levels, vec!["1", "2", "3", "4", "5"]);
        assert!(q.ordered);
    }
    let open: Vec<&str> = schema.open.iter().map(|q| q.column.as_str()).collect();
    assert_eq!(
        open,
        vec!["positive_features", "negative_features", "other_comments"]
    );
    let (rows, skips) = split(reader);
    assert!(skips.is_empty());
    assert_eq!(rows.len(), 195);
}
