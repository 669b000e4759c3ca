"""The casecoach command line: reports, exit codes, errors without tracebacks, documented commands."""
import json
import re
from pathlib import Path

from click.testing import CliRunner

from checker.cli.main import main

ROOT = Path(__file__).parent.parent


def run(*args, stdin=None):
    return CliRunner().invoke(main, list(args), input=stdin)


def test_cli_check_json_is_the_report():
    result = run("check", "-", "--json", stdin="Jasmine will attend HSE classes every Monday.")
    assert result.exit_code == 0
    assert json.loads(result.output)["criteria"][0]["id"].startswith("goal.")


def test_cli_check_text_report_marks_evidence(tmp_path):
    path = tmp_path / "goal.txt"
    path.write_text("Jasmine will attend HSE classes every Monday.")
    result = run("check", str(path))
    assert result.exit_code == 0 and "[every Monday]" in result.output and "✔ met" in result.output


def test_cli_fail_under_gates_the_score():
    assert run("check", "-", "--fail-under", "0.9", stdin="Client will improve her grades.").exit_code == 1
    assert run("check", "-", "--fail-under", "0.1", stdin="Client will improve her grades.").exit_code == 0


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\xff\xfe\x00\x01")
    for args, stdin in [(("check", "-"), ""), (("check", str(bad)), None), (("check", "-", "--profile", "x"), "hi"),
                        (("check", str(tmp_path / "missing.txt")), None)]:
        result = run(*args, stdin=stdin)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output and result.output.startswith("error: ")
        assert result.output.count("\n") == 1


def test_cli_eval_prints_table_and_json(tmp_path):
    path = tmp_path / "ex.jsonl"
    path.write_text(json.dumps({"kind": "goal", "text": "Client will improve her grades.",
                                "labels": {"goal.frequency": "missing"}}) + "\n" +
                    json.dumps({"kind": "goal", "text": "Client will attend class daily.",
                                "labels": {"goal.frequency": "met"}}) + "\n")
    table = run("eval", str(path))
    assert table.exit_code == 0 and re.search(r"goal\.frequency\s+2\s+1\s+1\.000", table.output)
    data = json.loads(run("eval", str(path), "--json").output)
    assert data["criteria"][0]["kappa"] == 1.0


def test_cli_eval_scores_each_text_also_as_the_kind_detected(tmp_path):
    # Two goals told as goals, and a goal labelled a note: judged as a note it has a plan ("will
    # call ... by Friday"), but a user who pastes it is shown a goal's report, which has no note.plan.
    rows = [{"kind": "goal", "text": "Client will attend class daily.", "labels": {"goal.frequency": "met"}},
            {"kind": "goal", "text": "Client will improve her grades.", "labels": {"goal.frequency": "missing"}},
            {"kind": "note", "text": "Client will call the school by Friday.", "labels": {"note.plan": "met"}},
            {"kind": "note", "text": "Met with client at the office today. No plan was made.", "labels": {"note.plan": "missing"}}]
    path = tmp_path / "ex.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    data = json.loads(run("eval", str(path), "--json").output)
    assert next(c for c in data["criteria"] if c["criterion"] == "note.plan")["kappa"] == 1.0
    assert data["kind_accuracy"] == 0.75
    assert data["detected"]["goal"] == {"criteria": 1, "mean_kappa": 1.0}
    assert data["detected"]["note"] == {"criteria": 1, "mean_kappa": 0.0}
    assert "each text checked as the kind detected" in run("eval", str(path)).output


def test_cli_eval_adds_sentence_roles_for_labelled_note_sentences(tmp_path):
    text = "Plan: CM will call the school by Friday. She seemed lazy today."
    note = {"kind": "note", "text": text, "labels": {"note.plan": "met"},
            "sentences": [{"text": "Plan: CM will call the school by Friday.", "role": "PLAN", "opinion": False},
                          {"text": "She seemed lazy today.", "role": "ASSESSMENT", "opinion": True}]}
    path = tmp_path / "notes.jsonl"
    path.write_text(json.dumps(note) + "\n")
    table = run("eval", str(path))
    assert table.exit_code == 0 and "rules alone | rules + model" in table.output
    assert re.search(r"PLAN\s+1 \|", table.output) and re.search(r"OPINION\s+1 \|", table.output)
    roles = json.loads(run("eval", str(path), "--json").output)["sentence_roles"]
    assert {r["system"] for r in roles["rows"]} == {"rules", "rules+model"}


def test_cli_eval_names_a_bad_line(tmp_path):
    path = tmp_path / "ex.jsonl"
    path.write_text('{"kind": "goal"\n')
    result = run("eval", str(path))
    assert result.exit_code == 2 and ":1:" in result.output


def test_cli_demo_checks_both_samples():
    result = run("demo")
    assert result.exit_code == 0 and "sample goal" in result.output and "sample note" in result.output


def test_cli_every_command_has_help_and_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    docs = readme + "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))
    names = main.list_commands(None)
    assert {"check", "eval", "demo", "serve", "batch", "train", "eval-roles"} <= set(names)
    for name in names:
        command = main.get_command(None, name)
        assert command.help and "Example:" in command.help, name
        assert f"casecoach {name}" in docs, name
        assert run(name, "--help").exit_code == 0
