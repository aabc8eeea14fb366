"""Writes sklearn-vectors.txt: confusion matrices of random label streams and scikit-learn's metrics of them.

Run with scikit-learn installed: python3 generate.py > sklearn-vectors.txt

One case per block:
  case NAME
  classes L1 L2 ...
  row N N N ...            (one per actual class, counts per predicted class, as confusion_matrix)
  KEY VALUE                (VALUE is a float repr, or nan where the metric is undefined)
  end
Undefined follows zero_division=np.nan; kappa and MCC are written nan where their denominator is 0
(scikit-learn then substitutes a value of its own choosing).
"""
import warnings

import numpy as np
from sklearn import metrics

warnings.simplefilter("ignore")
rng = np.random.default_rng(20261203)


def cases():
    yield "three-classes-hand", ["billing", "tech", "sales"], [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2], \
        [0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]
    yield "class-never-predicted", ["a", "b", "c"], [0, 1, 2, 2, 1, 0], [0, 1, 1, 1, 1, 0]
    yield "class-without-support", ["a", "b", "c", "d"], [0, 1, 1, 0, 1], [0, 1, 3, 0, 2]
    yield "all-one-class", ["a", "b", "c"], [1, 1, 1, 1], [1, 1, 1, 1]
    yield "all-wrong-one-class", ["a", "b", "c"], [0, 0, 0], [2, 2, 2]
    yield "perfect", ["x", "y"], [0, 1, 1, 0, 1], [0, 1, 1, 0, 1]
    for k, n, skill in [(2, 200, 0.8), (3, 1000, 0.7), (4, 5000, 0.6), (5, 300, 0.3), (8, 2000, 0.5),
                        (16, 10000, 0.65), (32, 20000, 0.55), (32, 150, 0.4)]:
        weights = rng.dirichlet(np.ones(k))
        y_true = rng.choice(k, size=n, p=weights)
        right = rng.random(n) < skill
        y_pred = np.where(right, y_true, rng.integers(0, k, size=n))
        yield f"random-k{k}-n{n}", [f"c{i}" for i in range(k)], y_true.tolist(), y_pred.tolist()


def fmt(x):
    return "nan" if np.isnan(x) else repr(float(x))


for name, labels, y_true, y_pred in cases():
    k = len(labels)
    idx = list(range(k))
    cm = metrics.confusion_matrix(y_true, y_pred, labels=idx)
    print(f"case {name}")
    print("classes " + " ".join(labels))
    for row in cm:
        print("row " + " ".join(str(int(v)) for v in row))
    p, r, f, s = metrics.precision_recall_fscore_support(y_true, y_pred, labels=idx, zero_division=np.nan)
    for c in range(k):
        print(f"precision.{c} {fmt(p[c])}")
        print(f"recall.{c} {fmt(r[c])}")
        print(f"f1.{c} {fmt(f[c])}")
        print(f"support.{c} {int(s[c])}")
    print(f"accuracy {fmt(metrics.accuracy_score(y_true, y_pred))}")
    print(f"balanced_accuracy {fmt(metrics.balanced_accuracy_score(y_true, y_pred))}")
    for avg in ["macro", "weighted"]:
        for key, fn in [("precision", metrics.precision_score), ("recall", metrics.recall_score), ("f1", metrics.f1_score)]:
            print(f"{avg}_{key} {fmt(fn(y_true, y_pred, labels=idx, average=avg, zero_division=np.nan))}")
    n = cm.sum()
    t, q = cm.sum(axis=1).astype(float), cm.sum(axis=0).astype(float)
    kappa_defined = n > 0 and n - (t @ q) / n != 0
    mcc_defined = (n * n - q @ q) * (n * n - t @ t) != 0
    print(f"cohen_kappa {fmt(metrics.cohen_kappa_score(y_true, y_pred, labels=idx)) if kappa_defined else 'nan'}")
    print(f"mcc {fmt(metrics.matthews_corrcoef(y_true, y_pred)) if mcc_defined else 'nan'}")
    print("end")
