#!/usr/bin/python3
"""CSV ingestion peer: Staycast's reader against pandas.read_csv on the same admissions-shaped files.

For each size it makes (or reuses) a generated file, warms the page cache, then times, in alternation
(A B A B ...), `csv_ingest read FILE` (Staycast, single-threaded; its own clock around ReadCsv) and
pandas.read_csv(FILE) in this process (C engine, default options), and prints the medians and the
ratio. Files come from `staycast generate` when the binary has that command, else from
`csv_ingest generate`. Run with Debian's python3 (bench/install-peers.sh installs pandas):

    /usr/bin/python3 bench/peers/csv_ingest.py --build build --rows 100000 1000000
"""

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time

import pandas as pd


def generator(build):
    """`staycast generate` when the binary has it, else the benchmark's own generator."""
    staycast = os.path.join(build, "staycast")
    if os.path.exists(staycast):
        probe = subprocess.run([staycast, "generate", "--help"], capture_output=True, text=True)
        if probe.returncode == 0 and "--rows" in probe.stdout:
            return "staycast"
    return "csv_ingest"


def generate(build, gen, rows, seed, path):
    """Writes an admissions CSV of `rows` rows to `path`."""
    if gen == "staycast":
        cmd = [os.path.join(build, "staycast"), "generate", "--rows", str(rows), "--seed",
               str(seed), "--out", path]
    else:
        cmd = [os.path.join(build, "bench", "csv_ingest"), "generate", str(rows), str(seed), path]
    print("generating:", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def time_staycast(build, path, extra):
    out = subprocess.run([os.path.join(build, "bench", "csv_ingest"), "read", path] + extra,
                         check=True, capture_output=True, text=True).stdout
    fields = dict(kv.split("=") for kv in out.split())
    return float(fields["seconds"]), float(fields["cpu_seconds"])


def time_pandas(path):
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    frame = pd.read_csv(path)
    result = time.perf_counter() - wall, time.process_time() - cpu
    del frame
    gc.collect()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build", help="CMake build directory")
    parser.add_argument("--rows", type=int, nargs="+", default=[100000, 1000000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dir", default="/tmp/staycast-csv-bench", help="where the files go")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    variants = [
        ("staycast", lambda p: time_staycast(args.build, p, [])),
        ("staycast (admissions types)",
         lambda p: time_staycast(args.build, p, ["--admissions-types"])),
        ("pandas.read_csv", time_pandas),
    ]
    print(f"pandas {pd.__version__}, python {sys.version.split()[0]}, {args.rounds} rounds, "
          "medians; MB/s = file bytes / wall seconds")
    gen = generator(args.build)
    for rows in args.rows:
        path = os.path.join(args.dir, f"admissions_{rows}_seed{args.seed}_{gen}.csv")
        if not os.path.exists(path):
            generate(args.build, gen, rows, args.seed, path)
        size_mb = os.path.getsize(path) / 1e6
        with open(path, "rb") as f:  # warm the page cache for both readers
            while f.read(1 << 24):
                pass
        times = {name: [] for name, _ in variants}
        for _ in range(args.rounds):
            for name, run in variants:
                times[name].append(run(path))
        print(f"\n{rows} rows, {size_mb:.1f} MB: {path}")
        medians = {}
        for name, _ in variants:
            wall = statistics.median(t[0] for t in times[name])
            cpu = statistics.median(t[1] for t in times[name])
            medians[name] = (wall, cpu)
            print(f"  {name:30s} {wall:7.3f} s wall  {cpu:7.3f} s cpu  {size_mb / wall:7.1f} MB/s")
        pandas_wall, pandas_cpu = medians["pandas.read_csv"]
        for name in ("staycast", "staycast (admissions types)"):
            wall, cpu = medians[name]
            print(f"  {name} vs pandas: {pandas_wall / wall:.2f}x faster (wall), "
                  f"{pandas_cpu / cpu:.2f}x (cpu)")


if __name__ == "__main__":
    main()
