//! Splitting text into word and number tokens with byte offsets.
//!
//! A token is a run of letters, digits and combining marks. Three joiners stay inside a token
//! when they stand between the right characters: an apostrophe between letters (`hasn't`,
//! `council's`), `.` or `,` between digits (`3.5`, `1,000`), and `&` between letters or digits
//! (`A&E`, `R&D`). Everything else, hyphens included, separates tokens.
use std::ops::Range;

use unicode_normalization::char::is_combining_mark;

use super::normalize::is_apostrophe;

/// The byte ranges of the tokens of `text`, in order.
pub fn token_spans(text: &str) -> TokenSpans<'_> {
    TokenSpans { text, pos: 0 }
}

pub struct TokenSpans<'t> {
    text: &'t str,
    pos: usize,
}

impl Iterator for TokenSpans<'_> {
    type Item = Range<usize>;

    // Always inlined: a call a token cost as much as scanning its letters.
    #[inline(always)]
    fn next(&mut self) -> Option<Range<usize>> {
        let text = self.text;
        let bytes = text.as_bytes();
        // Skip to the first character of a token.
        let start = loop {
            let &b = bytes.get(self.pos)?;
            match BYTE_CLASS[b as usize] {
                ALPHANUMERIC => break self.pos,
                OTHER_ASCII => self.pos += 1,
                _ => {
                    let c = char_at(text, self.pos);
                    if is_token_char(c) {
                        break self.pos;
                    }
                    self.pos += c.len_utf8();
                }
            }
        };
        // Extend over token characters and joiners. ASCII letters and digits, most of every
        // token, are taken eight bytes at a time without decoding.
        let mut pos = start;
        let mut prev = ' ';
        loop {
            let run = pos;
            pos = ascii_alphanumeric_run_end(bytes, pos);
            let Some(&b) = bytes.get(pos) else {
                break;
            };
            let c = if b.is_ascii() {
                if !matches!(b, b'\'' | b'`' | b'.' | b',' | b'&') {
                    break; // no other ASCII character joins
                }
                b as char
            } else {
                char_at(text, pos)
            };
            if pos > run {
                prev = bytes[pos - 1] as char;
            }
            // An ASCII joiner is no token character: only a character past ASCII can be one.
            if !b.is_ascii() && is_token_char(c) {
                pos += c.len_utf8();
                prev = c;
                continue;
            }
            let after = pos + c.len_utf8();
            let next = match bytes.get(after) {
                Some(&next) if next.is_ascii() => Some(next as char),
                _ => text[after..].chars().next(),
            };
            let joins = match next {
                Some(next) => joins(prev, c, next),
                None => false,
            };
            if !joins {
                break;
            }
            pos = after;
            prev = c;
        }
        self.pos = pos;
        Some(start..pos)
    }
}

/// The end of the run of ASCII letters and digits that starts at `from`.
#[inline(always)]
fn ascii_alphanumeric_run_end(bytes: &[u8], from: usize) -> usize {
    let mut pos = from;
    while let Some(chunk) = bytes.get(pos..pos + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let stops = not_ascii_alphanumeric(word);
        if stops != 0 {
            return pos + (stops.trailing_zeros() / 8) as usize;
        }
        pos += 8;
    }
    while pos < bytes.len() && BYTE_CLASS[bytes[pos] as usize] == ALPHANUMERIC {
        pos += 1;
    }
    pos
}

/// The high bit of each byte of `word` that is not an ASCII letter or digit, tested in all eight
/// bytes at once: a loop a byte cost more than the rest of tokenising a word.
#[inline(always)]
fn not_ascii_alphanumeric(word: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const fn each(byte: u8) -> u64 {
        u64::from_le_bytes([byte; 8])
    }
    // Seven-bit values: adding never carries into the next byte. A high bit set after adding
    // 0x80 - lo means the value is at least lo; after adding 0x7f - hi, more than hi.
    let low7 = word & !HIGH;
    let in_range =
        |value: u64, lo: u8, hi: u8| (value + each(0x80 - lo)) & !(value + each(0x7f - hi)) & HIGH;
    let digit = in_range(low7, b'0', b'9');
    // Setting bit 5 maps A-Z onto a-z and nothing else into a-z.
    let letter = in_range(low7 | each(0x20), b'a', b'z');
    !(digit | letter) & HIGH | word & HIGH
}

