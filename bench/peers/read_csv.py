#!/usr/bin/python3
"""CSV ingest peer for bench/cases/ingest.py: pandas.read_csv (C engine, default options) of one file,
timed inside the process so interpreter and import start-up are not counted. Prints one JSON line:
{"metric": "rows", "value": N, "seconds": wall, "cpu_seconds": cpu}.

    /usr/bin/python3 bench/peers/read_csv.py FILE
"""
import json
import sys
import time

import pandas as pd


def main():
    path = sys.argv[1]
    wall, cpu = time.perf_counter(), time.process_time()
    frame = pd.read_csv(path)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(json.dumps({"metric": "rows", "value": len(frame), "seconds": wall, "cpu_seconds": cpu}))


if __name__ == "__main__":
    main()
