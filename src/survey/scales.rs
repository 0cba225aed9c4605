//! The answer scales surveys use again and again, so a closed question's levels can be put in
//! order without being told: agree/disagree, confidence, satisfaction, the NHS Friends and Family
//! Test, frequency, importance, yes/no, and integer scales (1-5, 1-7, 0-10). Matching ignores
//! case, spacing, curly apostrophes, trailing full stops and number prefixes ("5 - Agree").
//! Answers outside the scale ("Don't know", "N/A") are kept after the scale's levels and flagged
//! as non-substantive.

/// A known scale: its levels in questionnaire order, each a display spelling then aliases (all
/// written normalised except the first).
struct Scale {
    name: &'static str,
    ordered: bool,
    levels: &'static [&'static [&'static str]],
}

const AGREE: &[&str] = &[
    "Agree",
    "tend to agree",
    "somewhat agree",
    "mostly agree",
    "slightly agree",
    "agree somewhat",
];
const STRONGLY_AGREE: &[&str] = &[
    "Strongly agree",
    "agree strongly",
    "completely agree",
    "totally agree",
];
const NEITHER_AGREE: &[&str] = &[
    "Neither agree nor disagree",
    "neither agree or disagree",
    "neither",
    "neutral",
    "neither agree not disagree",
];
const DISAGREE: &[&str] = &[
    "Disagree",
    "tend to disagree",
    "somewhat disagree",
    "mostly disagree",
    "slightly disagree",
    "disagree somewhat",
];
const STRONGLY_DISAGREE: &[&str] = &[
    "Strongly disagree",
    "disagree strongly",
    "completely disagree",
    "totally disagree",
];
const SATISFIED: &[&str] = &[
    "Satisfied",
    "fairly satisfied",
    "quite satisfied",
    "somewhat satisfied",
];
const DISSATISFIED: &[&str] = &[
    "Dissatisfied",
    "fairly dissatisfied",
    "quite dissatisfied",
    "somewhat dissatisfied",
];

const SCALES: &[Scale] = &[
    Scale {
        name: "agree (5-point)",
        ordered: true,
        levels: &[
            STRONGLY_AGREE,
            AGREE,
            NEITHER_AGREE,
            DISAGREE,
            STRONGLY_DISAGREE,
        ],
    },
    Scale {
        name: "agree (4-point)",
        ordered: true,
        levels: &[STRONGLY_AGREE, AGREE, DISAGREE, STRONGLY_DISAGREE],
    },
    Scale {
        name: "confidence",
        ordered: true,
        levels: &[
            &["Very confident", "extremely confident"],
            &["Fairly confident", "quite confident", "somewhat confident"],
            &["Not very confident", "not confident"],
            &["Not at all confident", "not confident at all"],
        ],
    },
    Scale {
        name: "amount",
        ordered: true,
        levels: &[
            &["A great deal", "a lot", "great deal"],
            &["A fair amount", "fair amount", "some"],
            &["Not very much", "not much", "a little"],
            &["Nothing at all", "not at all", "none at all"],
        ],
    },
    Scale {
        name: "satisfaction (5-point)",
        ordered: true,
        levels: &[
            &[
                "Very satisfied",
                "extremely satisfied",
                "completely satisfied",
            ],
            SATISFIED,
            &[
                "Neither satisfied nor dissatisfied",
                "neither satisfied or dissatisfied",
                "neither",
                "neutral",
            ],
            DISSATISFIED,
            &[
                "Very dissatisfied",
                "extremely dissatisfied",
                "completely dissatisfied",
            ],
        ],
    },
    Scale {
        name: "satisfaction (4-point)",
        ordered: true,
        levels: &[
            &[
                "Very satisfied",
                "extremely satisfied",
                "completely satisfied",
            ],
            SATISFIED,
            DISSATISFIED,
            &[
                "Very dissatisfied",
                "extremely dissatisfied",
                "completely dissatisfied",
            ],
        ],
    },
    Scale {
        name: "very good to very poor (Friends and Family Test)",
        ordered: true,
        levels: &[
            &["Very good"],
            &["Good"],
            &[
                "Neither good nor poor",
                "neither good nor bad",
                "neither good or poor",
                "average",
            ],
            &["Poor", "bad"],
            &["Very poor", "very bad"],
        ],
    },
    Scale {
        name: "excellent to poor",
        ordered: true,
        levels: &[
            &["Excellent"],
            &["Very good"],
            &["Good"],
            &["Fair"],
            &["Poor"],
        ],
    },
    Scale {
        name: "likely to unlikely (Friends and Family Test)",
        ordered: true,
        levels: &[
            &["Extremely likely", "very likely"],
            &["Likely"],
            &[
                "Neither likely nor unlikely",
                "neither likely or unlikely",
                "neither",
            ],
            &["Unlikely"],
            &["Extremely unlikely", "very unlikely"],
        ],
    },
    Scale {
        name: "frequency",
        ordered: true,
        levels: &[
            &["Always"],
            &["Often", "usually", "most of the time", "frequently"],
            &["Sometimes", "occasionally"],
            &["Rarely", "seldom"],
            &["Never"],
        ],
    },
    Scale {
        name: "importance",
        ordered: true,
        levels: &[
            &["Very important", "extremely important"],
            &[
                "Fairly important",
                "quite important",
                "somewhat important",
                "important",
            ],
            &["Not very important"],
            &[
                "Not at all important",
                "not important at all",
                "unimportant",
            ],
        ],
    },
    Scale {
        name: "yes, definitely / to some extent / no",
        ordered: true,
        levels: &[
            &["Yes, definitely", "yes definitely"],
            &[
                "Yes, to some extent",
                "yes to some extent",
                "to some extent",
            ],
            &["No"],
        ],
    },
    Scale {
        name: "yes/no",
        ordered: false,
        levels: &[&["Yes", "y"], &["No", "n"]],
    },
    Scale {
        name: "true/false",
        ordered: false,
        levels: &[&["TRUE"], &["FALSE"]],
    },
];

/// Answers that are not a position on any scale.
const NON_SUBSTANTIVE: &[&str] = &[
    "don't know",
    "dont know",
    "do not know",
    "don't know / not sure",
    "don't know/not sure",
    "don't know / can't say",
    "not sure",
    "unsure",
    "n/a",
    "na",
    "not applicable",
    "prefer not to say",
    "prefer not to answer",
    "rather not say",
    "can't say",
    "cannot say",
    "no opinion",
    "refused",
    "not answered",
];

/// The levels a column's answers fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScaleMatch {
    /// Which scale, for the description.
    pub name: String,
    /// The scale's levels in questionnaire order (as spelled in the data where they occur), then
    /// the non-substantive answers, most frequent first.
    pub levels: Vec<String>,
    pub ordered: bool,
    pub non_substantive: Vec<String>,
}

