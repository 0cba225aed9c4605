//! Codebook semantics, each rule kind with cases, and errors that name the line.
use verbatim::codebook::{Cancellation, Codebook};

fn codebook(themes: &str) -> Codebook {
    let source = format!("[codebook]\nname = \"test\"\nversion = \"1\"\n\n{themes}");
    match Codebook::from_source(&source, "test.toml") {
        Ok(codebook) => codebook,
        Err(err) => panic!("{err}"),
    }
}

fn coded(codebook: &Codebook, text: &str) -> Vec<String> {
    let coding = codebook.code(text);
    coding
        .coded_themes()
        .map(|t| codebook.themes[t].id.clone())
        .collect()
}

fn errors(source: &str) -> String {
    match Codebook::from_source(source, "bad.toml") {
        Ok(_) => panic!("expected an error"),
        Err(err) => err.to_string(),
    }
}

#[test]
fn phrase_matches_consecutive_words_by_stem_across_hyphens() {
    let cb = codebook("[[theme]]\nid = \"top_down\"\nphrases = [\"top down\", \"tick box\"]");
    assert_eq!(coded(&cb, "a very top-down approach"), ["top_down"]);
    assert_eq!(coded(&cb, "Top Down imposition"), ["top_down"]);
    assert_eq!(coded(&cb, "just ticking boxes"), ["top_down"]); // Porter2: ticking -> tick
    assert_eq!(coded(&cb, "tick boxes everywhere"), ["top_down"]);
    assert!(coded(&cb, "from the top, down to").is_empty()); // a comma breaks the phrase
    assert!(coded(&cb, "down top").is_empty());
}

#[test]
fn evidence_carries_rule_and_byte_span() {
    let cb = codebook("[[theme]]\nid = \"top_down\"\nphrases = [\"top down\"]");
    let text = "Yet another top-down imposition";
    let coding = cb.code(text);
    let hit = coding.evidence().next().unwrap();
    assert_eq!((hit.start, hit.end), (12, 20));
    assert_eq!(&text[hit.start..hit.end], "top-down");
    assert_eq!(cb.rules[hit.rule].id, "top_down/phrase:top down");
}

#[test]
fn glob_word_and_stem_rules() {
    let cb = codebook(
        "[[theme]]\nid = \"exclusion\"\nglobs = [\"exclud*\"]\n\n\
         [[theme]]\nid = \"jargon\"\nwords = [\"jargon\"]\n\n\
         [[theme]]\nid = \"engage\"\nstems = [\"engagement\"]",
    );
    assert_eq!(coded(&cb, "We were EXCLUDED"), ["exclusion"]);
    assert!(coded(&cb, "exclusion zone").is_empty());
    assert_eq!(coded(&cb, "full of jargon"), ["jargon"]);
    assert!(coded(&cb, "jargons").is_empty()); // words are exact forms
    assert_eq!(coded(&cb, "they engaged us"), ["engage"]);
}

#[test]
fn near_finds_words_within_distance_in_either_order_and_same_sentence() {
    let cb = codebook("[[theme]]\nid = \"ignored\"\nnear = [\"councillor* NEAR/3 ignor*\"]");
    assert_eq!(coded(&cb, "councillors were largely ignored"), ["ignored"]);
    assert_eq!(coded(&cb, "they ignored the councillors"), ["ignored"]);
    assert!(coded(&cb, "councillors met; the plan was then simply ignored").is_empty());
    assert!(coded(&cb, "Councillors met. Ignored again.").is_empty());
}

#[test]
fn before_is_ordered_and_accepts_quoted_phrases() {
    let cb = codebook("[[theme]]\nid = \"t\"\nnear = ['member* BEFORE/2 \"not engaged\"']");
    assert_eq!(coded(&cb, "members were not engaged"), ["t"]);
    assert!(coded(&cb, "not engaged were the members").is_empty());
}

#[test]
fn negated_exclusion_is_not_coded_and_cancellation_says_why() {
    let cb = codebook("[[theme]]\nid = \"exclusion\"\nglobs = [\"exclud*\"]");
    assert!(coded(&cb, "we were not excluded").is_empty());
    assert!(coded(&cb, "We haven’t been excluded").is_empty());
    assert_eq!(coded(&cb, "not only excluded but ignored"), ["exclusion"]);
    assert_eq!(coded(&cb, "no funding, and excluded"), ["exclusion"]);
    let coding = cb.code("we were never excluded");
    assert!(matches!(
        &coding.hits[0].cancelled,
        Some(Cancellation::Negation { negator, .. }) if negator == "never"
    ));
}

