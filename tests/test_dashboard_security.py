"""The dashboard under attack: two supervisors' tokens against every route, cross-program uploads,
CSRF, sign-in links, headers, job status across server processes, exports that could run formulas."""
import csv
import io
import json
import time

import pytest

from checker.batch import Options, run_batch
from checker.batch.store import create_token, open_db
from service import create_app
from service.dashboard.auth import csrf_token
from csv_files import write_csv  # noqa: E402

NOTE = ("Met with Ana at the office on 3/4 for 45 minutes. Ana brought her lease. She has strong support "
        "from her aunt. CM will call the landlord by Friday 3/8.")
GOAL = "By June 30, Ana will attend the HSE class every Monday for 3 months."
YOUTH_ID = "Y-1001"




@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """A store with a Youth and a SOAR program, a supervisor token for each, and one review."""
    folder = tmp_path_factory.mktemp("attack")
    rows = [{"id": YOUTH_ID, "worker": "J/Rivera", "program": "Youth", "client": "C1", "date": "2024-03-05",
             "text": NOTE},
            {"id": "Y-1002", "worker": "=HYPERLINK(\"http://evil.example\",\"x\")", "program": "Youth",
             "client": "C2", "date": "2024-03-06", "text": GOAL},
            {"id": "S-2001", "worker": "K. Lee", "program": "SOAR", "client": "C3", "date": "2024-03-05", "text": NOTE},
            {"id": "Ü-1", "worker": "M. Ortiz", "program": "Jóvenes Ñ", "client": "C4", "date": "2024-03-05",
             "text": NOTE}]
    db_path = str(folder / "s.db")
    run_batch([write_csv(folder / "seed.csv", rows)], db_path, Options(), warn=lambda m: None)
    db = open_db(db_path)
    tokens = {"youth": create_token(db, "Youth Sup", ["Youth", "Jóvenes Ñ"]),
              "soar": create_token(db, "SOAR Sup", ["SOAR"])}
    return {"folder": folder, "db": db_path, **tokens}


@pytest.fixture(scope="module")
def app(setup):
    return create_app({"DB": setup["db"], "TESTING": True})


def signed_in(app, token):
    client = app.test_client()
    assert client.post("/dashboard/sign-in", data={"token": token, "next": "/dashboard/"}).status_code == 303
    return client


def wait_for(client, location, token=None):
    url = location.split("localhost", 1)[-1] + "/status"
    for _ in range(600):
        job = client.get(url).get_json()
        if job["done"]:
            return job
        time.sleep(0.1)
    raise AssertionError("the upload never finished")


def upload(client, token, name, data: bytes, **extra):
    return client.post("/dashboard/upload", data={"file": (io.BytesIO(data), name), "csrf": csrf_token(token), **extra},
                       content_type="multipart/form-data")


