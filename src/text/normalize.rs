//! Folding of one token to the form that rules and the index compare: NFKC, lower case,
//! Latin accents removed, typographic apostrophes made straight.
use unicode_normalization::UnicodeNormalization;

/// Appends the folded form of `token` to `out`.
///
/// ASCII tokens (nearly all of English survey text) take a byte loop; only tokens with other
/// characters pay for Unicode decomposition.
pub fn fold_into(token: &str, out: &mut String) {
    if token.is_ascii() {
        let start = out.len();
        out.push_str(token);
        out[start..].make_ascii_lowercase();
        return;
    }
    let start = out.len();
    let mut folded = String::with_capacity(token.len());
    for c in token.nfkd() {
        match c {
            // Combining diacritical marks: the accents of Latin, Greek and Cyrillic letters.
            '\u{0300}'..='\u{036f}' => {}
            c if is_apostrophe(c) => folded.push('\''),
            'ß' | 'ẞ' => folded.push_str("ss"),
            c => folded.extend(c.to_lowercase()),
        }
    }
    out.extend(folded.nfc());
    debug_assert!(out.len() >= start);
}

/// The folded form of `token` as a new string.
pub fn fold(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    fold_into(token, &mut out);
    out
}

/// Apostrophes as people type them: straight, curly, modifier letter, prime, backtick.
#[inline]
pub fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02bc}' | '\u{2032}' | '`'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_lower_cased() {
        assert_eq!(fold("DIscharged"), "discharged");
        assert_eq!(fold("STP"), "stp");
    }

    #[test]
    fn curly_apostrophe_becomes_straight() {
        assert_eq!(fold("hasn\u{2019}t"), "hasn't");
        assert_eq!(fold("council\u{2018}s"), "council's");
    }

    #[test]
    fn accents_are_removed_and_compatibility_forms_folded() {
        assert_eq!(fold("Café"), "cafe");
        assert_eq!(fold("naïve"), "naive");
        assert_eq!(fold("ﬁnance"), "finance"); // the fi ligature
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("ＳＴＰ"), "stp"); // full-width letters
    }

    #[test]
    fn other_scripts_keep_their_marks() {
        assert_eq!(fold("हिन्दी"), "हिन्दी");
        assert_eq!(fold("한국어"), "한국어");
        assert_eq!(fold("مرحبا"), "مرحبا");
    }
}
