//! A byte scanner that follows csv-core's rules for where records start and end (quotes open only
//! at the start of a field, `""` inside quotes is a literal quote, `\r`, `\n` and `\r\n` end a
//! record, blank lines are no record). The csv crate does not say on which physical line a record
//! starts (its `Position` counts from the end of the previous record) nor whether the file ended
//! inside a quoted field; this scanner does both, and sniffs delimiters.
use std::collections::VecDeque;
use std::io::{self, Read};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between records: terminators are skipped here.
    StartRecord,
    StartField,
    InField,
    InQuoted,
    /// Just read a `"` inside a quoted field: either the field closes or it was `""`.
    QuoteInQuoted,
}

/// What a byte did, for callers that count delimiters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Nothing,
    RecordStart,
    Delimiter,
    RecordEnd,
}

#[derive(Debug, Clone)]
pub(crate) struct Scanner {
    delimiter: u8,
    state: State,
    /// The 1-based physical line of the next byte.
    line: u64,
    /// The line on which the current quoted field opened.
    quote_line: u64,
    /// The line on which the current record started.
    record_line: u64,
    /// The line of the last byte fed.
    last_line: u64,
    /// Whether the last byte fed was `\r` (so a `\n` now ends no new line).
    prev_cr: bool,
}

impl Scanner {
    pub(crate) fn new(delimiter: u8) -> Self {
        Scanner {
            delimiter,
            state: State::StartRecord,
            line: 1,
            quote_line: 0,
            record_line: 0,
            last_line: 0,
            prev_cr: false,
        }
    }

    /// The line of the current record's first byte (valid after a [`Step::RecordStart`]).
    #[cfg(test)]
    pub(crate) fn record_line(&self) -> u64 {
        self.record_line
    }

    /// The line of the last byte fed (0 before any).
    pub(crate) fn last_line(&self) -> u64 {
        self.last_line
    }

    /// If the input so far ends inside a quoted field: the line where that quote opened.
    pub(crate) fn open_quote(&self) -> Option<u64> {
        (self.state == State::InQuoted).then_some(self.quote_line)
    }

    /// Feeds one byte.
    #[inline]
    pub(crate) fn step(&mut self, b: u8) -> Step {
        let is_term = b == b'\n' || b == b'\r';
        let mut step = Step::Nothing;
        self.state = match self.state {
            State::StartRecord if is_term => State::StartRecord,
            State::StartRecord => {
                self.record_line = self.line;
                step = Step::RecordStart;
                self.start_field(b, &mut step)
            }
            State::StartField => self.start_field(b, &mut step),
            State::InField => self.after_field_byte(b, &mut step, State::InField),
            State::InQuoted if b == b'"' => State::QuoteInQuoted,
            State::InQuoted => State::InQuoted,
            State::QuoteInQuoted if b == b'"' => State::InQuoted,
            State::QuoteInQuoted => self.after_field_byte(b, &mut step, State::InField),
        };
        self.advance_line(b);
        step
    }

    /// Feeds a buffer, calling `on_record_start` with the line of each record that starts in it.
    /// Same result as [`Scanner::step`] on every byte, but runs of field content are skipped in
    /// bulk (this scanner sees every byte the csv reader does, so it must not be the slow part).
    pub(crate) fn scan(&mut self, buf: &[u8], mut on_record_start: impl FnMut(u64)) {
        let mut i = 0;
        while i < buf.len() {
            let rest = &buf[i..];
            let skip = match self.state {
                State::InQuoted => {
                    let n = memchr::memchr(b'"', rest).unwrap_or(rest.len());
                    self.advance_lines(&rest[..n]);
                    n
                }
                State::InField => {
                    let n =
                        memchr::memchr3(self.delimiter, b'\n', b'\r', rest).unwrap_or(rest.len());
                    if n > 0 {
                        // No line ends in the run.
                        self.last_line = self.line;
                        self.prev_cr = false;
                    }
                    n
                }
                _ => 0,
            };
            if skip > 0 {
                i += skip;
                continue;
            }
            if self.step(buf[i]) == Step::RecordStart {
                on_record_start(self.record_line);
            }
            i += 1;
        }
    }

    /// Line counting: a line ends at `\n`, at `\r\n` (once) and at a lone `\r` (old Mac files).
    #[inline]
    fn advance_line(&mut self, b: u8) {
        if b == b'\n' && self.prev_cr {
            self.last_line = self.line - 1;
        } else {
            self.last_line = self.line;
            if b == b'\n' || b == b'\r' {
                self.line += 1;
            }
        }
        self.prev_cr = b == b'\r';
    }

    /// [`Scanner::advance_line`] over a run of bytes with no state change (quoted text).
    fn advance_lines(&mut self, bytes: &[u8]) {
        let Some(&last) = bytes.last() else { return };
        if memchr::memchr(b'\r', bytes).is_some() {
            for &b in bytes {
                self.advance_line(b);
            }
            return;
        }
        // Only \n line ends: count them in bulk.
        let first_continues_crlf = self.prev_cr && bytes[0] == b'\n';
        let newlines = memchr::memchr_iter(b'\n', bytes).count() as u64;
        self.line += newlines - u64::from(first_continues_crlf);
        self.last_line = if last == b'\n' {
            self.line - 1
        } else {
            self.line
        };
        self.prev_cr = false;
    }

    fn start_field(&mut self, b: u8, step: &mut Step) -> State {
        if b == b'"' {
            self.quote_line = self.line;
            State::InQuoted
        } else {
            self.after_field_byte(b, step, State::InField)
        }
    }

