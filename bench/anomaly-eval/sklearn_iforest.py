"""scikit-learn's IsolationForest on the very feature matrices the TypeScript evaluation built (reference only).

Usage: sklearn_iforest.py MANIFEST.json OUT.json
The manifest lists tasks; each has training matrices (a list of files, stacked), a test matrix (float64
little-endian, row-major, `cols` columns) and the test rows' labels (uint8, 1 = malicious). For every task and seed the script fits
IsolationForest(n_estimators, max_samples='auto', random_state=seed) on the training matrix and reports ROC-AUC and
average precision (PR-AUC) of -score_samples on the test rows, plus fit and scoring times.
"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score, roc_auc_score


def load(path, cols):
    data = np.fromfile(path, dtype="<f8")
    return data.reshape(-1, cols)


def main():
    manifest_path, out_path = sys.argv[1], sys.argv[2]
    with open(manifest_path) as f:
        manifest = json.load(f)
    results = {}
    for task in manifest["tasks"]:
        cols = task["cols"]
        x_train = np.vstack([load(path, cols) for path in task["train"]])
        x_test = load(task["test"], cols)
        y = np.fromfile(task["labels"], dtype=np.uint8)
        assert len(y) == len(x_test), f"{task['id']}: {len(y)} labels for {len(x_test)} test rows"
        runs = []
        for seed in manifest["seeds"]:
            t0 = time.perf_counter()
            model = IsolationForest(n_estimators=manifest["nEstimators"], max_samples="auto", random_state=seed)
            model.fit(x_train)
            t1 = time.perf_counter()
            score = -model.score_samples(x_test)
            t2 = time.perf_counter()
            runs.append({
                "seed": seed,
                "rocAuc": float(roc_auc_score(y, score)) if 0 < y.sum() < len(y) else None,
                "prAuc": float(average_precision_score(y, score)) if y.sum() > 0 else None,
                "fitSeconds": t1 - t0,
                "scoreSeconds": t2 - t1,
            })
        results[task["id"]] = runs
    with open(out_path, "w") as f:
        json.dump({"sklearn": __import__("sklearn").__version__, "results": results}, f)


if __name__ == "__main__":
    main()
