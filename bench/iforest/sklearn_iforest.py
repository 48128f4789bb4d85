"""scikit-learn's IsolationForest on the same inputs as bench/iforest/run.ts (the reference side of `pnpm bench iforest`).

  parity <dataset> <seeds,...>        ROC-AUC / AP on the held-out half, one per seed (same split as run.ts)
  speed <matrix.f32> <rows> <cols> <repeats>   fit time, score_samples time, peak RSS on one core

Prints one JSON object on stdout. Run with OMP_NUM_THREADS=1 (run.ts sets it): n_jobs=1 everywhere.
"""
import json
import os
import resource
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import IsolationForest
from sklearn.metrics import average_precision_score, roc_auc_score


def load(dataset: str, shared: str):
    """Same files, columns and transforms as bench/iforest/datasets.ts."""
    data = shared
    if dataset == "kdd-http":
        df = pd.read_csv(os.path.join(data, "kddcup99", "kdd99_10pct_http_loggedin.csv"))
        x = np.log(df[["duration", "src_bytes", "dst_bytes"]].to_numpy(dtype=np.float64) + 0.1)
        y = df["is_attack"].to_numpy()
    elif dataset == "odds-smtp":
        df = pd.read_csv(os.path.join(data, "odds-outlier-benchmarks", "smtp.csv"))
        x = df[["f0", "f1", "f2"]].to_numpy(dtype=np.float64)
        y = df["label"].to_numpy()
    elif dataset == "mammography":
        df = pd.read_csv(os.path.join(data, "odds-outlier-benchmarks", "mammography.csv"))
        x = df[[f"f{i}" for i in range(6)]].to_numpy(dtype=np.float64)
        y = df["label"].to_numpy()
    else:
        raise SystemExit(f"unknown dataset {dataset}")
    return x, y.astype(int)


def parity(dataset: str, seeds: list[int], shared: str):
    x, y = load(dataset, shared)
    train = np.arange(len(x)) % 2 == 0  # even rows fit, odd rows are scored: the split run.ts uses
    runs = []
    for seed in seeds:
        model = IsolationForest(random_state=seed, n_jobs=1).fit(x[train])
        s = -model.score_samples(x[~train])
        runs.append({"seed": seed, "rocAuc": roc_auc_score(y[~train], s), "averagePrecision": average_precision_score(y[~train], s)})
    return {"dataset": dataset, "rows": int(len(x)), "runs": runs}


def speed(path: str, rows: int, cols: int, repeats: int):
    x = np.fromfile(path, dtype="<f4", count=rows * cols).reshape(rows, cols)
    t0, c0 = time.perf_counter(), time.process_time()
    model = IsolationForest(random_state=0, n_jobs=1).fit(x)
    fit = {"wallSeconds": time.perf_counter() - t0, "cpuSeconds": time.process_time() - c0}
    scores = []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        s = model.score_samples(x)
        scores.append({"wallSeconds": time.perf_counter() - t0, "cpuSeconds": time.process_time() - c0})
    return {
        "fit": fit,
        "score": scores,
        "checksum": float(np.mean(s)),
        "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


if __name__ == "__main__":
    mode = sys.argv[1]
    shared = os.environ.get("AIOPS_DATA_DIR", "")
    if mode == "parity":
        out = parity(sys.argv[2], [int(s) for s in sys.argv[3].split(",")], shared)
    elif mode == "speed":
        out = speed(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps(out))
