//! A hit as JSON, the shape `verbatim search --format json` prints and `verbatim serve`'s API
//! returns: the comment, its coding and sentiment, who wrote it, and what to highlight.
use std::ops::Range;

use serde_json::{json, Map, Value};

use super::highlight::snippet;
use super::search::Hit;

/// Column/value pairs as a JSON object, in their order.
pub fn pairs_object(items: &[(String, String)]) -> Value {
    Value::Object(
        items
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect::<Map<_, _>>(),
    )
}

/// `hit` ranked `rank` (from 1), with the byte `spans` of its text to highlight and a snippet
/// of at most about `snippet_chars` characters.
pub fn hit_json(hit: &Hit, spans: &[Range<usize>], rank: usize, snippet_chars: usize) -> Value {
    let c = &hit.comment;
    let s = snippet(&c.text, spans, snippet_chars);
    json!({
        "rank": rank,
        "seq": hit.seq,
        "id": c.id,
        "question": c.question,
        "file": c.file,
        "line": c.line,
        "score": hit.score,
        "text": c.text,
        "highlights": spans.iter().map(|r| [r.start, r.end]).collect::<Vec<_>>(),
        "snippet": s.text,
        "snippet_highlights": s.highlights.iter().map(|r| [r.start, r.end]).collect::<Vec<_>>(),
        "themes": c.themes,
        "evidence": c.evidence,
        "sentiment": c.sentiment,
        "theme_sentiment": c.theme_sentiment.iter().map(|(t, v)| (t.clone(), json!(v))).collect::<Map<_, _>>(),
        "answers": pairs_object(&c.answers),
        "attributes": pairs_object(&c.attributes),
    })
}
