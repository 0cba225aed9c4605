//! `verbatim serve` used as a person would, in Debian's headless chromium driven through
//! chromedriver: open the page, search, click a theme, tick a filter, add a quote to the
//! shortlist, export it, and check what the page shows at each step, that a bookmarked URL
//! restores the view, that a bad query is explained, and that markup in a comment stays text.
//! Skips, saying why, when chromium or chromedriver is not installed (`.ci/run` installs them, and
//! sets VERBATIM_REQUIRE_BROWSER so that there it fails instead).
//! Screenshots go to target/tmp/serve-browser/.
mod support;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A child process killed when the test ends, however it ends.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `verbatim serve` on a free port; its first line of output is the URL.
fn serve(index: &Path) -> (Process, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["serve", "--index", index.to_str().unwrap(), "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("verbatim serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().to_string();
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "serve printed {url:?}"
    );
    (Process(child), url)
}

fn chromedriver(port: u16) -> Process {
    let child = Command::new(CHROMEDRIVER)
        .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".into()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Process(child)
}

async fn browser(driver: u16, profile: &Path, downloads: &Path) -> Client {
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                format!("--user-data-dir={}", profile.display()),
                "--window-size=1366,900",
            ],
            "prefs": {
                "download.default_directory": downloads.to_str().unwrap(),
                "download.prompt_for_download": false,
            },
        },
    });
    let Value::Object(capabilities) = capabilities else {
        unreachable!()
    };
    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{driver}"))
        .await
        .expect("a chromium session")
}