/// What a byte is to the tokeniser, as a table: one load a byte in its hottest loops instead
/// of range tests.
static BYTE_CLASS: [u8; 256] = {
    let mut table = [OTHER_ASCII; 256];
    let mut b = 0;
    while b < 256 {
        if (b as u8).is_ascii_alphanumeric() {
            table[b] = ALPHANUMERIC;
        } else if b >= 0x80 {
            table[b] = PAST_ASCII;
        }
        b += 1;
    }
    table
};
const OTHER_ASCII: u8 = 0;
const ALPHANUMERIC: u8 = 1;
/// A byte of a character past ASCII: the character decides.
const PAST_ASCII: u8 = 2;

#[inline]
fn char_at(text: &str, pos: usize) -> char {
    text[pos..]
        .chars()
        .next()
        .expect("position is a char boundary inside the text")
}

/// Letters, digits and combining marks (so `é` written as `e` + U+0301 stays one token).
#[inline]
pub fn is_token_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric() || is_combining_mark(c)
    }
}

#[inline]
fn joins(prev: char, joiner: char, next: char) -> bool {
    if is_apostrophe(joiner) {
        prev.is_alphabetic() && next.is_alphabetic()
    } else if joiner == '.' || joiner == ',' {
        prev.is_ascii_digit() && next.is_ascii_digit()
    } else if joiner == '&' {
        prev.is_alphanumeric() && next.is_alphanumeric()
    } else {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<&str> {
        token_spans(text).map(|r| &text[r]).collect()
    }

    #[test]
    fn the_byte_table_classes_every_byte() {
        for b in 0..=255u8 {
            let expected = if b.is_ascii_alphanumeric() {
                ALPHANUMERIC
            } else if b.is_ascii() {
                OTHER_ASCII
            } else {
                PAST_ASCII
            };
            assert_eq!(BYTE_CLASS[b as usize], expected, "{b}");
        }
    }

    #[test]
    fn the_eight_byte_test_finds_every_byte_that_is_not_ascii_alphanumeric() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = *b"abcXYZ09";
                bytes[at] = b;
                let stops = not_ascii_alphanumeric(u64::from_le_bytes(bytes));
                let expected = if b.is_ascii_alphanumeric() {
                    0
                } else {
                    0x80 << (8 * at)
                };
                assert_eq!(stops, expected, "byte {b} at {at}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn runs_end_where_a_byte_loop_ends_them(
            text in "[a-zA-Z0-9 .,'&@\\[`{/:é-]{0,40}",
            from in 0usize..40,
        ) {
            let bytes = text.as_bytes();
            let from = from.min(bytes.len());
            let mut expected = from;
            while expected < bytes.len() && bytes[expected].is_ascii_alphanumeric() {
                expected += 1;
            }
            proptest::prop_assert_eq!(ascii_alphanumeric_run_end(bytes, from), expected);
        }
    }

    #[test]
    fn splits_on_spaces_punctuation_and_hyphens() {
        assert_eq!(
            tokens("Yet another top-down imposition, (again)!"),
            ["Yet", "another", "top", "down", "imposition", "again"]
        );
    }

    #[test]
    fn keeps_apostrophes_between_letters() {
        assert_eq!(
            tokens("hasn’t been 'thought' through; councillors' views"),
            [
                "hasn’t",
                "been",
                "thought",
                "through",
                "councillors",
                "views"
            ]
        );
    }

    #[test]
    fn keeps_decimal_and_thousands_separators_in_numbers() {
        assert_eq!(
            tokens("£3.5bn for 1,000 beds. 2017."),
            ["3.5bn", "for", "1,000", "beds", "2017"]
        );
    }

    #[test]
    fn keeps_ampersand_between_letters() {
        assert_eq!(tokens("A&E & R&D"), ["A&E", "R&D"]);
    }

    #[test]
    fn emoji_separate_and_rtl_text_tokenises() {
        assert_eq!(tokens("great👍service"), ["great", "service"]);
        assert_eq!(tokens("خدمة ممتازة"), ["خدمة", "ممتازة"]);
    }

    #[test]
    fn combining_marks_stay_in_the_token() {
        assert_eq!(tokens("cafe\u{301} ok"), ["cafe\u{301}", "ok"]);
    }
}
