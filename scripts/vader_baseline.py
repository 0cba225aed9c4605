#!/usr/bin/env python3
"""VADER 3.3.2 baseline for verbatim's sentiment scorer.

Scores every `text` of a labelled comments CSV (default: the NHS feedback development data,
../shared/data/nhs-feedback/comments.csv beside the repository) with vaderSentiment's compound
score and reports:

  * Spearman's rho of the compound score with the human `criticality` rating (-5..+5), with n;
  * single-threaded throughput, comments/s and MB/s of `text` (UTF-8 bytes), the median of
    three timed passes over all comments (scoring only: reading the CSV is not timed);

and writes target/vader_scores.csv (row_index,compound) and target/vader_summary.json.

With --verbatim FILE it instead compares a `verbatim sentiment` output file (its `sentiment`
column, joined on row_index) with the same ratings, and prints it beside the VADER summary.

Needs vaderSentiment==3.3.2 and scipy: scripts/validate-sentiment.sh makes a throwaway venv
with both and runs this script.
"""
import argparse
import csv
import json
import math
import os
import statistics
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA = os.path.join(REPO, "..", "shared", "data", "nhs-feedback", "comments.csv")


def read_rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    for column in ("row_index", "text", "criticality"):
        if rows and column not in rows[0]:
            sys.exit(f"{path}: no column {column!r}")
    return rows


def spearman(xs, ys):
    from scipy.stats import spearmanr

    result = spearmanr(xs, ys)
    rho = float(result[0])
    p = float(result[1])
    return rho, p


def vader(args):
    import vaderSentiment
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    rows = read_rows(args.data)
    texts = [r["text"] for r in rows]
    criticality = [float(r["criticality"]) for r in rows]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6

    analyzer = SentimentIntensityAnalyzer()
    times = []
    scores = None
    for _ in range(args.passes):
        start = time.perf_counter()
        compound = [analyzer.polarity_scores(t)["compound"] for t in texts]
        times.append(time.perf_counter() - start)
        if scores is None:
            scores = compound
    seconds = statistics.median(times)
    rho, p = spearman(scores, criticality)

    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["row_index", "compound"])
        for r, c in zip(rows, scores):
            w.writerow([r["row_index"], f"{c:.4f}"])

    summary = {
        "scorer": "vaderSentiment " + getattr(vaderSentiment, "__version__", "3.3.2"),
        "data": os.path.abspath(args.data),
        "n": len(rows),
        "spearman_rho": rho,
        "p_value": p,
        "megabytes": megabytes,
        "pass_seconds": times,
        "median_seconds": seconds,
        "comments_per_second": len(rows) / seconds,
        "megabytes_per_second": megabytes / seconds,
    }
    with open(args.summary, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")

    print(f"VADER 3.3.2 on {args.data}")
    print(f"  Spearman rho with criticality: {rho:.4f} (p = {p:.2g}, n = {len(rows)})")
    print(
        f"  throughput, 1 thread, median of {args.passes} passes: "
        f"{summary['comments_per_second']:,.0f} comments/s, "
        f"{summary['megabytes_per_second']:.3f} MB/s "
        f"({seconds:.3f} s for {megabytes:.3f} MB; passes "
        + ", ".join(f"{t:.3f}" for t in times)
        + " s)"
    )
    print(f"  wrote {os.path.relpath(args.out)} and {os.path.relpath(args.summary)}")


def compare(args):
    rows = read_rows(args.data)
    criticality = {r["row_index"]: float(r["criticality"]) for r in rows}
    with open(args.verbatim, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = next(reader)
        if "sentiment" not in header or "row_index" not in header:
            sys.exit(f"{args.verbatim}: needs row_index and sentiment columns, has {header}")
        id_col = header.index("row_index")
        score_col = header.index("sentiment")
        pairs = []
        for record in reader:
            key = record[id_col]
            if key in criticality and record[score_col] != "":
                pairs.append((float(record[score_col]), criticality[key]))
    if not pairs:
        sys.exit(f"{args.verbatim}: no row_index matched {args.data}")
    rho, p = spearman([s for s, _ in pairs], [c for _, c in pairs])

    with open(args.summary, encoding="utf-8") as f:
        base = json.load(f)
    seconds = statistics.median(args.verbatim_seconds) if args.verbatim_seconds else None
    megabytes = base["megabytes"]

    def rate(n, s):
        return (f"{n / s:,.0f}", f"{megabytes / s:.3f}") if s else ("-", "-")

    v_cps, v_mbs = rate(len(rows), seconds)
    print()
    print(f"{'':34}{'VADER 3.3.2':>16}{'verbatim':>16}")
    print(f"{'Spearman rho with criticality':34}{base['spearman_rho']:>16.4f}{rho:>16.4f}")
    print(f"{'n':34}{base['n']:>16}{len(pairs):>16}")
    print(f"{'comments/s (1 thread)':34}{base['comments_per_second']:>16,.0f}{v_cps:>16}")
    print(f"{'MB/s of text (1 thread)':34}{base['megabytes_per_second']:>16.3f}{v_mbs:>16}")
    if seconds:
        print(
            f"throughput ratio verbatim / VADER: {base['median_seconds'] / seconds:.1f}x "
            "(verbatim's time is the whole command: start-up, CSV reading and writing; "
            "VADER's is scoring alone)"
        )
    if len(pairs) != base["n"]:
        print(f"note: verbatim scored {len(pairs)} of {base['n']} comments")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", default=DEFAULT_DATA, help="comments CSV (row_index, text, criticality)")
    parser.add_argument("--out", default=os.path.join(REPO, "target", "vader_scores.csv"))
    parser.add_argument("--summary", default=os.path.join(REPO, "target", "vader_summary.json"))
    parser.add_argument("--passes", type=int, default=3, help="timed passes (the median is reported)")
    parser.add_argument("--verbatim", metavar="FILE", help="compare this `verbatim sentiment` output instead")
    parser.add_argument(
        "--verbatim-seconds", type=float, nargs="*", default=[], metavar="S",
        help="wall times of the verbatim runs, for its throughput",
    )
    args = parser.parse_args()
    if not os.path.isfile(args.data):
        sys.exit(f"no data file at {args.data}")
    if args.verbatim:
        compare(args)
    else:
        vader(args)


if __name__ == "__main__":
    main()