/// Waits until the JavaScript expression is true, or fails saying what it waited for.
async fn until(client: &Client, expression: &str, what: &str) {
    let started = Instant::now();
    loop {
        let value = client
            .execute(&format!("return Boolean({expression});"), vec![])
            .await
            .unwrap_or(Value::Bool(false));
        if value == Value::Bool(true) {
            return;
        }
        if started.elapsed() > Duration::from_secs(15) {
            let summary = text(client, "#summary").await;
            panic!("timed out waiting for {what} ({expression}); the summary reads {summary:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn text(client: &Client, css: &str) -> String {
    client
        .execute(
            "const el = document.querySelector(arguments[0]); return el ? el.textContent : null;",
            vec![json!(css)],
        )
        .await
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

async fn count(client: &Client, css: &str) -> usize {
    client
        .execute(
            "return document.querySelectorAll(arguments[0]).length;",
            vec![json!(css)],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap() as usize
}

async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
}

async fn screenshot(client: &Client, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-browser");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, client.screenshot().await.unwrap()).unwrap();
    path
}

async fn search_for(client: &Client, query: &str) {
    let input = client.find(Locator::Css("#q")).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(query).await.unwrap();
    click(client, "#search-form button[type=submit]").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_researcher_searches_filters_shortlists_and_exports() {
    for tool in [CHROMIUM, CHROMEDRIVER] {
        if !Path::new(tool).exists() {
            // .ci/run installs them and sets this: there the test must run, not skip.
            assert!(
                std::env::var_os("VERBATIM_REQUIRE_BROWSER").is_none(),
                "{tool} is not installed, and VERBATIM_REQUIRE_BROWSER says the browser test must run"
            );
            println!(
                "skipping the browser test: {tool} is not installed \
                 (apt-get install -y chromium chromium-driver)"
            );
            return;
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let index = support::fixture_index(dir.path());
    let (_server, url) = serve(&index);
    let driver_port = free_port();
    let _driver = chromedriver(driver_port);
    let (profile, downloads) = (dir.path().join("profile"), dir.path().join("downloads"));
    std::fs::create_dir_all(&downloads).unwrap();
    let client = browser(driver_port, &profile, &downloads).await;
    // On a failure, the session is still closed (and chromium with it) before the test fails.
    let walk = {
        let client = client.clone();
        tokio::spawn(async move { walk_through(&client, &url, &downloads).await })
    };
    let outcome = walk.await;
    let _ = client.close().await;
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

async fn walk_through(client: &Client, url: &str, downloads: &Path) {
    // The page opens on every comment.
    client.goto(url).await.unwrap();
    until(
        client,
        "document.querySelector('#about').textContent.includes('10 comments')",
        "the index description",
    )
    .await;
    until(
        client,
        "document.querySelectorAll('#results .card').length === 10",
        "all ten comments",
    )
    .await;
    assert!(text(client, "#summary").await.contains("10 comments match"));

    // A search: the matching words are marked, the URL says what was searched.
    search_for(client, "funding").await;
    until(
        client,
        "location.search.includes('q=funding')",
        "the query in the URL",
    )
    .await;
    until(
        client,
        "document.querySelector('#summary').textContent.includes('4 comments match')",
        "four funding comments",
    )
    .await;
    let marks: Value = client
        .execute("return [...document.querySelectorAll('#results mark')].map(m => m.textContent.toLowerCase());", vec![])
        .await
        .unwrap();
    assert!(
        marks.as_array().unwrap().iter().any(|m| m == "funded"),
        "{marks}"
    );
    screenshot(client, "1-search").await;

    // Markup in a comment is shown as text, and runs nothing.
    let scripted = text(client, "#results [data-seq='7'] .card-text").await;
    assert!(
        scripted.contains("<script>alert('x')</script>") && scripted.contains("<b>huge</b>"),
        "{scripted}"
    );
    assert_eq!(
        count(client, "#results script, #results .card-text b").await,
        0
    );

    // A theme facet: the count beside it is the number of results it leaves.
    let facet = "#theme-tree [data-theme=exclusion]";
    until(
        client,
        &format!("document.querySelector('{facet}')"),
        "the exclusion facet",
    )
    .await;
    let shown = text(client, &format!("{facet} .n")).await;
    click(client, facet).await;
    until(
        client,
        "location.search.includes('theme=exclusion')",
        "the theme in the URL",
    )
    .await;
    until(
        client,
        &format!("document.querySelector('#summary').textContent.startsWith('{shown} comment')"),
        "the theme's count of results",
    )
    .await;
    assert!(text(client, facet).await.contains("Exclusion"));
    assert_eq!(
        client
            .find(Locator::Css(facet))
            .await
            .unwrap()
            .attr("aria-pressed")
            .await
            .unwrap()
            .as_deref(),
        Some("true")
    );
    assert!(text(client, "#active")
        .await
        .contains("theme: Exclusion / not engaged"));

    // An answer filter.
    let checkbox = "[data-column=role] input[type=checkbox]";
    let label = text(client, "[data-column=role] label").await;
    click(client, checkbox).await;
    until(
        client,
        "location.search.includes('f=role')",
        "the role filter in the URL",
    )
    .await;
    until(
        client,
        "document.querySelector('#active').textContent.includes('role: ')",
        "the role chip",
    )
    .await;
    until(
        client,
        "!document.querySelector('#summary').textContent.includes('Searching')",
        "the filtered results",
    )
    .await;
    let cards = count(client, "#results .card").await;
    assert!(cards >= 1, "no result for role {label}");
    let roles: Value = client
        .execute(
            "return [...document.querySelectorAll('#results .card .who')].map(w => w.textContent);",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        roles
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r.as_str().unwrap().starts_with(label.trim())),
        "{roles} for {label}"
    );
    screenshot(client, "2-filtered").await;

    // A bookmark of this view opens the same view.
    let bookmark = client.current_url().await.unwrap();
    let summary = text(client, "#summary").await;
    client.goto(url).await.unwrap();
    until(
        client,
        "document.querySelectorAll('#results .card').length === 10",
        "the unfiltered page",
    )
    .await;
    client.goto(bookmark.as_str()).await.unwrap();
    until(
        client,
        &format!(
            "document.querySelector('#summary').textContent === {}",
            json!(summary)
        ),
        "the bookmarked view",
    )
    .await;
    assert_eq!(
        client
            .find(Locator::Css("#q"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("funding")
    );

    // The shortlist: add the first quote, see it counted and listed.
    let first = client
        .execute(
            "return document.querySelector('#results .card').dataset.seq;",
            vec![],
        )
        .await
        .unwrap();
    click(client, "#results .card .shortlist-toggle").await;
    until(
        client,
        "document.querySelector('#shortlist-count').textContent === '1'",
        "the shortlist count",
    )
    .await;
    click(client, ".view-tab[data-view=shortlist]").await;
    until(
        client,
        "location.search.includes('view=shortlist')",
        "the shortlist view in the URL",
    )
    .await;
    until(
        client,
        &format!(
            "document.querySelector('#shortlist .card[data-seq=\"{}\"]')",
            first.as_str().unwrap()
        ),
        "the quote on the shortlist",
    )
    .await;

    // Export as Markdown: the page says what it wrote and shows it; the file is downloaded.
    click(client, ".export-buttons [data-format=md]").await;
    until(
        client,
        "document.querySelector('#export-status').textContent.startsWith('Exported 1 quote')",
        "the export",
    )
    .await;
    // The one comment of that view is R08's, with its markup and contact details.
    let preview = text(client, "#export-preview").await;
    let quote = text(client, "#shortlist .card .card-text").await;
    assert!(quote.contains("jane.doe@example.org"), "{quote}");
    assert!(
        preview.contains("The funding gap is &lt;b&gt;huge&lt;/b&gt;") && preview.contains("(R08)"),
        "{preview}"
    );
    assert!(!preview.contains("jane.doe@example.org"), "{preview}");
    assert!(text(client, "#export-status")
        .await
        .contains("2 redactions"));
    screenshot(client, "3-shortlist").await;
    let started = Instant::now();
    while !std::fs::read_dir(downloads)
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().ends_with(".md"))
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no Markdown file was downloaded"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The crosstab of the current view.
    click(client, ".view-tab[data-view=crosstab]").await;
    until(
        client,
        "document.querySelector('#crosstab-summary').textContent.startsWith('Themes by')",
        "the crosstab",
    )
    .await;
    until(client, "document.querySelector('#heatmap').complete && document.querySelector('#heatmap').naturalWidth > 0", "the heatmap").await;
    assert!(count(client, "#crosstab-table tbody tr").await > 1);
    screenshot(client, "4-crosstab").await;

    // A malformed query is explained where it went wrong.
    click(client, ".view-tab[data-view=quotes]").await;
    search_for(client, "role:leeder").await;
    until(
        client,
        "!document.querySelector('#q-error').hidden",
        "the query error",
    )
    .await;
    let error = text(client, "#q-error").await;
    assert!(
        error.contains("position 6") && error.contains("leeder"),
        "{error}"
    );
    screenshot(client, "5-error").await;
}
