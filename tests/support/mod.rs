//! What the serve tests share: an index of the fixture survey, a server on a free loopback
//! port, and an HTTP client.
#![allow(dead_code)]
pub mod http;
pub mod load;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use verbatim::serve::{router, AppState, Limits};

pub const FIXTURES: &str = "tests/fixtures/serve";

/// An index of tests/fixtures/serve/comments.csv in `dir`, built by the `verbatim` binary.
pub fn fixture_index(dir: &Path) -> PathBuf {
    let index = dir.join("serve.idx");
    let output = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args([
            "index",
            &format!("{FIXTURES}/comments.csv"),
            "--schema",
            &format!("{FIXTURES}/survey.toml"),
            "--codebook",
            "lexicons/stp.toml",
            "--index",
            index.to_str().unwrap(),
        ])
        .output()
        .expect("the verbatim binary runs");
    assert!(
        output.status.success(),
        "verbatim index failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    index
}

/// Serves `index` on a free loopback port, as `verbatim serve` does, until the runtime ends.
/// Returns the base URL.
pub async fn start(index: &Path, limits: Limits) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free loopback port");
    let port = listener.local_addr().unwrap().port();
    let state = AppState::open(index, limits)
        .expect("the index opens")
        .loopback_only(port);
    let app = router(Arc::new(state));
    tokio::spawn(async move {
        axum::serve(listener, app).await.expect("the server runs");
    });
    format!("http://127.0.0.1:{port}")
}