#[test]
fn negation_flag_and_ignore_policies() {
    let cb = codebook(
        "[[theme]]\nid = \"flagged\"\nnegation = \"flag\"\nwords = [\"consulted\"]\n\n\
         [[theme]]\nid = \"ignored\"\nnegation = \"ignore\"\nwords = [\"informed\"]",
    );
    let coding = cb.code("we were not consulted and not informed");
    assert_eq!(coding.coded, [true, true]);
    assert!(coding.hits[0].negated);
    assert!(!coding.hits[1].negated);
}

#[test]
fn negators_inside_a_pattern_belong_to_it() {
    let cb = codebook(
        "[[theme]]\nid = \"t\"\nphrases = [\"<neg> been thought through\", \"not =involved\"]",
    );
    assert_eq!(
        coded(&cb, "an imposition that hasn’t been thought through"),
        ["t"]
    );
    assert_eq!(coded(&cb, "we were not involved"), ["t"]);
    assert!(coded(&cb, "we were not involving").is_empty());
}

#[test]
fn exclusion_cancels_overlapping_hit_only() {
    let cb = codebook(
        "[[theme]]\nid = \"exclusion\"\nglobs = [\"exclud*\"]\nexclude = [\"excluding vat\"]",
    );
    assert!(coded(&cb, "costs excluding VAT rose").is_empty());
    assert_eq!(
        coded(&cb, "excluding VAT, and we were excluded"),
        ["exclusion"]
    );
}

#[test]
fn sentence_scope_exclusion_cancels_within_the_sentence() {
    let cb = codebook(
        "[[theme]]\nid = \"money\"\nwords = [\"cuts\"]\nexclude = [\"hair\"]\nexclude_scope = \"sentence\"",
    );
    assert!(coded(&cb, "cuts to my hair were fine").is_empty());
    assert_eq!(coded(&cb, "My hair is fine. Cuts hurt."), ["money"]);
}

#[test]
fn weights_and_thresholds_need_enough_evidence_and_overlaps_count_once() {
    let cb = codebook(
        "[[theme]]\nid = \"funding\"\nthreshold = 2.0\nphrases = [\"funding gap\"]\n\
         [[theme.rule]]\nword = \"money\"\nweight = 1.0\n\
         [[theme.rule]]\nword = \"funding\"\nweight = 1.5",
    );
    // "funding gap" (1.0) overlaps "funding" (1.5): one piece of evidence worth 1.5
    assert!(coded(&cb, "a funding gap").is_empty());
    assert_eq!(cb.code("a funding gap").scores[0], 1.5);
    assert_eq!(coded(&cb, "a funding gap and little money"), ["funding"]);
}

#[test]
fn a_negative_weight_is_evidence_against_the_theme() {
    let cb = codebook(
        "[[theme]]\nid = \"care\"\nthreshold = 1.0\n\
         [[theme.rule]]\nword = \"care\"\nweight = 1.5\n\
         [[theme.rule]]\nphrase = \"care home\"\nweight = -1.0\n\
         [[theme.rule]]\nword = \"staff\"\nweight = -0.75\n\
         [[theme.rule]]\nword = \"staffing\"\nweight = -0.25",
    );
    assert_eq!(coded(&cb, "good care"), ["care"]);
    // A positive and a negative hit on the same words both count: 1.5 - 1.0.
    assert_eq!(cb.code("the care home").scores[0], 0.5);
    assert!(coded(&cb, "the care home").is_empty());
    // Negative hits that do not overlap add up; no positive evidence codes nothing.
    assert_eq!(cb.code("staff staffing").scores[0], -1.0);
    assert!(coded(&cb, "staff").is_empty());
    // Counter-evidence is not shown as evidence of a coded theme.
    let coding = cb.code("great care, care home nearby, care");
    assert!(coded(&cb, "great care, care home nearby, care") == ["care"]);
    assert!(coding.evidence().all(|h| h.weight > 0.0));
    assert!(errors(
        "[codebook]\nname = \"x\"\nversion = \"1\"\n[[theme]]\nid = \"a\"\n\
         [[theme.rule]]\nword = \"b\"\nweight = 0.0\n"
    )
    .contains("bad.toml:7: theme \"a\", word \"b\": weight must be a number other than 0"));
}

