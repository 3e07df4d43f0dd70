"""History features (issue 3: >= 10x the equivalent pandas groupby implementation on 1M rows).

Two rows per size:
  history features (compute)  the point-in-time computation alone: FeaturePipeline::FitTransform of
                              bench/peers/history_features.yaml in process (features_bench) vs the
                              pandas groupby/merge_asof code's own timer, after its CSV read and
                              before its write (bench/peers/history_features.py --pandas-only).
                              This is the comparison the target names.
  history features (end to end) `staycast features` vs the whole pandas script: read CSV, compute,
                              write CSV, as processes (Python start-up included).
The pandas peer sorts, uses groupby cumulative operations and merge_asof, as a careful pandas user
would; bench/peers/history_features.py without --pandas-only also checks both outputs agree.
"""
import json
import os
import subprocess

import benchlib


def _kernel_seconds(ctx, rows):
    """Staycast's in-process FitTransform time (real, CPU) for `rows` generated rows."""
    binary = os.path.join(ctx.build_dir, "bench", "features_bench")
    if not os.path.exists(binary):
        return None
    proc = subprocess.run(
        [binary, f"--benchmark_filter=BM_HistoryFeaturesFitTransform/{rows}/",
         "--benchmark_format=json", "--benchmark_repetitions=1"],
        capture_output=True, text=True, timeout=900)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return None
    for b in report.get("benchmarks", []):
        scale = {"ms": 1e-3, "us": 1e-6, "ns": 1e-9, "s": 1.0}[b.get("time_unit", "ns")]
        return b["real_time"] * scale, b["cpu_time"] * scale
    return None


def run(ctx):
    config = os.path.join(ctx.source_dir, "bench/peers/history_features.yaml")
    peer = os.path.join(ctx.source_dir, "bench/peers/history_features.py")
    results = []
    for rows in ctx.rows:
        data = ctx.data(rows)
        ours_out, peer_out = ctx.path("features_staycast.csv"), ctx.path("features_pandas.csv")
        a, b = ctx.compare(
            [ctx.staycast, "features", config, "--data", data, "--out", ours_out],
            [ctx.python, peer, "--data", data, "--pandas-only", peer_out])
        judged = rows >= 1000000
        kernel = _kernel_seconds(ctx, rows) if rows in (100000, 1000000) else None
        peer_fields = b.last_json() or {}
        if kernel and "history_seconds" in peer_fields:
            ours = benchlib.Measure(wall_s=kernel[0], cpu_s=kernel[1], peak_rss_mb=0)
            theirs = benchlib.Measure(wall_s=peer_fields["history_seconds"],
                                      cpu_s=peer_fields.get("history_cpu_seconds", 0),
                                      peak_rss_mb=0)
            ratio = theirs.wall_s / ours.wall_s
            results.append(benchlib.Result(
                case="history features (compute)", rows=rows, staycast=ours, peer=theirs,
                peer_name="pandas groupby", target=">= 10x pandas (1M rows)",
                passed=(ratio >= 10) if judged else None,
                note="in-process timers; the pandas figure is from the last alternating run"))
        ratio = b.wall_s / a.wall_s
        results.append(benchlib.Result(
            case="history features (end to end)", rows=rows, staycast=a, peer=b,
            peer_name="pandas script", target="(no target; read + compute + write)",
            passed=None, note=f"CPU ratio {b.cpu_s / a.cpu_s:.1f}x"))
    return results
