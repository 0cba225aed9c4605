//! Coding throughput, single thread, over ~2 MB of generated comments: with the real
//! lexicons/stp.toml and with generated codebooks of 10, 100 and 2,000 rules (words, globs,
//! phrases and NEAR drawn from the corpus's own vocabulary, so they fire).
//!
//! `code/analyze_only` is the baseline: coding = analysis + matching, so `rules_N / analyze_only`
//! is what matching costs. In `code/rules_N` the same 10 rules fire and the other N-10 never
//! match, so `rules_2000 / rules_10` is what the number of rules itself costs. In
//! `code_dense/rules_N` every rule comes from the corpus's 350-word vocabulary, so hits grow with
//! the rules (each token matches several rules): that is the cost of evidence, not of rules.
//! `code_text_size/*` codes 0.5 MB and 2 MB with stp.toml: equal MB/s means cost linear in text.
//!
//! cargo bench --bench coder
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use verbatim::codebook::Codebook;
use verbatim::generate::SplitMix64;
use verbatim::text::{Analyzer, TokenKind};

mod common;

const CORPUS_BYTES: usize = 2_000_000;

/// The words and word pairs of the corpus, as rule patterns.
struct Vocabulary {
    words: Vec<String>,
    pairs: Vec<(String, String)>,
}

impl Vocabulary {
    fn of(comments: &[String]) -> Vocabulary {
        let analyzer = Analyzer::english();
        let mut words = BTreeSet::new();
        let mut pairs = BTreeSet::new();
        let usable = |w: &str| w.len() >= 3 && w.bytes().all(|b| b.is_ascii_lowercase());
        for comment in comments {
            let analysis = analyzer.analyze(comment);
            for (i, token) in analysis.tokens.iter().enumerate() {
                let word = analysis.norm(i);
                if token.kind != TokenKind::Word || !usable(word) {
                    continue;
                }
                words.insert(word.to_string());
                let next = i + 1;
                if next < analysis.tokens.len()
                    && !analysis.tokens[next].clause_break_before
                    && usable(analysis.norm(next))
                {
                    pairs.insert((word.to_string(), analysis.norm(next).to_string()));
                }
            }
        }
        Vocabulary {
            words: words.into_iter().collect(),
            pairs: pairs.into_iter().collect(),
        }
    }
}

/// A codebook of `rules` rules, ten to a theme: 4 words, 2 globs, 3 phrases, 1 NEAR each.
/// The first `firing` rules are drawn from the corpus vocabulary and fire; the others are made
/// from corpus words given a letter suffix ("councilab"), so they sit in the matcher's indexes
/// but never match: they measure what more rules cost when the hits stay the same.
fn generated_codebook(rules: usize, firing: usize, vocabulary: &Vocabulary) -> String {
    let mut rng = SplitMix64::new(42);
    let mut silent = 0usize;
    let mut mangle = |word: &str| {
        silent += 1;
        let (mut n, mut suffix) = (silent, String::new());
        while n > 0 {
            suffix.push((b'a' + (n % 26) as u8) as char);
            n /= 26;
        }
        format!("{word}{suffix}")
    };
    let mut toml = String::new();
    writeln!(
        toml,
        "[codebook]\nname = \"generated, {rules} rules\"\nversion = \"1.0.0\"\n"
    )
    .unwrap();
    let words = &vocabulary.words;
    let pairs = &vocabulary.pairs;
    for theme in 0..rules.div_ceil(10) {
        let in_theme = (rules - theme * 10).min(10);
        let mut seen = BTreeSet::new();
        let mut kinds: [Vec<String>; 4] = Default::default();
        for slot in 0..in_theme {
            let fires = theme * 10 + slot < firing;
            let (kind, pattern) = loop {
                let picked = rng.pick(words);
                let word = if fires {
                    picked.clone()
                } else {
                    mangle(picked)
                };
                let candidate = match slot {
                    0..=3 => (0, word),
                    4..=5 => {
                        let prefix = &picked[..picked.len().min(5)];
                        let prefix = if fires {
                            prefix.to_string()
                        } else {
                            mangle(prefix)
                        };
                        (1, format!("{prefix}*"))
                    }
                    6..=8 => {
                        let (a, b) = rng.pick(pairs);
                        let a = if fires { a.clone() } else { mangle(a) };
                        (2, format!("{a} {b}"))
                    }
                    _ => (3, format!("{word} NEAR/3 {}", rng.pick(words))),
                };
                if seen.insert(candidate.1.clone()) {
                    break candidate;
                }
            };
            kinds[kind].push(format!("\"{pattern}\""));
        }
        writeln!(toml, "[[theme]]\nid = \"t{theme:04}\"").unwrap();
        for (key, patterns) in ["words", "globs", "phrases", "near"].iter().zip(&kinds) {
            if !patterns.is_empty() {
                writeln!(toml, "{key} = [{}]", patterns.join(", ")).unwrap();
            }
        }
        toml.push('\n');
    }
    toml
}