#[test]
fn a_coded_child_codes_its_parent() {
    let cb = codebook(
        "[[theme]]\nid = \"engagement\"\n\n\
         [[theme]]\nid = \"exclusion\"\nparent = \"engagement\"\nglobs = [\"exclud*\"]",
    );
    assert_eq!(coded(&cb, "excluded"), ["engagement", "exclusion"]);
    assert!(coded(&cb, "fine").is_empty());
}

#[test]
fn regex_rule_maps_to_tokens_and_respects_negation() {
    let cb = codebook("[[theme]]\nid = \"foi\"\nregex = ['freedom\\s+of\\s+information']");
    let text = "They needed a Freedom of Information request";
    let coding = cb.code(text);
    let hit = coding.evidence().next().unwrap();
    assert_eq!(&text[hit.start..hit.end], "Freedom of Information");
    assert!(coded(&cb, "no freedom of information request").is_empty());
}

#[test]
fn examples_and_counterexamples_are_checked() {
    let cb = codebook(
        "[[theme]]\nid = \"exclusion\"\nglobs = [\"exclud*\"]\n\
         examples = [\"We were excluded\", \"left out\"]\ncounterexamples = [\"not excluded\", \"excluded\"]",
    );
    let problems = cb.check_examples();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].message.contains("\"left out\""));
    assert_eq!(problems[0].line, 8);
    assert!(problems[1]
        .message
        .contains("codes this theme: \"excluded\""));
}

#[test]
fn unknown_key_is_an_error_with_its_line() {
    let message = errors(
        "[codebook]\nname = \"x\"\nversion = \"1\"\n\n[[theme]]\nid = \"a\"\nphrase = [\"x\"]\n",
    );
    assert!(message.contains("bad.toml:7"), "{message}");
    assert!(message.contains("unknown field `phrase`"), "{message}");
}

#[test]
fn every_problem_is_reported_with_file_line_and_rule() {
    let message = errors(
        "[codebook]\nname = \"x\"\nversion = \"1\"\n\n\
         [[theme]]\nid = \"a\"\nglobs = [\"*\"]\nnear = [\"x near/3 y\"]\n\n\
         [[theme]]\nid = \"a\"\nparent = \"nope\"\nregex = [\"(\"]\n\n\
         [[theme]]\nid = \"empty\"\n",
    );
    assert!(message.contains("bad.toml has 6 problems"), "{message}");
    assert!(
        message.contains(
            "bad.toml:7: theme \"a\", glob \"*\": a glob needs at least two literal letters"
        ),
        "{message}"
    );
    assert!(
        message.contains("bad.toml:8: theme \"a\", near \"x near/3 y\""),
        "{message}"
    );
    assert!(
        message.contains("bad.toml:11: theme \"a\": this id is used by an earlier theme"),
        "{message}"
    );
    assert!(
        message.contains("bad.toml:12: theme \"a\", parent: no theme \"nope\""),
        "{message}"
    );
    assert!(
        message
            .contains("bad.toml:13: theme \"a\", regex \"(\": not a valid regex: unclosed group"),
        "{message}"
    );
    assert!(
        message.contains("bad.toml:15: theme \"empty\": has no rules"),
        "{message}"
    );
}

#[test]
fn a_rule_table_needs_exactly_one_pattern() {
    let message = errors(
        "[codebook]\nname = \"x\"\nversion = \"1\"\n[[theme]]\nid = \"a\"\n[[theme.rule]]\nword = \"x\"\nphrase = \"y z\"\n",
    );
    assert!(
        message.contains("exactly one of word, stem, glob, phrase, near, regex"),
        "{message}"
    );
}

#[test]
fn the_hash_changes_with_the_file() {
    let a = codebook("[[theme]]\nid = \"a\"\nwords = [\"x\"]");
    let b = codebook("[[theme]]\nid = \"a\"\nwords = [\"y\"]");
    assert_eq!(a.hash.len(), 16);
    assert_ne!(a.hash, b.hash);
}
