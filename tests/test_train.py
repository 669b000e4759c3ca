"""casecoach train and eval-roles on a small corpus in a temporary folder."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli.main import main
from checker.annotate.sentence_roles import MANIFEST, sha256
from checker.learn.corpus import read_corpus, split_of

RAW = Path(__file__).resolve().parent.parent / "corpus" / "raw"


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    """A few goals and notes per split, taken from the real corpus (split by writer as usual)."""
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "raw").mkdir()
    picked, seen = [], {}
    for path in sorted(RAW.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            ex = json.loads(line) if line.strip() else None
            key = (split_of(ex["source"]), ex["kind"]) if ex else None
            if key and seen.get(key, 0) < 12:
                seen[key] = seen.get(key, 0) + 1
                picked.append(line)
    (folder / "raw" / "x.jsonl").write_text("\n".join(picked) + "\n", encoding="utf-8")
    return folder


def _train(corpus, out):
    return CliRunner().invoke(main, ["train", "--corpus", str(corpus), "--out", str(out)])


@pytest.fixture(scope="module")
def trained(small_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("models")
    result = _train(small_corpus, out)
    assert result.exit_code == 0, result.output
    return out


def test_train_split_by_writer():
    assert [split_of(s) for s in ("d2", "a4", "e4", "b1", "c5")] == ["test", "dev", "dev", "train", "train"]


def test_train_reads_raw_when_no_split_files(small_corpus):
    split = read_corpus(small_corpus)
    assert all(split[name] for name in ("train", "dev"))
    assert all(split_of(ex["source"]) == name for name, exs in split.items() for ex in exs)


def test_train_writes_artefacts_and_card(trained):
    hashes = json.loads((trained / MANIFEST).read_text())["files"]
    assert set(hashes) == {"roles.json", "opinion.json", "kind.json"}
    for name, digest in hashes.items():
        assert sha256((trained / name).read_bytes()) == digest
    card = (trained / "README.md").read_text()
    assert "## Data" in card and "## Known failure cases" in card and "rules+model" not in card.split("## Data")[0]


def test_train_is_deterministic(small_corpus, trained, tmp_path):
    assert _train(small_corpus, tmp_path).exit_code == 0
    assert (tmp_path / MANIFEST).read_text() == (trained / MANIFEST).read_text()


def test_train_eval_roles_shows_both_systems(small_corpus, trained):
    dev = small_corpus / "dev.jsonl"
    dev.write_text("\n".join(json.dumps(e) for e in read_corpus(small_corpus)["dev"]) + "\n")
    result = CliRunner().invoke(main, ["eval-roles", str(dev), "--models", str(trained), "--json"])
    assert result.exit_code == 0, result.output
    systems = {(r["system"], r["label"]) for r in json.loads(result.output)["rows"]}
    assert ("rules", "OPINION") in systems and ("rules+model", "PLAN") in systems
    dev.unlink()


def test_train_card_states_each_target_met_or_missed_by(trained):
    import re
    section = (trained / "README.md").read_text().split("## Targets")[1].split("## Known failure cases")[0]
    lines = [line for line in section.splitlines() if line.startswith("- ")]
    labels = ["STRENGTH", "OBSERVATION", "ASSESSMENT", "PLAN", "DATA", "OTHER", "OPINION"]
    assert [line.split()[1] for line in lines[:7]] == labels and "kind accuracy" in lines[7]
    for line in lines[:7]:
        f1, goal = (float(x) for x in re.search(r"F1 ([\d.]+) .*target ([\d.]+)\)", line).groups())
        assert line.endswith(": met") if f1 >= goal else f"missed by {goal - f1:.3f}: " in line


def test_train_folds_hold_out_whole_teams():
    from types import SimpleNamespace
    from checker.learn.fitting import folds
    items = [SimpleNamespace(group=team) for team in "aabbccddeeffgghhii"]
    fold_list = folds(items, 10)
    assert len(fold_list) == 8
    for train, held in fold_list:
        assert not {items[i].group for i in train} & {items[i].group for i in held}
    assert sorted(i for _, held in fold_list for i in held) == list(range(len(items)))
    # under three teams: the one fold train vs dev
    assert folds(items[:4], 2) == [([0, 1], [2, 3])]


def test_train_card_reports_cross_validation(trained):
    card = (trained / "README.md").read_text()
    assert "Cross-validation (" in card and "opinion F1" in card.split("Cross-validation (")[1]


def _corpus(tmp_path, lines: list[str] | bytes):
    (tmp_path / "raw").mkdir(parents=True)
    data = lines if isinstance(lines, bytes) else ("\n".join(lines) + "\n").encode("utf-8")
    (tmp_path / "raw" / "a.jsonl").write_bytes(data)
    return tmp_path


def _note(**sentence) -> str:
    sent = {"text": "She came.", "role": "OBSERVATION", "opinion": False} | sentence
    return json.dumps({"id": "n1", "source": "a1", "kind": "note", "text": "She came.", "sentences": [sent]})


@pytest.mark.parametrize("lines, message", [
    ([], "no examples"),
    (['{"id": "g1", "source": "a1", broken'], "a.jsonl:1: not valid JSON"),
    (b"\xff\xfe{}\n", "a.jsonl: not UTF-8 text"),
    (['{"id": "g1", "kind": "goal", "text": "x"}'], "a.jsonl:1: needs 'source', 'kind', 'text'"),
    ([_note(role="SUMMARY")], "example n1 in train: each sentence needs"),
    ([_note(opinion="maybe")], "example n1 in train: each sentence needs"),
    ([_note()], "too little to learn from in train+dev"),
])
def test_train_refuses_a_bad_corpus_with_a_clear_error(tmp_path, lines, message):
    out = tmp_path / "models"
    result = _train(_corpus(tmp_path / "corpus", lines), out)
    assert result.exit_code == 2 and result.output.startswith("error: ") and message in result.output, result.output
    assert "Traceback" not in result.output and not out.exists()


@pytest.mark.parametrize("command", ["eval", "eval-roles"])
def test_train_eval_commands_refuse_a_file_that_is_not_utf8(tmp_path, command):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"\xff\xfe\x00\x01")
    result = CliRunner().invoke(main, [command, str(bad)])
    assert result.exit_code == 2 and "not UTF-8 text" in result.output


def test_train_eval_roles_refuses_a_file_without_labelled_sentences(tmp_path):
    goals = tmp_path / "goals.jsonl"
    goals.write_text(json.dumps({"kind": "goal", "text": "Ana will apply for 3 jobs a week."}) + "\n")
    result = CliRunner().invoke(main, ["eval-roles", str(goals)])
    assert result.exit_code == 2 and "no labelled note sentences" in result.output


def test_train_refuses_an_output_folder_it_cannot_create(small_corpus, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = _train(small_corpus, blocker / "models")
    assert result.exit_code == 2 and "cannot create" in result.output and "Traceback" not in result.output
