"""Benchmark: score and store N synthetic notes, sample RSS, then time the dashboard pages over the store.

Usage: python benchmarks/bench_batch.py [N] [--processes 2] [--dir /tmp/casecoach-bench]
"""
from __future__ import annotations

import argparse
import os
import resource
import threading
import time
from pathlib import Path

import make_notes

from checker.batch import Options, run_batch
from checker.batch.store import create_token, open_db


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        line = next(line for line in fh if line.startswith("VmRSS"))
    return int(line.split()[1]) / 1024


def _sample(samples: list, stop: threading.Event) -> None:
    while not stop.wait(2.0):
        samples.append(_rss_mb())


def score(n: int, folder: Path, processes: int) -> dict:
    """Generate, score and store; return seconds, rate and RSS samples of the main process."""
    src, db = folder / f"notes-{n}.csv", folder / f"bench-{n}.db"
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    make_notes.write_csv(str(src), n)
    samples, stop = [], threading.Event()
    threading.Thread(target=_sample, args=(samples, stop), daemon=True).start()
    started = time.perf_counter()
    result = run_batch([str(src)], str(db), Options(processes=processes, batch_size=128), warn=print)
    elapsed = time.perf_counter() - started
    stop.set()
    return {"db": str(db), "documents": result["documents"], "seconds": round(elapsed, 1),
            "per_second": round(n / elapsed, 1), "rss_mb": [round(s) for s in samples[::max(len(samples) // 8, 1)]],
            "peak_rss_mb_self": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def pages(db_path: str, repeat: int = 3) -> dict:
    """Milliseconds per dashboard page over the store (best of `repeat`, Flask test client)."""
    from service import create_app
    token = create_token(open_db(db_path), "bench", ["P0", "P1", "P2", "P3"])
    client = create_app({"DB": db_path, "TESTING": True}).test_client()
    headers = {"Authorization": f"Bearer {token}"}
    timings = {}
    for url in ("/dashboard/", "/dashboard/program/P0", "/dashboard/program/P0/worker/W00",
                "/dashboard/document/N0000001", "/dashboard/program/P0/worker/W00/report"):
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            assert client.get(url, headers=headers).status_code == 200, url
            best = min(best, time.perf_counter() - started)
        timings[url] = round(best * 1000, 1)
    return timings


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=100_000)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dir", default="/tmp/casecoach-bench")
    args = parser.parse_args()
    Path(args.dir).mkdir(parents=True, exist_ok=True)
    figures = score(args.n, Path(args.dir), args.processes)
    print("batch:", figures)
    print("pages (ms):", pages(figures["db"]))
    print(f"extrapolated to 100,000 notes: {100_000 / figures['per_second'] / 60:.1f} minutes")
