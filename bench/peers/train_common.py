"""Shared by the training peers: the seed's features in pandas (as a careful pandas user writes them)
and the same honest split as `staycast train` (temporal on admit_time: latest 20% test, the 10%
before it calibration, the 10% before that validation; earlier rows of test-period patients dropped).
"""
import numpy as np
import pandas as pd

NUMERIC = ["age", "diabetes", "hypertension", "heart_disease", "copd", "ckd"]
ONEHOT = ["gender", "insurance_type", "department", "admission_type"]


def load(path):
    return pd.read_csv(path, parse_dates=["admit_time", "discharge_time"],
                       dtype={"severity": "string", "diagnosis_codes": "string"},
                       keep_default_na=True, na_values=["", "NA", "N/A", "NULL", "?"])


def split(df, test=0.2, valid=0.1, cal=0.1):
    """Index arrays (train, valid, cal, test) of rows with a target, as `staycast train` splits."""
    rows = df.index[df["length_of_stay"].notna()]
    order = df.loc[rows].sort_values("admit_time", kind="stable").index.to_numpy()
    n = len(order)
    cut = lambda f: int(round(n * f))  # noqa: E731
    t0 = n - cut(test)
    c0 = t0 - cut(cal)
    v0 = c0 - cut(valid)
    test_idx = order[t0:]
    test_patients = set(df.loc[test_idx, "patient_id"])
    before = order[:t0]
    before = before[~df.loc[before, "patient_id"].isin(test_patients).to_numpy()]
    pos = {r: i for i, r in enumerate(order)}
    p = np.array([pos[r] for r in before])
    return before[p < v0], before[(p >= v0) & (p < c0)], before[p >= c0], test_idx


def features(df, train_idx):
    """The seed's feature matrix, fitted (medians, categories) on the training rows only."""
    out = pd.DataFrame(index=df.index)
    train = df.loc[train_idx]
    med = train["age"].median()
    out["age"] = df["age"].fillna(med)
    out["age_missing"] = df["age"].isna().astype(float)
    for c in NUMERIC[1:]:
        out[c] = df[c].fillna(0)
    out["chronic_count"] = df[NUMERIC[1:]].fillna(0).sum(axis=1)
    for c in ONEHOT:
        keep = train[c].value_counts()
        keep = keep[keep >= 20].index
        for v in keep:
            out[f"{c}={v}"] = (df[c] == v).astype(float)
    out["emergency"] = (df["admission_type"] == "Emergency").astype(float)
    out["surgery"] = df["department"].isin(["General Surgery", "Orthopedics"]).astype(float)
    out["severity"] = pd.to_numeric(df["severity"], errors="coerce")
    out["severity"] = out["severity"].fillna(out.loc[train_idx, "severity"].median())
    out["admit_dow"] = df["admit_time"].dt.dayofweek
    out["admit_month"] = df["admit_time"].dt.month
    out["admit_weekend"] = (out["admit_dow"] >= 5).astype(float)
    out["dx_count"] = df["diagnosis_codes"].fillna("").str.count(";") + df["diagnosis_codes"].notna()
    # Point-in-time history over the same patient's earlier stays (by admission order).
    s = df.sort_values(["patient_id", "admit_time"], kind="stable")
    g = s.groupby("patient_id", sort=False)
    prev_visits = g.cumcount()
    los = s["length_of_stay"].fillna(0)
    prev_los_sum = los.groupby(s["patient_id"], sort=False).cumsum() - los
    prev_los_n = (s["length_of_stay"].notna().astype(float)
                  .groupby(s["patient_id"], sort=False).cumsum()
                  - s["length_of_stay"].notna().astype(float))
    prev_los = (prev_los_sum / prev_los_n).where(prev_los_n > 0)
    last_discharge = g["discharge_time"].shift()
    days_since = (s["admit_time"] - last_discharge).dt.total_seconds() / 86400
    readm = s["readmitted_30d"].fillna(0)
    prev_readm = readm.groupby(s["patient_id"], sort=False).cumsum() - readm
    out.loc[s.index, "previous_visits"] = prev_visits.to_numpy()
    out.loc[s.index, "avg_previous_los"] = prev_los.to_numpy()
    out.loc[s.index, "days_since_last_discharge"] = days_since.fillna(-1).to_numpy()
    out.loc[s.index, "previous_readmissions"] = prev_readm.to_numpy()
    out["first_visit"] = (out["previous_visits"] == 0).astype(float)
    out["avg_previous_los"] = out["avg_previous_los"].fillna(
        out.loc[train_idx, "avg_previous_los"].median())
    return out.astype(np.float32)


def mae(y, p):
    return float(np.mean(np.abs(np.asarray(y) - np.asarray(p))))
