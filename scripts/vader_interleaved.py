#!/usr/bin/env python3
"""Single-thread scoring throughput of verbatim against vaderSentiment 3.3.2, in short slices
that alternate between the two, so that both sample the same stretches of a noisy machine.

    vader_interleaved.py COMMENTS.csv --binary target/release/examples/sentiment_throughput
                         [--rounds 40] [--slice 0.5] [--seed 1] [--json OUT.json]

Each round gives VADER's `polarity_scores` a slice of SLICE seconds and verbatim's analysis and
scoring (examples/sentiment_throughput --serve, one process for the whole run) a slice as long,
in alternating order (VADER first in odd rounds). Each side goes round the comments in the same
shuffled order (seeded), continuing where its last slice stopped, so that no slice is all long
or all short comments. Reading the CSV and starting either side is not timed; each side scores
the comments once before the first slice.

Prints each side's throughput over all its slices (comments/s, and MB/s of UTF-8 text), the ratio of the two (the figure), the
median and quartiles of the per-round ratios, how many rounds fell under 100x, and a bootstrap
95% interval of the ratio (rounds resampled). Needs vaderSentiment==3.3.2:
scripts/validate-sentiment.sh makes a throwaway venv with it and runs this script.
"""
import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

# VADER's clock is read every so many comments: a comment takes ~50 microseconds, a clock
# read well under one.
BETWEEN_CLOCK_READS = 16


def read_texts(path, column):
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        if column not in (reader.fieldnames or []):
            sys.exit(f"{path}: no column {column!r} (columns: {reader.fieldnames})")
        return [row[column] for row in reader]


def vader_slice(analyzer, texts, start, seconds):
    """Scores texts round from `start` for `seconds`; (scored, elapsed, next start)."""
    n = len(texts)
    scored = 0
    at = start
    began = time.perf_counter()
    while True:
        for _ in range(BETWEEN_CLOCK_READS):
            analyzer.polarity_scores(texts[at])
            at = (at + 1) % n
        scored += BETWEEN_CLOCK_READS
        elapsed = time.perf_counter() - began
        if elapsed >= seconds:
            return scored, elapsed, at


