"""Load the real server (`casecoach serve`, its own processes) on 127.0.0.1; print requests/s and p50/p99.

Usage: python benchmarks/bench_service.py [--clients 16] [--requests 800] [--threads 4] [--workers 2]
One client alone gives the latency of a request; 16 at once give the throughput (their waiting in
the queue is part of their latency). Every request sends a different note (the sample with a running
number), so none is answered from the server's report cache; a last pair of runs resends one
unchanged note, as the page and editors do. The engine's own rate on the same notes, in as many
processes as the server has, is measured first in the same run, and each throughput is printed as a
share of it. Every loop is bounded by its request count; the server is stopped at the end.
"""
from __future__ import annotations

import argparse
import itertools
import json
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from urllib.parse import urlencode

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


class Connection:
    """One kept-alive HTTP/1.1 connection that sends prepared bodies and reads whole responses.
    Plain sockets rather than an HTTP library, so the clients take little of the CPU the server
    needs (their own CPU time is printed beside the figures)."""

    def __init__(self, url: str) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.sock = socket.create_connection((host, int(port)))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.host, self.buffer = f"{host}:{port}", b""

    def post(self, path: str, body: bytes, content_type: str) -> int:
        """POST body to path; the response's status code (its body is read and dropped)."""
        head = (f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode("ascii")
        self.sock.sendall(head + body)
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._recv()
        header, _, rest = self.buffer.partition(b"\r\n\r\n")
        length = int(re.search(rb"(?i)content-length:\s*(\d+)", header).group(1))
        while len(rest) < length:
            rest += self._recv()
        self.buffer = rest[length:]
        return int(header.split(b" ", 2)[1])

    def _recv(self) -> bytes:
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("the server closed the connection")
        return data


def _client(url: str, make_request, count: int, latencies: list[float], errors: list[int]) -> None:
    connection = Connection(url)
    for _ in range(count):
        path, body, content_type = make_request()
        start = time.perf_counter()
        status = connection.post(path, body, content_type)
        latencies.append(time.perf_counter() - start)
        if status != 200:
            errors.append(status)
    connection.sock.close()


def run(name: str, url: str, make_request, clients: int, total: int) -> float:
    """Run `total` requests from `clients` threads, print the figures and return requests/s."""
    latencies: list[float] = []
    errors: list[int] = []
    per_client = max(1, total // clients)
    threads = [threading.Thread(target=_client, args=(url, make_request, per_client, latencies, errors))
               for _ in range(clients)]
    cpu, start = time.process_time(), time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    q = statistics.quantiles(latencies, n=100)
    rate = len(latencies) / elapsed
    print(f"{name:22} {rate:7.1f} req/s   p50 {q[49] * 1000:6.1f} ms   p99 {q[98] * 1000:6.1f} ms   "
          f"errors {len(errors)}   ({len(latencies)} requests, {clients} clients; the clients used "
          f"{cpu / elapsed:.2f} of a core)")
    return rate


def in_process(texts: list[str], processes: int) -> float:
    """Notes per second that check_many reaches on the same texts in this machine's processes."""
    import checker
    list(checker.check_many(texts[:8], kind="note"))  # the pipeline built, as the server's is
    start = time.perf_counter()
    for _ in checker.check_many(texts, kind="note", n_process=processes):
        pass
    return len(texts) / (time.perf_counter() - start)


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
    """Benchmark /api/v1/check and /v2/check with a 200-word note, beside the engine's own rate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=800)
    parser.add_argument("--threads", type=int, default=4, help="waitress threads per process")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    args = parser.parse_args()
    print(f"note: {len(NOTE.split())} words; server: {args.workers} process(es) x {args.threads} threads")
    numbers = itertools.count()  # next() on a count is atomic under the GIL: every text differs
    fresh = lambda: f"{NOTE} Note {next(numbers)}."  # noqa: E731
    api = lambda: ("/api/v1/check", json.dumps({"text": fresh(), "kind": "note"}).encode(), "application/json")  # noqa: E731
    lt = lambda: ("/v2/check", urlencode({"text": fresh(), "language": "en-US"}).encode(),  # noqa: E731
                  "application/x-www-form-urlencoded")
    same = json.dumps({"text": NOTE, "kind": "note"}).encode()
    resent = lambda: ("/api/v1/check", same, "application/json")  # noqa: E731
    engine = in_process([f"{NOTE} Engine {i}." for i in range(args.requests)], args.workers)
    print(f"{'engine, in process':22} {engine:7.1f} notes/s   (check_many, kind note, {args.workers} process(es), "
          "the same note made different each time)")
    with server(args.workers, args.threads) as url:
        for name, call in (("/api/v1/check", api), ("/v2/check", lt)):
            run(name + " warm", url, call, args.clients, args.clients * 2)
            run(name + " 1 client", url, call, 1, args.requests // 4)
            rate = run(name, url, call, args.clients, args.requests)
            print(f"{'':22} {rate / engine:.2f}x the engine in process")
        run("resent 1 client", url, resent, 1, args.requests // 4)
        run("resent", url, resent, args.clients, args.requests)


if __name__ == "__main__":
    main()
