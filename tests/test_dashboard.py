"""The supervisor dashboard: token scoping, program view, drill-down, reviews, upload, report, over a real store."""
import json
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from checker.batch import Options, run_batch
from checker.batch.store import create_token, open_db
from service import create_app
from service.dashboard.auth import csrf_token
from service.testing import running_server

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import make_notes  # noqa: E402


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dash")
    make_notes.write_csv(str(folder / "n.csv"), 160)
    run_batch([str(folder / "n.csv")], str(folder / "s.db"), Options(), warn=lambda m: None)
    db = open_db(str(folder / "s.db"))
    return {"path": str(folder / "s.db"), "folder": folder, "token": create_token(db, "sup", ["P0", "P1"])}


@pytest.fixture(scope="module")
def app(store):
    return create_app({"DB": store["path"], "TESTING": True})


@pytest.fixture
def client(app, store):
    client = app.test_client()
    client.post("/dashboard/sign-in", data={"token": store["token"]})  # the link's token becomes the cookie
    return client


def test_dashboard_needs_a_known_token(app):
    anonymous = app.test_client()
    assert anonymous.get("/dashboard/").status_code == 401
    assert anonymous.get("/dashboard/", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_dashboard_token_sees_only_its_programs(client):
    home = client.get("/dashboard/").get_data(as_text=True)
    assert "P0" in home and "P1" in home and ">P2<" not in home
    assert client.get("/dashboard/program/P2").status_code == 403
    other = client.get("/dashboard/program/P0/worker/W02").get_data(as_text=True)  # W02 works in P2
    assert "N00" not in other


def test_dashboard_program_view_has_heatmap_trend_and_most_missed(client):
    page = client.get("/dashboard/program/P0").get_data(as_text=True)
    assert 'class="rate h' in page and "<svg" in page and "documents over" in page and "Most missed criteria" in page
    assert "/dashboard/program/P0/worker/W00" in page


def test_dashboard_review_is_stored_and_counted_in_agreement(client, store):
    doc = client.get("/dashboard/document/N0000001")
    assert doc.status_code == 200 and "note.plan" in doc.get_data(as_text=True)
    csrf = csrf_token(store["token"])
    sent = client.post("/dashboard/document/N0000001/review",
                       data={"criterion": "note.plan", "verdict": "disagree", "comment": "the plan has a date", "csrf": csrf})
    assert sent.status_code == 303
    rows = list(open_db(store["path"])["reviews"].rows)
    assert [(r["criterion"], r["verdict"], r["comment"]) for r in rows] == [("note.plan", "disagree", "the plan has a date")]
    assert "No reviews yet" not in client.get("/dashboard/program/P0").get_data(as_text=True)
    assert client.post("/dashboard/document/N0000001/review",
                       data={"criterion": "x", "verdict": "agree", "csrf": csrf}).status_code == 400


def test_dashboard_report_and_export(client):
    report = client.get("/dashboard/program/P0/worker/W00/report").get_data(as_text=True)
    assert "What you do well" in report and "What to work on next" in report
    csv_text = client.get("/dashboard/program/P0/export.csv").get_data(as_text=True)
    assert csv_text.startswith("document_id,worker,program") and ",P2," not in csv_text


def test_dashboard_upload_reports_progress_on_a_real_server(app, store):
    upload = store["folder"] / "more.jsonl"
    upload.write_text("\n".join(json.dumps({"id": f"u{i}", "worker": "W01", "program": "P1", "text": make_notes.PLANS[0]
                                            .format(c="Ana", d="6/30")}) for i in range(5)) + "\n{bad\n")
    boundary = "casecoachboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"more.jsonl\"\r\n"
            f"Content-Type: application/json\r\n\r\n").encode() + upload.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    with running_server(app) as base:
        auth = {"Authorization": f"Bearer {store['token']}"}
        request = urllib.request.Request(f"{base}/dashboard/upload", data=body, method="POST", headers={
            **auth, "Content-Type": f"multipart/form-data; boundary={boundary}"})
        with urllib.request.urlopen(request) as response:
            status_url = response.url + "/status"
        job = {"done": False}
        while not job["done"]:
            time.sleep(0.2)
            with urllib.request.urlopen(urllib.request.Request(status_url, headers=auth)) as response:
                job = json.load(response)
    assert job["error"] is None and job["summary"]["scored"] == 5 and job["summary"]["malformed"] == 1
    assert job["warnings"][-1].endswith("line 6: not valid JSON; skipped")


def test_dashboard_stats_equal_the_findings_after_a_batch(store):
    from service.dashboard import queries
    db = open_db(store["path"])
    workers, criteria, cells = queries.heatmap(db, "P0")
    live = db.execute(
        "select coalesce(d.worker, '(none)'), f.criterion, avg(case f.status when 'met' then 1.0 "
        "when 'partial' then 0.5 else 0 end), count(*) from documents d join findings f on f.document_id = d.id "
        "where d.program = 'P0' and f.status != 'ask' group by 1, 2").fetchall()
    assert live and {(w, c): (round(r, 6), n) for w, c, r, n in live} == \
        {key: (round(r, 6), n) for key, (r, n) in cells.items()}
    missing = db.execute("select f.criterion, sum(f.status = 'missing') from documents d join findings f "
                         "on f.document_id = d.id where d.program = 'P0' group by 1").fetchall()
    top = queries.most_missed(db, "P0", limit=3)
    assert [m for _, m, _ in top] == sorted((m for _, m in missing), reverse=True)[:3]
