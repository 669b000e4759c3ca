"""spark-batch against batch on one machine: notes/s and peak RSS for N synthetic notes.

Usage: python benchmarks/bench_spark.py 100000 [--master local[2]] [--processes 2]
Runs, one after the other, `casecoach batch --processes P` and `casecoach spark-batch --master M`
as fresh commands on the same export, into fresh outputs, and prints seconds, notes/s and the peak
RSS of each command with all its processes (Spark's JVM and Python workers included).
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import make_notes  # noqa: E402


def tree_rss_mb(pid: int) -> float:
    """RSS of a process and all its descendants, in MB."""
    total, stack = 0.0, [pid]
    while stack:
        p = stack.pop()
        try:
            found = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{p}/status").read_text())
            total += int(found.group(1)) / 1024 if found else 0
            for task in Path(f"/proc/{p}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def timed(command: list[str]) -> tuple[float, float]:
    """Run a command; return its seconds and the peak RSS of its process tree."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = [0.0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss_mb(proc.pid))
            time.sleep(0.2)
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    if proc.wait() != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    thread.join()
    return time.perf_counter() - started, peak[0]


def main() -> None:
    """Print the two runs' figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notes", type=int)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="casecoach-spark-bench-"))
    export = folder / "notes.csv"
    make_notes.write_csv(str(export), args.notes)
    cli = [sys.executable, "-c", "from checker.cli.main import main; main()"]
    runs = {f"batch --processes {args.processes}": cli + ["batch", str(export), "--db", str(folder / "b.db"),
                                                           "--processes", str(args.processes)],
            f"spark-batch --master {args.master}": cli + ["spark-batch", str(export), "--out", str(folder / "out"),
                                                          "--master", args.master]}
    results = {}
    for name, command in runs.items():
        seconds, peak = timed(command)
        results[name] = args.notes / seconds
        print(f"{name:32} {seconds:8.1f} s {args.notes / seconds:8.0f} notes/s   peak RSS {peak:6.0f} MB")
    batch_rate, spark_rate = results.values()
    print(f"spark-batch / batch throughput: {spark_rate / batch_rate:.2f}x  ({args.notes:,} notes)")


if __name__ == "__main__":
    main()
