"""Evaluation case: `staycast evaluate` with 1,000 patient-bootstrap replicates on each row count
(target: under 10 s at 100k rows on 2 cores) and the HTML report's size (target: under 5 MB).

The bundle is a readmission model trained once on 20,000 generated rows; the evaluated data are the
contract's generated tables. No peer: scikit-learn has no patient bootstrap to compare with."""
import os
import subprocess

import benchlib

REPLICATES = 1000
MAX_SECONDS = 10.0
MAX_REPORT_BYTES = 5 * 1024 * 1024


def _bundle(ctx):
    bundle = os.path.join(ctx.workdir, "evaluation_readmission_bundle")
    if not os.path.exists(os.path.join(bundle, "manifest.json")):
        src = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        subprocess.run([ctx.staycast, "train", os.path.join(src, "examples", "readmission.yaml"),
                        "--data", ctx.data(20000, seed=7), "--out", bundle, "--overwrite"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return bundle


def run(ctx):
    bundle = _bundle(ctx)
    results = []
    for rows in ctx.rows:
        report = os.path.join(ctx.workdir, "evaluation_%d.html" % rows)
        cmd = [ctx.staycast, "evaluate", bundle, ctx.data(rows), "--bootstrap",
               str(REPLICATES), "--threads", "2", "--report", report]
        # Above 100k rows one round: the bootstrap there is informative, not a target.
        m = ctx.measure(cmd, rounds=1 if rows > 100000 else None)
        size = os.path.getsize(report)
        # The time target is stated at 100k rows (other sizes report the time, unjudged); the
        # report's size is judged at 100k rows and above. --quick (20k rows) judges nothing.
        if rows == 100000:
            passed = size < MAX_REPORT_BYTES and m.wall_s < MAX_SECONDS
        elif rows > 100000:
            passed = size < MAX_REPORT_BYTES
        else:
            passed = None
        results.append(benchlib.Result(
            case="evaluation", rows=rows, staycast=m, peer=None, peer_name="",
            metric_name="report_mb", staycast_metric=size / 1e6, peer_metric=None,
            target="< %.0f s wall at 100k rows with %d replicates; report < 5 MB"
                   % (MAX_SECONDS, REPLICATES),
            passed=passed,
            note="%d-replicate patient bootstrap + subgroups (200 replicates each) + "
                 "explanations + report; %.1f CPU-s" % (REPLICATES, m.cpu_s)))
    return results
