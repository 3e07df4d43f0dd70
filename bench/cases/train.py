"""Training (issue 4): `staycast train` against the same work in Python, whole processes, on the same
generated data and 2 threads each side.

  lineup       examples/los.yaml (gradient boosting, random forest, ridge, SVR + mean/median
               baselines) vs bench/peers/train_lineup.py (pandas + scikit-learn): >= 10x faster
               with an equal or better test MAE of the chosen model.
  gbdt alone   a config with only gradient_boosting vs bench/peers/train_xgb.py (pandas +
               xgboost-python, same parameters): >= 2x faster.
  readmission  examples/readmission.yaml, no peer (time and peak memory only).
  Every Staycast row also checks peak RSS <= 2x the input CSV's size.

OMP_WAIT_POLICY=PASSIVE is set for both sides: on a shared machine, spinning OpenMP threads (XGBoost,
Eigen, scikit-learn) otherwise measure the neighbours' load more than the work.
"""
import json
import os

import benchlib

THREADS = 2
VARIANTS = ("lineup", "gbdt", "readmission")  # bench/run --only train:gbdt


def _config(ctx, example, name, models):
    """The example config with a `models:` section appended, written to the work directory."""
    with open(os.path.join(ctx.source_dir, "examples", example)) as f:
        text = f.read()
    path = ctx.path(name)
    with open(path, "w") as f:
        f.write(text + models)
    return path


def _chosen_metric(bundle, metric):
    with open(os.path.join(bundle, "metrics.json")) as f:
        return json.load(f)["test"][metric]


def run(ctx):
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE")
    lineup = _config(ctx, "los.yaml", "bench_los_lineup.yaml", f"models:\n  threads: {THREADS}\n")
    gbdt = _config(ctx, "los.yaml", "bench_los_gbdt.yaml",
                   f"models:\n  threads: {THREADS}\n  candidates: [gradient_boosting]\n")
    readmission = _config(ctx, "readmission.yaml", "bench_readmission.yaml",
                          f"models:\n  threads: {THREADS}\n")
    peers = os.path.join(ctx.source_dir, "bench", "peers")
    results = []
    for rows in ctx.rows:
        data = ctx.data(rows)
        input_mb = ctx.file_mb(data)
        judged = rows >= 100000
        for variant, case, config, peer_cmd, peer_name, speed_target, need in [
            ("lineup", "train lineup", lineup,
             [ctx.python, os.path.join(peers, "train_lineup.py"), "--data", data,
              "--threads", str(THREADS)], "pandas+sklearn", ">= 10x peer, MAE <= peer", 10),
            ("gbdt", "train gbdt alone", gbdt,
             [ctx.python, os.path.join(peers, "train_xgb.py"), "--data", data,
              "--threads", str(THREADS)], "pandas+xgboost", ">= 2x peer", 2),
            ("readmission", "train readmission", readmission, None, "", "", None),
        ]:
            if not ctx.wants("train", variant):
                continue
            bundle = ctx.path("bench_bundle")
            ours = [ctx.staycast, "train", config, "--data", data, "--out", bundle, "--overwrite",
                    "-q"]
            if peer_cmd:
                a, b = ctx.compare(ours, peer_cmd, env=env, timeout=3600)
            else:
                a, b = ctx.measure(ours, env=env, timeout=3600), None
            metric = "mae" if "readmission" not in case else "pr_auc"
            ours_metric = _chosen_metric(bundle, metric)
            peer_metric = (b.last_json() or {}).get("value") if b else None
            rss_ok = a.peak_rss_mb <= 2 * input_mb
            note = (f"peak RSS {a.peak_rss_mb:.0f} MB = {a.peak_rss_mb / input_mb:.1f}x the "
                    f"{input_mb:.0f} MB input (target <= 2x: {'ok' if rss_ok else 'not met'})")
            passed = None
            if b and judged:
                ratio = b.wall_s / a.wall_s
                passed = ratio >= need and rss_ok
                if metric == "mae" and peer_metric is not None and "lineup" in case:
                    passed = passed and ours_metric <= peer_metric
                note += f"; CPU ratio {b.cpu_s / a.cpu_s:.1f}x"
            elif judged:
                passed = rss_ok
            results.append(benchlib.Result(
                case=case, rows=rows, staycast=a, peer=b, peer_name=peer_name,
                metric_name=f"test {metric}", staycast_metric=ours_metric,
                peer_metric=peer_metric, target=(speed_target + "; " if speed_target else "") +
                "RSS <= 2x input", passed=passed, note=note))
    return results
