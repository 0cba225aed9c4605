//! Negators and contrast words: the lexical facts that codebook negation and sentiment share.

/// Words that negate what follows them, in folded form.
const NEGATORS: &[&str] = &[
    "not", "no", "never", "without", "nobody", "none", "nothing", "neither", "nor", "cannot",
    "hardly", "barely", "scarcely", "nowhere", "rarely", "seldom", "nope", "ain't", "aint", "dont",
    "doesnt", "didnt", "isnt", "wasnt", "werent", "arent", "havent", "hasnt", "hadnt", "wont",
    "wouldnt", "shouldnt", "couldnt", "cant", "mustnt",
];

/// Words after which a negator does not negate: "not only", "not just", "no doubt".
const PSEUDO_NEGATION_FOLLOWERS: &[(&str, &str)] = &[
    ("not", "only"),
    ("not", "just"),
    ("not", "merely"),
    ("no", "doubt"),
    ("without", "doubt"),
];

/// Words after which a sentence-initial "no" answers a question ("No, everything was great")
/// rather than negating what follows.
const ANSWER_FOLLOWERS: &[&str] = &[
    "everything",
    "it",
    "its",
    "it's",
    "i",
    "i'm",
    "we",
    "they",
    "the",
    "all",
    "thank",
    "thanks",
    "that",
    "this",
    "nothing",
    "none",
    "very",
    "really",
    "absolutely",
    "definitely",
];

/// Whether `word`, the first word of a sentence followed by `next`, is an answer ("No") rather
/// than a negator.
pub fn is_answer_no(word: &str, next: &str) -> bool {
    matches!(word, "no" | "nope") && ANSWER_FOLLOWERS.contains(&next)
}

/// Words that close a negation scope and shift the weight of a sentence to what follows.
const CONTRASTS: &[&str] = &[
    "but",
    "however",
    "although",
    "though",
    "yet",
    "whereas",
    "nevertheless",
    "nonetheless",
];

/// Whether the folded word negates what follows (`not`, `never`, any `n't` contraction).
pub fn is_negator(word: &str) -> bool {
    word.ends_with("n't") || NEGATORS.contains(&word)
}

/// Whether `word` after a negator can stop it negating ("only" in "not only", "everything"
/// in "No, everything was great"): where the word after a negator is none of these, the
/// negator negates, with no need to compare the two words.
pub fn may_cancel_negation(word: &str) -> bool {
    PSEUDO_NEGATION_FOLLOWERS
        .iter()
        .any(|&(_, follower)| follower == word)
        || ANSWER_FOLLOWERS.contains(&word)
}

/// Whether `word` followed by `next` is a negator that does not negate ("not only").
pub fn is_pseudo_negation(word: &str, next: &str) -> bool {
    PSEUDO_NEGATION_FOLLOWERS
        .iter()
        .any(|&(negator, follower)| negator == word && follower == next)
}

pub fn is_contrast(word: &str) -> bool {
    CONTRASTS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contractions_and_plain_negators() {
        assert!(is_negator("hasn't"));
        assert!(is_negator("never"));
        assert!(is_negator("without"));
        assert!(!is_negator("note"));
    }

    #[test]
    fn every_word_that_cancels_a_negation_is_known_to() {
        for &(negator, follower) in PSEUDO_NEGATION_FOLLOWERS {
            assert!(is_pseudo_negation(negator, follower));
            assert!(may_cancel_negation(follower), "{follower}");
        }
        for follower in ANSWER_FOLLOWERS {
            assert!(is_answer_no("no", follower));
            assert!(may_cancel_negation(follower), "{follower}");
        }
        assert!(!may_cancel_negation("involved"));
    }

    #[test]
    fn not_only_is_not_a_negation() {
        assert!(is_pseudo_negation("not", "only"));
        assert!(!is_pseudo_negation("not", "involved"));
    }
}
