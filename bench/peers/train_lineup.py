#!/usr/bin/python3
"""Peer of `staycast train examples/los.yaml`: the seed's line-up in pandas + scikit-learn, written
as a careful user would: pandas load, one-hot, median fill, the same temporal split, then random
forest, gradient boosting, ridge and SVR with the hyperparameters of Staycast's defaults (SVR on a
5000-row subsample, like max_train_rows), the mean/median baselines, the best by validation MAE.
Prints the chosen model's test MAE as the last stdout line: {"metric": "mae", "value": ...}.
"""
import argparse
import json
import sys

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import Ridge
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR

sys.path.insert(0, __import__("os").path.dirname(__file__))
import train_common as tc  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--gbdt-only", action="store_true")
    args = ap.parse_args()
    df = tc.load(args.data)
    tr, va, ca, te = tc.split(df)
    x = tc.features(df, tr)
    y = df["length_of_stay"].to_numpy()
    xtr, ytr, xva, yva, xte, yte = x.loc[tr], y[tr], x.loc[va], y[va], x.loc[te], y[te]
    results = {}
    # Baselines.
    results["mean"] = (tc.mae(yva, np.full(len(yva), ytr.mean())), np.full(len(yte), ytr.mean()))
    results["median"] = (tc.mae(yva, np.full(len(yva), np.median(ytr))),
                         np.full(len(yte), np.median(ytr)))
    # Gradient boosting: 300 rounds, depth 6, learning rate 0.1, early stopping after 20.
    gb = HistGradientBoostingRegressor(max_iter=300, learning_rate=0.1, max_depth=6,
                                       early_stopping=True, n_iter_no_change=20,
                                       validation_fraction=0.1, random_state=42)
    gb.fit(xtr, ytr)
    results["gradient_boosting"] = (tc.mae(yva, gb.predict(xva)), gb.predict(xte))
    if not args.gbdt_only:
        rf = RandomForestRegressor(n_estimators=100, max_depth=8, max_samples=0.8,
                                   max_features=0.8, n_jobs=args.threads, random_state=42)
        rf.fit(xtr, ytr)
        results["random_forest"] = (tc.mae(yva, rf.predict(xva)), rf.predict(xte))
        sc = StandardScaler().fit(xtr)
        ztr, zva, zte = sc.transform(xtr), sc.transform(xva), sc.transform(xte)
        ridge = Ridge(alpha=1.0).fit(ztr, ytr)
        results["ridge"] = (tc.mae(yva, ridge.predict(zva)), ridge.predict(zte))
        # SVR on a 5000-row random subsample, standardised target, gamma "scale".
        rng = np.random.default_rng(42)
        sub = rng.choice(len(ytr), size=min(5000, len(ytr)), replace=False)
        ym, ys = ytr[sub].mean(), ytr[sub].std()
        svr = SVR(C=1.0, epsilon=0.1, gamma=1.0 / ztr.shape[1]).fit(ztr[sub], (ytr[sub] - ym) / ys)
        results["svr"] = (tc.mae(yva, ym + ys * svr.predict(zva)), ym + ys * svr.predict(zte))
    models = {k: v for k, v in results.items() if k not in ("mean", "median")}
    chosen = min(models, key=lambda k: models[k][0])
    for k, (v, p) in results.items():
        print(f"{k:20s} valid mae {v:.4f} test mae {tc.mae(yte, p):.4f}")
    print(f"chosen {chosen}")
    print(json.dumps({"metric": "mae", "value": tc.mae(yte, models[chosen][1]), "chosen": chosen}))


if __name__ == "__main__":
    main()
