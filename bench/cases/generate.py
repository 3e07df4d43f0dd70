"""Synthetic data: `staycast generate` to CSV, whole process (issue 2: constant memory as rows grow;
the >= 500k rows/s on one core target is the generator's, judged on the generate_bench kernel in
the kernels case). No peer: the figure is Staycast's own rate, and its peak RSS at 10x the rows.
"""
import benchlib


def run(ctx):
    results = []
    sizes = list(ctx.rows) + ([ctx.rows[-1] * 10] if not ctx.quick else [])
    rss = []
    for rows in sizes:
        out = ctx.path("generate_out.csv")
        m = ctx.measure([ctx.staycast, "generate", "--rows", str(rows), "--seed", "7", "--out", out])
        rate = rows / m.cpu_s
        rss.append(m.peak_rss_mb)
        results.append(benchlib.Result(
            case="generate", rows=rows, staycast=m, metric_name="rows per CPU-s",
            staycast_metric=round(rate), target="constant memory (peak RSS as rows grow)",
            passed=(m.peak_rss_mb <= 2 * rss[0] + 4) if rows >= 100000 else None,
            note=f"{rows / m.wall_s:,.0f} rows/s wall, CSV writing included"))
    return results
