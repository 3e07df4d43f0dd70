"""CSV ingest: Staycast's reader vs pandas.read_csv (issue 2: >= 3x pandas, >= 150 MB/s on one core).

Both sides time the read inside their process (bench/csv_ingest read, bench/peers/read_csv.py), so
Python's start-up is not charged to pandas; peak RSS is the whole process's.
"""
import os

import benchlib


def _inner(measure, fields):
    """The measure with wall/CPU replaced by the in-process timing the program printed."""
    return benchlib.Measure(wall_s=fields["seconds"], cpu_s=fields["cpu_seconds"],
                            peak_rss_mb=measure.peak_rss_mb, stdout=measure.stdout)


def _parse_staycast(measure):
    fields = dict(kv.split("=") for kv in measure.stdout.split())
    return {k: float(v) for k, v in fields.items()}


def run(ctx):
    tool = os.path.join(ctx.build_dir, "bench", "csv_ingest")
    results = []
    for rows in ctx.rows:
        data = ctx.data(rows)
        with open(data, "rb") as f:  # warm the page cache for both readers
            while f.read(1 << 24):
                pass
        ours, peer = [], []
        for _ in range(ctx.rounds):  # A B A B ...
            m = ctx.measure([tool, "read", data], rounds=1)
            ours.append(_inner(m, _parse_staycast(m)))
            m = ctx.measure([ctx.python, os.path.join(ctx.source_dir, "bench/peers/read_csv.py"),
                             data], rounds=1)
            peer.append(_inner(m, m.last_json()))
        a, b = benchlib.median(ours), benchlib.median(peer)
        mb = ctx.file_mb(data)
        mbps = mb / a.wall_s
        ratio = b.wall_s / a.wall_s
        results.append(benchlib.Result(
            case="CSV ingest", rows=rows, staycast=a, peer=b, peer_name="pandas.read_csv",
            metric_name="MB/s", staycast_metric=round(mbps, 1), peer_metric=round(mb / b.wall_s, 1),
            target=">= 3x pandas, >= 150 MB/s", passed=(ratio >= 3 and mbps >= 150) if rows >= 100000 else None,
            note=f"{mb:.0f} MB file; {mb / a.cpu_s:.0f} MB/s per CPU-second"))
    return results
