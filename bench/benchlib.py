# The harness behind bench/run: a Context that generates seeded data once, times whole processes
# (wall, CPU, peak RSS of the child) and runs Staycast and a peer alternately; and Result, one row of
# the final table. Each bench/cases/<name>.py defines run(ctx) -> list[Result].
import dataclasses
import json
import os
import resource
import statistics
import subprocess
import time
from typing import Optional


@dataclasses.dataclass
class Measure:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    stdout: str = ""

    def last_json(self):
        """The last stdout line that parses as a JSON object (the peers' metric line)."""
        for line in reversed(self.stdout.strip().splitlines()):
            line = line.strip()
            if line.startswith("{"):
                try:
                    return json.loads(line)
                except json.JSONDecodeError:
                    continue
        return None


@dataclasses.dataclass
class Result:
    case: str
    rows: int
    staycast: Optional[Measure]
    peer: Optional[Measure] = None
    peer_name: str = ""
    metric_name: str = ""
    staycast_metric: Optional[float] = None
    peer_metric: Optional[float] = None
    target: str = ""
    # None: no target, or the target is not judged at this size (e.g. --quick's small data).
    passed: Optional[bool] = None
    note: str = ""
    # Extra figures shown in the note column / JSON (e.g. rows/s, p50_us).
    extra: dict = dataclasses.field(default_factory=dict)

    def ratio(self):
        """Peer wall time / Staycast wall time (how many times faster Staycast is)."""
        if not self.staycast or not self.peer or self.staycast.wall_s <= 0:
            return None
        return self.peer.wall_s / self.staycast.wall_s

    def to_json(self):
        d = dataclasses.asdict(self)
        for k in ("staycast", "peer"):
            if d[k]:
                d[k].pop("stdout", None)
        d["ratio"] = self.ratio()
        return d


class CommandFailed(RuntimeError):
    pass


_RSS_WRAPPER = r"""
import resource, subprocess, sys, json
p = subprocess.run(sys.argv[1:], stdout=sys.stdout, stderr=sys.stderr)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write("\n__BENCH_RSS_KB__ %d\n" % ru.ru_maxrss)
sys.exit(p.returncode)
"""


def _run_measured(cmd, env=None, cwd=None, timeout=None):
    """Runs cmd in a small Python wrapper so its peak RSS is its own, not the largest child's."""
    wrapped = ["/usr/bin/python3", "-c", _RSS_WRAPPER] + [str(c) for c in cmd]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(wrapped, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            cwd=cwd, text=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise CommandFailed(f"timed out after {timeout} s: {' '.join(map(str, cmd))}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    rss_kb = 0
    tail = []
    for line in err.splitlines():
        if line.startswith("__BENCH_RSS_KB__"):
            rss_kb = int(line.split()[1])
        else:
            tail.append(line)
    if proc.returncode != 0:
        raise CommandFailed(
            f"exit {proc.returncode}: {' '.join(map(str, cmd))}\n" + "\n".join(tail[-30:]))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measure(wall_s=wall, cpu_s=cpu, peak_rss_mb=rss_kb / 1024.0, stdout=out)


def median(measures):
    """The run-by-run median of wall, CPU and RSS (stdout of the last run)."""
    return Measure(
        wall_s=statistics.median(m.wall_s for m in measures),
        cpu_s=statistics.median(m.cpu_s for m in measures),
        peak_rss_mb=statistics.median(m.peak_rss_mb for m in measures),
        stdout=measures[-1].stdout)


class Context:
    def __init__(self, staycast, workdir, quick=False, rounds=3, rows=None, log=print,
                 variants=None):
        self.staycast = os.path.abspath(staycast)
        self.build_dir = os.path.dirname(self.staycast)  # build/: kernels live in build/bench/
        self.python = "/usr/bin/python3"
        self.workdir = os.path.abspath(workdir)
        self.quick = quick
        self.rounds = 1 if quick else rounds
        self.rows = rows or ([20000] if quick else [100000, 1000000])
        self.source_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        self.log = log
        self.variants = variants or {}  # case module -> the variants to run (absent: all)
        os.makedirs(self.workdir, exist_ok=True)

    def wants(self, module, variant):
        """Whether `--only` asked for this variant of a case module (all when it named none)."""
        chosen = self.variants.get(module)
        return not chosen or variant in chosen

    def path(self, *parts):
        return os.path.join(self.workdir, *parts)

    def data(self, rows, seed=1):
        """A generated admissions CSV of `rows` rows (made once per rows/seed, then reused)."""
        out = self.path(f"admissions_{rows}_{seed}.csv")
        if not os.path.exists(out):
            self.log(f"  generating {rows} rows (seed {seed})")
            tmp = out + ".tmp"
            _run_measured([self.staycast, "generate", "--rows", str(rows), "--seed", str(seed),
                           "--out", tmp])
            os.replace(tmp, out)
        return out

    def file_mb(self, path):
        return os.path.getsize(path) / 1e6

    def measure(self, cmd, env=None, rounds=None, timeout=None):
        """Median of `rounds` runs of cmd (wall, CPU, peak RSS)."""
        runs = [_run_measured(cmd, env=env, timeout=timeout) for _ in range(rounds or self.rounds)]
        return median(runs)

    def compare(self, staycast_cmd, peer_cmd, env=None, peer_env=None, rounds=None, timeout=None):
        """Runs the two commands alternately (A B A B ...) and returns their medians."""
        a, b = [], []
        for _ in range(rounds or self.rounds):
            a.append(_run_measured(staycast_cmd, env=env, timeout=timeout))
            b.append(_run_measured(peer_cmd, env=peer_env or env, timeout=timeout))
        return median(a), median(b)
