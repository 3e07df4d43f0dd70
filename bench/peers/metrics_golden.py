#!/usr/bin/python3
# Golden values for the metrics library: seeded test vectors and scikit-learn's metrics on them,
# written to tests/golden/metrics_golden.json (read by src/eval/metrics_golden_test.cc).
# Run from the repository root with Debian's Python:  /usr/bin/python3 bench/peers/metrics_golden.py
# Needs Debian's python3-sklearn (scikit-learn 1.2); the versions used are recorded in the JSON.
import json
import sys
import warnings

import numpy as np
import scipy
import scipy.optimize
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (accuracy_score, average_precision_score, balanced_accuracy_score,
                             brier_score_loss, confusion_matrix, log_loss, mean_absolute_error,
                             mean_squared_error, median_absolute_error,
                             precision_recall_curve, precision_recall_fscore_support,
                             r2_score, roc_auc_score, roc_curve)

LOGIT_EPS = 1e-15  # kLogitEpsilon in src/eval/metrics_classification.h
BINS = 10


def classification_vectors(rng):
    out = []
    n = 300
    y = (rng.random(n) < 0.3).astype(int)
    p = 1 / (1 + np.exp(-(rng.normal(0, 1, n) + 1.2 * y - 1.0)))
    out.append(("random_300", y, p))
    # Ties: probabilities rounded to one decimal, many of them exactly on calibration bin edges.
    n = 200
    y = (rng.random(n) < 0.4).astype(int)
    p = np.round(np.clip(0.4 + 0.25 * (y - 0.4) + rng.normal(0, 0.2, n), 0, 1), 1)
    out.append(("ties_rounded", y, p))
    # Imbalanced: 5% prevalence, as readmission is.
    n = 400
    y = np.zeros(n, dtype=int)
    y[rng.choice(n, 20, replace=False)] = 1
    p = 1 / (1 + np.exp(-(rng.normal(-3.0, 1.0, n) + 1.5 * y)))
    out.append(("imbalanced_5pct", y, p))
    out.append(("small_7", np.array([0, 1, 0, 1, 1, 0, 0]),
                np.array([0.1, 0.8, 0.35, 0.35, 0.9, 0.6, 0.05])))
    # All scores equal: AUC 0.5 and AP = prevalence.
    y = (rng.random(50) < 0.3).astype(int)
    out.append(("all_equal", y, np.full(50, 0.3)))
    # Probabilities of exactly 0 and 1, some confidently wrong: log loss clipping matters.
    n = 120
    y = (rng.random(n) < 0.5).astype(int)
    p = np.clip(np.round(0.5 + 0.6 * (y - 0.5) + rng.normal(0, 0.35, n), 2), 0, 1)
    out.append(("extremes", y, p))
    return out


def regression_vectors(rng):
    out = []
    n = 300
    a = np.round(rng.lognormal(1.2, 0.7, n), 1)
    pred = a * np.exp(rng.normal(0, 0.3, n)) + rng.normal(0.2, 0.5, n)
    half = rng.uniform(0.5, 3.0, n)
    out.append(("los_300", a, pred, pred - half, pred + half))
    out.append(("small_even_6", np.array([1.0, 2.0, 3.0, 8.0, 15.0, 0.5]),
                np.array([1.5, 2.0, 5.0, 6.0, 10.0, 1.0]), None, None))
    a = np.full(40, 3.0)
    out.append(("constant_actual", a, a + rng.normal(0, 1, 40), None, None))
    a = np.round(rng.uniform(0, 20, 25), 0)
    out.append(("perfect", a, a.copy(), None, None))
    return out


def calibration_fit(y, p):
    x = np.log(np.clip(p, LOGIT_EPS, 1 - LOGIT_EPS) / (1 - np.clip(p, LOGIT_EPS, 1 - LOGIT_EPS)))
    lr = LogisticRegression(penalty=None, solver="newton-cg", tol=1e-12, max_iter=10000)
    lr.fit(x.reshape(-1, 1), y)

    def score(c):  # derivative of the log-likelihood with logit(p) as an offset
        return np.sum(y - 1 / (1 + np.exp(-(c + x))))
    citl = scipy.optimize.brentq(score, -30, 30, xtol=1e-14, rtol=1e-14, maxiter=500)
    return {"intercept": float(lr.intercept_[0]), "slope": float(lr.coef_[0][0]),
            "intercept_in_the_large": float(citl)}


