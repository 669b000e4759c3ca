"""casecoach report: the one-worker coaching report and the CSV export, from a real store."""
import csv
import io
from pathlib import Path

from click.testing import CliRunner

from checker.batch import Options, run_batch
from checker.cli.main import main
from checker.speak.coaching_report import export_csv, render_report
from checker.batch.store import open_db

NOTE = (Path(__file__).parent.parent / "checker" / "samples" / "note.txt").read_text(encoding="utf-8")


def scored(tmp_path, store_text=False):
    src = tmp_path / "n.csv"
    with open(src, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "worker", "program", "date", "text"])
        writer.writerows([[f"d{i}", "Rivera", "P", f"2024-03-0{i + 1}", NOTE] for i in range(3)])
    run_batch([str(src)], str(tmp_path / "s.db"), Options(kind="note", store_text=store_text), warn=lambda m: None)
    return open_db(str(tmp_path / "s.db"))


def test_report_praise_first_then_at_most_three_fixes_with_own_examples_and_a_question(tmp_path):
    html = render_report(scored(tmp_path), "Rivera")
    well, work, question = html.index("What you do well"), html.index("What to work on next"), html.index("A question")
    assert well < work < question
    assert html.count("<li><b>", work, question) <= 3 and "In document d" in html
    assert " but " not in html.lower() and " however" not in html.lower()


def test_report_unknown_worker_is_none(tmp_path):
    assert render_report(scored(tmp_path), "Nobody") is None


def test_report_export_csv_one_row_per_finding(tmp_path):
    buffer = io.StringIO()
    count = export_csv(scored(tmp_path), buffer, worker="Rivera")
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert len(rows) == count > 3 and {r["document_id"] for r in rows} == {"d0", "d1", "d2"}


def test_report_cli_writes_html_and_csv(tmp_path):
    scored(tmp_path)
    out, export = tmp_path / "r.html", tmp_path / "r.csv"
    result = CliRunner().invoke(main, ["report", "--db", str(tmp_path / "s.db"), "--worker", "Rivera",
                                       "--out", str(out), "--csv", str(export)])
    assert result.exit_code == 0, result.output
    assert "Coaching report: Rivera" in out.read_text() and export.read_text().startswith("document_id")
    missing = CliRunner().invoke(main, ["report", "--db", str(tmp_path / "s.db"), "--worker", "X"])
    assert missing.exit_code == 2 and "no documents for worker 'X'" in missing.output


def test_report_token_cli_prints_a_token_once(tmp_path):
    open_db(str(tmp_path / "s.db")).conn.close()  # token create needs an existing store
    result = CliRunner().invoke(main, ["token", "create", "--db", str(tmp_path / "s.db"), "--name", "A",
                                       "--program", "P", "--new-program"])
    token = result.output.strip()
    assert result.exit_code == 0 and len(token) > 20
    assert open_db(str(tmp_path / "s.db"))["tokens"].get("A")["token_hash"] != token


def _contract(data: dict) -> dict:
    """asdict() of a report as the contract has it: no subject, part offsets or (but for plans) parts."""
    for key in ("subject", "start", "end"):
        del data[key]
    if data["kind"] == "plan":
        data["parts"] = [_contract(part) for part in data["parts"]]
    else:
        del data["parts"]
    return data


def test_report_to_dict_is_asdict_without_the_subject():
    from dataclasses import asdict
    import checker
    for text in ("Jasmine will attend HSE classes every Monday for 3 months.",
                 "S: Client seemed lazy. P: CM will call her by Friday 3/7.",
                 "Short-Term Goals:\n1) Ana will enroll in ESL classes by May 1.\n2) Ana will apply to 3 jobs a week."):
        report = checker.check(text)
        assert report.to_dict() == _contract(asdict(report))
    assert report.kind == "plan" and len(report.to_dict()["parts"]) == 2
