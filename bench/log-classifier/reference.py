"""scikit-learn reference for `pnpm bench log-classifier`: the seed's pipeline on the same template splits.

Reads the JSON written by run.ts:
  {"fit": [[message, label]...],                       # every labeled line: the training-time figure
   "stream": [line...],                                # raw lines to classify: the throughput figure
   "splits": [{"seed": n, "train": [[message, label]...], "test": [[message, label, template]...]}...]}
prints one JSON object: fit seconds (median), classify throughput on one thread (batch transform + predict_proba,
scikit-learn's best case; and line by line), and per split the held-out macro-F1 / critical recall per line and per
template.
"""
import json, os, sys, time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score, recall_score  # noqa: E402

data = json.load(open(sys.argv[1]))
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3


def fit(pairs):
    vec = TfidfVectorizer(ngram_range=(1, 2), max_features=10000, sublinear_tf=True)
    X = vec.fit_transform([m for m, _ in pairs])
    lr = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(X, [l for _, l in pairs])
    return vec, lr


fits, fit_cpu = [], []
for _ in range(repeat):
    t0, c0 = time.perf_counter(), time.process_time()
    vec, lr = fit(data["fit"])
    fits.append(time.perf_counter() - t0)
    fit_cpu.append(time.process_time() - c0)

classify_passes = int(sys.argv[3]) if len(sys.argv) > 3 else repeat
stream = data["stream"]
lr.predict_proba(vec.transform(stream))  # warm-up, as ours gets
rates, cpu_rates = [], []
for _ in range(classify_passes):
    t0, c0 = time.perf_counter(), time.process_time()
    lr.predict_proba(vec.transform(stream))
    rates.append(len(stream) / (time.perf_counter() - t0))
    cpu_rates.append(len(stream) / (time.process_time() - c0))
# One line at a time, as a streaming classifier meets them (first 2,000 lines).
t0 = time.perf_counter()
for line in stream[:2000]:
    lr.predict_proba(vec.transform([line]))
per_line_rate = 2000 / (time.perf_counter() - t0)

splits = []
for split in data["splits"]:
    vec, lr = fit(split["train"])
    test_x = [t[0] for t in split["test"]]
    test_y = [t[1] for t in split["test"]]
    counts = {}
    for t in split["test"]:
        counts[t[2]] = counts.get(t[2], 0) + 1
    w = np.array([1.0 / counts[t[2]] for t in split["test"]])
    pred = lr.predict(vec.transform(test_x))
    splits.append({
        "seed": split["seed"],
        "macroF1": f1_score(test_y, pred, average="macro"),
        "criticalRecall": float(recall_score(test_y, pred, labels=["critical"], average=None)[0]),
        "templateMacroF1": f1_score(test_y, pred, average="macro", sample_weight=w),
        "templateCriticalRecall": float(recall_score(test_y, pred, labels=["critical"], average=None, sample_weight=w)[0]),
    })

print(json.dumps({
    "fit_seconds_median": float(np.median(fits)),
    "fit_cpu_seconds_median": float(np.median(fit_cpu)),
    "classify_lines_per_second_batch": float(np.median(rates)),
    "classify_lines_per_cpu_second_batch": float(np.median(cpu_rates)),
    "classify_lines_per_second_one_by_one": per_line_rate,
    "splits": splits,
}))
