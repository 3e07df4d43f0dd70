#!/usr/bin/python3
"""Peer of `staycast train` with gradient boosting alone: pandas + xgboost-python on the same
features and split, with Staycast's gradient_boosting defaults (hist, 300 rounds, depth 6, learning
rate 0.1, early stopping after 20 rounds on the validation split). Prints the test MAE as the last
stdout line: {"metric": "mae", "value": ...}.
"""
import argparse
import json
import os
import sys

import xgboost as xgb

sys.path.insert(0, os.path.dirname(__file__))
import train_common as tc  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    df = tc.load(args.data)
    tr, va, ca, te = tc.split(df)
    x = tc.features(df, tr)
    y = df["length_of_stay"].to_numpy()
    model = xgb.XGBRegressor(tree_method="hist", n_estimators=300, max_depth=6, learning_rate=0.1,
                             early_stopping_rounds=20, n_jobs=args.threads, random_state=42)
    model.fit(x.loc[tr], y[tr], eval_set=[(x.loc[va], y[va])], verbose=False)
    pred = model.predict(x.loc[te])
    print(f"best iteration {model.best_iteration}")
    print(json.dumps({"metric": "mae", "value": tc.mae(y[te], pred)}))


if __name__ == "__main__":
    main()
