"""`casecoach serve --workers 2`: two real server processes on one port, stopped together."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists() or not hasattr(os, "fork"),
                                reason="needs fork() and /proc (Linux)")


def start(tmp_path):
    """Start the real command; return the process, its base URL and its worker children."""
    log = open(tmp_path / "serve.log", "w+")
    proc = subprocess.Popen([sys.executable, "-c", "from checker.cli import main; main()", "serve", "--port", "0",
                             "--workers", "2", "--threads", "2"], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", (tmp_path / "serve.log").read_text())
        if found:
            break
        assert proc.poll() is None, (tmp_path / "serve.log").read_text()
        time.sleep(0.2)
    children = []
    while time.time() < deadline and not children:
        children = [int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
        time.sleep(0.1)
    return proc, f"http://127.0.0.1:{found.group(1)}", children


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


def gone_within(pid: int, seconds: float) -> bool:
    """Whether the process has ended (or is a zombie) within the time."""
    deadline = time.time() + seconds
    while alive(pid) and time.time() < deadline:
        time.sleep(0.1)
    return not alive(pid)


def check(base: str) -> dict:
    body = json.dumps({"text": "Client will attend class every Monday until June."}).encode()
    request = urllib.request.Request(f"{base}/api/v1/check", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def test_service_workers_answer_and_stop_together(tmp_path):
    proc, base, children = start(tmp_path)
    try:
        assert len(children) == 1
        assert all(check(base)["kind"] == "goal" for _ in range(12))
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        assert gone_within(children[0], 10)
    finally:
        proc.kill()


def test_service_worker_exits_when_its_parent_is_killed(tmp_path):
    proc, base, children = start(tmp_path)
    try:
        proc.kill()
        proc.wait(timeout=30)
        assert gone_within(children[0], 15)
    finally:
        for pid in children:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
