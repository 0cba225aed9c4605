//! What every bench shares: the generated corpus, built in memory from corpus/stp/quotes.csv with
//! the same generator as `verbatim generate`, so benches and the command measure the same text.
#![allow(dead_code)] // each bench uses a part

pub mod bench_index;

use std::path::{Path, PathBuf};

use verbatim::generate::{Generator, SentencePool};

/// The seed of every bench corpus.
pub const SEED: u64 = 42;

pub fn quotes_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/stp/quotes.csv")
}

pub fn pool() -> SentencePool {
    SentencePool::from_path(&quotes_path()).expect("corpus/stp/quotes.csv is readable")
}

/// Generated comments adding up to at least `bytes`, empty answers included.
pub fn comments(bytes: usize) -> Vec<String> {
    Generator::new(&pool(), SEED).comments(bytes)
}

pub fn total_bytes(comments: &[String]) -> u64 {
    comments.iter().map(|c| c.len() as u64).sum()
}

pub fn lexicon_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("lexicons")
        .join(name)
}
