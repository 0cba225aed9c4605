#!/usr/bin/env python3
"""Paired timing: runs command A and command B alternately N times and prints the median of the
per-pair ratios B/A (adjacent runs share the machine's state, so drift cancels).

    paired-timing.py N "A" "B" ["PREPARE_A" "PREPARE_B"]

A prepare command runs, untimed, before each run of its command (say, removing the index the
last run wrote)."""
import statistics, subprocess, sys, time
n = int(sys.argv[1]); a = sys.argv[2]; b = sys.argv[3]
prepare_a = sys.argv[4] if len(sys.argv) > 4 else None
prepare_b = sys.argv[5] if len(sys.argv) > 5 else None
def run(cmd, prepare):
    if prepare:
        subprocess.run(prepare, shell=True, check=True)
    start = time.perf_counter(); subprocess.run(cmd, shell=True, check=True); return time.perf_counter() - start
run(a, prepare_a); run(b, prepare_b)
ta, tb, ratios = [], [], []
for i in range(n):
    if i % 2 == 0:
        x = run(a, prepare_a); y = run(b, prepare_b)
    else:
        y = run(b, prepare_b); x = run(a, prepare_a)
    ta.append(x); tb.append(y); ratios.append(y / x)
print(f"A median {statistics.median(ta):.3f} s, B median {statistics.median(tb):.3f} s, "
      f"B/A per pair: median {statistics.median(ratios):.3f} (quartiles {statistics.quantiles(ratios, n=4)[0]:.3f}-{statistics.quantiles(ratios, n=4)[2]:.3f}), {n} pairs")
