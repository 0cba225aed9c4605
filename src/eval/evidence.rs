//! The `evidence` cell that `verbatim code` writes: `theme <- rule @start-end "text"`, with
//! ` (negated)` after a flagged hit, pieces joined by `; ` (see `batch::output`). The matched
//! text is a JSON string, so it may hold `; ` or quotes without ambiguity.

/// One piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub theme: String,
    pub rule: String,
    /// Byte offsets into the comment's text.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub negated: bool,
}

/// The evidence of a JSON Lines row of `verbatim code`: an array of objects.
#[derive(serde::Deserialize)]
struct JsonEvidence {
    theme: String,
    rule: String,
    start: usize,
    end: usize,
    #[serde(default)]
    text: String,
    #[serde(default)]
    negated: bool,
}

/// Parses an evidence cell, as CSV output writes it or as the JSON array of JSON Lines output;
/// an error says where it stopped making sense.
pub fn parse(cell: &str) -> Result<Vec<Evidence>, String> {
    if cell.trim_start().starts_with('[') {
        let list: Vec<JsonEvidence> =
            serde_json::from_str(cell).map_err(|e| format!("not evidence as JSON: {e}"))?;
        return Ok(list
            .into_iter()
            .map(|e| Evidence {
                theme: e.theme,
                rule: e.rule,
                start: e.start,
                end: e.end,
                text: e.text,
                negated: e.negated,
            })
            .collect());
    }
    let mut out = Vec::new();
    let mut rest = cell.trim();
    while !rest.is_empty() {
        let Some(arrow) = rest.find(" <- ") else {
            return Err(format!("no \" <- \" in {:?}", clip(rest)));
        };
        let theme = &rest[..arrow];
        let after_arrow = &rest[arrow + 4..];
        let Some((at, start, end, quote)) = span_marker(after_arrow) else {
            return Err(format!(
                "no \" @start-end \\\"text\\\"\" in {:?}",
                clip(rest)
            ));
        };
        let rule = &after_arrow[..at];
        let json = &after_arrow[quote..];
        let mut values = serde_json::Deserializer::from_str(json).into_iter::<String>();
        let text = match values.next() {
            Some(Ok(text)) => text,
            _ => {
                return Err(format!(
                    "the matched text is not a JSON string in {:?}",
                    clip(rest)
                ))
            }
        };
        let mut tail = &json[values.byte_offset()..];
        let negated = match tail.strip_prefix(" (negated)") {
            Some(t) => {
                tail = t;
                true
            }
            None => false,
        };
        out.push(Evidence {
            theme: theme.to_string(),
            rule: rule.to_string(),
            start,
            end,
            text,
            negated,
        });
        rest = match tail.strip_prefix("; ") {
            Some(t) => t,
            None if tail.trim().is_empty() => "",
            None => return Err(format!("expected \"; \" before {:?}", clip(tail))),
        };
    }
    Ok(out)
}

/// The first ` @digits-digits "` in `s`: where the ` @` is, the two numbers, and where the
/// quote is.
fn span_marker(s: &str) -> Option<(usize, usize, usize, usize)> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(found) = s[from..].find(" @") {
        let at = from + found;
        let mut i = at + 2;
        let digits = |i: &mut usize| {
            let begin = *i;
            while *i < bytes.len() && bytes[*i].is_ascii_digit() {
                *i += 1;
            }
            s[begin..*i].parse::<usize>().ok()
        };
        if let Some(start) = digits(&mut i) {
            if bytes.get(i) == Some(&b'-') {
                i += 1;
                if let Some(end) = digits(&mut i) {
                    if s[i..].starts_with(" \"") {
                        return Some((at, start, end, i + 1));
                    }
                }
            }
        }
        from = at + 2;
    }
    None
}

fn clip(s: &str) -> String {
    let clipped: String = s.chars().take(60).collect();
    if clipped.len() < s.len() {
        format!("{clipped}…")
    } else {
        clipped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_code_writes() {
        let cell = "top_down <- top_down/phrase:top down @12-20 \"top down\"; \
                    exclusion <- left-out @30-38 \"left; \\\"out\\\"\" (negated)";
        let evidence = parse(cell).unwrap();
        assert_eq!(evidence.len(), 2);
        assert_eq!(evidence[0].theme, "top_down");
        assert_eq!(evidence[0].rule, "top_down/phrase:top down");
        assert_eq!((evidence[0].start, evidence[0].end), (12, 20));
        assert!(!evidence[0].negated);
        assert_eq!(evidence[1].rule, "left-out");
        assert_eq!(evidence[1].text, "left; \"out\"");
        assert!(evidence[1].negated);
        assert!(parse("").unwrap().is_empty());
    }

    #[test]
    fn parses_the_json_array_of_json_lines_output() {
        let cell = r#"[{"theme":"food","rule":"food/word:food","start":4,"end":8,"text":"food","weight":1.0,"negated":false}]"#;
        let evidence = parse(cell).unwrap();
        assert_eq!(evidence[0].rule, "food/word:food");
        assert_eq!((evidence[0].start, evidence[0].end), (4, 8));
    }

    #[test]
    fn a_rule_id_may_hold_an_at_sign() {
        let evidence = parse("t <- t/word:a @b @1-2 \"x\"").unwrap();
        assert_eq!(evidence[0].rule, "t/word:a @b");
    }

    #[test]
    fn anything_else_is_an_error() {
        assert!(parse("staff, attitude").is_err());
        assert!(parse("t <- r @1-2 x").is_err());
        assert!(parse("t <- r @1-2 \"x\" junk").is_err());
    }
}
