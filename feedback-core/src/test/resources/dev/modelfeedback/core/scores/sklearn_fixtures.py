# Writes the scored streams of ScoreCountsTest with scikit-learn's values for them (binary and 3 classes).
# Run from the repository's root: python3 feedback-core/src/test/resources/dev/modelfeedback/core/scores/sklearn_fixtures.py
import numpy as np
from sklearn.metrics import roc_auc_score, average_precision_score, brier_score_loss
rng = np.random.default_rng(20)
n = 3000
y = (rng.random(n) < 0.3).astype(int)
s = np.clip(np.where(y == 1, rng.beta(4, 2, n), rng.beta(2, 4, n)), 0, 1)
s = np.round(s, 2)              # ties
s[:40] = 0.0; s[40:80] = 1.0    # exact 0 and 1
eps = 1e-15
c = np.clip(s, eps, 1 - eps)
ll = float(np.mean(-(y * np.log(c) + (1 - y) * np.log(1 - c))))
out = {"actual": y.tolist(), "score": s.tolist(),
       "roc_auc": roc_auc_score(y, s), "average_precision": average_precision_score(y, s),
       "brier": brier_score_loss(y, s), "log_loss": ll}
# three classes
k = 3
ya = rng.integers(0, k, n)
logits = rng.normal(0, 1, (n, k)); logits[np.arange(n), ya] += 1.5
p = np.exp(logits); p /= p.sum(axis=1, keepdims=True)
out["classes"] = {"actual": ya.tolist(), "scores": p.tolist(),
    "roc_auc": [roc_auc_score((ya == j).astype(int), p[:, j]) for j in range(k)],
    "macro_roc_auc": roc_auc_score(ya, p, multi_class="ovr", average="macro"),
    "average_precision": [average_precision_score((ya == j).astype(int), p[:, j]) for j in range(k)]}
base = "feedback-core/src/test/resources/dev/modelfeedback/core/scores/"
with open(base + "sklearn-binary.txt", "w") as f:
    f.write("# scikit-learn 1.9.1 on a seeded stream of 3,000 binary items (scores rounded to 0.01: ties; 40 of 0 and 40 of 1)\n")
    f.write("# roc_auc_score, average_precision_score, brier_score_loss, and log loss clipped to [1e-15, 1 - 1e-15] in numpy\n")
    for key in ["roc_auc", "average_precision", "brier", "log_loss"]:
        f.write(f"{key} {out[key]!r}\n")
    for a, v in zip(out["actual"], out["score"]):
        f.write(f"{a} {v!r}\n")
c = out["classes"]
with open(base + "sklearn-classes.txt", "w") as f:
    f.write("# scikit-learn 1.9.1 on a seeded stream of 3,000 items of 3 classes: one-vs-rest roc_auc_score and average_precision_score per class, macro roc_auc_score(multi_class='ovr')\n")
    f.write("roc_auc " + " ".join(repr(v) for v in c["roc_auc"]) + "\n")
    f.write("average_precision " + " ".join(repr(v) for v in c["average_precision"]) + "\n")
    f.write(f"macro_roc_auc {c['macro_roc_auc']!r}\n")
    for a, q in zip(c["actual"], c["scores"]):
        f.write(f"{a} " + " ".join(repr(v) for v in q) + "\n")
