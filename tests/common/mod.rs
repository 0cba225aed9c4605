//! What the end-to-end tests share: running the built `verbatim` binary.
#![allow(dead_code)] // each test file uses a part

use std::process::{Command, Output};

pub fn verbatim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(args)
        .output()
        .expect("the verbatim binary runs")
}

/// The output of a run that must succeed; its stderr in the failure message otherwise.
pub fn ok(output: Output) -> Output {
    assert!(
        output.status.success(),
        "verbatim failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}
