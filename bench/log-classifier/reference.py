"""scikit-learn reference for `pnpm bench log-classifier`: the seed's pipeline on the same template split.

Reads the split JSON written by run.ts ({train: [[message, label]...], test: [[message, label, template]...]}),
prints one JSON object: fit seconds, classify throughput (lines/s, one thread, batch transform + predict_proba —
scikit-learn's best case), and held-out macro-F1 / critical recall per line and per template.
"""
import json, os, sys, time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score, recall_score  # noqa: E402

split = json.load(open(sys.argv[1]))
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
train_x = [m for m, _ in split["train"]]
train_y = [l for _, l in split["train"]]
test_x = [t[0] for t in split["test"]]
test_y = [t[1] for t in split["test"]]
templates = [t[2] for t in split["test"]]

fits = []
for _ in range(repeat):
    t0 = time.perf_counter()
    vec = TfidfVectorizer(ngram_range=(1, 2), max_features=10000, sublinear_tf=True)
    X = vec.fit_transform(train_x)
    lr = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(X, train_y)
    fits.append(time.perf_counter() - t0)

stream = (test_x * (1 + 20000 // max(1, len(test_x))))[:20000]
rates = []
for _ in range(repeat):
    t0 = time.perf_counter()
    lr.predict_proba(vec.transform(stream))
    rates.append(len(stream) / (time.perf_counter() - t0))
# One line at a time, as a streaming classifier meets them (first 2,000 lines).
t0 = time.perf_counter()
for line in stream[:2000]:
    lr.predict_proba(vec.transform([line]))
per_line_rate = 2000 / (time.perf_counter() - t0)

pred = lr.predict(vec.transform(test_x))
counts = {}
for t in templates:
    counts[t] = counts.get(t, 0) + 1
w = np.array([1.0 / counts[t] for t in templates])
print(json.dumps({
    "fit_seconds_median": float(np.median(fits)),
    "classify_lines_per_second_batch": float(np.median(rates)),
    "classify_lines_per_second_one_by_one": per_line_rate,
    "macro_f1": f1_score(test_y, pred, average="macro"),
    "critical_recall": float(recall_score(test_y, pred, labels=["critical"], average=None)[0]),
    "per_template_macro_f1": f1_score(test_y, pred, average="macro", sample_weight=w),
    "per_template_critical_recall": float(recall_score(test_y, pred, labels=["critical"], average=None, sample_weight=w)[0]),
    "train_lines": len(train_x),
}))