class Ours:
    def __init__(self, binary, data, expected):
        self.process = subprocess.Popen(
            [binary, data, "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()
        if not line.startswith("ready"):
            self.fail("did not start")
        if line.split()[1:] != [str(expected)]:
            self.fail(f"read {line.split()[1:]} comments where the file has {expected}")

    def fail(self, what):
        self.process.kill()
        err = self.process.stderr.read().strip()
        sys.exit(f"{self.process.args[0]} --serve {what}: {err or 'no message'}")

    def slice(self, seconds):
        self.process.stdin.write(f"{seconds}\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            self.fail("stopped")
        scored, elapsed, _checksum = line.split()
        return int(scored), float(elapsed)

    def close(self):
        self.process.stdin.close()
        self.process.wait()


class Bytes:
    """UTF-8 bytes of `count` comments taken round the list from `start`."""

    def __init__(self, texts):
        self.prefix = [0]
        for text in texts:
            self.prefix.append(self.prefix[-1] + len(text.encode("utf-8")))

    def of(self, start, count):
        n = len(self.prefix) - 1
        whole, rest = divmod(count, n)
        total = whole * self.prefix[n]
        end = start + rest
        if end <= n:
            return total + self.prefix[end] - self.prefix[start]
        return total + self.prefix[n] - self.prefix[start] + self.prefix[end - n]


def bootstrap_ratio(rounds, seed, repeats=2000):
    """The 2.5% and 97.5% points of the pooled ratio over rounds resampled with replacement."""
    rng = random.Random(seed)
    ratios = []
    for _ in range(repeats):
        sample = [rng.choice(rounds) for _ in rounds]
        ours = sum(r["ours_n"] for r in sample) / sum(r["ours_s"] for r in sample)
        theirs = sum(r["vader_n"] for r in sample) / sum(r["vader_s"] for r in sample)
        ratios.append(ours / theirs)
    ratios.sort()
    return ratios[int(0.025 * repeats)], ratios[int(0.975 * repeats) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data")
    parser.add_argument("--binary", required=True)
    parser.add_argument("--column", default="text")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--slice", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json")
    args = parser.parse_args()
    if args.rounds < 2 or args.slice <= 0:
        sys.exit("--rounds takes 2 or more and --slice a positive number of seconds")

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    texts = read_texts(args.data, args.column)
    if not texts:
        sys.exit(f"{args.data}: no comments")
    random.Random(args.seed).shuffle(texts)
    with tempfile.TemporaryDirectory() as tmp:
        shuffled = os.path.join(tmp, "shuffled.csv")
        with open(shuffled, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["text"])
            writer.writerows([t] for t in texts)
        analyzer = SentimentIntensityAnalyzer()
        for text in texts:
            analyzer.polarity_scores(text)
        ours = Ours(args.binary, shuffled, len(texts))
        rounds, at, ours_at = [], 0, 0
        bytes_of = Bytes(texts)
        vader_bytes = ours_bytes = 0
        for number in range(1, args.rounds + 1):
            vader_from = at
            if number % 2:
                vader_n, vader_s, at = vader_slice(analyzer, texts, at, args.slice)
                ours_n, ours_s = ours.slice(args.slice)
            else:
                ours_n, ours_s = ours.slice(args.slice)
                vader_n, vader_s, at = vader_slice(analyzer, texts, at, args.slice)
            vader_bytes += bytes_of.of(vader_from, vader_n)
            ours_bytes += bytes_of.of(ours_at, ours_n)
            ours_at = (ours_at + ours_n) % len(texts)
            rounds.append({"vader_n": vader_n, "vader_s": vader_s, "ours_n": ours_n, "ours_s": ours_s})
        ours.close()

    vader_seconds = sum(r["vader_s"] for r in rounds)
    ours_seconds = sum(r["ours_s"] for r in rounds)
    vader_rate = sum(r["vader_n"] for r in rounds) / vader_seconds
    ours_rate = sum(r["ours_n"] for r in rounds) / ours_seconds
    vader_mbs, ours_mbs = vader_bytes / 1e6 / vader_seconds, ours_bytes / 1e6 / ours_seconds
    per_round = sorted((r["ours_n"] / r["ours_s"]) / (r["vader_n"] / r["vader_s"]) for r in rounds)
    quartiles = statistics.quantiles(per_round, n=4)
    low, high = bootstrap_ratio(rounds, args.seed)
    under = sum(1 for r in per_round if r < 100)
    print(f"  {len(texts)} comments, shuffled (seed {args.seed}); {args.rounds} rounds of {args.slice} s a side, alternating")
    print(f"  vaderSentiment 3.3.2: {vader_rate:.0f} comments/s, {vader_mbs:.3f} MB/s over {sum(r['vader_n'] for r in rounds)} comments")
    print(f"  verbatim:             {ours_rate:.0f} comments/s, {ours_mbs:.2f} MB/s over {sum(r['ours_n'] for r in rounds)} comments")
    print(f"  per-round ratios: median {statistics.median(per_round):.1f}x, quartiles "
          f"{quartiles[0]:.1f}-{quartiles[2]:.1f}x, range {per_round[0]:.1f}-{per_round[-1]:.1f}x, "
          f"{under} of {len(per_round)} under 100x")
    print(f"interleaved throughput ratio verbatim / VADER, 1 thread: {ours_rate / vader_rate:.1f}x "
          f"(bootstrap 95% interval {low:.1f}-{high:.1f}x)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({
                "comments": len(texts), "rounds": args.rounds, "slice_seconds": args.slice,
                "seed": args.seed, "vader_comments_per_second": vader_rate,
                "verbatim_comments_per_second": ours_rate, "ratio": ours_rate / vader_rate,
                "vader_megabytes_per_second": vader_mbs, "verbatim_megabytes_per_second": ours_mbs,
                "ratio_interval_95": [low, high], "per_round": rounds,
            }, f, indent=1)


if __name__ == "__main__":
    main()
