"""Word classes built from the lexicons that ship inside registry packages."""
import pytest

import checker
from checker.errors import RuleError
from checker.resources import rules_root
from checker.wordclasses import load_wordclasses


@pytest.fixture(scope="module")
def classes():
    return {name: set(words) for name, words in load_wordclasses(rules_root()).items()}


def test_wordclasses_evaluative_holds_judgements_no_list_of_ours_has(classes):
    assert {"angry", "upset", "naughty", "filthy", "drunk", "agitated", "pleasant"} <= classes["evaluative"]
    # facts, test results and observed acts are not judgements
    assert not {"arrested", "injured", "clean", "positive", "late", "present", "crying"} & classes["evaluative"]


def test_wordclasses_action_verbs_leave_out_the_vague_ones(classes):
    assert {"pack", "buy", "subtract", "tell"} <= classes["action_verbs"]
    assert not classes["vague_verbs"] & classes["action_verbs"]


def test_wordclasses_drive_the_opinion_rule():
    def flagged(note):
        return [i.text for i in checker.check(note, kind="note").issues if i.rule == "note.observations_not_opinions"]
    assert flagged("Sarah was super upset.") == ["was super upset"]
    assert flagged("Client stated she was upset.") == []
    assert flagged("Client was arrested on 3/2.") == []


def test_wordclasses_bad_file_fails_loudly(tmp_path):
    (tmp_path / "wordclasses.yml").write_text("odd: {from: [{lexicon: nope}]}\n", encoding="utf-8")
    with pytest.raises(RuleError, match="lexicon"):
        load_wordclasses(tmp_path)
    (tmp_path / "wordclasses.yml").write_text("odd: {words: [a], except_classes: [later]}\n", encoding="utf-8")
    with pytest.raises(RuleError, match="not defined"):
        load_wordclasses(tmp_path)
