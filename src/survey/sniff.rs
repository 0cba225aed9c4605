//! Choosing a CSV delimiter from the first records: the candidate (`,` `;` tab `|`) that occurs,
//! outside quotes, the same number of times in the header and in most records wins.
use super::csv_scan::{Scanner, Step};

/// The delimiters verbatim considers, in order of preference when the evidence ties.
pub const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How many complete records to look at.
const MAX_RECORDS: usize = 50;

/// Picks the delimiter of `sample` (the start of the decoded file). `prefer_tab` (for `.tsv`)
/// breaks ties in favour of tab. A file with none of the candidates has one column: `,`.
pub(crate) fn sniff_delimiter(sample: &[u8], prefer_tab: bool) -> u8 {
    let mut best: Option<(u8, (usize, usize), usize, usize)> = None;
    for (rank, &delimiter) in CANDIDATES.iter().enumerate() {
        let counts = delimiter_counts(sample, delimiter);
        let Some(&header) = counts.first() else {
            continue;
        };
        if header == 0 {
            continue;
        }
        let consistent = counts.iter().filter(|&&c| c == header).count();
        let rank = if prefer_tab && delimiter == b'\t' {
            0
        } else {
            rank + 1
        };
        // Compare consistent/len as fractions without floats.
        let score = (consistent, counts.len());
        let better = match best {
            None => true,
            Some((_, (bc, bl), bheader, brank)) => {
                let lhs = consistent * bl;
                let rhs = bc * counts.len();
                lhs > rhs
                    || (lhs == rhs && (header > bheader || (header == bheader && rank < brank)))
            }
        };
        if better {
            best = Some((delimiter, score, header, rank));
        }
    }
    match best {
        Some((d, ..)) => d,
        None if prefer_tab => b'\t',
        None => b',',
    }
}

/// Delimiters per record, for the complete records in `sample` (or the one partial record if the
/// sample holds no complete one).
fn delimiter_counts(sample: &[u8], delimiter: u8) -> Vec<usize> {
    let mut scanner = Scanner::new(delimiter);
    let mut counts = Vec::new();
    let mut current = 0usize;
    let mut in_record = false;
    for &b in sample {
        match scanner.step(b) {
            Step::RecordStart => {
                in_record = true;
                current = usize::from(b == delimiter);
            }
            Step::Delimiter => current += 1,
            Step::RecordEnd => {
                counts.push(current);
                in_record = false;
                if counts.len() == MAX_RECORDS {
                    break;
                }
            }
            Step::Nothing => {}
        }
    }
    if counts.is_empty() && in_record {
        counts.push(current);
    }
    counts
}

/// Parses a `--delimiter` value: one ASCII character, or `tab`, `\t`, `comma`, `semicolon`, `pipe`.
pub fn parse_delimiter(text: &str) -> Result<u8, String> {
    let byte = match text {
        "tab" | "\\t" | "\t" | "TAB" => b'\t',
        "comma" => b',',
        "semicolon" => b';',
        "pipe" => b'|',
        "space" => b' ',
        _ if text.len() == 1 && text.is_ascii() => text.as_bytes()[0],
        _ => {
            return Err(format!(
            "\"{text}\" is not a delimiter: give one ASCII character such as , ; | or the word tab"
        ))
        }
    };
    if byte == b'"' || byte == b'\n' || byte == b'\r' {
        return Err(format!(
            "{text:?} cannot be a delimiter: it is the quote or a line end"
        ));
    }
    Ok(byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolon_wins_over_commas_in_free_text() {
        let data = b"id;comment;score\n1;Good, but slow;5\n2;Fine;3\n3;Rude, late, cold;1\n";
        assert_eq!(sniff_delimiter(data, false), b';');
    }

    #[test]
    fn tab_and_pipe_are_found() {
        assert_eq!(sniff_delimiter(b"a\tb\tc\n1\t2\t3\n", false), b'\t');
        assert_eq!(sniff_delimiter(b"a|b\n1|2\n", false), b'|');
    }

    #[test]
    fn delimiters_inside_quotes_do_not_count() {
        let data = b"id,comment\n1,\"a; b; c\"\n2,\"x;\ny\"\n";
        assert_eq!(sniff_delimiter(data, false), b',');
    }

    #[test]
    fn single_column_falls_back_to_comma() {
        assert_eq!(sniff_delimiter(b"comment\nhello\n", false), b',');
        assert_eq!(sniff_delimiter(b"comment\nhello\n", true), b'\t');
        assert_eq!(sniff_delimiter(b"", false), b',');
    }

    #[test]
    fn header_only_is_enough() {
        assert_eq!(sniff_delimiter(b"a;b;c", false), b';');
    }

    #[test]
    fn delimiter_names_parse() {
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert!(parse_delimiter("ab").is_err());
        assert!(parse_delimiter("\"").is_err());
    }
}