    fn after_field_byte(&mut self, b: u8, step: &mut Step, otherwise: State) -> State {
        if b == self.delimiter {
            if *step == Step::Nothing {
                *step = Step::Delimiter;
            }
            State::StartField
        } else if b == b'\n' || b == b'\r' {
            *step = Step::RecordEnd;
            State::StartRecord
        } else {
            otherwise
        }
    }
}

/// A reader that scans everything the csv reader reads, queueing the start line of each record in
/// the order the csv reader will return them.
pub(crate) struct Tracked<R> {
    inner: R,
    scanner: Scanner,
    starts: VecDeque<u64>,
    at_eof: bool,
}

impl<R: Read> Tracked<R> {
    pub(crate) fn new(inner: R, delimiter: u8) -> Self {
        Tracked {
            inner,
            scanner: Scanner::new(delimiter),
            starts: VecDeque::new(),
            at_eof: false,
        }
    }

    /// The start line of the next record the csv reader returns.
    pub(crate) fn next_start(&mut self) -> Option<u64> {
        self.starts.pop_front()
    }

    /// Once the whole input has been read: the line of a quote that never closed.
    pub(crate) fn unclosed_quote(&self) -> Option<u64> {
        if self.at_eof {
            self.scanner.open_quote()
        } else {
            None
        }
    }

    /// The line of the last byte read so far.
    pub(crate) fn last_line(&self) -> u64 {
        self.scanner.last_line()
    }
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.at_eof = true;
        }
        let starts = &mut self.starts;
        self.scanner.scan(&buf[..n], |line| starts.push_back(line));
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts(data: &str) -> (Vec<u64>, Option<u64>) {
        let mut t = Tracked::new(data.as_bytes(), b',');
        let mut sink = Vec::new();
        t.read_to_end(&mut sink).unwrap();
        (t.starts.iter().copied().collect(), t.unclosed_quote())
    }

    #[test]
    fn bulk_scan_agrees_with_byte_steps() {
        let data: &[u8] =
            b"a,b\r\n\"x\ny \"\"q\"\" z\",2\n\n  long unquoted field here,4\n5,\"open\nstill\r\nopen\r";
        for chunk in [1, 2, 3, 7, 64] {
            let mut bulk = Scanner::new(b',');
            let mut bulk_starts = Vec::new();
            for piece in data.chunks(chunk) {
                bulk.scan(piece, |l| bulk_starts.push(l));
            }
            let mut single = Scanner::new(b',');
            let mut single_starts = Vec::new();
            for &b in data {
                if single.step(b) == Step::RecordStart {
                    single_starts.push(single.record_line());
                }
            }
            assert_eq!(bulk_starts, single_starts, "chunk {chunk}");
            assert_eq!(bulk_starts, vec![1, 2, 5, 6]);
            assert_eq!(bulk.last_line(), single.last_line());
            assert_eq!(bulk.open_quote(), Some(6));
            assert_eq!(bulk.last_line(), 8);
            assert_eq!(bulk.state, single.state);
        }
    }

    proptest::proptest! {
        /// Any bytes of the kinds that matter, fed in any chunk size: skipping runs in bulk
        /// finds the same record starts, lines and state as feeding byte by byte.
        #[test]
        fn bulk_scan_agrees_with_byte_steps_on_any_input(
            data in proptest::collection::vec(
                proptest::sample::select(vec![b'a', b' ', b',', b';', b'"', b'\n', b'\r', 0xc3, 0xa9]),
                0..300,
            ),
            chunk in 1usize..70,
            delimiter in proptest::sample::select(vec![b',', b';']),
        ) {
            let mut bulk = Scanner::new(delimiter);
            let mut bulk_starts = Vec::new();
            for piece in data.chunks(chunk) {
                bulk.scan(piece, |l| bulk_starts.push(l));
            }
            let mut single = Scanner::new(delimiter);
            let mut single_starts = Vec::new();
            for &b in &data {
                if single.step(b) == Step::RecordStart {
                    single_starts.push(single.record_line());
                }
            }
            proptest::prop_assert_eq!(bulk_starts, single_starts);
            proptest::prop_assert_eq!(bulk.last_line(), single.last_line());
            proptest::prop_assert_eq!(bulk.open_quote(), single.open_quote());
            proptest::prop_assert_eq!(bulk.state, single.state);
        }
    }

    #[test]
    fn record_starts_skip_blank_lines_and_crlf() {
        assert_eq!(starts("a,b\n1,2\n\n\n3,4\n").0, vec![1, 2, 5]);
        assert_eq!(starts("a,b\r\n1,2\r\n\r\n\r\n3,4").0, vec![1, 2, 5]);
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        assert_eq!(starts("a,b\r1,\"x\ry\"\r\r3,4\r").0, vec![1, 2, 5]);
        assert_eq!(starts("a,b\r\n1,\"x\r\ny\"\r\n3,4").0, vec![1, 2, 4]);
    }

    #[test]
    fn quoted_newlines_do_not_start_records() {
        assert_eq!(starts("a,b\n\"x\ny\nz\",2\n3,4\n").0, vec![1, 2, 5]);
        assert_eq!(
            starts("a,b\n\"say \"\"hi\"\"\n\",2\n3,4\n").0,
            vec![1, 2, 4]
        );
    }

    #[test]
    fn quote_inside_unquoted_field_is_literal() {
        assert_eq!(starts("a,b\n5\" screen,2\n3,4\n"), (vec![1, 2, 3], None));
    }

    #[test]
    fn unclosed_quote_is_reported_with_its_line() {
        assert_eq!(
            starts("a,b\n1,2\n3,\"oops\n4,5\n6,7\n"),
            (vec![1, 2, 3], Some(3))
        );
    }
}
