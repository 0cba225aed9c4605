"""Instructions vaderSentiment 3.3.2 executes a comment, for a noise-free comparison with
verbatim's scorer (BENCHMARKS.md, tenth round). Run it twice under cachegrind, once setting up
only and once scoring too; the difference over N is the cost a comment:

    valgrind --tool=cachegrind --cache-sim=no VENV/bin/python scripts/vader_instructions.py FILE.csv 2000 setup
    valgrind --tool=cachegrind --cache-sim=no VENV/bin/python scripts/vader_instructions.py FILE.csv 2000 score

VENV holds vaderSentiment==3.3.2 (scripts/validate-sentiment.sh shows how to make one).
"""
import csv
import sys

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

if len(sys.argv) != 4 or sys.argv[3] not in ("setup", "score"):
    sys.exit("usage: vader_instructions.py FILE.csv N setup|score")
path, count, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, newline="", encoding="utf-8") as f:
    texts = [row["text"] for row in csv.DictReader(f)][:count]
analyzer = SentimentIntensityAnalyzer()
total = 0.0
if mode == "score":
    for text in texts:
        total += analyzer.polarity_scores(text)["compound"]
print(len(texts), "comments; sum of compounds", round(total, 4))