/// Lower case, one space between words, straight apostrophes, no trailing full stop, no number
/// prefix or suffix ("5 - Strongly agree", "Agree (4)").
pub(crate) fn normalize(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '’' | '‘' | '`' | '´' => out.push('\''),
                c => out.extend(c.to_lowercase()),
            }
        }
    }
    let trimmed = out.trim_end_matches(['.', '!']).trim_end();
    let mut s = strip_number_prefix(trimmed);
    if let Some(open) = s.rfind(" (") {
        let inside = &s[open + 2..];
        if inside.ends_with(')')
            && inside[..inside.len() - 1]
                .chars()
                .all(|c| c.is_ascii_digit())
            && inside.len() > 1
        {
            s = &s[..open];
        }
    }
    s.to_string()
}

fn strip_number_prefix(s: &str) -> &str {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits == s.len() {
        return s;
    }
    let rest = s[digits..].trim_start();
    for sep in ["-", "–", "=", ".", ":", ")"] {
        if let Some(r) = rest.strip_prefix(sep) {
            let r = r.trim_start();
            if !r.is_empty() {
                return r;
            }
        }
    }
    s
}

/// True for "Don't know", "N/A" and the like (given a [`normalize`]d value).
pub(crate) fn is_non_substantive(normalized: &str) -> bool {
    NON_SUBSTANTIVE.contains(&normalized)
        || normalized.starts_with("don't know")
        || normalized.starts_with("prefer not")
        || normalized.starts_with("not applicable")
}

/// Whether the answers outside a scale are few enough for the column still to be that scale:
/// any number of known non-substantive answers, and at most two others covering at most a fifth
/// of the answers.
fn outsiders_acceptable(outside: &[(&str, usize)], total: usize) -> bool {
    let others: Vec<&(&str, usize)> = outside
        .iter()
        .filter(|(v, _)| !is_non_substantive(&normalize(v)))
        .collect();
    let other_count: usize = others.iter().map(|(_, c)| c).sum();
    others.len() <= 2 && other_count * 5 <= total
}

