//! Redaction of what identifies a person in a quote: e-mail addresses, phone numbers, UK
//! postcodes, NHS numbers, web addresses, and names after a title ("Dr Patel" becomes
//! "Dr [redacted]": the title says who spoke to whom without naming them).
use std::ops::Range;

use regex::Regex;
use serde::Serialize;

pub const REDACTED: &str = "[redacted]";

/// What was redacted, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Redactions {
    pub email: usize,
    pub phone: usize,
    pub postcode: usize,
    pub nhs_number: usize,
    pub url: usize,
    pub name: usize,
}

impl Redactions {
    pub fn total(&self) -> usize {
        self.email + self.phone + self.postcode + self.nhs_number + self.url + self.name
    }

    pub fn add(&mut self, other: &Redactions) {
        self.email += other.email;
        self.phone += other.phone;
        self.postcode += other.postcode;
        self.nhs_number += other.nhs_number;
        self.url += other.url;
        self.name += other.name;
    }

    /// "3 redactions (2 e-mail addresses, 1 phone number)", or "no redactions".
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            (self.email, "e-mail address", "e-mail addresses"),
            (self.phone, "phone number", "phone numbers"),
            (self.postcode, "postcode", "postcodes"),
            (self.nhs_number, "NHS number", "NHS numbers"),
            (self.url, "web address", "web addresses"),
            (self.name, "name after a title", "names after a title"),
        ]
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
        match self.total() {
            0 => "no redactions".to_string(),
            1 => format!("1 redaction ({})", parts.join(", ")),
            n => format!("{n} redactions ({})", parts.join(", ")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Email,
    Url,
    NhsNumber,
    Phone,
    Postcode,
    Name,
}

pub struct Redactor {
    patterns: Vec<(Kind, Regex)>,
}

impl Default for Redactor {
    fn default() -> Self {
        Redactor::new()
    }
}

/// Words that follow "Nurse" or "Sister" as a job, not a name.
const NOT_NAMES: &[&str] = &[
    "Practitioner",
    "Practitioners",
    "Consultant",
    "Specialist",
    "Manager",
    "Team",
    "Ward",
    "Led",
    "Station",
    "Unit",
    "In",
    "On",
    "And",
    "The",
];

impl Redactor {
    pub fn new() -> Redactor {
        let pattern = |kind, source: &str| (kind, Regex::new(source).expect("a valid pattern"));
        // Order matters: earlier kinds claim their text first (an e-mail's domain is not also
        // a web address; an NHS number is not also a phone number).
        Redactor {
            patterns: vec![
                pattern(
                    Kind::Email,
                    r"(?i)\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b",
                ),
                pattern(
                    Kind::Url,
                    r#"(?i)\b(?:https?://|www\.)[^\s<>"]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:nhs\.uk|gov\.uk|org\.uk|co\.uk|ac\.uk|com|org|net)\b(?:/[^\s<>"]*)?"#,
                ),
                pattern(Kind::NhsNumber, r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b"),
                pattern(
                    Kind::Phone,
                    r"(?:\+\d{1,3}[\s.-]?(?:\(0\)\s?)?\d{2,5}|\(0?\d{2,5}\)|\b0\d{2,5}|\b\d{3,5})(?:[\s.-]?\d{3,4}){1,2}\b",
                ),
                pattern(
                    Kind::Postcode,
                    r"(?i)\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b",
                ),
                pattern(
                    Kind::Name,
                    r"\b(?:Dr|Doctor|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Sir|Dame|Lady|Lord|Nurse|Sister|Cllr|Councillor|Rev|Revd)\.?\s+((?:[A-Z](?:\p{Ll}+(?:['’-][A-Z]?\p{Ll}+)*|['’][A-Z]\p{Ll}+)|[A-Z]\.)(?:\s+[A-Z](?:\p{Ll}+(?:['’-][A-Z]?\p{Ll}+)*|['’][A-Z]\p{Ll}+))?)",
                ),
            ],
        }
    }

    /// `text` with what identifies a person replaced by [`REDACTED`], and what was replaced.
    pub fn redact(&self, text: &str) -> (String, Redactions) {
        let mut claimed: Vec<(Range<usize>, Kind)> = Vec::new();
        for (kind, regex) in &self.patterns {
            for captures in regex.captures_iter(text) {
                let whole = captures.get(0).expect("group 0 always matches");
                let span = match kind {
                    // The title stays; the name goes.
                    Kind::Name => {
                        let name = captures.get(1).expect("the name group");
                        let first = name.as_str().split_whitespace().next().unwrap_or("");
                        if NOT_NAMES.contains(&first) {
                            continue;
                        }
                        name.range()
                    }
                    Kind::Url => trim_trailing_punctuation(text, whole.range()),
                    _ => whole.range(),
                };
                if !accept(*kind, &text[span.clone()]) {
                    continue;
                }
                if claimed
                    .iter()
                    .any(|(r, _)| r.start < span.end && span.start < r.end)
                {
                    continue;
                }
                claimed.push((span, *kind));
            }
        }
        claimed.sort_by_key(|(r, _)| r.start);
        let mut out = String::with_capacity(text.len());
        let mut counts = Redactions::default();
        let mut at = 0;
        for (range, kind) in claimed {
            out.push_str(&text[at..range.start]);
            out.push_str(REDACTED);
            at = range.end;
            match kind {
                Kind::Email => counts.email += 1,
                Kind::Url => counts.url += 1,
                Kind::NhsNumber => counts.nhs_number += 1,
                Kind::Phone => counts.phone += 1,
                Kind::Postcode => counts.postcode += 1,
                Kind::Name => counts.name += 1,
            }
        }
        out.push_str(&text[at..]);
        (out, counts)
    }
}

/// A sentence's full stop or a closing bracket is not part of the address before it.
fn trim_trailing_punctuation(text: &str, range: Range<usize>) -> Range<usize> {
    let trimmed =
        text[range.clone()].trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '"', '\'']);
    range.start..range.start + trimmed.len()
}

