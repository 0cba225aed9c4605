//! The STP codebook gives every quote of the bundled corpus the themes a careful human coder gave
//! it (corpus/stp/gold_themes.csv, coded from the theme definitions before the rules were written).
use std::collections::BTreeMap;
use std::path::Path;

use verbatim::codebook::Codebook;

fn read(path: &str, key: &str, value: &str) -> BTreeMap<String, String> {
    let mut reader =
        csv::Reader::from_path(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    let headers = reader.headers().unwrap().clone();
    let k = headers.iter().position(|h| h == key).unwrap();
    let v = headers.iter().position(|h| h == value).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[k].to_string(), r[v].to_string())
        })
        .collect()
}

#[test]
fn stp_codebook_reproduces_the_gold_coding_of_every_quote() {
    let codebook =
        Codebook::from_path(&Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicons/stp.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
    let quotes = read("corpus/stp/quotes.csv", "quote_id", "text");
    let gold = read("corpus/stp/gold_themes.csv", "quote_id", "themes");
    assert_eq!(quotes.len(), 36);
    let mut disagreements = Vec::new();
    for (id, text) in &quotes {
        let coding = codebook.code(text);
        let mut coded: Vec<&str> = coding
            .coded_themes()
            .filter(|&t| codebook.themes[t].children.is_empty())
            .map(|t| codebook.themes[t].id.as_str())
            .collect();
        coded.sort_unstable();
        let mut expected: Vec<&str> = gold[id].split('|').filter(|t| !t.is_empty()).collect();
        expected.sort_unstable();
        if coded != expected {
            disagreements.push(format!("{id}: coded {coded:?}, gold {expected:?}: {text}"));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

#[test]
fn stp_codebook_examples_hold() {
    let codebook =
        Codebook::from_path(&Path::new(env!("CARGO_MANIFEST_DIR")).join("lexicons/stp.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
    let problems = codebook.check_examples();
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(codebook.themes.len(), 14);
}
