"""Reference side of `pnpm bench forecast`: Python's prophet (PyPI) on the same hourly series with the same settings.

Reads a JSON job on stdin: {"settings": {...}, "series": [{"name", "ds": [epoch s], "y": [...], "future": [epoch s]}],
"fit": {...}} and writes one JSON line per series to stdout: name, fit/predict seconds, yhat, yhat_lower, yhat_upper; then one
line {"cpu_seconds"}: the CPU time of all series, CmdStan's processes included.
"fit" (optional) is passed to Prophet.fit and on to cmdstanpy's optimize (e.g. {"algorithm": "BFGS", "iter": 10000}):
the parity pass runs both sides on the same Stan optimizer; without it prophet's own default (L-BFGS, iter 10,000).
Settings mirror prophetOptions() in packages/ml/src/forecast/models.ts: change one, change both.
"""
import json
import logging
import os
import sys
import time

import pandas as pd
from prophet import Prophet

logging.getLogger("cmdstanpy").disabled = True
logging.getLogger("prophet").setLevel(logging.WARNING)


def model(settings):
    m = Prophet(
        growth="linear",
        daily_seasonality=settings["dailyOrder"],
        weekly_seasonality=settings["weeklyOrder"],
        yearly_seasonality=False,
        changepoint_prior_scale=settings["changepointPriorScale"],
        seasonality_prior_scale=settings["seasonalityPriorScale"],
        interval_width=settings["intervalWidth"],
        uncertainty_samples=settings["uncertaintySamples"],
    )
    return m


def main():
    job = json.load(sys.stdin)
    settings = job["settings"]
    fit_args = job.get("fit") or {}
    cpu0 = os.times()
    for s in job["series"]:
        df = pd.DataFrame({"ds": pd.to_datetime(s["ds"], unit="s"), "y": s["y"]})
        future = pd.DataFrame({"ds": pd.to_datetime(s["future"], unit="s")})
        m = model(settings)
        t0 = time.perf_counter()
        m.fit(df, **fit_args)
        t1 = time.perf_counter()
        p = m.predict(future)
        t2 = time.perf_counter()
        print(json.dumps({
            "name": s["name"],
            "fit_seconds": t1 - t0,
            "predict_seconds": t2 - t1,
            "yhat": p["yhat"].tolist(),
            "yhat_lower": p["yhat_lower"].tolist(),
            "yhat_upper": p["yhat_upper"].tolist(),
        }), flush=True)
    # CPU of this process and of its children: cmdstanpy runs each fit in a CmdStan process.
    cpu = os.times()
    used = sum(getattr(cpu, f) - getattr(cpu0, f) for f in ("user", "system", "children_user", "children_system"))
    print(json.dumps({"cpu_seconds": used}), flush=True)


if __name__ == "__main__":
    main()
