"""The learned kind detector, with the rules as fallback."""
from importlib import resources

from checker import check
from checker.judge.kind import predict_kind
from checker.annotate.pipeline import build_nlp


def _sample(name):
    return (resources.files("checker") / "samples" / name).read_text(encoding="utf-8")


def test_kind_model_detects_samples():
    assert check(_sample("goal.txt")).kind == "goal"
    assert check(_sample("note.txt")).kind == "note"


def test_kind_model_short_texts():
    assert check("Jada will improve her attendance.").kind == "goal"
    assert check("CM called client on 3/4. Client said she found an apartment.").kind == "note"


def test_kind_model_absent_means_rules(tmp_path):
    doc = build_nlp()("Jada will improve her attendance.")
    assert predict_kind(doc, str(tmp_path)) is None
