"""The server's memory under one upload: a real `casecoach serve --db` process, its RSS sampled from
/proc while a large CSV export and two crafted Excel workbooks are uploaded and scored.

Usage: python benchmarks/bench_upload_memory.py [--rows 20000]
Prints, per upload: the file size, the server process's RSS before, at its peak and after, the peak
RSS of the child processes it started (the Excel reader), all in MB, and the outcome.
Linux only (reads /proc/PID/status).
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

import requests

sys.path.insert(0, str(Path(__file__).parent))
import make_bombs  # noqa: E402
import make_notes  # noqa: E402


def rss_mb(pid: int) -> float:
    """The resident set of one process, in MB (0 once it is gone)."""
    try:
        found = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return int(found.group(1)) / 1024 if found else 0.0


def _children(pid: int) -> list[int]:
    """Every descendant, whichever thread started it (an upload's Excel reader is a worker thread's child)."""
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return kids + [g for k in kids for g in _children(k)]


class Sampler(threading.Thread):
    """Samples every 20 ms until stopped: the peak RSS of the server process itself, and of the
    children it starts (the Excel reader runs in one) taken together."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.children_peak, self.running = pid, 0.0, 0.0, True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_mb(self.pid))
            self.children_peak = max(self.children_peak, sum(rss_mb(c) for c in _children(self.pid)))
            time.sleep(0.02)


def start_server(db: str, log: Path):
    proc = subprocess.Popen([sys.executable, "-c", "from checker.cli.main import main; main()", "serve", "--port", "0",
                             "--db", db], stdout=log.open("w"), stderr=subprocess.STDOUT)
    for _ in range(600):
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", log.read_text())
        if found:
            return proc, f"http://127.0.0.1:{found.group(1)}"
        if proc.poll() is not None:
            raise SystemExit(log.read_text())
        time.sleep(0.1)
    raise SystemExit("the server did not start")


def upload(base: str, token: str, path: Path) -> dict:
    auth = {"Authorization": f"Bearer {token}"}
    with path.open("rb") as fh:
        sent = requests.post(f"{base}/dashboard/upload", headers=auth, files={"file": (path.name, fh)},
                             allow_redirects=False, timeout=600)
    if sent.status_code != 303:
        return {"error": f"HTTP {sent.status_code}"}
    status = base + sent.headers["Location"].split(base)[-1] + "/status"
    while True:
        job = requests.get(status, headers=auth, timeout=60).json()
        if job["done"]:
            return job
        time.sleep(0.2)


def main() -> None:
    """Run the three uploads and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="Rows of the CSV export.")
    args = parser.parse_args()
    from checker.batch import Options, run_batch
    from checker.batch.store import create_token, open_db
    folder = Path(tempfile.mkdtemp(prefix="casecoach-upload-bench-"))
    make_notes.write_csv(str(folder / "seed.csv"), 8)
    run_batch([str(folder / "seed.csv")], str(folder / "s.db"), Options(), warn=lambda m: None)
    token = create_token(open_db(str(folder / "s.db")), "bench", ["P0", "P1", "P2", "P3"])
    make_notes.write_csv(str(folder / "export.csv"), args.rows)
    files = [folder / "export.csv",
             Path(make_bombs.build_bomb(folder / "classic-bomb.xlsx", 250_000, 1000, 0)),
             Path(make_bombs.build_bomb(folder / "within-limits-bomb.xlsx", 90_000, 2000, 40))]
    proc, base = start_server(str(folder / "s.db"), folder / "serve.log")
    try:
        time.sleep(1)
        print(f"{'upload':28} {'size MB':>8} {'before':>7} {'peak':>7} {'after':>7} {'child':>7}  outcome")
        for path in files:
            before = rss_mb(proc.pid)
            sampler = Sampler(proc.pid)
            sampler.start()
            job = upload(base, token, path)
            sampler.running = False
            sampler.join()
            time.sleep(0.5)
            outcome = job.get("error") or f"scored {job['summary']['scored']}, skipped {job['summary']['malformed']}"
            print(f"{path.name:28} {path.stat().st_size / 1e6:8.2f} {before:7.0f} {sampler.peak:7.0f} "
                  f"{rss_mb(proc.pid):7.0f} {sampler.children_peak:7.0f}  {outcome[:90]}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