/// Checks a pattern cannot express: digit counts and the NHS number's check digit.
fn accept(kind: Kind, found: &str) -> bool {
    let digits: Vec<u32> = found.chars().filter_map(|c| c.to_digit(10)).collect();
    match kind {
        Kind::NhsNumber => digits.len() == 10 && nhs_check_digit_valid(&digits),
        // UK numbers have 10 or 11 digits (0 and the national number); with a country code,
        // up to 13. Fewer is a count, a year or a reference, not a phone number.
        Kind::Phone => (10..=13).contains(&digits.len()),
        _ => true,
    }
}

/// The NHS number's modulus 11 check: weights 10..2 on the first nine digits.
fn nhs_check_digit_valid(digits: &[u32]) -> bool {
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(d, w)| d * w)
        .sum();
    let check = 11 - sum % 11;
    let check = if check == 11 { 0 } else { check };
    check != 10 && check == digits[9]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redact(text: &str) -> (String, Redactions) {
        Redactor::new().redact(text)
    }

    #[test]
    fn emails_and_web_addresses() {
        let (out, n) = redact("Write to jane.doe@nhs.net or see https://www.example.org/page.");
        assert_eq!(out, "Write to [redacted] or see [redacted].");
        assert_eq!((n.email, n.url, n.total()), (1, 1, 2));
        let (out, n) = redact("details on www.council.gov.uk/stp, and bbc.co.uk");
        assert_eq!(out, "details on [redacted], and [redacted]");
        assert_eq!(n.url, 2);
        // An address inside a formula goes; the quotes around it stay.
        let (out, _) = redact(r#"=HYPERLINK("http://evil.example/x","click")"#);
        assert_eq!(out, r#"=HYPERLINK("[redacted]","click")"#);
    }

    #[test]
    fn phone_numbers_uk_and_international() {
        for (text, expected) in [
            ("call 020 7946 0018 today", "call [redacted] today"),
            ("ring 07700 900123.", "ring [redacted]."),
            ("on (01632) 960 001 please", "on [redacted] please"),
            ("from abroad +44 20 7946 0018", "from abroad [redacted]"),
            ("tel 01632960001", "tel [redacted]"),
        ] {
            let (out, n) = redact(text);
            assert_eq!(out, expected, "{text}");
            assert_eq!(n.phone, 1, "{text}");
        }
        // Counts, years and money are not phone numbers.
        for text in [
            "waited 2 hours in 2017",
            "a gap of 500 000 pounds",
            "only 12% of 251 officers",
        ] {
            assert_eq!(redact(text).0, text);
        }
    }

    #[test]
    fn nhs_numbers_need_a_valid_check_digit() {
        // 943 476 5919 is the NHS's published example of a valid number.
        let (out, n) = redact("my NHS number is 943 476 5919, ok");
        assert_eq!(out, "my NHS number is [redacted], ok");
        assert_eq!((n.nhs_number, n.phone), (1, 0));
        let (_, n) = redact("ref 9434765918");
        assert_eq!(n.nhs_number, 0, "a wrong check digit is not an NHS number");
        assert_eq!(n.phone, 1, "but ten digits are still redacted as a number");
    }

    #[test]
    fn postcodes() {
        let (out, n) = redact("I live at SW1A 1AA and work in m1 1ae; B33 8TH too");
        assert_eq!(
            out,
            "I live at [redacted] and work in [redacted]; [redacted] too"
        );
        assert_eq!(n.postcode, 3);
        assert_eq!(redact("the A1 road and M25").0, "the A1 road and M25");
    }

    #[test]
    fn names_after_titles_keep_the_title() {
        let (out, n) = redact("Dr Patel and Mrs Jones were kind, so was Sister Mary Smith.");
        assert_eq!(
            out,
            "Dr [redacted] and Mrs [redacted] were kind, so was Sister [redacted]."
        );
        assert_eq!(n.name, 3);
        let (out, n) = redact("Mr. O'Neill saw me; the Nurse Practitioner was great");
        assert_eq!(
            out,
            "Mr. [redacted] saw me; the Nurse Practitioner was great"
        );
        assert_eq!(n.name, 1);
        // A title without a capitalised name after it is left alone.
        assert_eq!(redact("the dr said so").0, "the dr said so");
    }

    #[test]
    fn describes_counts() {
        let (_, n) = redact("a@b.com, c@d.org, 07700 900123");
        assert_eq!(
            n.describe(),
            "3 redactions (2 e-mail addresses, 1 phone number)"
        );
        assert_eq!(Redactions::default().describe(), "no redactions");
    }
}
