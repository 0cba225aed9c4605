//! Per thread, every distinct token text the analyser has seen, with what analysis derives from
//! it alone: folded form, stem, kind and capitals. Survey text repeats a small vocabulary, so
//! one hash lookup of the token as written replaces folding, stemming and two walks over its
//! characters, and the id it gives lets the codebook and the sentiment scorer memoise their own
//! per-word facts in a vector instead of another hash map.
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::FxHashMap;

use super::stem::{CachedStemmer, LANGUAGES};
use super::token::{Sentence, Token, TokenKind};
use super::{fold_into, is_all_caps, is_contrast, is_negator, WordRef};

/// Distinct token texts per thread and language before the table starts a new id space, which
/// bounds its memory.
const CAPACITY: usize = 200_000;

/// One distinct token text.
pub(super) struct Word {
    /// Ranges of the folded form and of the stem in [`WordTable::text`].
    pub norm: (u32, u32),
    pub stem: (u32, u32),
    pub kind: TokenKind,
    pub all_caps: bool,
    /// Negator and contrast word ([`is_negator`], [`is_contrast`]): negation scopes look
    /// back over several tokens for every hit and sentiment word.
    pub negator: bool,
    pub contrast: bool,
}

pub(super) struct WordTable {
    /// Names the current set of ids: unique across threads, languages and clearings, so an id is
    /// only ever read against the table that gave it.
    pub space: u64,
    ids: FxHashMap<Box<str>, u32>,
    pub words: Vec<Word>,
    pub text: String,
}

static NEXT_SPACE: AtomicU64 = AtomicU64::new(1);

impl WordTable {
    fn new() -> WordTable {
        WordTable {
            space: NEXT_SPACE.fetch_add(1, Ordering::Relaxed),
            ids: FxHashMap::default(),
            words: Vec::new(),
            text: String::new(),
        }
    }

    /// Starts a new id space once the table is full.
    pub fn make_room(&mut self) {
        if self.words.len() >= CAPACITY {
            *self = WordTable::new();
        }
    }

    /// The id of the token written `original`, analysing it the first time.
    pub fn id(&mut self, original: &str, stemmer: &CachedStemmer) -> u32 {
        if let Some(&id) = self.ids.get(original) {
            return id;
        }
        let norm_start = self.text.len();
        fold_into(original, &mut self.text);
        let norm_end = self.text.len();
        let norm = &self.text[norm_start..norm_end];
        let kind = if norm.chars().any(char::is_alphabetic) {
            TokenKind::Word
        } else {
            TokenKind::Number
        };
        let (negator, contrast) = (is_negator(norm), is_contrast(norm));
        let stem = match kind {
            TokenKind::Word => stemmer.stem(norm),
            TokenKind::Number => norm.to_string(),
        };
        self.text.push_str(&stem);
        let id = self.words.len() as u32;
        self.words.push(Word {
            norm: (norm_start as u32, norm_end as u32),
            stem: (norm_end as u32, self.text.len() as u32),
            kind,
            all_caps: is_all_caps(original),
            negator,
            contrast,
        });
        self.ids.insert(original.into(), id);
        id
    }

    pub fn slice(&self, range: (u32, u32)) -> &str {
        &self.text[range.0 as usize..range.1 as usize]
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

/// The buffers of one analysis, kept for the next.
#[derive(Default)]
pub(super) struct Buffers {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub norm: String,
    pub stem: String,
    pub words: Vec<WordRef>,
}

/// Spare buffer sets kept per thread: enough for the analyses one thread holds at once.
const SPARE_SETS: usize = 4;
/// Buffers of a text longer than this are freed rather than kept, which bounds the memory.
const SPARE_TEXT_BYTES: usize = 16 * 1024;

thread_local! {
    static SPARE: RefCell<Vec<Buffers>> = const { RefCell::new(Vec::new()) };
}

/// Empty buffers, with the capacity of an earlier analysis when this thread has one to spare.
pub(super) fn spare_buffers() -> Buffers {
    SPARE
        .try_with(|spare| spare.borrow_mut().pop())
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Keeps the buffers of a finished analysis for the next, unless they are large or enough are
/// kept already.
pub(super) fn keep_buffers(mut buffers: Buffers) {
    if buffers.norm.capacity() > SPARE_TEXT_BYTES {
        return;
    }
    buffers.tokens.clear();
    buffers.sentences.clear();
    buffers.norm.clear();
    buffers.stem.clear();
    buffers.words.clear();
    // At thread exit the pool may be gone already: the buffers are then just freed.
    let _ = SPARE.try_with(|spare| {
        if let Ok(mut spare) = spare.try_borrow_mut() {
            if spare.len() < SPARE_SETS {
                spare.push(buffers);
            }
        }
    });
}
