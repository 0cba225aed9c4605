//! The two stages of an index build timed apart, one thread each: coding every comment and
//! building its document, then handing the documents to one tantivy indexing thread and
//! committing. `--drop` leaves fields out of the documents (by name prefix), to see what each
//! costs tantivy; run it under `valgrind --tool=callgrind` for instruction counts.
//!
//! cargo run --release --example index_stages -- SURVEY.csv SCRATCH_DIR [ROUNDS] [--drop text,record]
use std::path::Path;
use std::time::Instant;

use tantivy::schema::OwnedValue;
use tantivy::{IndexWriter, TantivyDocument};
use verbatim::codebook::Codebook;
use verbatim::index::{column_map, DocumentBuilder, Manifest, SentimentSpec, SurveyIndex};
use verbatim::sentiment::SentimentScorer;
use verbatim::survey::{IngestOptions, RowEvent, SurveyReader};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let drop_at = args.iter().position(|a| a == "--drop");
    let drop: Vec<String> = drop_at
        .and_then(|i| args.get(i + 1))
        .map(|list| list.split(',').map(String::from).collect())
        .unwrap_or_default();
    let positional: Vec<&String> = match drop_at {
        Some(i) => args[..i].iter().collect(),
        None => args.iter().collect(),
    };
    let (Some(survey), Some(scratch)) = (positional.first(), positional.get(1)) else {
        eprintln!("usage: index_stages SURVEY.csv SCRATCH_DIR [ROUNDS] [--drop FIELD,FIELD]");
        std::process::exit(2);
    };
    let rounds: usize = positional.get(2).map_or(3, |r| r.parse().expect("ROUNDS"));
    let (survey, scratch) = (Path::new(survey.as_str()), Path::new(scratch.as_str()));
    let codebook = Codebook::from_path(Path::new("lexicons/stp.toml")).expect("stp.toml");
    let scorer = SentimentScorer::bundled();
    let open = || SurveyReader::open(survey, &IngestOptions::default()).expect("the survey");
    let reader = open();
    let manifest = Manifest::new(
        reader.schema(),
        &codebook,
        Path::new("lexicons/stp.toml"),
        Some(SentimentSpec {
            lexicon: "bundled".into(),
            overlay: false,
        }),
    );
    let records: Vec<_> = reader
        .filter_map(|event| match event {
            RowEvent::Row(record) => Some(record),
            RowEvent::Skip(_) => None,
        })
        .collect();
    let _ = std::fs::remove_dir_all(scratch);
    let template = SurveyIndex::create(&scratch.join("template"), manifest.clone()).unwrap();
    let columns = column_map(&open(), &template.manifest).unwrap();
    let builder = DocumentBuilder {
        manifest: &template.manifest,
        fields: &template.fields,
        codebook: &codebook,
        sentiment: Some(&scorer),
        columns: &columns,
        file: "index_stages",
    };
    let schema = template.index.schema();
    let text_mb = records
        .iter()
        .flat_map(|r| columns.open.iter().map(|&c| r.get(c).len()))
        .sum::<usize>() as f64
        / 1e6;
    for round in 0..rounds {
        let start = Instant::now();
        let documents: Vec<TantivyDocument> =
            records.iter().flat_map(|r| builder.documents(r)).collect();
        let coding = start.elapsed().as_secs_f64();
        let documents: Vec<TantivyDocument> = if drop.is_empty() {
            documents
        } else {
            documents
                .into_iter()
                .map(|document| {
                    let mut kept = TantivyDocument::new();
                    for (field, value) in document.field_values() {
                        let name = schema.get_field_name(field);
                        if !drop.iter().any(|d| name.starts_with(d.as_str())) {
                            kept.add_field_value(field, &OwnedValue::from(value));
                        }
                    }
                    kept
                })
                .collect()
        };
        let target = scratch.join(format!("round{round}"));
        let index = SurveyIndex::create(&target, manifest.clone()).unwrap();
        let start = Instant::now();
        let mut writer: IndexWriter<TantivyDocument> = index
            .index
            .writer_with_num_threads(1, 256 * 1024 * 1024)
            .unwrap();
        for (seq, mut document) in documents.into_iter().enumerate() {
            document.add_u64(index.fields.seq, seq as u64);
            writer.add_document(document).unwrap();
        }
        let added = start.elapsed().as_secs_f64();
        writer.commit().unwrap();
        writer.wait_merging_threads().unwrap();
        let tantivy = start.elapsed().as_secs_f64();
        println!(
            "coding {coding:.3} s ({:.1} MB/s) | tantivy {tantivy:.3} s ({:.1} MB/s; adding {added:.3} s, commit {:.3} s)",
            text_mb / coding,
            text_mb / tantivy,
            tantivy - added
        );
        std::fs::remove_dir_all(&target).unwrap();
    }
}
