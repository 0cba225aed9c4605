//! Per thread, every distinct token text the analyser has seen, with what analysis derives from
//! it alone: folded form, stem, kind and capitals. Survey text repeats a small vocabulary, so
//! one hash lookup of the token as written replaces folding, stemming and two walks over its
//! characters, and the id it gives lets the codebook and the sentiment scorer memoise their own
//! per-word facts in a vector instead of another hash map.
use std::cell::RefCell;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::LocalKey;

use rustc_hash::FxHashMap;

use super::sentence::Abbreviation;
use super::stem::{CachedStemmer, LANGUAGES};
use super::token::{Sentence, Token, TokenKind};
use super::word_keys::WordKeys;
use super::{fold_into, is_all_caps, is_contrast, is_negator, may_cancel_negation, Forms};

/// Distinct token texts per thread and language before the table starts a new id space, which
/// bounds its memory.
const CAPACITY: usize = 200_000;

/// The forms of one distinct token text that analyses copy: read only where the [`Entry`] says
/// they differ from the text as written.
pub(super) struct Word {
    /// The folded form, and the stem where it differs from the folded form.
    pub norm: Box<str>,
    pub stem: Option<Box<str>>,
}

pub(super) struct WordTable {
    /// Names the current set of ids: unique across threads, languages and clearings, so an id is
    /// only ever read against the table that gave it.
    pub space: u64,
    /// Token texts of up to 8 bytes, most of them, packed into one word: the smaller the
    /// table, the fewer of its lookups miss the cache.
    word_ids: WordKeys<u64, Entry>,
    /// Token texts of 9 to 16 bytes, packed into two words.
    pair_ids: WordKeys<(u64, u64), Entry>,
    long_ids: FxHashMap<Box<str>, Entry>,
    pub words: Vec<Word>,
}

/// What the hash lookup of a token text gives: its id, and the facts every token needs, kept
/// beside the key so that most tokens never touch their [`Word`] (a second random read in a
/// table too large for the fastest cache).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Entry {
    pub id: u32,
    flags: u16,
}

const NORM_IS_ORIGINAL: u16 = 1;
const HAS_STEM: u16 = 2;
const NUMBER: u16 = 4;
const ALL_CAPS: u16 = 8;
const NEGATOR: u16 = 16;
const CONTRAST: u16 = 32;
const MAY_CANCEL_NEGATION: u16 = 64;
const ABBREVIATION: u16 = 128;
const ABBREVIATION_BEFORE_DIGIT: u16 = 256;

impl Entry {
    #[inline]
    fn has(self, flag: u16) -> bool {
        self.flags & flag != 0
    }

    /// Folding left the token as written: no form to copy.
    #[inline]
    pub fn norm_is_original(self) -> bool {
        self.has(NORM_IS_ORIGINAL)
    }

    /// The stem differs from the folded form.
    #[inline]
    pub fn has_stem(self) -> bool {
        self.has(HAS_STEM)
    }

    #[inline]
    pub fn kind(self) -> TokenKind {
        if self.has(NUMBER) {
            TokenKind::Number
        } else {
            TokenKind::Word
        }
    }

    #[inline]
    pub fn all_caps(self) -> bool {
        self.has(ALL_CAPS)
    }

    #[inline]
    pub fn negator(self) -> bool {
        self.has(NEGATOR)
    }

    #[inline]
    pub fn contrast(self) -> bool {
        self.has(CONTRAST)
    }

    /// See [`super::may_cancel_negation`].
    #[inline]
    pub fn may_cancel_negation(self) -> bool {
        self.has(MAY_CANCEL_NEGATION)
    }

    #[inline]
    pub fn abbreviation(self) -> Abbreviation {
        if self.has(ABBREVIATION) {
            Abbreviation::Always
        } else if self.has(ABBREVIATION_BEFORE_DIGIT) {
            Abbreviation::BeforeDigit
        } else {
            Abbreviation::Not
        }
    }
}

static NEXT_SPACE: AtomicU64 = AtomicU64::new(1);

impl WordTable {
    fn new() -> WordTable {
        WordTable {
            space: NEXT_SPACE.fetch_add(1, Ordering::Relaxed),
            word_ids: WordKeys::new(),
            pair_ids: WordKeys::new(),
            long_ids: FxHashMap::default(),
            words: Vec::new(),
        }
    }

    /// Starts a new id space once the table is full.
    pub fn make_room(&mut self) {
        if self.words.len() >= CAPACITY {
            *self = WordTable::new();
        }
    }

    /// The entry of the token at `span` of `text`, analysing its text the first time.
    #[inline(always)]
    pub fn entry(&mut self, text: &str, span: Range<usize>, stemmer: &CachedStemmer) -> Entry {
        let known = match ShortKey::in_text(text, span.clone()) {
            Some(ShortKey(first, 0)) => self.word_ids.get(first),
            Some(ShortKey(first, second)) => self.pair_ids.get((first, second)),
            None => self.long_ids.get(&text[span.clone()]).copied(),
        };
        match known {
            Some(entry) => entry,
            None => self.insert(&text[span], stemmer),
        }
    }

