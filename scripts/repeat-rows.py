#!/usr/bin/env python3
"""Repeats the rows of a CSV file N times, for timings long enough to rise above the noise:
the same comments, so throughputs in comments/s stay comparable with the original file.
An `row_index` column, when present, is renumbered so that ids stay unique.

    scripts/repeat-rows.py ../shared/data/nhs-feedback/comments.csv 10 /tmp/nhs10.csv
"""
import csv
import sys

source, times, target = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(source, newline="", encoding="utf-8") as f:
    reader = csv.DictReader(f)
    fields, rows = reader.fieldnames, list(reader)
with open(target, "w", newline="", encoding="utf-8") as f:
    writer = csv.DictWriter(f, fieldnames=fields)
    writer.writeheader()
    for round_ in range(times):
        for number, row in enumerate(rows):
            if "row_index" in row:
                row = dict(row, row_index=str(round_ * len(rows) + number))
            writer.writerow(row)
print(f"wrote {times} x {len(rows)} rows to {target}")
