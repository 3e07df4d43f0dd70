"""History features: `staycast features` vs the same point-in-time features in pandas (issue 3:
>= 10x the pandas groupby implementation on 1M rows). Whole processes, read + compute + write.

The pandas peer (bench/peers/history_features.py --pandas-only) sorts, uses groupby cumulative
operations and merge_asof, as a careful pandas user would; bench/peers/history_features.py without
--pandas-only also checks both outputs agree to 1e-6.
"""
import os

import benchlib


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
        ratio = b.wall_s / a.wall_s
        results.append(benchlib.Result(
            case="history features", rows=rows, staycast=a, peer=b, peer_name="pandas groupby",
            target=">= 10x pandas (at 1M rows)",
            passed=(ratio >= 10) if rows >= 1000000 else None,
            note=f"CPU ratio {b.cpu_s / a.cpu_s:.1f}x"))
    return results