    /// Analyses a token text seen for the first time: kept out of line, as it runs once per
    /// distinct word and would otherwise weigh on every lookup.
    #[cold]
    #[inline(never)]
    fn insert(&mut self, original: &str, stemmer: &CachedStemmer) -> Entry {
        let mut norm = String::with_capacity(original.len());
        fold_into(original, &mut norm);
        let kind = if norm.chars().any(char::is_alphabetic) {
            TokenKind::Word
        } else {
            TokenKind::Number
        };
        let stem = match kind {
            TokenKind::Word => Some(stemmer.stem(&norm)).filter(|stem| *stem != norm),
            TokenKind::Number => None,
        };
        let flag = |on: bool, flag: u16| if on { flag } else { 0 };
        let abbreviation = Abbreviation::of(&norm);
        let entry = Entry {
            id: self.words.len() as u32,
            flags: flag(norm == original, NORM_IS_ORIGINAL)
                | flag(stem.is_some(), HAS_STEM)
                | flag(kind == TokenKind::Number, NUMBER)
                | flag(is_all_caps(original), ALL_CAPS)
                // Negation scopes look back over several tokens for every hit and sentiment word.
                | flag(is_negator(&norm), NEGATOR)
                | flag(is_contrast(&norm), CONTRAST)
                | flag(may_cancel_negation(&norm), MAY_CANCEL_NEGATION)
                | flag(abbreviation == Abbreviation::Always, ABBREVIATION)
                | flag(
                    abbreviation == Abbreviation::BeforeDigit,
                    ABBREVIATION_BEFORE_DIGIT,
                ),
        };
        self.words.push(Word {
            norm: norm.into_boxed_str(),
            stem: stem.map(String::into_boxed_str),
        });
        match ShortKey::of(original) {
            Some(ShortKey(first, 0)) => self.word_ids.insert(first, entry),
            Some(ShortKey(first, second)) => self.pair_ids.insert((first, second), entry),
            None => {
                self.long_ids.insert(original.into(), entry);
            }
        }
        entry
    }
}

/// A token text of up to 16 bytes, zero-padded into two little-endian words: hashing and
/// comparing it takes a few instructions where a string key costs a call to `memcmp`. A token
/// never holds a NUL byte, so the padding cannot make two texts equal, and the second word is
/// zero exactly when the text fits in the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ShortKey(u64, u64);

impl ShortKey {
    #[inline]
    fn of(text: &str) -> Option<ShortKey> {
        let b = text.as_bytes();
        let len = b.len();
        let word = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"));
        let half = |at: usize| {
            u64::from(u32::from_le_bytes(
                b[at..at + 4].try_into().expect("4 bytes"),
            ))
        };
        // Loads that overlap at the end, shifted so that only the bytes past the first part stay.
        let key = match len {
            17.. => return None,
            16 => ShortKey(word(0), word(8)),
            9..=15 => ShortKey(word(0), word(len - 8) >> ((16 - len) * 8)),
            8 => ShortKey(word(0), 0),
            4..=7 => ShortKey(half(0) | (half(len - 4) >> ((8 - len) * 8)) << 32, 0),
            0 => ShortKey(0, 0),
            // First, middle and last byte: for one to three bytes, every byte at its place
            // without a loop.
            _ => {
                let at = |k: usize| u64::from(b[k]) << (8 * k);
                ShortKey(at(0) | at(len / 2) | at(len - 1), 0)
            }
        };
        Some(key)
    }
}

impl ShortKey {
    /// [`ShortKey::of`] the token at `span` of `text`, read from the text in whole words where
    /// the text runs on far enough, without a branch on the token's length.
    #[inline(always)]
    fn in_text(text: &str, span: Range<usize>) -> Option<ShortKey> {
        let bytes = text.as_bytes();
        let len = span.len();
        let word_at = |at: usize| {
            bytes
                .get(at..at + 8)
                .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
        };
        // The low `len` bytes of a word, for `len` from 1 to 8.
        let keep = |word: u64, len: usize| word & (u64::MAX >> ((8 - len) * 8));
        match len {
            1..=8 => {
                if let Some(word) = word_at(span.start) {
                    return Some(ShortKey(keep(word, len), 0));
                }
            }
            9..=16 => {
                if let (Some(first), Some(second)) = (word_at(span.start), word_at(span.start + 8))
                {
                    return Some(ShortKey(first, keep(second, len - 8)));
                }
            }
            _ => {}
        }
        ShortKey::of(&text[span])
    }
}

thread_local! {
    static TABLES: RefCell<Vec<Option<WordTable>>> =
        RefCell::new((0..LANGUAGES.len()).map(|_| None).collect());
}

/// Runs `f` with this thread's table for the language at `language` in [`LANGUAGES`].
pub(super) fn with_table<R>(language: usize, f: impl FnOnce(&mut WordTable) -> R) -> R {
    TABLES.with(|tables| {
        let mut tables = tables.borrow_mut();
        let table = tables[language].get_or_insert_with(WordTable::new);
        table.make_room();
        f(table)
    })
}

