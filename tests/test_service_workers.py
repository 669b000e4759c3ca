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


def start(tmp_path, *extra):
    """Start the real command; return the process, its base URL and its worker children."""
    log = open(tmp_path / "serve.log", "w+")
    proc = subprocess.Popen([sys.executable, "-c", "from checker.cli.main import main; main()", "serve", "--port", "0",
                             "--workers", "2", "--threads", "2", *extra], stdout=log, stderr=subprocess.STDOUT)
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


def test_service_workers_both_answer_an_uploads_progress(tmp_path):
    """An upload's progress lives in the store: every poll gets an answer, whichever process takes it."""
    from checker.batch import Options, run_batch
    from checker.batch.store import create_token, open_db
    (tmp_path / "seed.csv").write_text("id,program,text\nS-1,SOAR,Client will attend class every Monday.\n")
    run_batch([str(tmp_path / "seed.csv")], str(tmp_path / "s.db"), Options(), warn=lambda m: None)
    token = create_token(open_db(str(tmp_path / "s.db")), "Sup", ["SOAR"])
    proc, base, _ = start(tmp_path, "--db", str(tmp_path / "s.db"))
    rows = "".join(f"S-{i},SOAR,Met with client on 3/{i % 28 + 1} for 30 minutes. CM will call by Friday.\n"
                   for i in range(2, 400))
    boundary = "casecoachboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"n.csv\"\r\n\r\n"
            f"id,program,text\n{rows}\r\n--{boundary}--\r\n").encode()
    auth = {"Authorization": f"Bearer {token}"}
    try:
        sent = urllib.request.Request(f"{base}/dashboard/upload", data=body, method="POST", headers={
            **auth, "Content-Type": f"multipart/form-data; boundary={boundary}"})
        with urllib.request.urlopen(sent, timeout=30) as response:
            status = response.url + "/status"
        answers, job = [], {"done": False}
        while not job["done"] or len(answers) < 8:
            # A new connection each time, so the kernel may hand it to either process.
            with urllib.request.urlopen(urllib.request.Request(status, headers={**auth, "Connection": "close"}),
                                        timeout=30) as response:
                answers.append(response.status)
                job = json.load(response)
            time.sleep(0.05)
        assert set(answers) == {200} and job["error"] is None and job["summary"]["scored"] == 398
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
