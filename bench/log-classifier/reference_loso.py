"""scikit-learn's seed pipeline on the leave-one-source-out folds of bench/log-classifier/loso.ts.

Reads {"folds": [{"source": s, "train": [[message, label]...], "test": [message...]}...]} and prints
{"folds": [{"source": s, "predicted": [label...]}...]}: the same pipeline as reference.py (raw lines, word 1-2-grams,
TF-IDF, class-balanced logistic regression), trained on each fold's training lines; loso.ts scores the predictions
with the same code as ours.
"""
import json, os, sys

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

data = json.load(open(sys.argv[1]))
out = []
for fold in data["folds"]:
    vec = TfidfVectorizer(ngram_range=(1, 2), max_features=10000, sublinear_tf=True)
    X = vec.fit_transform([m for m, _ in fold["train"]])
    lr = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(X, [l for _, l in fold["train"]])
    out.append({"source": fold["source"], "predicted": list(lr.predict(vec.transform(fold["test"])))})
print(json.dumps({"folds": out}))
