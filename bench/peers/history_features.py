#!/usr/bin/env python3
# Peer for issue 3's history-feature target: the point-in-time history features of
# bench/peers/history_features.yaml written the way a careful pandas user would (sort, groupby
# cumulative ops, merge_asof), timed against `staycast features` on the same CSV (A B A B ...).
#
# Run: build/staycast generate --rows 1000000 --seed 3 --out /tmp/adm1m.csv
#      /usr/bin/python3 bench/peers/history_features.py --data /tmp/adm1m.csv --staycast build/staycast
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

DAY = pd.Timedelta(days=1)
FEATURES = ["previous_visits", "visits_last_year", "avg_previous_los",
            "days_since_last_discharge", "previous_readmissions", "first_visit"]


def read(path):
    return pd.read_csv(
        path, usecols=["admission_id", "patient_id", "admit_time", "discharge_time",
                       "length_of_stay", "readmitted_30d"],
        dtype={"admission_id": str, "patient_id": str},
        na_values=["", "NA", "N/A", "NULL", "?"], keep_default_na=False)


def parse_times(df):
    for c in ("admit_time", "discharge_time"):
        df[c] = pd.to_datetime(df[c], format="%Y-%m-%d %H:%M:%S")
    return df


def last_known_before(rows, facts, known, cols):
    """For each row, `cols` of its patient's fact with the latest `known` time strictly before
    the row's admission (merge_asof, backward, exact matches excluded)."""
    right = facts[["patient_id", known] + cols].dropna(subset=[known]).sort_values(known)
    return pd.merge_asof(rows, right, left_on="admit_time", right_on=known, by="patient_id",
                         direction="backward", allow_exact_matches=False)


def history_features(df):
    """Point-in-time features; rows keep the input order. Facts about a stay are known at
    max(admission, event + offset): LOS at discharge, readmission at discharge + 30 days."""
    df = df.reset_index(drop=True)
    df["row"] = np.arange(len(df))
    df = df.sort_values(["patient_id", "admit_time"], kind="stable")
    g = df.groupby("patient_id", sort=False)["admit_time"]
    # Admissions strictly before this one (ties at the same time are not "previous").
    df["previous_visits"] = (g.rank(method="min") - 1).astype("int64")

    rows = df[["row", "patient_id", "admit_time"]].sort_values("admit_time", kind="stable")

    # Visits in [admit - 365 d, admit): previous visits minus those before the first admission at
    # or after admit - 365 d (found with a forward merge_asof).
    lo = rows.assign(lo=rows["admit_time"] - 365 * DAY).sort_values("lo", kind="stable")
    firsts = df[["patient_id", "admit_time", "previous_visits"]].rename(
        columns={"admit_time": "a", "previous_visits": "before_a"}).sort_values("a")
    w = pd.merge_asof(lo, firsts, left_on="lo", right_on="a", by="patient_id",
                      direction="forward").set_index("row")["before_a"]

    # Mean previous LOS and days since the last discharge: cumulative sums over each patient's
    # stays in order of discharge, looked up at the last discharge strictly before the admission.
    facts = df[["patient_id", "admit_time", "discharge_time", "length_of_stay",
                "readmitted_30d"]].copy()
    facts["known"] = facts[["admit_time", "discharge_time"]].max(axis=1, skipna=False)
    facts = facts.sort_values(["patient_id", "known"], kind="stable")
    fg = facts.groupby("patient_id", sort=False)
    facts["los_sum"] = fg["length_of_stay"].cumsum()
    facts["los_n"] = facts["length_of_stay"].notna().groupby(facts["patient_id"]).cumsum()
    facts["los_sum"] = facts["los_sum"].ffill().where(facts["los_n"] > 0, 0.0)
    facts["last_discharge"] = fg["discharge_time"].cummax()
    m = last_known_before(rows, facts, "known", ["los_sum", "los_n", "last_discharge"])
    m = m.set_index("row")

    # Previous readmissions, known 30 days after each discharge.
    r = facts[["patient_id", "admit_time", "discharge_time", "readmitted_30d"]].copy()
    r["known"] = np.maximum(r["admit_time"], r["discharge_time"] + 30 * DAY)
    r = r.sort_values(["patient_id", "known"], kind="stable")
    r["readmit_sum"] = r["readmitted_30d"].fillna(0).groupby(r["patient_id"]).cumsum()
    rm = last_known_before(rows, r, "known", ["readmit_sum"]).set_index("row")

    out = df.set_index("row").sort_index()[["admission_id", "admit_time", "previous_visits"]]
    out["visits_last_year"] = out["previous_visits"] - w.sort_index()
    n = m["los_n"].sort_index().fillna(0)
    out["avg_previous_los"] = (m["los_sum"].sort_index() / n).where(n > 0, 0.0)
    since = (out["admit_time"] - m["last_discharge"].sort_index()) / DAY
    out["days_since_last_discharge"] = since.fillna(-1.0)
    out["previous_readmissions"] = rm["readmit_sum"].sort_index().fillna(0.0)
    out["first_visit"] = (out["previous_visits"] == 0).astype("int64")
    return out[["admission_id"] + FEATURES]