def classification_expected(y, p):
    e = {"prevalence": float(np.mean(y)),
         "brier": float(brier_score_loss(y, p)),
         "log_loss": float(log_loss(y, p, labels=[0, 1]))}
    if 0 < y.sum() < len(y):
        e["roc_auc"] = float(roc_auc_score(y, p))
        fpr, tpr, _ = roc_curve(y, p, drop_intermediate=False)
        e["roc_fpr"] = fpr.tolist()
        e["roc_tpr"] = tpr.tolist()
        # With one distinct score the slope is not identifiable; with perfectly separating scores
        # it is infinite. The library refuses both (FailedPrecondition).
        if len(np.unique(p)) > 1 and p[y == 0].max() >= p[y == 1].min():
            e["calibration"] = calibration_fit(y, p)
    if y.sum() > 0:
        e["average_precision"] = float(average_precision_score(y, p))
        prec, rec, thr = precision_recall_curve(y, p)
        # Drop sklearn's final (precision 1, recall 0) point; order by decreasing threshold.
        e["pr_precision"] = prec[:-1].tolist()
        e["pr_recall"] = rec[:-1].tolist()
        e["pr_thresholds"] = thr.tolist()
    prob_true, prob_pred = calibration_curve(y, p, n_bins=BINS, strategy="uniform")
    e["calibration_curve_true"] = prob_true.tolist()
    e["calibration_curve_pred"] = prob_pred.tolist()
    # ECE on sklearn's bins (np.searchsorted on the interior edges, as calibration_curve does).
    edges = np.linspace(0.0, 1.0, BINS + 1)
    ids = np.searchsorted(edges[1:-1], p)
    counts = np.bincount(ids, minlength=BINS)
    e["calibration_bin_counts"] = counts.tolist()
    nz = counts > 0
    e["ece"] = float(np.sum(counts[nz] / len(p) * np.abs(prob_true - prob_pred)))
    at = []
    for t in (0.5, 0.2, float(np.mean(y))):
        yhat = (p >= t).astype(int)
        tn, fp, fn, tp = confusion_matrix(y, yhat, labels=[0, 1]).ravel()
        prec, rec, f1, sup = precision_recall_fscore_support(y, yhat, labels=[0, 1],
                                                             zero_division=0)
        mp, mr, mf, _ = precision_recall_fscore_support(y, yhat, labels=[0, 1],
                                                        average="macro", zero_division=0)
        wp, wr, wf, _ = precision_recall_fscore_support(y, yhat, labels=[0, 1],
                                                        average="weighted", zero_division=0)
        n = len(y)
        net = {str(pt): float(tp / n - fp / n * pt / (1 - pt)) for pt in (0.05, 0.1, 0.2, 0.5)}
        at.append({"threshold": t, "tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp),
                   "accuracy": float(accuracy_score(y, yhat)),
                   "balanced_accuracy": float(balanced_accuracy_score(y, yhat)),
                   "precision": prec.tolist(), "recall": rec.tolist(), "f1": f1.tolist(),
                   "support": sup.tolist(), "macro": [mp, mr, mf], "weighted": [wp, wr, wf],
                   "net_benefit": net})
    e["at_threshold"] = at
    return e


def regression_expected(a, pred, lo, hi):
    e = {"mse": float(mean_squared_error(a, pred)),
         "rmse": float(mean_squared_error(a, pred, squared=False)),
         "mae": float(mean_absolute_error(a, pred)),
         "median_ae": float(median_absolute_error(a, pred)),
         "r2": float(r2_score(a, pred)),
         "bias": float(np.mean(pred - a))}
    if lo is not None:
        e["coverage"] = float(np.mean((lo <= a) & (a <= hi)))
        e["mean_width"] = float(np.mean(hi - lo))
    bands = []
    edges = [0, 2, 4, 7, 14, np.inf]
    for lower, upper in zip(edges[:-1], edges[1:]):
        m = (a >= lower) & (a < upper)
        band = {"count": int(m.sum())}
        if m.any():
            band["mae"] = float(mean_absolute_error(a[m], pred[m]))
            band["rmse"] = float(mean_squared_error(a[m], pred[m], squared=False))
            band["bias"] = float(np.mean(pred[m] - a[m]))
        bands.append(band)
    e["los_bands"] = bands
    return e


def main():
    # newton-cg warns that it cannot reach tol=1e-12 exactly; its answer is still within 1e-7.
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(20261203)
    cases = {"versions": {"sklearn": sklearn.__version__, "numpy": np.__version__,
                          "scipy": scipy.__version__},
             "classification": [], "regression": []}
    for name, y, p in classification_vectors(rng):
        case = {"name": name, "y": y.tolist(), "p": p.tolist(),
                "expected": classification_expected(y, p)}
        # Row counts as a bootstrap replicate would give; expected values on the expanded rows.
        counts = rng.integers(0, 3, len(y))
        counts[0] = 1
        case["counts"] = counts.tolist()
        case["expected_counted"] = classification_expected(np.repeat(y, counts),
                                                           np.repeat(p, counts))
        cases["classification"].append(case)
    for name, a, pred, lo, hi in regression_vectors(rng):
        case = {"name": name, "actual": a.tolist(), "predicted": pred.tolist(),
                "expected": regression_expected(a, pred, lo, hi)}
        if lo is not None:
            case["lower"] = lo.tolist()
            case["upper"] = hi.tolist()
        counts = rng.integers(0, 3, len(a))
        counts[0] = 1
        case["counts"] = counts.tolist()
        rep = (lambda v: None if v is None else np.repeat(v, counts))
        case["expected_counted"] = regression_expected(rep(a), rep(pred), rep(lo), rep(hi))
        cases["regression"].append(case)
    path = sys.argv[1] if len(sys.argv) > 1 else "tests/golden/metrics_golden.json"
    with open(path, "w") as f:
        json.dump(cases, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
