//! A deterministic survey corpus for benchmarks: real sentences from a quotes file, recombined
//! into comments with the untidiness of typed answers.
//!
//! The same seed and size give the same bytes on every machine: the generator draws from its own
//! SplitMix64 and reads nothing but the quotes file.
//!
//! ```
//! use verbatim::generate::{Generator, SentencePool};
//! let pool = SentencePool::from_csv(
//!     "text,role,authority_type\n\"Put on hold. We had no say.\",Officer,county council\n"
//!         .as_bytes(),
//! )
//! .unwrap();
//! let mut csv = Vec::new();
//! Generator::new(&pool, 42).write_csv(&mut csv, 2_000).unwrap();
//! assert!(csv.starts_with(b"respondent_id,role,authority_type,confidence,comment\n"));
//! ```
use std::io::{self, Read, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::text::Analyzer;

/// The header of a generated survey.
pub const HEADER: &str = "respondent_id,role,authority_type,confidence,comment\n";

/// The answers to the closed question, most confident first.
pub const CONFIDENCE: [&str; 4] = [
    "Very confident",
    "Fairly confident",
    "Not very confident",
    "Not at all confident",
];

/// Emoji that respondents add, as the analyser must meet them.
const EMOJI: [&str; 6] = ["👍", "😡", "🙄", "👎", "😊", "🤷"];

/// Bullets as pasted from word processors and typed by hand.
const BULLETS: [&str; 3] = ["- ", "• ", "* "];

/// Openings of bulleted answers.
const LIST_OPENINGS: [&str; 4] = ["Problems:", "Main issues:", "In short:", "Comments:"];

/// The sentences, roles and authority types a corpus is built from.
#[derive(Debug, Clone)]
pub struct SentencePool {
    /// Sentences of the quotes, each ending in terminal punctuation, in file order.
    pub sentences: Vec<String>,
    /// Distinct non-empty roles, in first-seen order.
    pub roles: Vec<String>,
    /// Distinct authority types, the empty one included when the file has it.
    pub authority_types: Vec<String>,
}

impl SentencePool {
    /// Reads a quotes file with columns `text`, `role` and `authority_type`
    /// (corpus/stp/quotes.csv).
    pub fn from_path(path: &Path) -> Result<SentencePool> {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        SentencePool::from_csv(file).with_context(|| format!("cannot read {}", path.display()))
    }

    /// Reads quotes CSV from any reader; see [`SentencePool::from_path`].
    pub fn from_csv(reader: impl Read) -> Result<SentencePool> {
        let mut csv = csv::Reader::from_reader(reader);
        let headers = csv.headers()?.clone();
        let column = |name: &str| headers.iter().position(|h| h == name);
        let Some(text) = column("text") else {
            bail!(
                "no `text` column (found: {})",
                headers.iter().collect::<Vec<_>>().join(", ")
            );
        };
        let (role, authority) = (column("role"), column("authority_type"));
        let analyzer = Analyzer::english();
        let mut pool = SentencePool {
            sentences: Vec::new(),
            roles: Vec::new(),
            authority_types: Vec::new(),
        };
        for record in csv.records() {
            let record = record?;
            let quote = record.get(text).unwrap_or("");
            let analysis = analyzer.analyze(quote);
            for s in 0..analysis.sentences.len() {
                pool.sentences
                    .push(finish_sentence(analysis.sentence_text(s)));
            }
            if let Some(value) = role.and_then(|i| record.get(i)).map(str::trim) {
                if !value.is_empty() && !pool.roles.iter().any(|r| r == value) {
                    pool.roles.push(value.to_string());
                }
            }
            if let Some(value) = authority.and_then(|i| record.get(i)).map(str::trim) {
                if !pool.authority_types.iter().any(|a| a == value) {
                    pool.authority_types.push(value.to_string());
                }
            }
        }
        if pool.sentences.is_empty() {
            bail!("no sentences in the `text` column");
        }
        if pool.roles.is_empty() {
            pool.roles.push("Respondent".to_string());
        }
        if pool.authority_types.is_empty() {
            pool.authority_types.push(String::new());
        }
        Ok(pool)
    }
}

/// A sentence cut from a quote, with a full stop where the quote broke off on a comma, so that
/// recombined sentences stay sentences. Non-breaking spaces become spaces.
fn finish_sentence(sentence: &str) -> String {
    let mut s = sentence.trim().replace('\u{a0}', " ");
    while s.ends_with([',', ';', ' ']) {
        s.pop();
    }
    if !s.ends_with(['.', '!', '?', ')', '\'', '’', '"']) {
        s.push('.');
    }
    s
}

/// SplitMix64: a few lines, a full 64-bit period, and the same numbers everywhere.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0), by multiply-shift: no modulo bias worth measuring.
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Writes generated rows; one generator is one deterministic stream.
pub struct Generator<'p> {
    pool: &'p SentencePool,
    rng: SplitMix64,
    next_id: u64,
    picked: Vec<usize>,
}

