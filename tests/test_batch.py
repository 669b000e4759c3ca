"""casecoach batch: readers, column mapping, malformed rows, idempotence, timeliness, kill -9 and resume."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

import checker
from checker.batch import BatchInputError, Options, run_batch
from checker.cli.main import main

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import make_notes  # noqa: E402
from csv_files import write_csv  # noqa: E402

NOTE = (ROOT / "checker" / "samples" / "note.txt").read_text(encoding="utf-8").replace("\n", " ")
GOAL = "By June 30, Maria will attend the HSE class every Monday for 3 months."




def quiet_run(paths, db, **opts):
    """Run a batch; return its summary and its row warnings, files named without their folder."""
    warnings = []
    result = run_batch([str(p) for p in paths], str(db), Options(**opts), warn=warnings.append)
    folders = {str(Path(p).parent) + os.sep for p in paths}
    for folder in folders:
        warnings = [w.replace(folder, "") for w in warnings]
    return result, [w for w in warnings if " line " in w]


def table(db, sql):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_batch_csv_autodetects_columns_and_stores_findings(tmp_path):
    src = write_csv(tmp_path / "n.csv", [{"Note ID": "a1", "Case Manager": "W1", "Program": "P", "Note Text": NOTE}])
    result, _ = quiet_run([src], tmp_path / "s.db")
    assert result["documents"] == 1 and result["scored"] == 1
    assert table(tmp_path / "s.db", "select id, worker, program, kind, text from documents") == [
        ("a1", "W1", "P", "note", None)]
    assert table(tmp_path / "s.db", "select count(*) from findings where document_id = 'a1'")[0][0] >= 10


def test_batch_missing_text_column_names_the_columns_found(tmp_path):
    src = write_csv(tmp_path / "n.csv", [{"ident": "a1", "blurb": NOTE}])
    with pytest.raises(BatchInputError, match="'ident', 'blurb'"):
        quiet_run([src], tmp_path / "s.db")
    with pytest.raises(BatchInputError, match="no column 'Body'"):
        quiet_run([src], tmp_path / "s.db", columns={"text": "Body"})
    result, _ = quiet_run([src], tmp_path / "s.db", columns={"text": "blurb", "id": "ident"})
    assert result["documents"] == 1


def test_batch_jsonl_malformed_rows_reported_with_line_and_skipped(tmp_path):
    lines = [json.dumps({"id": "1", "text": NOTE}), "{not json", json.dumps({"id": "3", "text": "  "}),
             json.dumps({"id": "4", "text": GOAL, "date": "31/31/2024"}), json.dumps({"id": "5", "text": GOAL})]
    src = tmp_path / "n.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result, warnings = quiet_run([src], tmp_path / "s.db")
    assert result["scored"] == 2 and result["malformed"] == 3
    assert [w.split(":")[0] for w in warnings] == ["n.jsonl line 2", "n.jsonl line 3", "n.jsonl line 4"]
    assert not any("Met with" in w for w in warnings)


def test_batch_csv_ragged_row_reported_with_its_line(tmp_path):
    src = tmp_path / "n.csv"
    src.write_text(f'id,text\n1,"{NOTE}"\n2,"{GOAL}",extra\n3,"{GOAL}"\n', encoding="utf-8")
    result, warnings = quiet_run([src], tmp_path / "s.db")
    assert result["scored"] == 2 and warnings[0].startswith("n.csv line 3: 3 fields")


def test_batch_xlsx_is_read_with_dates(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Record ID", "Staff", "Narrative", "Note Date", "Service Date"])
    from datetime import datetime
    sheet.append(["x1", "W2", NOTE, datetime(2024, 3, 8), datetime(2024, 3, 4)])
    book.save(tmp_path / "n.xlsx")
    quiet_run([tmp_path / "n.xlsx"], tmp_path / "s.db", kind="note")
    assert table(tmp_path / "s.db", "select date, contact_date from documents") == [("2024-03-08", "2024-03-04")]
    assert table(tmp_path / "s.db", "select status from findings where criterion = 'note.timely'") == [("missing",)]


def test_batch_rerun_skips_done_and_rescores_changed_text(tmp_path):
    rows = [{"id": "1", "text": NOTE}, {"id": "2", "text": GOAL}]
    src = write_csv(tmp_path / "n.csv", rows)
    quiet_run([src], tmp_path / "s.db")
    again, _ = quiet_run([src], tmp_path / "s.db")
    assert (again["scored"], again["skipped"]) == (0, 2)
    write_csv(tmp_path / "n.csv", [rows[0], {"id": "2", "text": GOAL + " She will bring her ID."}])
    changed, _ = quiet_run([src], tmp_path / "s.db")
    assert (changed["scored"], changed["skipped"]) == (1, 1)


def test_batch_store_text_is_opt_in(tmp_path):
    src = write_csv(tmp_path / "n.csv", [{"id": "1", "text": NOTE}])
    quiet_run([src], tmp_path / "s.db", store_text=True)
    assert table(tmp_path / "s.db", "select text from documents") == [(NOTE,)]


def test_batch_without_store_text_keeps_the_evidence_but_not_the_text(tmp_path):
    """A reviewer must see the words a finding rests on; the whole draft is kept only with --store-text."""
    src = write_csv(tmp_path / "n.csv", [{"id": "1", "text": NOTE}])
    quiet_run([src], tmp_path / "p.db")
    assert table(tmp_path / "p.db", "select text from documents") in ([(None,)], [])
    report = checker.check(NOTE)
    stored = {c: json.loads(e) for c, e in table(tmp_path / "p.db", "select criterion, evidence from findings")}
    for criterion in report.criteria:
        assert [e["text"] for e in stored[criterion.id]] == [e.text for e in criterion.evidence]
    messages = {c: m for c, m in table(tmp_path / "p.db", "select criterion, message from findings")}
    assert all(messages[c.id] == c.message for c in report.criteria)


def test_batch_timeliness_uses_profile_thresholds_per_client(tmp_path):
    rows = [{"id": "p1", "client": "A", "date": "2024-01-01", "type": "plan", "text": GOAL},
            {"id": "p2", "client": "A", "date": "2024-02-15", "type": "plan", "text": GOAL},
            {"id": "n1", "client": "A", "date": "2024-02-20", "contact date": "2024-02-19", "type": "note", "text": NOTE},
            {"id": "p3", "client": "B", "date": "2024-01-01", "type": "plan", "text": GOAL},
            {"id": "p4", "client": "B", "date": "2024-01-20", "type": "plan", "text": GOAL}]
    for row in rows:
        row.setdefault("contact date", "")
    src = write_csv(tmp_path / "n.csv", rows)
    quiet_run([src], tmp_path / "s.db", profile="soar")
    status = dict(table(tmp_path / "s.db", "select document_id || ' ' || criterion, status from findings "
                                           "where criterion in ('note.timely', 'plan.reviewed_in_interval')"))
    assert status == {"p1 plan.reviewed_in_interval": "missing", "p2 plan.reviewed_in_interval": "met",
                      "p3 plan.reviewed_in_interval": "met", "p4 plan.reviewed_in_interval": "met",
                      "n1 note.timely": "met"}


def test_batch_cli_prints_summary(tmp_path):
    src = write_csv(tmp_path / "n.csv", [{"id": "1", "text": NOTE}, {"id": "2", "text": ""}])
    result = CliRunner().invoke(main, ["batch", src, "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 0, result.output
    assert "documents: 1" in result.output and "most missed:" in result.output
    assert "line 3: the text is empty" in result.output


def _contents(db):
    docs = table(db, "select id, worker, program, client, date, contact_date, kind, score, text_hash, ruleset "
                     "from documents order by id")
    findings = table(db, "select * from findings order by document_id, criterion")
    return docs, findings


def test_batch_kill_9_and_rerun_equals_one_clean_run(tmp_path):
    src = str(tmp_path / "n.csv")
    make_notes.write_csv(src, 240)
    command = [sys.executable, "-c", "from checker.cli.main import main; main()", "batch", src, "--commit-every", "20"]
    subprocess.run(command + ["--db", str(tmp_path / "clean.db")], check=True, capture_output=True)
    killed = str(tmp_path / "killed.db")
    proc = subprocess.Popen(command + ["--db", killed], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while proc.poll() is None and not _committed(killed, 40):
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < table(killed, "select count(*) from documents")[0][0] < 240
    subprocess.run(command + ["--db", killed], check=True, capture_output=True)
    assert _contents(killed) == _contents(str(tmp_path / "clean.db"))


def _committed(db, at_least):
    try:
        return table(db, "select count(*) from documents")[0][0] >= at_least
    except sqlite3.Error:
        return False


def test_batch_two_processes_store_what_one_does(tmp_path):
    src = str(tmp_path / "n.csv")
    make_notes.write_csv(src, 60)
    for n in ("1", "2"):
        result = CliRunner().invoke(main, ["batch", src, "--db", str(tmp_path / f"p{n}.db"), "--processes", n,
                                           "--batch-size", "8"])
        assert result.exit_code == 0, result.output
    assert _contents(str(tmp_path / "p1.db")) == _contents(str(tmp_path / "p2.db"))
    assert table(str(tmp_path / "p2.db"), "select count(*) from documents")[0][0] == 60
