//! The constants of the scorer. Valences, boosts and the normalisation follow VADER 3.3.2
//! (vaderSentiment.py, Hutto & Gilbert 2014, MIT licence), whose values were derived from human
//! ratings; the rules that use them are this project's (see `score.rs`).

/// Boost of an intensifier ("very") and of a dampener ("slightly") on the next sentiment word.
pub const B_INCR: f32 = 0.293;
pub const B_DECR: f32 = -0.293;
/// Boost of a word in capitals when the text is not all capitals.
pub const C_INCR: f32 = 0.733;
/// Factor applied to a negated sentiment word.
pub const N_SCALAR: f32 = -0.74;
/// Normalisation constant: compound = sum / sqrt(sum² + ALPHA).
pub const ALPHA: f32 = 15.0;
/// Weights of the clause before and after a contrast ("but").
pub const BEFORE_CONTRAST: f32 = 0.5;
pub const AFTER_CONTRAST: f32 = 1.5;
/// Boost per exclamation mark (at most four count).
pub const EXCLAMATION: f32 = 0.292;
/// Boost per question mark when there are two or three; 0.96 for more.
pub const QUESTION: f32 = 0.18;
pub const MANY_QUESTIONS: f32 = 0.96;
/// "never so good": emphasis, not negation.
pub const NEVER_SO: f32 = 1.25;
/// How far back (in tokens) boosters and negators reach.
pub const WINDOW: usize = 3;

/// VADER's degree adverbs: intensifiers get B_INCR, dampeners B_DECR.
pub const BOOSTERS: &[(&str, f32)] = &[
    ("absolutely", B_INCR),
    ("amazingly", B_INCR),
    ("awfully", B_INCR),
    ("completely", B_INCR),
    ("considerable", B_INCR),
    ("considerably", B_INCR),
    ("decidedly", B_INCR),
    ("deeply", B_INCR),
    ("effing", B_INCR),
    ("enormous", B_INCR),
    ("enormously", B_INCR),
    ("entirely", B_INCR),
    ("especially", B_INCR),
    ("exceptional", B_INCR),
    ("exceptionally", B_INCR),
    ("extreme", B_INCR),
    ("extremely", B_INCR),
    ("fabulously", B_INCR),
    ("flipping", B_INCR),
    ("flippin", B_INCR),
    ("frackin", B_INCR),
    ("fracking", B_INCR),
    ("fricking", B_INCR),
    ("frickin", B_INCR),
    ("frigging", B_INCR),
    ("friggin", B_INCR),
    ("fully", B_INCR),
    ("fuckin", B_INCR),
    ("fucking", B_INCR),
    ("fuggin", B_INCR),
    ("fugging", B_INCR),
    ("greatly", B_INCR),
    ("hella", B_INCR),
    ("highly", B_INCR),
    ("hugely", B_INCR),
    ("incredible", B_INCR),
    ("incredibly", B_INCR),
    ("intensely", B_INCR),
    ("major", B_INCR),
    ("majorly", B_INCR),
    ("more", B_INCR),
    ("most", B_INCR),
    ("particularly", B_INCR),
    ("purely", B_INCR),
    ("quite", B_INCR),
    ("really", B_INCR),
    ("remarkably", B_INCR),
    ("so", B_INCR),
    ("substantially", B_INCR),
    ("thoroughly", B_INCR),
    ("total", B_INCR),
    ("totally", B_INCR),
    ("tremendous", B_INCR),
    ("tremendously", B_INCR),
    ("uber", B_INCR),
    ("unbelievably", B_INCR),
    ("unusually", B_INCR),
    ("utter", B_INCR),
    ("utterly", B_INCR),
    ("very", B_INCR),
    ("almost", B_DECR),
    ("barely", B_DECR),
    ("hardly", B_DECR),
    ("kinda", B_DECR),
    ("kindof", B_DECR),
    ("less", B_DECR),
    ("little", B_DECR),
    ("marginal", B_DECR),
    ("marginally", B_DECR),
    ("occasional", B_DECR),
    ("occasionally", B_DECR),
    ("partly", B_DECR),
    ("scarce", B_DECR),
    ("scarcely", B_DECR),
    ("slight", B_DECR),
    ("slightly", B_DECR),
    ("somewhat", B_DECR),
    ("sorta", B_DECR),
    ("sortof", B_DECR),
];

/// Multi-word dampeners, scored as boosters on the word after them.
pub const BOOSTER_PHRASES: &[(&str, f32)] = &[
    ("kind of", B_DECR),
    ("sort of", B_DECR),
    ("just enough", B_DECR),
];

/// Contrasts after which the rest of the sentence weighs more: "good food but rude staff".
pub const CONTRASTS_AFTER: &[&str] = &["but", "however", "nevertheless", "nonetheless"];

/// Concessions whose own clause weighs less: "although the food was good, the staff were rude".
pub const CONCESSIONS: &[&str] = &["although", "though", "despite", "albeit"];

/// Negative superlatives: negating them does not make a compliment ("not the worst").
pub const NEGATIVE_SUPERLATIVES: &[&str] =
    &["worst", "poorest", "lowest", "hardest", "saddest", "rudest"];

/// VADER's special cases and idioms: phrases with a valence of their own.
pub const IDIOMS: &[(&str, f32)] = &[
    ("the shit", 3.0),
    ("the bomb", 3.0),
    ("bad ass", 1.5),
    ("bus stop", 0.0),
    ("yeah right", -2.0),
    ("kiss of death", -1.5),
    ("to die for", 3.0),
    ("beating heart", 3.5),
    ("cut the mustard", 2.0),
    ("hand to mouth", -2.0),
    ("back handed", -2.0),
    ("blow smoke", -2.0),
    ("blowing smoke", -2.0),
    ("upper hand", 1.0),
    ("break a leg", 2.0),
    ("cooking with gas", 2.0),
    ("in the black", 2.0),
    ("in the red", -2.0),
    ("on the ball", 2.0),
    ("under the weather", -2.0),
];
