"""Peer for the serving benchmark: a careful Flask user's server around the SAME XGBoost model.

Loads a Staycast bundle's model_state.json with xgboost-python and serves POST /predict (one
admission as a JSON object). Per request it does the feature work a careful Flask user would write
by hand: numeric fields by name, one-hots ("department=Cardiology", "__missing__", "__other__"),
the emergency/surgery flags, age bins, chronic count, admission weekday/month/weekend, the number
of diagnosis codes; Charlson groups and history features are left missing (NaN), so this peer does
LESS work per request than Staycast (no code-group matching, no history, no warnings, no
intervals). Then one single-row inplace_predict.

Usage: serve_flask.py BUNDLE_DIR PORT   (prints "ready" when listening; stop with SIGTERM)
"""
import datetime
import json
import logging
import math
import os
import sys

import numpy as np
import xgboost
from flask import Flask, jsonify, request

AGE_EDGES = [18, 40, 65, 80]
AGE_LABELS = ["<18", "18-39", "40-64", "65-79", "80+"]
# onehot prefix in the model -> request field
ONEHOT = {"gender": "gender", "insurance": "insurance_type", "department": "department",
          "admission_type": "admission_type", "age_group": None}
CHRONIC = ["diabetes", "hypertension", "heart_disease", "copd", "ckd"]


def load(bundle):
    with open(os.path.join(bundle, "model_state.json")) as f:
        state = json.load(f)
    names = json.loads(state["learner"]["attributes"]["staycast_feature_names"])
    booster = xgboost.Booster()
    booster.load_model(os.path.join(bundle, "model_state.json"))
    booster.set_param({"nthread": 1})
    return booster, names


def main():
    bundle, port = sys.argv[1], int(sys.argv[2])
    booster, names = load(bundle)
    index = {n: i for i, n in enumerate(names)}
    onehots = {}  # prefix -> {value: column}
    for n, i in index.items():
        if "=" in n:
            prefix, value = n.split("=", 1)
            onehots.setdefault(prefix, {})[value] = i
    app = Flask(__name__)

    def put(row, name, value):
        i = index.get(name)
        if i is not None:
            row[i] = value

    def onehot(row, prefix, value):
        cols = onehots.get(prefix)
        if not cols:
            return
        for i in cols.values():
            row[i] = 0.0
        if value is None or value == "":
            key = "__missing__"
        else:
            key = str(value) if str(value) in cols else "__other__"
        if key in cols:
            row[cols[key]] = 1.0

    @app.post("/predict")
    def predict():
        body = request.get_json(force=True, silent=True)
        if not isinstance(body, dict):
            return jsonify(error="expected one admission as a JSON object"), 400
        row = np.full((1, len(names)), np.nan, dtype=np.float32)
        r = row[0]
        age = body.get("age")
        put(r, "age", float(age) if age is not None else np.nan)
        put(r, "age_missing", 0.0 if age is not None else 1.0)
        group = None
        if age is not None:
            group = AGE_LABELS[sum(1 for e in AGE_EDGES if float(age) >= e)]
        onehot(r, "age_group", group)
        for prefix, field in ONEHOT.items():
            if field is not None:
                onehot(r, prefix, body.get(field))
        put(r, "emergency", 1.0 if body.get("admission_type") == "Emergency" else 0.0)
        put(r, "surgery", 1.0 if "Surgery" in str(body.get("department", "")) else 0.0)
        sev = body.get("severity")
        put(r, "severity", float(sev) if sev not in (None, "") else np.nan)
        put(r, "chronic_count", float(sum(float(body.get(c) or 0) for c in CHRONIC)))
        codes = body.get("diagnosis_codes") or ""
        put(r, "dx_count", float(len([c for c in codes.split(";") if c])))
        t = body.get("admit_time")
        if t:
            d = datetime.datetime.fromisoformat(t)
            put(r, "admit_day_of_week", float(d.weekday()))
            put(r, "admit_month", float(d.month))
            put(r, "admit_weekend", 1.0 if d.weekday() >= 5 else 0.0)
        value = float(booster.inplace_predict(row)[0])
        if not math.isfinite(value):
            return jsonify(error="non-finite prediction"), 500
        return jsonify(prediction=value)

    # Generous to the peer: no per-request access log, and HTTP/1.0 (a connection per request),
    # which measured faster here than werkzeug's HTTP/1.1 keep-alive (639 vs 467 req/s).
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    print("ready", flush=True)
    app.run(host="127.0.0.1", port=port, threaded=True)


if __name__ == "__main__":
    main()
