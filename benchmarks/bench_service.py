"""Load the real server (`casecoach serve`, its own processes) on 127.0.0.1; print requests/s and p50/p99.

Usage: python benchmarks/bench_service.py [--clients 16] [--requests 800] [--threads 4] [--workers 2]
One client alone gives the latency of a request; 16 at once give the throughput (their waiting in
the queue is part of their latency). Every request sends a different note (the sample with a running
number), so none is answered from the server's report cache; a last pair of runs resends one
unchanged note, as the page and editors do. Every loop is bounded by its request count; the server
is stopped at the end.
"""
from __future__ import annotations

import argparse
import itertools
import statistics
import threading
import time

import re
import subprocess
import sys
from contextlib import contextmanager

import requests

# A 200-word progress note (no real client data).
NOTE = (
    "Met with Jasmine at the Capricorn office on 3/4 for 45 minutes to review her HSE goal. "
    "Jasmine stated that she attended tutoring on Monday and Wednesday and completed two practice tests. "
    "She showed her practice test score report: 61 in math and 72 in reading. "
    "She reported that her bus pass ran out last week and she missed one class. "
    "CM called the transit office and applied for a reduced fare card on her behalf. "
    "Jasmine appeared tired; she yawned repeatedly and rested her head on the table. "
    "She said she has been working late shifts at the grocery store. "
    "Jasmine is on track to take the TASC math section in June as shown by her rising practice scores. "
    "She identified her aunt as a support who can watch her son on tutoring nights. "
    "Plan: Jasmine will attend tutoring every Monday and Wednesday and take one practice test a week. "
    "CM will follow up with the transit office by Friday 3/7 and meet with Jasmine again on 3/11 "
    "to review her next practice score and her work schedule. "
    "Jasmine will bring her updated schedule to that meeting so we can plan study time together."
)


def _client(url: str, make_request, count: int, latencies: list[float], errors: list[int]) -> None:
    session = requests.Session()
    for _ in range(count):
        start = time.perf_counter()
        response = make_request(session, url)
        latencies.append(time.perf_counter() - start)
        if response.status_code != 200:
            errors.append(response.status_code)


def run(name: str, url: str, make_request, clients: int, total: int) -> None:
    """Run `total` requests from `clients` threads and print the figures."""
    latencies: list[float] = []
    errors: list[int] = []
    per_client = max(1, total // clients)
    threads = [threading.Thread(target=_client, args=(url, make_request, per_client, latencies, errors))
               for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100)
    print(f"{name:16} {len(latencies) / elapsed:7.1f} req/s   p50 {q[49] * 1000:6.1f} ms   "
          f"p99 {q[98] * 1000:6.1f} ms   errors {len(errors)}   ({len(latencies)} requests, {clients} clients)")


@contextmanager
def server(workers: int, threads: int):
    """`casecoach serve` on a free port in its own process(es); yields the base URL."""
    command = [sys.executable, "-c", "from checker.cli.main import main; main()", "serve", "--port", "0",
               "--workers", str(workers), "--threads", str(threads)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not found:
            raise SystemExit(f"the server did not start: {line!r}")
        yield f"http://127.0.0.1:{found.group(1)}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    """Benchmark /api/v1/check and /v2/check with a 200-word note."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=800)
    parser.add_argument("--threads", type=int, default=4, help="waitress threads per process")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    args = parser.parse_args()
    print(f"note: {len(NOTE.split())} words; server: {args.workers} process(es) x {args.threads} threads")
    numbers = itertools.count()  # next() on a count is atomic under the GIL: every text differs
    fresh = lambda: f"{NOTE} Note {next(numbers)}."  # noqa: E731
    api = lambda s, url: s.post(f"{url}/api/v1/check", json={"text": fresh(), "kind": "note"})  # noqa: E731
    lt = lambda s, url: s.post(f"{url}/v2/check", data={"text": fresh(), "language": "en-US"})  # noqa: E731
    resent = lambda s, url: s.post(f"{url}/api/v1/check", json={"text": NOTE, "kind": "note"})  # noqa: E731
    with server(args.workers, args.threads) as url:
        for name, call in (("/api/v1/check", api), ("/v2/check", lt)):
            run(name + " warm", url, call, args.clients, args.clients * 2)
            run(name + " 1 client", url, call, 1, args.requests // 4)
            run(name, url, call, args.clients, args.requests)
        run("resent 1 client", url, resent, 1, args.requests // 4)
        run("resent", url, resent, args.clients, args.requests)


if __name__ == "__main__":
    main()
