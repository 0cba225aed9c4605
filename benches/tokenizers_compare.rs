//! Our tokeniser and folding against Hugging Face `tokenizers` on the same ~4 MB of generated
//! comments, single thread. Built only with the `hf-tokenizers` feature:
//!
//! cargo bench --features hf-tokenizers --bench tokenizers_compare
//!
//! `pretokenize/*`: word spans with byte offsets into the original text. `ours_token_spans` is
//! the baseline; `ours_spans_fold` adds our folding of every token, which is the work the
//! analyser needs; `hf_whitespace` and `hf_bert` are tokenizers' pre-tokenisers (`\w+|[^\w\s]+`,
//! and whitespace + punctuation) asked for original byte offsets.
//!
//! `fold_non_ascii/*`: folding of the corpus's non-ASCII tokens only (ASCII tokens take our byte
//! loop either way). `hf_normalizers` is NFKD + StripAccents + Lowercase + NFC, the sequence that
//! does what `fold` does (StripAccents only strips marks that a decomposition has split off, so
//! NFKC + Lowercase + StripAccents would leave "é" as it is).
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tokenizers::normalizers::{Lowercase, Sequence, StripAccents, NFC, NFKD};
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::pre_tokenizers::whitespace::Whitespace;
use tokenizers::{
    NormalizedString, NormalizerWrapper, OffsetReferential, OffsetType, PreTokenizedString,
    PreTokenizer,
};
use verbatim::text::{fold, fold_into, token_spans};

mod common;

const CORPUS_BYTES: usize = 4_000_000;

fn hf_spans(pre_tokenizer: &impl PreTokenizer, text: &str) -> usize {
    let mut pre = PreTokenizedString::from(text);
    pre_tokenizer
        .pre_tokenize(&mut pre)
        .expect("pre-tokenising a string does not fail");
    pre.get_splits(OffsetReferential::Original, OffsetType::Byte)
        .len()
}

fn pretokenize(c: &mut Criterion) {
    let comments = common::comments(CORPUS_BYTES);
    let mut group = c.benchmark_group("pretokenize");
    group.throughput(Throughput::BytesDecimal(common::total_bytes(&comments)));
    group.bench_function("ours_token_spans", |b| {
        b.iter(|| {
            let mut tokens = 0;
            for comment in &comments {
                tokens += token_spans(black_box(comment)).count();
            }
            tokens
        })
    });
    group.bench_function("ours_spans_fold", |b| {
        let mut folded = String::with_capacity(4096);
        b.iter(|| {
            let mut tokens = 0;
            for comment in &comments {
                folded.clear();
                for span in token_spans(black_box(comment)) {
                    fold_into(&comment[span], &mut folded);
                    tokens += 1;
                }
            }
            tokens
        })
    });
    group.bench_function("hf_whitespace", |b| {
        b.iter(|| {
            let mut tokens = 0;
            for comment in &comments {
                tokens += hf_spans(&Whitespace {}, black_box(comment));
            }
            tokens
        })
    });
    group.bench_function("hf_bert", |b| {
        b.iter(|| {
            let mut tokens = 0;
            for comment in &comments {
                tokens += hf_spans(&BertPreTokenizer, black_box(comment));
            }
            tokens
        })
    });
    group.finish();
}

fn hf_folder() -> Sequence {
    Sequence::new(vec![
        NormalizerWrapper::NFKD(NFKD),
        NormalizerWrapper::StripAccents(StripAccents),
        NormalizerWrapper::Lowercase(Lowercase),
        NormalizerWrapper::NFC(NFC),
    ])
}

fn hf_fold(normalizer: &Sequence, token: &str) -> String {
    use tokenizers::Normalizer;
    let mut normalized = NormalizedString::from(token);
    normalizer
        .normalize(&mut normalized)
        .expect("normalising a string does not fail");
    normalized.get().to_string()
}

fn fold_non_ascii(c: &mut Criterion) {
    let comments = common::comments(CORPUS_BYTES);
    let tokens: Vec<&str> = comments
        .iter()
        .flat_map(|comment| token_spans(comment).map(move |span| &comment[span]))
        .filter(|token| !token.is_ascii())
        .collect();
    let normalizer = hf_folder();
    let differ = tokens
        .iter()
        .filter(|t| fold(t) != hf_fold(&normalizer, t))
        .count();
    eprintln!(
        "fold_non_ascii: {} non-ASCII tokens of {} bytes; tokenizers folds {differ} of them \
         differently (it keeps curly apostrophes: hasn’t != hasn't)",
        tokens.len(),
        tokens.iter().map(|t| t.len()).sum::<usize>()
    );
    for word in ["Café", "naïve", "ﬁnance", "Straße", "ＳＴＰ", "hasn’t"] {
        eprintln!(
            "  {word}: ours {:?}, tokenizers {:?}",
            fold(word),
            hf_fold(&normalizer, word)
        );
    }
    let mut group = c.benchmark_group("fold_non_ascii");
    group.throughput(Throughput::BytesDecimal(
        tokens.iter().map(|t| t.len() as u64).sum(),
    ));
    group.bench_function("ours_fold", |b| {
        let mut out = String::with_capacity(64);
        b.iter(|| {
            let mut bytes = 0;
            for token in &tokens {
                out.clear();
                fold_into(black_box(token), &mut out);
                bytes += out.len();
            }
            bytes
        })
    });
    group.bench_function("hf_normalizers", |b| {
        b.iter(|| {
            let mut bytes = 0;
            for token in &tokens {
                bytes += hf_fold(&normalizer, black_box(token)).len();
            }
            bytes
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(6));
    targets = pretokenize, fold_non_ascii
}
criterion_main!(benches);