/// Runs `f` with this thread's table for the language at `language` if it still gives the ids
/// of `space`; `None` if not (another thread, or a table started afresh).
pub(super) fn with_table_of_space<R>(
    language: usize,
    space: u64,
    f: impl FnOnce(&WordTable) -> R,
) -> Option<R> {
    TABLES
        .try_with(|tables| {
            let tables = tables.try_borrow().ok()?;
            let table = tables[language].as_ref().filter(|t| t.space == space)?;
            Some(f(table))
        })
        .ok()
        .flatten()
}

/// The buffers of one analysis, kept for the next.
#[derive(Default)]
pub(super) struct Buffers {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub words: Vec<Entry>,
}

/// Spare buffer sets kept per thread: enough for the analyses one thread holds at once.
const SPARE_SETS: usize = 4;
/// Buffers of a text longer than this are freed rather than kept, which bounds the memory.
const SPARE_TEXT_BYTES: usize = 16 * 1024;
/// The tokens of such a text, at most (a token and the gap after it take two bytes or more).
const SPARE_TOKENS: usize = SPARE_TEXT_BYTES / 2;

thread_local! {
    static SPARE: RefCell<Vec<Buffers>> = const { RefCell::new(Vec::new()) };
}

/// Empty buffers, with the capacity of an earlier analysis when this thread has one to spare.
pub(super) fn spare_buffers() -> Buffers {
    take_spare(&SPARE)
}

/// Keeps the buffers of a finished analysis for the next, unless they are large or enough are
/// kept already.
pub(super) fn keep_buffers(mut buffers: Buffers) {
    if buffers.tokens.capacity() > SPARE_TOKENS {
        return;
    }
    buffers.tokens.clear();
    buffers.sentences.clear();
    buffers.words.clear();
    keep_spare(&SPARE, buffers, SPARE_SETS);
}

thread_local! {
    static SPARE_FORMS: RefCell<Vec<Forms>> = const { RefCell::new(Vec::new()) };
}

/// Empty buffers of forms, with the capacity of earlier ones where this thread has some to
/// spare.
pub(super) fn spare_forms() -> Forms {
    take_spare(&SPARE_FORMS)
}

/// Keeps the buffers of forms of a finished analysis, as [`keep_buffers`] does the others.
pub(super) fn keep_forms(mut forms: Forms) {
    if forms.text.capacity() > SPARE_TEXT_BYTES {
        return;
    }
    forms.clear();
    // Two sets of forms (folded forms, stems) an analysis.
    keep_spare(&SPARE_FORMS, forms, 2 * SPARE_SETS);
}

/// One spare from this thread's `pool`, or a new one.
fn take_spare<T: Default>(pool: &'static LocalKey<RefCell<Vec<T>>>) -> T {
    pool.try_with(|spare| spare.try_borrow_mut().ok()?.pop())
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Puts `item` in this thread's `pool` unless it holds `limit` already. At thread exit the
/// pool may be gone: the item is then just freed.
fn keep_spare<T>(pool: &'static LocalKey<RefCell<Vec<T>>>, item: T, limit: usize) {
    let _ = pool.try_with(|spare| {
        if let Ok(mut spare) = spare.try_borrow_mut() {
            if spare.len() < limit {
                spare.push(item);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key as a plain zero-padded copy would give it.
    fn padded(text: &str) -> ShortKey {
        let mut bytes = [0u8; 16];
        bytes[..text.len()].copy_from_slice(text.as_bytes());
        ShortKey(
            u64::from_le_bytes(bytes[..8].try_into().unwrap()),
            u64::from_le_bytes(bytes[8..].try_into().unwrap()),
        )
    }

    #[test]
    fn short_keys_pack_every_length_up_to_sixteen_bytes() {
        let text = "abcdefghijklmnopq";
        for len in 0..=16 {
            assert_eq!(
                ShortKey::of(&text[..len]),
                Some(padded(&text[..len])),
                "{len}"
            );
        }
        assert_eq!(ShortKey::of(text), None);
        assert_eq!(ShortKey::of("café"), Some(padded("café")));
        assert_ne!(ShortKey::of("staff"), ShortKey::of("Staff"));
    }

    #[test]
    fn keys_read_from_the_text_are_the_keys_of_the_token() {
        let text = "a café’s long-termism: 1,000 internationalisation x";
        for start in 0..text.len() {
            for end in start + 1..=text.len() {
                if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                    continue;
                }
                let token = &text[start..end];
                assert_eq!(
                    ShortKey::in_text(text, start..end),
                    ShortKey::of(token),
                    "{token:?}"
                );
            }
        }
    }

    #[test]
    fn long_and_short_token_texts_keep_their_ids() {
        let stemmer = CachedStemmer::for_language("english").unwrap();
        let mut table = WordTable::new();
        let long = "internationalisation's";
        let id = |table: &mut WordTable, text: &str| table.entry(text, 0..text.len(), &stemmer).id;
        let (a, b) = (id(&mut table, "staff"), id(&mut table, long));
        assert_ne!(a, b);
        assert_eq!(id(&mut table, "staff"), a);
        assert_eq!(id(&mut table, long), b);
        assert_eq!(&*table.words[b as usize].norm, long);
    }
}
