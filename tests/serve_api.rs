//! `verbatim serve`'s JSON API on a small fixture survey (tests/fixtures/serve), served on a free
//! loopback port: what each endpoint answers, that it agrees with the library and the CLI, and
//! that bad requests get a 400 that says what is wrong, never a 500.
mod support;

use serde_json::{json, Value};
use support::http::Http;
use verbatim::index::{compile, search, SearchOptions, SortOrder, SurveyIndex};
use verbatim::serve::Limits;

struct Fixture {
    _dir: tempfile::TempDir,
    index: std::path::PathBuf,
    http: Http,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let index = support::fixture_index(dir.path());
    let base = support::start(&index, Limits::default()).await;
    Fixture {
        _dir: dir,
        index,
        http: Http::new(&base),
    }
}

fn ids(answer: &Value) -> Vec<String> {
    answer["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

/// The ids the library finds for `query`, in relevance order.
fn library_ids(index: &std::path::Path, query: &str) -> Vec<String> {
    let index = SurveyIndex::open(index).unwrap();
    let reader = index.reader().unwrap();
    let searcher = reader.searcher();
    let compiled = compile(&index, &searcher, query).unwrap();
    let options = SearchOptions {
        limit: 100,
        offset: 0,
        sort: SortOrder::Relevance,
    };
    search(&index, &searcher, &compiled, &options)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.comment.id)
        .collect()
}

#[tokio::test]
async fn info_describes_the_index() {
    let f = fixture().await;
    let info = f.http.get("/api/info").await.json();
    assert_eq!(info["comments"], 10);
    assert_eq!(
        info["codebook"]["name"],
        "STP councillor and officer surveys"
    );
    assert_eq!(info["closed"][0]["column"], "confidence");
    assert_eq!(info["closed"][0]["levels"][2], "Not very confident");
    assert_eq!(info["attributes"][1]["key"], "authority_type");
    let exclusion = info["themes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "exclusion")
        .unwrap();
    assert_eq!(exclusion["parent"], "engagement");
    assert_eq!(exclusion["depth"], 1);
    assert_eq!(info["limits"]["max_limit"], 200);
}

#[tokio::test]
async fn search_agrees_with_the_library_and_marks_the_matches() {
    let f = fixture().await;
    let answer = f.http.get("/api/search?q=%22top+down%22").await;
    assert_eq!(answer.status, 200);
    let body = answer.json();
    assert_eq!(ids(&body), library_ids(&f.index, "\"top down\""));
    assert_eq!(ids(&body), vec!["R03", "R09"]);
    let hit = &body["hits"][0];
    let marked: Vec<&str> = hit["segments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["marked"] == true)
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(marked, vec!["top down"]);
    // The segments put back together are the comment.
    let whole: String = hit["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(whole, hit["text"].as_str().unwrap());
    assert!(hit["seq"].is_u64());
    assert_eq!(hit["answers"]["confidence"], "Not very confident");
}

#[tokio::test]
async fn filters_of_the_page_narrow_like_the_query_language() {
    let f = fixture().await;
    let page = f
        .http
        .get("/api/search?theme=funding&f=role:Leader&f=role:Officer&f=confidence:Not+very+confident")
        .await
        .json();
    let typed = library_ids(
        &f.index,
        "theme:funding (role:leader OR role:officer) confidence:\"not very confident\"",
    );
    assert_eq!(ids(&page), typed);
    assert!(!typed.is_empty());
    assert_eq!(page["total"], typed.len());
    // A sentiment range, both ends included.
    let ranged = f
        .http
        .get("/api/search?smin=-1&smax=-0.05&limit=200")
        .await
        .json();
    assert_eq!(ids(&ranged), library_ids(&f.index, "sentiment:-1..-0.05"));
    // Everything when nothing is asked, in input order.
    let all = f.http.get("/api/search").await.json();
    assert_eq!(all["total"], 10);
    assert_eq!(ids(&all)[0], "R01");
}

#[tokio::test]
async fn pages_do_not_overlap_and_respect_the_order() {
    let f = fixture().await;
    let first = f.http.get("/api/search?sort=negative&limit=4").await.json();
    let second = f
        .http
        .get("/api/search?sort=negative&limit=4&offset=4")
        .await
        .json();
    let all = f.http.get("/api/search?sort=negative&limit=8").await.json();
    let mut joined = ids(&first);
    joined.extend(ids(&second));
    assert_eq!(joined, ids(&all));
    let sentiments: Vec<f64> = all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["sentiment"]["compound"].as_f64().unwrap())
        .collect();
    assert!(
        sentiments.windows(2).all(|w| w[0] <= w[1]),
        "{sentiments:?}"
    );
}

#[tokio::test]
async fn facets_count_the_current_result_set() {
    let f = fixture().await;
    let facets = f.http.get("/api/facets?theme=engagement").await.json();
    let engagement = library_ids(&f.index, "theme:engagement");
    assert_eq!(facets["total"], engagement.len());
    let count = |id: &str| {
        facets["themes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
            .unwrap()["count"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(count("engagement"), engagement.len() as u64);
    assert_eq!(
        count("exclusion"),
        library_ids(&f.index, "theme:exclusion").len() as u64
    );
    // Levels in questionnaire order, each with its count among the hits.
    let confidence = &facets["closed"][0];
    let levels: Vec<&str> = confidence["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_str().unwrap())
        .collect();
    assert_eq!(levels[0], "Very confident");
    let total: u64 = confidence["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["count"].as_u64().unwrap())
        .sum::<u64>()
        + confidence["missing"].as_u64().unwrap();
    assert_eq!(total, engagement.len() as u64);
    let roles = &facets["attributes"][0];
    assert_eq!(roles["column"], "role");
    let bins: u64 = facets["sentiment"]["bins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert_eq!(bins, engagement.len() as u64);
}

#[tokio::test]
async fn crosstab_is_the_library_table_and_its_heatmap() {
    let f = fixture().await;
    let answer = f
        .http
        .get("/api/crosstab?cols=confidence&theme=governance")
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let table = answer.json();
    let index = SurveyIndex::open(&f.index).unwrap();
    let expected = verbatim::crosstab::crosstab(
        &index,
        &verbatim::crosstab::CrosstabOptions {
            cols: "confidence".into(),
            unit: verbatim::crosstab::Unit::Comment,
            weight: None,
            measure: verbatim::crosstab::Measure::Count,
            filter: Some("theme:\"governance\"".into()),
        },
    )
    .unwrap();
    assert_eq!(table, serde_json::to_value(&expected).unwrap());
    let svg = f
        .http
        .get("/api/crosstab.svg?cols=confidence&theme=governance")
        .await;
    assert_eq!(svg.status, 200);
    assert!(svg.header("content-type").starts_with("image/svg+xml"));
    assert!(svg.text().starts_with("<svg"));
    let bad = f.http.get("/api/crosstab?cols=shoe_size").await;
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"].as_str().unwrap().contains("confidence"));
}

#[tokio::test]
async fn a_malformed_query_is_a_400_with_the_parsers_position() {
    let f = fixture().await;
    let answer = f.http.get("/api/search?q=jargon+%22top+down").await;
    assert_eq!(answer.status, 400);
    let body = answer.json();
    assert_eq!(body["in"], "q");
    assert_eq!(body["position"], 8);
    assert!(body["error"].as_str().unwrap().contains("never closed"));
    // An unbalanced parenthesis is the user's, even though the server wraps the query in its own.
    let body = f.http.get("/api/search?q=a)+OR+(b").await.json();
    assert_eq!(body["in"], "q");
    assert_eq!(body["position"], 2);
    // A field that does not resolve points into the user's text.
    let answer = f.http.get("/api/facets?q=funding+role:leeder").await;
    assert_eq!(answer.status, 400);
    let body = answer.json();
    assert_eq!(body["in"], "q");
    assert_eq!(body["position"], 14);
    assert_eq!(body["length"], 6);
    // A filter the page added that does not resolve is named as such.
    let body = f
        .http
        .get("/api/search?q=funding&f=role:Mayor")
        .await
        .json();
    assert_eq!(body["in"], "filter");
    assert_eq!(body["part"], "role:\"Mayor\"");
    let body = f.http.get("/api/search?theme=nonsense").await.json();
    assert_eq!(body["in"], "filter");
}

#[tokio::test]
async fn limits_and_unknown_parameters_are_refused_clearly() {
    let f = fixture().await;
    for (path, says) in [
        ("/api/search?limit=201", "at most 200"),
        ("/api/search?offset=10001", "at most 10000"),
        ("/api/search?limit=ten", "whole number"),
        ("/api/search?sort=random", "relevance"),
        ("/api/search?page=2", "unknown parameter"),
        ("/api/facets?smin=0.5&smax=-0.5", "above"),
        ("/api/facets?f=role", "column:value"),
    ] {
        let answer = f.http.get(path).await;
        assert_eq!(answer.status, 400, "{path}");
        let message = answer.json()["error"].as_str().unwrap().to_string();
        assert!(message.contains(says), "{path}: {message}");
    }
    let long = format!("/api/search?q={}", "a".repeat(2_001));
    assert_eq!(f.http.get(&long).await.status, 400);
    let answer = f.http.get("/api/nothing").await;
    assert_eq!(answer.status, 404);
    assert!(answer.json()["error"]
        .as_str()
        .unwrap()
        .contains("/api/search"));
}

#[tokio::test]
async fn the_page_is_served_with_a_strict_policy_and_other_hosts_are_refused() {
    let f = fixture().await;
    let page = f.http.get("/").await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").starts_with("text/html"));
    assert!(page
        .header("content-security-policy")
        .contains("script-src 'self'"));
    assert_eq!(page.header("x-content-type-options"), "nosniff");
    assert!(page.text().contains("<script src=\"/app.js\""));
    let script = f.http.get("/app.js").await;
    assert!(script.header("content-type").starts_with("text/javascript"));
    // Respondent text goes into the page as text nodes only.
    assert!(!script.text().contains("innerHTML"));
    assert!(!script.text().contains("insertAdjacentHTML"));
    assert_eq!(f.http.get("/app.css").await.status, 200);
    // A page elsewhere that rebinds its own name to 127.0.0.1 reaches nothing.
    let rebound = f
        .http
        .send(
            axum::http::Method::GET,
            "/api/search?q=funding",
            &[("host", "evil.example:80")],
            Vec::new(),
        )
        .await
        .unwrap();
    assert_eq!(rebound.status, 421);
}

#[tokio::test]
async fn markup_in_comments_comes_back_as_plain_json_text() {
    let f = fixture().await;
    let body = f.http.get("/api/search?q=alert").await.json();
    assert_eq!(ids(&body), vec!["R08"]);
    let text = body["hits"][0]["text"].as_str().unwrap();
    assert!(text.starts_with("<script>alert('x')</script>"));
    let answer = f.http.get("/api/search?q=alert").await;
    assert!(answer
        .header("content-type")
        .starts_with("application/json"));
    let _ = json!(null);
}

/// The sequence number of respondent `id`'s comment, as the search API gives it.
async fn seq_of(http: &Http, id: &str) -> u64 {
    let body = http.get(&format!("/api/search?q=id:{id}")).await.json();
    body["hits"][0]["seq"].as_u64().unwrap()
}

#[tokio::test]
async fn quotes_rank_a_theme_within_the_view_as_the_cli_does() {
    let f = fixture().await;
    let answer = f.http.get("/api/quotes?of=funding&top=3").await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    let mut body = answer.json();
    let summary = body["summary"].take();
    body.as_object_mut().unwrap().remove("summary");
    let index = SurveyIndex::open(&f.index).unwrap();
    let reader = index.reader().unwrap();
    let options = verbatim::quotes::QuoteOptions {
        theme: "funding".into(),
        top: 3,
        ..Default::default()
    };
    let expected = verbatim::quotes::shortlist(&index, &reader.searcher(), &options).unwrap();
    // Both through JSON text, so that floats are read back alike.
    let expected_json: Value =
        serde_json::from_str(&serde_json::to_string(&expected).unwrap()).unwrap();
    assert_eq!(body, expected_json);
    assert!(!expected.quotes.is_empty());
    assert_eq!(summary, verbatim::quotes::export::summary(&expected));
    // Redacted by default: the planted e-mail address never comes back.
    assert!(!body.to_string().contains("jane.doe@example.org"));
    // Within the view's filters only.
    let leaders = f
        .http
        .get("/api/quotes?of=funding&f=role:Leader")
        .await
        .json();
    for quote in leaders["quotes"].as_array().unwrap() {
        assert!(
            quote["attribution"].as_str().unwrap().starts_with("Leader"),
            "{quote}"
        );
    }
    assert_eq!(f.http.get("/api/quotes").await.status, 400);
    assert_eq!(f.http.get("/api/quotes?of=weather").await.status, 400);
    let bad = f
        .http
        .get("/api/quotes?of=funding&q=role:leeder")
        .await
        .json();
    assert_eq!(bad["in"], "q");
}

#[tokio::test]
async fn a_shortlist_exports_redacted_and_escaped_in_every_format() {
    let f = fixture().await;
    let (r08, r09) = (seq_of(&f.http, "R08").await, seq_of(&f.http, "R09").await);
    let request = |format: &str| json!({"format": format, "quotes": [{"seq": r08}, {"seq": r09, "theme": "funding"}]});
    let md = f.http.post_json("/api/export", &request("md")).await;
    assert_eq!(md.status, 200, "{}", md.text());
    assert!(md.header("content-type").starts_with("text/markdown"));
    assert_eq!(
        md.header("content-disposition"),
        "attachment; filename=\"shortlist.md\""
    );
    let text = md.text();
    assert!(text.contains("## Shortlist"), "{text}");
    assert!(text.contains("2 quotes chosen by hand"), "{text}");
    assert!(
        !text.contains("jane.doe@example.org") && !text.contains("020 7946 0958"),
        "{text}"
    );
    // Markdown shows the brackets of [redacted] as written.
    assert!(text.contains("\\[redacted\\]"), "{text}");
    assert!(
        text.contains("&lt;script&gt;") && !text.contains("<script>"),
        "{text}"
    );
    assert!(!text.contains("Dr Patel"), "{text}");
    let redactions: usize = md.header("x-verbatim-redactions").parse().unwrap();
    assert!(redactions >= 3, "{redactions}");
    // The CSV neutralises the formula.
    let csv = f.http.post_json("/api/export", &request("csv")).await;
    assert!(csv.header("content-type").starts_with("text/csv"));
    let mut reader = csv::Reader::from_reader(csv.body.as_ref());
    let quotes: Vec<String> = reader
        .records()
        .map(|r| r.unwrap().get(2).unwrap().to_string())
        .collect();
    assert_eq!(quotes.len(), 2);
    assert!(quotes[1].starts_with("'=HYPERLINK"), "{quotes:?}");
    // XLSX is a workbook (a zip file).
    let xlsx = f.http.post_json("/api/export", &request("xlsx")).await;
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.body.starts_with(b"PK"));
    // Not redacted when asked.
    let plain = f
        .http
        .post_json(
            "/api/export",
            &json!({"format": "md", "redact": false, "quotes": [{"seq": r08}]}),
        )
        .await
        .text();
    assert!(plain.contains("jane.doe@example.org"), "{plain}");
}

#[tokio::test]
async fn bad_exports_are_refused_clearly() {
    let f = fixture().await;
    let cases = [
        (json!({"format": "md", "quotes": []}), 400, "empty"),
        (
            json!({"format": "pdf", "quotes": [{"seq": 0}]}),
            400,
            "md, csv",
        ),
        (
            json!({"format": "md", "quotes": [{"seq": 999}]}),
            400,
            "no comment numbered 999",
        ),
        (
            json!({"format": "md", "quotes": [{"seq": 0, "theme": "weather"}]}),
            400,
            "weather",
        ),
        (json!({"format": "md", "seqs": [1]}), 422, "seqs"),
        (
            json!({"format": "md", "quotes": (0..501).map(|s| json!({"seq": s})).collect::<Vec<_>>()}),
            400,
            "at most 500",
        ),
    ];
    for (body, status, says) in cases {
        let answer = f.http.post_json("/api/export", &body).await;
        assert_eq!(answer.status, status, "{body}: {}", answer.text());
        let message = answer.json()["error"].as_str().unwrap().to_string();
        assert!(message.contains(says), "{body}: {message}");
    }
    let huge = json!({"format": "md", "quotes": [{"seq": 0, "theme": "x".repeat(70_000)}]});
    assert_eq!(f.http.post_json("/api/export", &huge).await.status, 413);
    let not_json = f
        .http
        .send(
            axum::http::Method::POST,
            "/api/export",
            &[("content-type", "text/plain")],
            b"{}".to_vec(),
        )
        .await
        .unwrap();
    assert_eq!(not_json.status, 415);
    assert_eq!(f.http.get("/api/export").await.status, 405);
}
