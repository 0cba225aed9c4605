//! Stemming with rust-stemmers behind a per-thread cache: stemming is the hot spot of analysis,
//! and survey text repeats a small vocabulary, so most lookups hit.
use std::cell::RefCell;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

/// Entries per thread and language before the cache is cleared, which bounds its memory.
const CACHE_CAPACITY: usize = 200_000;

/// The stemming languages a codebook can name.
pub const LANGUAGES: &[(&str, Algorithm)] = &[
    ("arabic", Algorithm::Arabic),
    ("danish", Algorithm::Danish),
    ("dutch", Algorithm::Dutch),
    ("english", Algorithm::English),
    ("finnish", Algorithm::Finnish),
    ("french", Algorithm::French),
    ("german", Algorithm::German),
    ("greek", Algorithm::Greek),
    ("hungarian", Algorithm::Hungarian),
    ("italian", Algorithm::Italian),
    ("norwegian", Algorithm::Norwegian),
    ("portuguese", Algorithm::Portuguese),
    ("romanian", Algorithm::Romanian),
    ("russian", Algorithm::Russian),
    ("spanish", Algorithm::Spanish),
    ("swedish", Algorithm::Swedish),
    ("tamil", Algorithm::Tamil),
    ("turkish", Algorithm::Turkish),
];

/// A stemmer for one language with a cache per thread.
pub struct CachedStemmer {
    language: usize,
    stemmer: Stemmer,
}

thread_local! {
    static CACHES: RefCell<Vec<FxHashMap<Box<str>, Box<str>>>> =
        RefCell::new(vec![FxHashMap::default(); LANGUAGES.len()]);
}

impl CachedStemmer {
    /// The stemmer for a language named as in [`LANGUAGES`]; `None` if there is none.
    pub fn for_language(name: &str) -> Option<CachedStemmer> {
        let language = LANGUAGES.iter().position(|(known, _)| *known == name)?;
        Some(CachedStemmer::of_index(language))
    }

    /// The stemmer for the language at `language` in [`LANGUAGES`].
    pub(super) fn of_index(language: usize) -> CachedStemmer {
        CachedStemmer {
            language,
            stemmer: Stemmer::create(LANGUAGES[language].1),
        }
    }

    /// The index of the language in [`LANGUAGES`].
    pub fn language_index(&self) -> usize {
        self.language
    }

    pub fn language(&self) -> &'static str {
        LANGUAGES[self.language].0
    }

    /// Appends the stem of the folded word `word` to `out`.
    pub fn stem_into(&self, word: &str, out: &mut String) {
        CACHES.with(|caches| {
            let mut caches = caches.borrow_mut();
            let cache = &mut caches[self.language];
            if let Some(stem) = cache.get(word) {
                out.push_str(stem);
                return;
            }
            let stem = self.stemmer.stem(word);
            out.push_str(&stem);
            if cache.len() >= CACHE_CAPACITY {
                cache.clear();
            }
            cache.insert(word.into(), stem.as_ref().into());
        })
    }

    /// The stem of the folded word `word`.
    pub fn stem(&self, word: &str) -> String {
        let mut out = String::new();
        self.stem_into(word, &mut out);
        out
    }

    /// Stems without the cache: the baseline the cache is measured against.
    pub fn stem_uncached(&self, word: &str) -> String {
        self.stemmer.stem(word).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_stems_share_forms() {
        let stemmer = CachedStemmer::for_language("english").unwrap();
        assert_eq!(stemmer.stem("engaged"), stemmer.stem("engagement"));
        assert_eq!(stemmer.stem("boxes"), "box");
        assert_eq!(stemmer.stem("council's"), "council");
        // a second call is served by the cache and agrees with the stemmer
        assert_eq!(stemmer.stem("engaged"), stemmer.stem_uncached("engaged"));
    }

    #[test]
    fn unknown_language_is_none() {
        assert!(CachedStemmer::for_language("klingon").is_none());
    }
}