impl<'p> Generator<'p> {
    pub fn new(pool: &'p SentencePool, seed: u64) -> Generator<'p> {
        Generator {
            pool,
            rng: SplitMix64::new(seed),
            next_id: 1,
            picked: Vec::with_capacity(6),
        }
    }

    /// Writes the header and rows to `out` until about `size` bytes are written (the last row
    /// overshoots by less than its own length); returns the bytes written. Streams: memory does
    /// not grow with `size`.
    pub fn write_csv(&mut self, mut out: impl Write, size: u64) -> io::Result<u64> {
        out.write_all(HEADER.as_bytes())?;
        let mut written = HEADER.len() as u64;
        let mut row = Vec::with_capacity(4096);
        let mut comment = String::with_capacity(2048);
        while written < size {
            row.clear();
            self.row(&mut row, &mut comment);
            // Stop short rather than overshoot by more than the row would bring us closer.
            let after = written + row.len() as u64;
            if after > size && after - size > size - written {
                break;
            }
            out.write_all(&row)?;
            written = after;
        }
        out.flush()?;
        Ok(written)
    }

    /// Comments only, until their bytes add up to at least `bytes`: the input of in-memory
    /// benchmarks. Empty answers are included, as in a file.
    pub fn comments(&mut self, bytes: usize) -> Vec<String> {
        let mut comments = Vec::new();
        let mut total = 0;
        while total < bytes {
            let mut comment = String::new();
            self.comment(&mut comment);
            total += comment.len();
            comments.push(comment);
        }
        comments
    }

    /// Appends one CSV row (with its line end) to `row`; `comment` is scratch space.
    fn row(&mut self, row: &mut Vec<u8>, comment: &mut String) {
        let id = self.next_id;
        self.next_id += 1;
        let role = self.rng.pick(&self.pool.roles);
        let authority = self.rng.pick(&self.pool.authority_types);
        // Confidence leans negative, as in the STP surveys.
        let confidence = CONFIDENCE[[0, 1, 1, 2, 2, 2, 3, 3][self.rng.below(8)]];
        comment.clear();
        self.comment(comment);
        write!(row, "R{id:07},").expect("writing to a Vec cannot fail");
        push_field(row, role);
        row.push(b',');
        push_field(row, authority);
        row.push(b',');
        push_field(row, confidence);
        row.push(b',');
        push_field(row, comment);
        row.push(b'\n');
    }

    /// Appends one comment: 1–6 sentences with the variations of typed answers, or nothing (3%).
    pub fn comment(&mut self, out: &mut String) {
        let rng = &mut self.rng;
        if rng.chance(3) {
            return;
        }
        let sentences = &self.pool.sentences;
        let count = 1 + rng.below(6);
        self.picked.clear();
        if rng.chance(50) {
            // A run of neighbouring sentences, in the order they were written...
            let first = rng.below(sentences.len());
            self.picked
                .extend((first..first + count).map(|i| i % sentences.len()));
        } else {
            // ...or sentences from anywhere, in any order.
            for _ in 0..count {
                self.picked.push(rng.below(sentences.len()));
            }
        }
        let curly = rng.chance(40);
        let start = out.len();
        if count > 1 && rng.chance(6) {
            // A bulleted list, one sentence a line.
            let bullet = BULLETS[rng.below(BULLETS.len())];
            if rng.chance(50) {
                out.push_str(LIST_OPENINGS[rng.below(LIST_OPENINGS.len())]);
                out.push('\n');
            }
            for (n, &s) in self.picked.iter().enumerate() {
                if n > 0 {
                    out.push('\n');
                }
                out.push_str(bullet);
                push_sentence(out, &sentences[s], curly, rng.chance(15));
            }
        } else {
            for (n, &s) in self.picked.iter().enumerate() {
                if n > 0 {
                    match rng.below(100) {
                        0..=5 => {}              // "on hold.We had"
                        6..=9 => out.push('\n'), // one sentence a line
                        10..=11 => out.push_str("  "),
                        _ => out.push(' '),
                    }
                }
                push_sentence(out, &sentences[s], curly, rng.chance(8));
            }
        }
        if rng.chance(4) {
            if rng.chance(50) {
                out.push(' ');
            }
            out.push_str(EMOJI[rng.below(EMOJI.len())]);
        }
        if rng.chance(2) {
            // Shouted.
            let upper = out[start..].to_uppercase();
            out.truncate(start);
            out.push_str(&upper);
        }
    }
}

/// Appends `sentence` with apostrophes and single quotes curly (‘show and tell’, hasn’t) or
/// straight, and, if `lower`, a lower-case start.
fn push_sentence(out: &mut String, sentence: &str, curly: bool, lower: bool) {
    let mut previous = ' ';
    for (i, c) in sentence.chars().enumerate() {
        match c {
            '\'' | '‘' | '’' if curly && (previous.is_whitespace() || previous == '(') => {
                out.push('‘')
            }
            '\'' | '‘' | '’' if curly => out.push('’'),
            '\'' | '‘' | '’' => out.push('\''),
            c if i == 0 && lower => out.extend(c.to_lowercase()),
            c => out.push(c),
        }
        previous = c;
    }
}

/// Appends one CSV field, quoted (RFC 4180) when it holds a comma, quote or line break.
fn push_field(row: &mut Vec<u8>, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
        row.push(b'"');
        for b in field.bytes() {
            if b == b'"' {
                row.push(b'"');
            }
            row.push(b);
        }
        row.push(b'"');
    } else {
        row.extend_from_slice(field.as_bytes());
    }
}

