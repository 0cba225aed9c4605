#!/usr/bin/env python3
"""Paired in-process sentiment timing of two builds of examples/sentiment_throughput: runs A and
B alternately N times on one CSV file and prints the medians of the analysis-alone and of the
analysis-plus-scoring pass times each reports, with the median of the per-pair ratios B/A
(adjacent runs share the machine's state, so drift cancels).

    paired-sentiment.py N A_BINARY B_BINARY [COMMENTS.csv]

Build each binary with `cargo build --release --example sentiment_throughput` at its commit and
copy target/release/examples/sentiment_throughput aside. The default file is nhs10.csv
(scripts/repeat-rows.py ../shared/data/nhs-feedback/comments.csv 10 nhs10.csv)."""
import re, statistics, subprocess, sys

n, a, b = int(sys.argv[1]), sys.argv[2], sys.argv[3]
data = sys.argv[4] if len(sys.argv) > 4 else "nhs10.csv"


def run(binary):
    out = subprocess.run([binary, data], capture_output=True, text=True, check=True).stdout
    analysis = float(re.search(r"analysis alone.*?: ([0-9.]+) s", out).group(1))
    whole = float(re.search(r"comments, [0-9.]+ MB, ([0-9.]+) s", out).group(1))
    checksum = re.search(r"checksum ([-0-9.]+)", out).group(1)
    return analysis, whole, checksum


times_a, times_b = [], []
for i in range(n):
    if i % 2:
        y = run(b); x = run(a)
    else:
        x = run(a); y = run(b)
    times_a.append(x); times_b.append(y)
if {t[2] for t in times_a} != {t[2] for t in times_b}:
    print(f"the builds score differently: checksums {times_a[0][2]} and {times_b[0][2]}")
for k, name in [(0, "analysis alone"), (1, "analysis + scoring")]:
    ratios = [y[k] / x[k] for x, y in zip(times_a, times_b)]
    quartiles = statistics.quantiles(ratios, n=4)
    print(f"{name}: A median {statistics.median(t[k] for t in times_a) * 1000:.1f} ms, "
          f"B median {statistics.median(t[k] for t in times_b) * 1000:.1f} ms, B/A per pair: "
          f"median {statistics.median(ratios):.3f} (quartiles {quartiles[0]:.3f}-{quartiles[2]:.3f}), {n} pairs")