/// The answers outside the scale, most frequent first, one per answer however it is spelt.
fn non_substantive_levels(outside: &mut [(&str, usize)]) -> Vec<String> {
    outside.sort_by_key(|v| std::cmp::Reverse(v.1));
    let mut seen = std::collections::HashSet::new();
    outside
        .iter()
        .filter(|(v, _)| seen.insert(normalize(v)))
        .map(|(v, _)| v.to_string())
        .collect()
}

/// The known text scale that best fits `values` (distinct trimmed answers with their counts).
pub(crate) fn match_text_scale(values: &[(&str, usize)]) -> Option<ScaleMatch> {
    let total: usize = values.iter().map(|(_, c)| c).sum();
    let normalized: Vec<String> = values.iter().map(|(v, _)| normalize(v)).collect();
    // (levels hit, answers matched, fewer levels first)
    type Score = (usize, usize, std::cmp::Reverse<usize>);
    let mut best: Option<(Score, ScaleMatch)> = None;
    for scale in SCALES {
        // Per level: the most frequent spelling seen.
        let mut spelling: Vec<Option<(&str, usize)>> = vec![None; scale.levels.len()];
        let mut matched = 0usize;
        let mut outside: Vec<(&str, usize)> = Vec::new();
        for ((value, count), norm) in values.iter().zip(&normalized) {
            let level = scale.levels.iter().position(|aliases| {
                aliases.iter().enumerate().any(|(i, a)| {
                    if i == 0 {
                        normalize(a) == *norm
                    } else {
                        a == norm
                    }
                })
            });
            match level {
                Some(l) => {
                    matched += count;
                    if spelling[l].is_none_or(|(_, c)| *count > c) {
                        spelling[l] = Some((value, *count));
                    }
                }
                None => outside.push((value, *count)),
            }
        }
        let hit = spelling.iter().filter(|s| s.is_some()).count();
        if hit < 2 || matched * 2 < total || !outsiders_acceptable(&outside, total) {
            continue;
        }
        let score = (hit, matched, std::cmp::Reverse(scale.levels.len()));
        if best.as_ref().is_some_and(|(b, _)| *b >= score) {
            continue;
        }
        let mut levels: Vec<String> = spelling
            .iter()
            .zip(scale.levels)
            .map(|(seen, aliases)| seen.map_or(aliases[0], |(v, _)| v).to_string())
            .collect();
        let non_substantive = non_substantive_levels(&mut outside);
        levels.extend(non_substantive.iter().cloned());
        best = Some((
            score,
            ScaleMatch {
                name: scale.name.to_string(),
                levels,
                ordered: scale.ordered,
                non_substantive,
            },
        ));
    }
    best.map(|(_, m)| m)
}