/// Parses a size as people write it: `100MB`, `1.5 GB`, `512KiB`, `20M`, `4096`. KB, MB and GB
/// are powers of 1000 (as MB/s are reported); KiB, MiB and GiB powers of 1024.
pub fn parse_size(text: &str) -> Result<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .with_context(|| format!("not a size: {text:?} (write e.g. 100MB)"))?;
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "m" | "mb" => 1_000_000,
        "g" | "gb" => 1_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        other => {
            bail!("unknown size unit {other:?} in {text:?} (use B, KB, MB, GB, KiB, MiB or GiB)")
        }
    };
    Ok((number * multiplier as f64).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool() -> SentencePool {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/stp/quotes.csv");
        SentencePool::from_path(&path).unwrap()
    }

    fn generate(pool: &SentencePool, seed: u64, size: u64) -> Vec<u8> {
        let mut out = Vec::new();
        let written = Generator::new(pool, seed)
            .write_csv(&mut out, size)
            .unwrap();
        assert_eq!(written, out.len() as u64);
        out
    }

    #[test]
    fn same_seed_and_size_give_the_same_bytes() {
        let pool = pool();
        assert_eq!(generate(&pool, 42, 200_000), generate(&pool, 42, 200_000));
    }

    #[test]
    fn a_different_seed_gives_different_bytes() {
        let pool = pool();
        assert_ne!(generate(&pool, 42, 200_000), generate(&pool, 43, 200_000));
    }

    #[test]
    fn a_one_megabyte_request_is_within_one_percent() {
        let out = generate(&pool(), 7, 1_000_000);
        let size = out.len() as f64;
        assert!((size - 1e6).abs() <= 1e4, "{size} bytes");
    }

    #[test]
    fn output_is_a_five_column_csv_with_the_variations() {
        let pool = pool();
        let out = generate(&pool, 42, 1_000_000);
        let mut reader = csv::Reader::from_reader(out.as_slice());
        assert_eq!(
            reader.headers().unwrap(),
            vec![
                "respondent_id",
                "role",
                "authority_type",
                "confidence",
                "comment"
            ]
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let comments: Vec<&str> = rows.iter().map(|r| &r[4]).collect();
        let share = |f: &dyn Fn(&str) -> bool| {
            comments.iter().filter(|c| f(c)).count() as f64 / comments.len() as f64
        };
        let empty = share(&|c| c.is_empty());
        assert!((0.02..0.04).contains(&empty), "{empty} empty");
        assert!(share(&|c| c.contains('\n')) > 0.02);
        assert!(share(&|c| c.contains('’')) > 0.05);
        assert!(share(&|c| c.contains("'")) > 0.05);
        assert!(share(&|c| EMOJI.iter().any(|e| c.contains(e))) > 0.01);
        let glued = |c: &str| {
            c.as_bytes()
                .windows(3)
                .any(|w| w[0].is_ascii_lowercase() && w[1] == b'.' && w[2].is_ascii_uppercase())
        };
        assert!(share(&glued) > 0.01);
        assert!(share(&|c| c.starts_with(|f: char| f.is_lowercase())) > 0.05);
        for row in &rows {
            assert!(row[0].starts_with('R'));
            assert!(pool.roles.iter().any(|r| r == &row[1]));
            assert!(pool.authority_types.iter().any(|a| a == &row[2]));
            assert!(CONFIDENCE.contains(&&row[3]));
        }
    }

    #[test]
    fn quotes_are_split_into_finished_sentences() {
        let pool = SentencePool::from_csv(
            "text,role\n\"Put on hold.We had no say, at all,\",Officer\nrefused a copy,Manager\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(
            pool.sentences,
            ["Put on hold.", "We had no say, at all.", "refused a copy."]
        );
        assert_eq!(pool.roles, ["Officer", "Manager"]);
        assert_eq!(pool.authority_types, [""]);
    }

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("100MB").unwrap(), 100_000_000);
        assert_eq!(parse_size("1.5 GB").unwrap(), 1_500_000_000);
        assert_eq!(parse_size("512KiB").unwrap(), 524_288);
        assert_eq!(parse_size("4096").unwrap(), 4096);
        assert!(parse_size("big").is_err());
        assert!(parse_size("10 parsecs").is_err());
    }
}
