#!/usr/bin/env bash
# Validate sentiment against human ratings: Spearman's rho of the score with `criticality` in the
# NHS feedback development data, and single-threaded throughput, for VADER 3.3.2 (the baseline,
# in a throwaway venv) and, when target/release/verbatim exists, for `verbatim sentiment`.
#
#   scripts/validate-sentiment.sh [comments.csv]
#
# Default data: ../shared/data/nhs-feedback/comments.csv beside the repository. Writes
# target/vader_scores.csv, target/vader_summary.json, target/verbatim_sentiment.csv and
# target/vader_interleaved.json. The last line is the throughput ratio: INTERLEAVED_ROUNDS
# (default 40) rounds of SLICE (default 0.5) seconds a side; ROUNDS=N also runs the earlier
# back-to-back method for N rounds.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${1:-$repo/../shared/data/nhs-feedback/comments.csv}
python=${PYTHON:-python3}

if [ ! -f "$data" ]; then
    echo "skip: no data at $data (the development data lives in ../shared/data beside the repository)"
    exit 0
fi
data=$(cd "$(dirname "$data")" && pwd)/$(basename "$data")
cd "$repo"
mkdir -p target

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== VADER 3.3.2 baseline (throwaway venv in $tmp)"
"$python" -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check vaderSentiment==3.3.2 scipy
"$tmp/venv/bin/python" scripts/vader_baseline.py "$data"

bin=target/release/verbatim
if [ ! -x "$bin" ]; then
    echo
    echo "skip verbatim: $bin is not built (cargo build --release)"
    exit 0
fi

echo
echo "== verbatim sentiment (1 thread, 3 timed runs)"
out=target/verbatim_sentiment.csv
times=()
for run in 1 2 3; do
    start=$(date +%s.%N)
    if ! "$bin" sentiment "$data" --text text --id row_index --threads 1 -q -o "$out" 2>"$tmp/verbatim.err"; then
        echo "skip verbatim: \`$bin sentiment\` failed (the command may not exist in this build):"
        sed 's/^/  /' "$tmp/verbatim.err" | head -n 5
        exit 0
    fi
    end=$(date +%s.%N)
    times+=("$("$python" -c "print(f'{$end - $start:.3f}')")")
done
echo "  runs: ${times[*]} s; wrote $out"

"$tmp/venv/bin/python" scripts/vader_baseline.py "$data" --verbatim "$out" --verbatim-seconds "${times[@]}"

echo
echo "== scoring alone, in process (the like-for-like comparison with VADER's polarity_scores)"
if ! cargo build --release --quiet --example sentiment_throughput 2>/dev/null; then
    echo "skip: cannot build the sentiment_throughput example"
    exit 0
fi
example=target/release/examples/sentiment_throughput
# The earlier rounds' method, run only when ROUNDS is set (BENCHMARKS.md quotes it up to the
# tenth round): a whole VADER pass and then ours, back to back, in fresh processes.
if [ -n "${ROUNDS:-}" ]; then
    # The comments ten times over: a pass of ours over the 10,266 comments alone takes
    # milliseconds, too short to time on a busy machine. The same file for both, back to back.
    repeated="$tmp/comments_x10.csv"
    "$python" scripts/repeat-rows.py "$data" 10 "$repeated"
    # Rounds of one VADER pass and then ours, back to back: the machine's noise drifts over
    # seconds, so each round's ratio compares the two under the same conditions, and the median
    # over rounds is the figure (the first round's lines are printed in full). Ours is timed two
    # ways: the median of five short passes (the figure of the earlier rounds of work), and
    # sustained for as many seconds as VADER's pass took, right after it, so that both sample as
    # long a stretch of the machine's drift. Both are printed (BENCHMARKS.md, tenth round, on how
    # they differ).
    rounds=$ROUNDS
    ratios=()
    sustained_ratios=()
    for round in $(seq 1 "$rounds"); do
        "$tmp/venv/bin/python" scripts/vader_baseline.py "$repeated" --passes 1 \
            --out "$tmp/vader_x10.csv" --summary "$tmp/vader_x10.json" >"$tmp/vader_round.txt"
        theirs=$("$python" -c "import json; print(round(json.load(open('$tmp/vader_x10.json'))['comments_per_second']))")
        vader_seconds=$("$python" -c "import json; print(json.load(open('$tmp/vader_x10.json'))['pass_seconds'][0])")
        # Printed from a variable: `tee /dev/stderr` reopens stderr and truncates it when it is a file.
        report=$("$example" "$repeated" --seconds "$vader_seconds")
        ours=$(printf '%s\n' "$report" | grep "median of 5 passes" | sed -E 's/.*: ([0-9]+) comments\/s.*/\1/' || true)
        sustained=$(printf '%s\n' "$report" | grep "sustained" | sed -E 's/.*: ([0-9]+) comments\/s.*/\1/' || true)
        if [ -z "$ours" ] || [ -z "$sustained" ]; then
            echo "skip: the example's report has no throughput lines (an old build?):"
            printf '%s\n' "$report" | head -n 5 | sed 's/^/  /'
            exit 0
        fi
        if [ "$round" = 1 ]; then
            grep "throughput" "$tmp/vader_round.txt"
            printf '%s\n' "$report"
        fi
        ratio=$("$python" -c "print(f'{$ours / $theirs:.1f}')")
        sustained_ratio=$("$python" -c "print(f'{$sustained / $theirs:.1f}')")
        echo "  round $round: VADER $theirs comments/s; verbatim $ours (${ratio}x), sustained $sustained (${sustained_ratio}x)"
        ratios+=("$ratio")
        sustained_ratios+=("$sustained_ratio")
    done
    summary='
import statistics, sys
label, r = sys.argv[1], sorted(float(x) for x in sys.argv[2:])
q = statistics.quantiles(r, n=4) if len(r) > 1 else [r[0]] * 3
print(f"{label}: {statistics.median(r):.1f}x "
      f"(median of {len(r)} paired rounds; quartiles {q[0]:.1f}-{q[2]:.1f}x, range {r[0]:.1f}-{r[-1]:.1f}x)")
'
    "$python" -c "$summary" "scoring throughput ratio verbatim / VADER, 1 thread, ours the median of 5 short passes" "${ratios[@]}"
    "$python" -c "$summary" "scoring throughput ratio verbatim / VADER, 1 thread, same comments, ours sustained for as long as VADER's pass" "${sustained_ratios[@]}"
fi
# The figure: short slices of each, alternating, in two persistent processes, over the same
# shuffled comments (BENCHMARKS.md, eleventh round, on why). INTERLEAVED_ROUNDS rounds of
# SLICE seconds a side; the last line is the ratio with its bootstrap interval.
echo
echo "== interleaved: ${INTERLEAVED_ROUNDS:-40} rounds of ${SLICE:-0.5} s a side, alternating"
"$tmp/venv/bin/python" scripts/vader_interleaved.py "$data" --binary "$example" \
    --rounds "${INTERLEAVED_ROUNDS:-40}" --slice "${SLICE:-0.5}" --json target/vader_interleaved.json