def csv_bytes(rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def test_an_upload_cannot_take_another_programs_document(app, setup):
    youth, soar = signed_in(app, setup["youth"]), signed_in(app, setup["soar"])
    form = {"criterion": "note.plan", "verdict": "agree", "comment": "Youth-only comment", "csrf": csrf_token(setup["youth"])}
    assert youth.post(f"/dashboard/document/{YOUTH_ID}/review", data=form).status_code == 303
    attack = csv_bytes([{"id": YOUTH_ID, "worker": "Mallory", "program": "SOAR", "text": GOAL},
                        {"id": "S-9", "worker": "Mallory", "program": "Youth", "text": GOAL},
                        {"id": "S-10", "worker": "Mallory", "program": "", "text": GOAL}])
    sent = upload(soar, setup["soar"], "attack.csv", attack)
    assert sent.status_code == 303
    job = wait_for(soar, sent.location)
    assert job["error"] is None and job["summary"]["scored"] == 1 and job["summary"]["malformed"] == 2
    assert any("line 2" in w and "another program" in w for w in job["warnings"])
    assert any("line 3" in w and "'Youth' is not one of yours" in w for w in job["warnings"])
    db = open_db(setup["db"])
    assert db["documents"].get(YOUTH_ID)["program"] == "Youth" and db["documents"].get(YOUTH_ID)["worker"] == "J/Rivera"
    assert db["documents"].get("S-10")["program"] == "SOAR"  # the one program of the token
    assert "S-9" not in {r["id"] for r in db["documents"].rows}
    assert youth.get(f"/dashboard/document/{YOUTH_ID}").status_code == 200
    assert soar.get(f"/dashboard/document/{YOUTH_ID}").status_code == 404
    assert "Youth-only comment" not in soar.get(f"/dashboard/document/{YOUTH_ID}").get_data(as_text=True)


def test_every_dashboard_route_keeps_one_supervisor_out_of_the_others_programs(app, setup):
    soar = signed_in(app, setup["soar"])
    youth = signed_in(app, setup["youth"])
    started = upload(youth, setup["youth"], "mine.csv", csv_bytes([{"id": "Y-5", "program": "Youth", "text": NOTE}]))
    youth_job = started.location.rsplit("/", 1)[-1]
    wait_for(youth, started.location)
    values = {"program": "Youth", "worker": "J/Rivera", "doc_id": YOUTH_ID, "job_id": youth_job, "filename": "x"}
    checked = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("dashboard.") or rule.endpoint in ("dashboard.static", "dashboard.sign_out"):
            continue  # signing out is tested below; it would end this client's session
        path = rule.rule
        for arg in rule.arguments:
            path = path.replace(f"<path:{arg}>", values[arg]).replace(f"<{arg}>", values[arg])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf": csrf_token(setup["soar"]), "criterion": "note.plan", "verdict": "agree"}
            response = soar.open(path, method=method, data=data if method == "POST" else None)
            body = response.get_data(as_text=True)
            checked.append((method, rule.rule, response.status_code))
            assert "J/Rivera" not in body and YOUTH_ID not in body and "Youth-only" not in body, (method, path)
            if rule.endpoint in ("dashboard.home", "dashboard.sign_in", "dashboard.upload"):
                continue
            assert response.status_code in (400, 403, 404), (method, path, response.status_code)
    assert len(checked) >= 10
    db = open_db(setup["db"])
    assert all(r["reviewer"] != "SOAR Sup" for r in db["reviews"].rows)


def test_review_post_needs_this_sites_form(app, setup):
    youth = signed_in(app, setup["youth"])
    url = f"/dashboard/document/{YOUTH_ID}/review"
    form = {"criterion": "note.plan", "verdict": "disagree", "reviewer": "Someone Else"}
    assert youth.post(url, data=form).status_code == 403  # no CSRF token
    evil = youth.post(url, data={**form, "csrf": csrf_token(setup["youth"])}, headers={"Origin": "http://evil.example"})
    assert evil.status_code == 403
    wrong = youth.post(url, data={**form, "csrf": csrf_token(setup["soar"])})
    assert wrong.status_code == 403
    good = youth.post(url, data={**form, "csrf": csrf_token(setup["youth"])}, headers={"Origin": "http://localhost"})
    assert good.status_code == 303
    last = list(open_db(setup["db"])["reviews"].rows)[-1]
    assert (last["verdict"], last["reviewer"]) == ("disagree", "Youth Sup")  # the token's name, not the form's
    assert upload(youth, "not-the-token", "x.csv", b"text\nhello\n").status_code == 403


def test_a_link_token_signs_in_only_after_confirmation(app, setup):
    client = app.test_client()
    page = client.get(f"/dashboard/program/Youth?token={setup['youth']}")
    assert page.status_code == 200 and "Sign in" in page.get_data(as_text=True)
    assert "Set-Cookie" not in page.headers
    assert client.get("/dashboard/program/Youth").status_code == 401
    evil = client.post("/dashboard/sign-in", data={"token": setup["youth"], "next": "/dashboard/"},
                       headers={"Origin": "http://evil.example"})
    assert evil.status_code == 403 and "Set-Cookie" not in evil.headers
    done = client.post("/dashboard/sign-in", data={"token": setup["youth"], "next": "/dashboard/program/Youth"})
    assert done.status_code == 303 and done.location.endswith("/dashboard/program/Youth")
    assert "HttpOnly" in done.headers["Set-Cookie"] and "SameSite=Strict" in done.headers["Set-Cookie"]
    assert client.get("/dashboard/program/Youth").status_code == 200
    away = client.post("/dashboard/sign-in", data={"token": setup["youth"], "next": "//evil.example/x"})
    assert away.location.endswith("/dashboard/")
    assert client.post("/dashboard/sign-out", headers={"Origin": "http://evil.example"}).status_code == 403
    assert client.post("/dashboard/sign-out").status_code == 303
    assert client.get("/dashboard/program/Youth").status_code == 401


def test_dashboard_pages_send_security_headers(app, setup):
    youth = signed_in(app, setup["youth"])
    for path in ("/dashboard/", "/dashboard/program/Youth", f"/dashboard/document/{YOUTH_ID}",
                 "/dashboard/program/Youth/worker/J/Rivera"):
        response = youth.get(path)
        assert response.status_code == 200, path
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"
        assert "style=" not in response.get_data(as_text=True)  # the policy forbids inline styles
    assert app.test_client().get("/dashboard/").headers["Cache-Control"] == "no-store"


def test_unknown_token_gets_a_page_that_says_what_to_do(app):
    response = app.test_client().get("/dashboard/", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401 and "casecoach token create" in response.get_data(as_text=True)


def test_export_neutralises_formulas_and_names_any_program(app, setup):
    youth = signed_in(app, setup["youth"])
    response = youth.get("/dashboard/program/Youth/export.csv")
    cells = [c for row in csv.reader(io.StringIO(response.get_data(as_text=True))) for c in row]
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in cells
    assert not any(c.startswith(("=", "+", "@")) or (c.startswith("-") and not c[1:2].isdigit()) for c in cells)
    other = youth.get("/dashboard/program/Jóvenes Ñ/export.csv")
    assert other.status_code == 200 and "filename*=UTF-8''J%C3%B3venes%20%C3%91-findings.csv" in \
        other.headers["Content-Disposition"]


def test_report_cli_csv_neutralises_formulas(setup, tmp_path):
    from click.testing import CliRunner
    from checker.cli.main import main
    out, csv_path = tmp_path / "r.html", tmp_path / "r.csv"
    worker = "=HYPERLINK(\"http://evil.example\",\"x\")"
    result = CliRunner().invoke(main, ["report", "--db", setup["db"], "--worker", worker, "--out", str(out),
                                       "--csv", str(csv_path)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(csv_path.open(encoding="utf-8")))
    assert rows[1][1] == "'" + worker


def test_job_status_is_the_owners_and_any_process_answers(app, setup):
    """Two apps on one store stand for two server processes: a poll reaches either."""
    other_process = create_app({"DB": setup["db"], "TESTING": True})
    youth = signed_in(app, setup["youth"])
    big = csv_bytes([{"id": f"Y-big-{i}", "program": "Youth", "text": NOTE + f" Visit {i}." + " x" * 120}
                     for i in range(2500)])
    assert len(big) > 700_000  # over the old request limit derived from the text limit
    sent = upload(youth, setup["youth"], "big.csv", big)
    assert sent.status_code == 303
    status = sent.location.split("localhost", 1)[-1] + "/status"
    elsewhere = signed_in(other_process, setup["youth"])
    assert elsewhere.get(status).status_code == 200
    assert signed_in(other_process, setup["soar"]).get(status).status_code == 404
    job = wait_for(elsewhere, sent.location)
    assert job["error"] is None and job["summary"]["scored"] == 2500


def test_uploads_at_once_are_bounded(setup):
    app = create_app({"DB": setup["db"], "TESTING": True, "UPLOADS_AT_ONCE": 0})
    youth = signed_in(app, setup["youth"])
    refused = upload(youth, setup["youth"], "x.csv", csv_bytes([{"id": "Y-z", "program": "Youth", "text": NOTE}]))
    assert refused.status_code == 429 and refused.headers["Retry-After"]


def test_upload_of_a_bad_jsonl_row_reports_it_and_goes_on(app, setup):
    youth = signed_in(app, setup["youth"])
    data = (json.dumps({"id": "Y-j1", "program": "Youth", "text": NOTE}) + "\n" +
            '{"id": "Y-j2", "program": "Youth", "text": "\\ud800 broken"}\n').encode()
    sent = upload(youth, setup["youth"], "rows.jsonl", data)
    job = wait_for(youth, sent.location)
    assert job["error"] is None and job["summary"]["scored"] == 1 and job["summary"]["malformed"] == 1
    assert any("line 2" in w for w in job["warnings"])


def test_no_store_means_a_clear_503_and_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CASECOACH_DB", raising=False)
    response = create_app({"TESTING": True}).test_client().get("/dashboard/")
    assert response.status_code == 503 and "--db" in response.get_data(as_text=True)
    assert not list(tmp_path.iterdir())


def test_a_worker_name_with_a_slash_has_its_pages(app, setup):
    youth = signed_in(app, setup["youth"])
    page = youth.get("/dashboard/program/Youth/worker/J/Rivera")
    assert page.status_code == 200 and "/dashboard/program/Youth/worker/J/Rivera/report" in page.get_data(as_text=True)
    report = youth.get("/dashboard/program/Youth/worker/J/Rivera/report")
    assert report.status_code == 200 and "Coaching report: J/Rivera" in report.get_data(as_text=True)