fn code_all(codebook: &Codebook, comments: &[String]) -> usize {
    let mut coded = 0;
    for comment in comments {
        coded += codebook.code(black_box(comment)).coded_themes().count();
    }
    coded
}

fn code(c: &mut Criterion) {
    let comments = common::comments(CORPUS_BYTES);
    let vocabulary = Vocabulary::of(&comments);
    eprintln!(
        "coder: {} words, {} word pairs in the vocabulary",
        vocabulary.words.len(),
        vocabulary.pairs.len()
    );
    let stp = Codebook::from_path(&common::lexicon_path("stp.toml")).expect("stp.toml compiles");
    let mut codebooks = vec![(format!("stp_{}_rules", stp.rules.len()), stp)];
    let generated = |rules: usize, firing: usize| {
        let source = generated_codebook(rules, firing, &vocabulary);
        let codebook = Codebook::from_source(&source, &format!("generated-{rules}.toml"))
            .unwrap_or_else(|err| panic!("the generated codebook compiles: {err}"));
        assert_eq!(codebook.rules.len(), rules);
        codebook
    };
    for rules in [10, 100, 2000] {
        codebooks.push((format!("rules_{rules}"), generated(rules, 10)));
    }
    let dense: Vec<(String, Codebook)> = [100, 2000]
        .into_iter()
        .map(|rules| (format!("rules_{rules}"), generated(rules, rules)))
        .collect();
    let analyzer = Analyzer::english();
    let mut group = c.benchmark_group("code");
    group.throughput(Throughput::BytesDecimal(common::total_bytes(&comments)));
    group.bench_function("analyze_only", |b| {
        b.iter(|| {
            let mut tokens = 0;
            for comment in &comments {
                tokens += analyzer.analyze(black_box(comment)).tokens.len();
            }
            tokens
        })
    });
    for (name, codebook) in &codebooks {
        group.bench_function(name.as_str(), |b| b.iter(|| code_all(codebook, &comments)));
    }
    group.finish();

    let mut group = c.benchmark_group("code_dense");
    group.throughput(Throughput::BytesDecimal(common::total_bytes(&comments)));
    for (name, codebook) in &dense {
        group.bench_function(name.as_str(), |b| b.iter(|| code_all(codebook, &comments)));
    }
    group.finish();

    let stp = &codebooks[0].1;
    let mut group = c.benchmark_group("code_text_size");
    for bytes in [CORPUS_BYTES / 4, CORPUS_BYTES] {
        let comments = common::comments(bytes);
        group.throughput(Throughput::BytesDecimal(common::total_bytes(&comments)));
        group.bench_with_input(BenchmarkId::new("stp", bytes), &comments, |b, comments| {
            b.iter(|| code_all(stp, comments))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(15)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(6));
    targets = code
}
criterion_main!(benches);
