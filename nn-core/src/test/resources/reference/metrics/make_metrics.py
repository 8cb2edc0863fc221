"""Float64 references for dev.nncore.metrics, from the published formulas (not from nn-core).

Run: python3 make_metrics.py   (numpy only; writes classification.csv, regression.csv, expected.txt, report.txt)
Formulas: Keras 3 metrics (accuracy_metrics.py, confusion_metrics.py AUC + metrics_utils.py, f_score_metrics.py),
scikit-learn 1.x (roc_auc_score, average_precision_score, confusion_matrix, classification_report, r2_score).
"""
import numpy as np

rng = np.random.default_rng(14)
EPS = 1e-7

# Classification: 400 rows, 4 classes; predictions rounded to 2 decimals so ties occur, one class never predicted
n, c = 400, 4
truth = rng.choice(c, size=n, p=[0.4, 0.3, 0.2, 0.1])
logits = rng.normal(size=(n, c)) + 1.5 * np.eye(c)[truth]
logits[:, 3] -= 8.0                                         # class 3 is (almost surely) never the argmax
prob = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
prob = np.round(prob, 2).astype(np.float32)                  # ties, exact float32 inputs
t = np.eye(c, dtype=np.float32)[truth]
with open("classification.csv", "w") as f:
    for r in range(n):
        f.write(",".join(repr(float(v)) for v in t[r]) + "," + ",".join(repr(float(np.float32(v))) for v in prob[r]) + "\n")
p = prob.astype(np.float64)
T = t.astype(np.float64)

out = {}
pred_class = p.argmax(1)                                     # numpy argmax: first on ties, as Keras's
out["categorical_accuracy"] = np.mean(pred_class == truth)
target_score = p[np.arange(n), truth]
out["top_2_categorical_accuracy"] = np.mean((p > target_score[:, None]).sum(1) < 2)   # tf.math.in_top_k
yp = p > 0.5
out["precision"] = (yp & (T == 1)).sum() / yp.sum()
out["recall"] = (yp & (T == 1)).sum() / (T == 1).sum()
out["binary_accuracy"] = np.mean((p > 0.5).astype(np.float64) == T)

# Keras F1Score, threshold=None: every maximal non-zero prediction counts
mx = p.max(1, keepdims=True)
P = ((p >= mx) & (np.abs(p) > 1e-9)).astype(np.float64)
tp, fp, fn = (P * T).sum(0), (P * (1 - T)).sum(0), ((1 - P) * T).sum(0)
def keras_f1(tp, fp, fn):
    pr = tp / (tp + fp + EPS); rc = tp / (tp + fn + EPS)
    return 2 * (pr * rc / (pr + rc + EPS))
out["f1_macro"] = keras_f1(tp, fp, fn).mean()
sup = T.sum(0)
out["f1_weighted"] = (keras_f1(tp, fp, fn) * (sup / (sup.sum() + EPS))).sum()
out["f1_micro"] = keras_f1(tp.sum(), fp.sum(), fn.sum())

# Keras AUC, 200 thresholds, over every element (multi_label=False)
def keras_confusion(y, s, k=200):
    th = np.array([0.0 - EPS] + [i / (k - 1) for i in range(1, k - 1)] + [1.0 + EPS], dtype=np.float32)
    pos = s[None, :].astype(np.float32) > th[:, None]
    y = y[None, :] != 0
    return ((pos & y).sum(1).astype(float), (pos & ~y).sum(1).astype(float),
            (~pos & ~y).sum(1).astype(float), (~pos & y).sum(1).astype(float))
def nan0(a, b):
    return np.where(b == 0, 0.0, a / np.where(b == 0, 1, b))
def keras_roc(y, s):
    tp, fp, tn, fn = keras_confusion(y, s)
    x, h = nan0(fp, fp + tn), nan0(tp, tp + fn)
    return np.sum((x[:-1] - x[1:]) * (h[:-1] + h[1:]) / 2)
