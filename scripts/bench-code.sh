#!/usr/bin/env bash
# Reproduces the end-to-end numbers of BENCHMARKS.md ("The code command, end to end"):
# throughput of `verbatim code` on a generated 100 MB survey with 1 thread and with every core
# (median of 3 runs), and its peak memory on 10 MB and 100 MB inputs.
#
#   scripts/bench-code.sh               # 100 MB, 3 runs
#   SIZE=20MB RUNS=5 scripts/bench-code.sh
#   BIN=/tmp/verbatim scripts/bench-code.sh   # a binary built elsewhere; no build
#
# Needs hyperfine (apt-get install hyperfine; a plain timing loop is used without it) and GNU time
# (apt-get install time) for the memory figures.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-100MB}
RUNS=${RUNS:-3}
SEED=${SEED:-42}
CODEBOOK=${CODEBOOK:-lexicons/stp.toml}
WORK=${WORK:-${TMPDIR:-/tmp}/verbatim-bench}
CORES=$(nproc)
mkdir -p "$WORK"

# BIN=path/to/verbatim measures a binary built elsewhere.
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
fi
bin=${BIN:-target/release/verbatim}

big="$WORK/bench-$SIZE.csv"
small="$WORK/bench-10MB.csv"
[ -s "$big" ] || "$bin" generate --seed "$SEED" --size "$SIZE" -o "$big"
[ -s "$small" ] || "$bin" generate --seed "$SEED" --size 10MB -o "$small"
bytes=$(stat -c %s "$big")

echo "machine: $CORES cores, $(uname -m), load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "input: $big ($bytes bytes), codebook: $CODEBOOK"
echo

median_seconds() { # label threads [extra args]: median wall time of $RUNS runs, in seconds
  local label=$1 threads=$2
  shift 2
  local cmd="$bin code $big --codebook $CODEBOOK -o $WORK/coded.csv --threads $threads -q $*"
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --runs "$RUNS" --warmup 1 --style none --export-json "$WORK/hyperfine-$label.json" \
      "$cmd" >&2
    grep -o '"median": *[0-9.e-]*' "$WORK/hyperfine-$label.json" | head -1 | grep -o '[0-9.e-]*$'
  else
    for _ in $(seq "$RUNS"); do
      start=$(date +%s.%N)
      $cmd
      awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { print a - b }'
    done | sort -g | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }'
  fi
}

# The floor: reading the file once, from the page cache.
start=$(date +%s.%N)
cat "$big" >/dev/null
floor=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { print a - b }')

t1=$(median_seconds threads-1 1)
tn=$(median_seconds "threads-$CORES" "$CORES")
t1_themes=$(median_seconds threads-1-no-sentiment 1 --no-sentiment)
awk -v b="$bytes" -v t1="$t1" -v tn="$tn" -v t1t="$t1_themes" -v n="$CORES" -v floor="$floor" 'BEGIN {
  printf "threads 1:                 median %.2f s  %5.1f MB/s\n", t1, b / 1e6 / t1
  printf "threads %d:                 median %.2f s  %5.1f MB/s  (%.2fx the speed of 1 thread)\n", n, tn, b / 1e6 / tn, t1 / tn
  printf "threads 1, --no-sentiment: median %.2f s  %5.1f MB/s  (sentiment adds %.0f%% to the time)\n", t1t, b / 1e6 / t1t, 100 * (t1 / t1t - 1)
  printf "cat (I/O floor):                  %.2f s\n", floor
}'
echo

if [ -x /usr/bin/time ]; then
  for input in "$small" "$big"; do
    for threads in 1 "$CORES"; do
      rss=$(/usr/bin/time -v "$bin" code "$input" --codebook "$CODEBOOK" -o "$WORK/coded.csv" \
        --threads "$threads" -q 2>&1 | awk -F': ' '/Maximum resident set size/ { print $2 }')
      printf "peak memory: %-28s threads %d: %6.1f MiB\n" "$(basename "$input")" "$threads" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
    done
  done
else
  echo "peak memory: /usr/bin/time missing (apt-get install time)"
fi