def run_pandas(data, out):
    """Read, compute, write; returns (wall seconds, CPU seconds) of the whole and of the history
    computation alone (after the read, before the write)."""
    t0, c0 = time.perf_counter(), time.process_time()
    df = parse_times(read(data))
    t1, c1 = time.perf_counter(), time.process_time()
    features = history_features(df)
    t2, c2 = time.perf_counter(), time.process_time()
    features.to_csv(out, index=False)
    return time.perf_counter() - t0, time.process_time() - c0, t2 - t1, c2 - c1


def run_staycast(binary, config, data, out):
    """Runs `staycast features`; returns (wall seconds, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([binary, "features", config, "--data", data, "--out", out], check=True,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def compare(ours, theirs):
    """Largest absolute difference per feature between the two outputs (same ids, same order)."""
    a = pd.read_csv(ours)
    b = pd.read_csv(theirs)
    assert list(a["admission_id"]) == list(b["admission_id"]), "row order differs"
    return {f: float(np.nanmax(np.abs(a[f].to_numpy(float) - b[f].to_numpy(float))))
            for f in FEATURES}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--data", required=True, help="CSV from `staycast generate`")
    p.add_argument("--staycast", default="build/staycast")
    p.add_argument("--config", default=os.path.join(here, "history_features.yaml"))
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--pandas-only", metavar="OUT",
                   help="only run the pandas side once, write OUT, print a JSON line (bench/run)")
    args = p.parse_args()
    if args.pandas_only:
        wall, cpu, compute, compute_cpu = run_pandas(args.data, args.pandas_only)
        print(json.dumps({"metric": "rows", "value": sum(1 for _ in open(args.data)) - 1,
                          "seconds": wall, "cpu_seconds": cpu, "history_seconds": compute}))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        ours, theirs = os.path.join(tmp, "staycast.csv"), os.path.join(tmp, "pandas.csv")
        st, st_cpu, pd_total, pd_cpu, pd_compute, pd_compute_cpu = [], [], [], [], [], []
        for _ in range(args.repeats):  # A B A B ...
            wall, cpu = run_staycast(args.staycast, args.config, args.data, ours)
            st.append(wall)
            st_cpu.append(cpu)
            wall, cpu, compute, compute_cpu = run_pandas(args.data, theirs)
            pd_total.append(wall)
            pd_cpu.append(cpu)
            pd_compute.append(compute)
            pd_compute_cpu.append(compute_cpu)
        diffs = compare(ours, theirs)
    rows = sum(1 for _ in open(args.data)) - 1
    print(f"rows: {rows}")
    print("max |staycast - pandas| per feature: " +
          ", ".join(f"{k} {v:.2g}" for k, v in diffs.items()))
    med = statistics.median
    show = lambda xs: ", ".join(f"{x:.3f}" for x in xs)  # noqa: E731
    print(f"staycast features (read + history + write): wall median {med(st):.3f} s "
          f"({show(st)}), CPU median {med(st_cpu):.3f} s")
    print(f"pandas (read + history + write):            wall median {med(pd_total):.3f} s "
          f"({show(pd_total)}), CPU median {med(pd_cpu):.3f} s")
    print(f"pandas history only (after read, before write): wall median {med(pd_compute):.3f} s "
          f"({show(pd_compute)}), CPU median {med(pd_compute_cpu):.3f} s")
    print("(staycast's history computation alone: build/bench/features_bench "
          "--benchmark_filter=History)")
    print(f"ratio pandas / staycast, end to end: wall {med(pd_total) / med(st):.1f}x, "
          f"CPU {med(pd_cpu) / med(st_cpu):.1f}x")
    return 0 if max(diffs.values()) < 1e-6 else 1


if __name__ == "__main__":
    sys.exit(main())
