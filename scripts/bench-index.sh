#!/usr/bin/env bash
# Reproduces the index numbers of BENCHMARKS.md ("The index"): building a 1,000,000-comment
# index from a generated survey (wall time, CPU time, peak memory), `add` of ~10,000 comments to
# it, and search latency percentiles for the query mix of benches/index.rs.
#
#   scripts/bench-index.sh                  # 450 MB survey (~1,008,000 comments after the add)
#   SIZE=50MB scripts/bench-index.sh        # a quicker, smaller run
#   THREADS=1 scripts/bench-index.sh        # coding on one thread (tantivy indexes on its own)
#
# Needs GNU time (apt-get install time). Works in $WORK (default /tmp/verbatim-bench-index).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-450MB}
SEED=${SEED:-42}
THREADS=${THREADS:-$(nproc)}
ROUNDS=${ROUNDS:-100}
WORK=${WORK:-${TMPDIR:-/tmp}/verbatim-bench-index}
mkdir -p "$WORK"
cargo build --release --quiet --example search_latency
cargo build --release --quiet
bin=target/release/verbatim

survey="$WORK/survey-$SIZE.csv"
wave="$WORK/wave-10k.csv"
[ -s "$survey" ] || "$bin" generate --seed "$SEED" --size "$SIZE" -o "$survey"
[ -s "$wave" ] || "$bin" generate --seed $((SEED + 1)) --size 4.5MB -o "$wave"

echo "machine: $(nproc) cores, load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$WORK/index" "$WORK/index-add"
/usr/bin/time -f "index build: %e s wall, %U s user, %S s system, peak %M KB" \
  "$bin" index "$survey" --codebook lexicons/stp.toml --index "$WORK/index" --threads "$THREADS"
cp -r "$WORK/index" "$WORK/index-add"
/usr/bin/time -f "add: %e s wall, %U s user, peak %M KB" \
  "$bin" add "$wave" --index "$WORK/index-add" --threads "$THREADS"
target/release/examples/search_latency "$WORK/index-add" "$ROUNDS"