/// An integer scale (1-5, 1-7, 0-10, or a range within -10..10 such as -5..5) that fits `values`.
pub(crate) fn match_integer_scale(values: &[(&str, usize)]) -> Option<ScaleMatch> {
    let total: usize = values.iter().map(|(_, c)| c).sum();
    let mut numbers = Vec::new();
    let mut outside: Vec<(&str, usize)> = Vec::new();
    let mut matched = 0;
    for &(value, count) in values {
        match value.trim().parse::<i64>() {
            Ok(n) => {
                numbers.push(n);
                matched += count;
            }
            Err(_) => outside.push((value, count)),
        }
    }
    numbers.sort_unstable();
    numbers.dedup();
    if numbers.len() < 2 || matched * 2 < total || !outsiders_acceptable(&outside, total) {
        return None;
    }
    let (min, max) = (numbers[0], numbers[numbers.len() - 1]);
    let (lo, hi, name) = if min >= 1 && max <= 5 {
        (1, 5, "1-5")
    } else if min >= 1 && max <= 7 {
        (1, 7, "1-7")
    } else if min >= 0 && max <= 10 {
        (0, 10, "0-10")
    } else if min >= -10 && max <= 10 {
        // A scale around zero (-5..5) is symmetric even if one end went unused in the sample.
        let k = max.max(-min);
        if min < 0 {
            (-k, k, "integer")
        } else {
            (min, max, "integer")
        }
    } else {
        return None;
    };
    let mut levels: Vec<String> = (lo..=hi).map(|n| n.to_string()).collect();
    let non_substantive = non_substantive_levels(&mut outside);
    levels.extend(non_substantive.iter().cloned());
    Some(ScaleMatch {
        name: format!("{name} scale"),
        levels,
        ordered: true,
        non_substantive,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(values: &[(&str, usize)]) -> Option<(Vec<String>, bool, Vec<String>)> {
        match_text_scale(values).map(|m| (m.levels, m.ordered, m.non_substantive))
    }

    #[test]
    fn normalizing_ignores_case_space_apostrophes_and_numbers() {
        assert_eq!(normalize("  Don’t   Know. "), "don't know");
        assert_eq!(normalize("5 - Strongly agree"), "strongly agree");
        assert_eq!(normalize("Agree (4)"), "agree");
        assert_eq!(normalize("10"), "10");
    }

    #[test]
    fn confidence_is_ordered_whatever_the_data_order() {
        let got = levels(&[
            ("Not very confident", 4),
            ("very confident", 2),
            ("Fairly confident", 9),
            ("Don't know", 3),
        ])
        .unwrap();
        assert_eq!(
            got.0,
            vec![
                "very confident",
                "Fairly confident",
                "Not very confident",
                "Not at all confident",
                "Don't know"
            ]
        );
        assert!(got.1);
        assert_eq!(got.2, vec!["Don't know"]);
    }

    #[test]
    fn four_and_five_point_agree_are_told_apart() {
        let four = levels(&[("Strongly agree", 1), ("Agree", 1), ("Disagree", 1)]).unwrap();
        assert_eq!(four.0.len(), 4);
        let five = levels(&[
            ("Agree", 1),
            ("Neither agree nor disagree", 1),
            ("Disagree", 1),
        ])
        .unwrap();
        assert_eq!(five.0[2], "Neither agree nor disagree");
    }

    #[test]
    fn friends_and_family_test_with_dont_know() {
        let got = levels(&[
            ("Extremely likely", 50),
            ("Likely", 20),
            ("Unlikely", 2),
            ("Don't know", 1),
        ])
        .unwrap();
        assert_eq!(got.0[0], "Extremely likely");
        assert_eq!(got.0[4], "Extremely unlikely");
        assert_eq!(got.0[5], "Don't know");
    }

    #[test]
    fn excellent_scale_beats_very_good_scale_when_fair_occurs() {
        let got = levels(&[("Excellent", 3), ("Good", 3), ("Fair", 2), ("Poor", 1)]).unwrap();
        assert_eq!(
            got.0,
            vec!["Excellent", "Very good", "Good", "Fair", "Poor"]
        );
    }

    #[test]
    fn yes_no_is_not_ordered() {
        let got = levels(&[("Yes", 10), ("No", 4), ("N/A", 1)]).unwrap();
        assert_eq!(
            got,
            (
                vec!["Yes".into(), "No".into(), "N/A".into()],
                false,
                vec!["N/A".into()]
            )
        );
    }

    #[test]
    fn roles_are_no_scale() {
        assert_eq!(levels(&[("Nurse", 3), ("Doctor", 2), ("Manager", 1)]), None);
        // Two known answers among many others are not enough.
        assert_eq!(
            levels(&[
                ("Yes", 1),
                ("No", 1),
                ("Nurse", 5),
                ("Doctor", 5),
                ("Porter", 5)
            ]),
            None
        );
    }

    #[test]
    fn integer_scales() {
        let m = match_integer_scale(&[("1", 2), ("4", 3), ("5", 9), ("N/A", 1)]).unwrap();
        assert_eq!(m.levels, vec!["1", "2", "3", "4", "5", "N/A"]);
        let m = match_integer_scale(&[("0", 2), ("9", 3), ("10", 9)]).unwrap();
        assert_eq!(m.levels.len(), 11);
        let m = match_integer_scale(&[("-5", 2), ("3", 3)]).unwrap();
        assert_eq!(m.levels.first().map(String::as_str), Some("-5"));
        assert_eq!(match_integer_scale(&[("2023", 1), ("2025", 2)]), None);
        assert_eq!(match_integer_scale(&[("5", 1)]), None);
    }
}
