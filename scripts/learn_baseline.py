"""Linear baselines for VALIDATION.md, "A learned codebook against the hand-written one".

One logistic regression per label on every unigram and bigram (present or not, in at least two
training comments), threshold tuned for F1 by 5-fold cross-validation on the training part,
scored on the test part; then the same with weights restricted to be non-negative (L-BFGS-B),
as a codebook without evidence against a theme would be.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install scikit-learn scipy
    verbatim split ../shared/data/nhs-feedback/comments.csv --key row_index --train train.csv --test test.csv
    /tmp/venv/bin/python scripts/learn_baseline.py train.csv test.csv

Measured with scikit-learn 1.9.1, scipy 1.17.1: 0.697 / 0.573 (micro / macro F1), and 0.628 /
0.491 with non-negative weights.
"""
import csv
import sys

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold


def read(path):
    rows = list(csv.DictReader(open(path, newline="", encoding="utf-8")))
    return [r["text"].lower() for r in rows], [r["label"] for r in rows]


def nonnegative_logistic(x, y, c):
    d = x.shape[1]

    def loss(w):
        z = x @ w[1:] + w[0]
        g = expit(z) - y
        value = np.sum(np.logaddexp(0, z) - y * z) + 0.5 / c * w[1:] @ w[1:]
        return value, np.concatenate([[g.sum()], x.T @ g + w[1:] / c])

    bounds = [(None, None)] + [(0, None)] * d
    return minimize(loss, np.zeros(d + 1), jac=True, method="L-BFGS-B", bounds=bounds).x


def best_threshold(scores, gold):
    best = (0.0, np.inf)
    for t in np.unique(scores):
        coded = scores >= t
        f1 = 2 * (coded & gold).sum() / (coded.sum() + gold.sum())
        if f1 > best[0]:
            best = (f1, t)
    return best[1]


def main(train_path, test_path):
    train_text, train_label = read(train_path)
    test_text, test_label = read(test_path)
    labels = sorted(set(train_label))
    vectorizer = CountVectorizer(ngram_range=(1, 2), min_df=2, binary=True)
    x_train = vectorizer.fit_transform(train_text)
    x_test = vectorizer.transform(test_text)
    folds = list(KFold(5, shuffle=True, random_state=0).split(x_train))
    for name, nonnegative in [("logistic regression", False), ("non-negative weights", True)]:
        tp = coded = gold_total = 0
        f1s = []
        for label in labels:
            y = np.array([l == label for l in train_label])
            gold = np.array([l == label for l in test_label])

            def fit_score(xa, ya, xb):
                if nonnegative:
                    w = nonnegative_logistic(xa, ya.astype(float), 0.3)
                    return xb @ w[1:]
                model = LogisticRegression(C=1.0, max_iter=2000).fit(xa, ya)
                return model.decision_function(xb)

            oof = np.zeros(len(y))
            for a, b in folds:
                oof[b] = fit_score(x_train[a], y[a], x_train[b])
            threshold = best_threshold(oof[oof > 0] if nonnegative else oof,
                                       y[oof > 0] if nonnegative else y)
            predicted = fit_score(x_train, y, x_test) >= threshold
            tp += (predicted & gold).sum()
            coded += predicted.sum()
            gold_total += gold.sum()
            f1s.append(2 * (predicted & gold).sum() / (predicted.sum() + gold.sum()))
        print(f"{name}: micro F1 {2 * tp / (coded + gold_total):.3f}, macro F1 {np.mean(f1s):.3f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
