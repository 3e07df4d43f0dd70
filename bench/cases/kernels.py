"""Google Benchmark kernels (CSV parse, transforms, history features, generator, metrics, and any
other build/bench/*_bench binary): one row each, real time per iteration, with the targets that
apply to a kernel (pipeline fit+transform on 1M rows in a few seconds on one core; 1,000 bootstrap
replicates on 100k rows under 10 s on 2 cores).
"""
import glob
import json
import os
import subprocess

import benchlib

# Kernel name prefix -> (target text, check(seconds per iteration) -> bool).
TARGETS = {
    "BM_GenerateChunks/200000/2048": ("generator >= 500k rows/s, one core",
                                       lambda s: 200000 / s >= 500000),
    "BM_LosPipelineFitTransform/1000000": ("fit+transform 1M rows <= 5 s, one core",
                                           lambda s: s <= 5.0),
    "BM_BootstrapClassification": ("1,000 replicates, 100k rows < 10 s", lambda s: s < 10.0),
    "BM_BootstrapRegression": ("1,000 replicates, 100k rows < 10 s", lambda s: s < 10.0),
}

UNIT = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def run(ctx):
    results = []
    for binary in sorted(glob.glob(os.path.join(ctx.build_dir, "bench", "*_bench"))):
        args = [binary, "--benchmark_format=json"]
        if ctx.quick:  # small sizes only, short runs
            args += ["--benchmark_min_time=0.05", "--benchmark_filter=-/1000000"]
        proc = subprocess.run(args, capture_output=True, text=True, timeout=1800)
        if proc.returncode != 0:
            raise benchlib.CommandFailed(f"{binary}: exit {proc.returncode}\n{proc.stderr[-1000:]}")
        report = json.loads(proc.stdout)
        for b in report.get("benchmarks", []):
            if b.get("run_type") == "aggregate" or b.get("error_occurred"):
                continue
            seconds = b["real_time"] * UNIT[b.get("time_unit", "ns")]
            cpu = b["cpu_time"] * UNIT[b.get("time_unit", "ns")]
            name = b["name"]
            target, check = next(((t, c) for k, (t, c) in TARGETS.items() if name.startswith(k)),
                                 ("", None))
            note = []
            if "items_per_second" in b:
                note.append(f"{b['items_per_second'] / 1e6:.2f} M items/s")
            if "bytes_per_second" in b:
                note.append(f"{b['bytes_per_second'] / 1e6:.0f} MB/s")
            # The first numeric argument is the row count (e.g. BM_X/1000000/real_time).
            rows = next((int(p) for p in name.split("/")[1:] if p.isdigit()), 0)
            results.append(benchlib.Result(
                case=f"kernel {os.path.basename(binary)}: {name}", rows=rows,
                staycast=benchlib.Measure(wall_s=seconds, cpu_s=cpu, peak_rss_mb=0),
                target=target, passed=check(seconds) if check else None, note=", ".join(note)))
    return results