def keras_pr(y, s):
    tp, fp, tn, fn = keras_confusion(y, s)
    dtp = tp[:-1] - tp[1:]
    pp = tp + fp
    dp = pp[:-1] - pp[1:]
    slope = nan0(dtp, np.maximum(dp, 0))
    intercept = tp[1:] - slope * pp[1:]
    ratio = np.where((pp[:-1] > 0) & (pp[1:] > 0), nan0(pp[:-1], np.maximum(pp[1:], 0)), 1.0)
    return np.sum(nan0(slope * (dtp + intercept * np.log(ratio)), np.maximum(tp[1:] + fn[1:], 0)))
def mann_whitney(y, s):                                      # roc_auc_score = P(score_pos > score_neg), ties 1/2
    pos, neg = s[y != 0], s[y == 0]
    return (np.sum(pos[:, None] > neg[None, :]) + 0.5 * np.sum(pos[:, None] == neg[None, :])) / (len(pos) * len(neg))
def average_precision(y, s):                                 # sum over distinct thresholds of (R_n - R_n-1) P_n
    total = 0.0
    for th in np.unique(s):
        sel = s >= th
        hits_here = np.sum((s == th) & (y != 0))
        total += hits_here / np.sum(y != 0) * (np.sum(sel & (y != 0)) / np.sum(sel))
    return total
yf, sf = T.ravel(), p.ravel()
out["auc_roc_keras"] = keras_roc(yf, sf)
out["auc_pr_keras"] = keras_pr(yf, sf)
out["auc_roc_exact"] = mann_whitney(yf, sf)
out["auc_pr_exact"] = average_precision(yf, sf)

cm = np.zeros((c, c), dtype=int)
for a, b in zip(truth, pred_class):
    cm[a, b] += 1

# scikit-learn's classification_report layout, from its source
names = ["alpha", "beta", "gamma", "delta"]
prec = np.array([cm[k, k] / cm[:, k].sum() if cm[:, k].sum() else 0.0 for k in range(c)])
rec = np.array([cm[k, k] / cm[k].sum() if cm[k].sum() else 0.0 for k in range(c)])
f1 = np.array([2 * cm[k, k] / (cm[:, k].sum() + cm[k].sum()) if cm[:, k].sum() + cm[k].sum() else 0.0 for k in range(c)])
supp = cm.sum(1)
digits = 2
width = max(max(len(x) for x in names), len("weighted avg"), digits)
report = ("{:>{width}s} " + " {:>9}" * 4).format("", "precision", "recall", "f1-score", "support", width=width) + "\n\n"
row_fmt = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
for k in range(c):
    report += row_fmt.format(names[k], prec[k], rec[k], f1[k], supp[k], width=width, digits=digits)
report += "\n"
report += ("{:>{width}s} " + " {:>9.{digits}}" * 2 + " {:>9.{digits}f}" + " {:>9}\n").format(
    "accuracy", "", "", np.trace(cm) / n, n, width=width, digits=digits)
report += row_fmt.format("macro avg", prec.mean(), rec.mean(), f1.mean(), n, width=width, digits=digits)
report += row_fmt.format("weighted avg", (prec * supp).sum() / n, (rec * supp).sum() / n, (f1 * supp).sum() / n, n,
                         width=width, digits=digits)
with open("report.txt", "w") as f:
    f.write(report)

# Regression: 300 rows, 2 outputs
m = 300
yt = rng.normal(size=(m, 2)).astype(np.float32)
yh = (yt + 0.3 * rng.normal(size=(m, 2))).astype(np.float32)
with open("regression.csv", "w") as f:
    for r in range(m):
        f.write(",".join(repr(float(v)) for v in yt[r]) + "," + ",".join(repr(float(v)) for v in yh[r]) + "\n")
a, b = yt.astype(np.float64), yh.astype(np.float64)
out["mae"] = np.mean(np.abs(b - a))
out["mse"] = np.mean((b - a) ** 2)
out["rmse"] = np.sqrt(out["mse"])
out["r2"] = np.mean(1 - ((a - b) ** 2).sum(0) / ((a - a.mean(0)) ** 2).sum(0))

with open("expected.txt", "w") as f:
    for k, v in out.items():
        f.write(f"{k}={float(v)!r}\n")
    f.write("confusion=" + ";".join(",".join(str(v) for v in row) for row in cm) + "\n")
