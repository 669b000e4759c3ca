"""Every criterion file is well formed and its own pass/fail examples come out as it says."""
from pathlib import Path

import pytest

import checker
from checker.errors import RuleError
from checker.rulebook import load_rulebook

RULES = Path(__file__).parent.parent / "rules"
BOOK = load_rulebook()
JUDGED = [c for c in BOOK.criteria.values() if c.kind != "ask" or c.examples.get("pass")]


def test_rules_id_is_path():
    for cid in BOOK.criteria:
        kind, name = cid.split(".")
        assert (RULES / kind / f"{name}.yml").is_file()


def test_rules_examples_exist_for_every_judged_criterion():
    for crit in BOOK.criteria.values():
        if crit.kind != "ask":
            assert crit.examples.get("pass") and crit.examples.get("fail"), crit.id


def test_rules_cite_a_domain_source():
    for crit in BOOK.criteria.values():
        assert crit.source[:3] in {"000", "001", "002", "003", "004"}, crit.id


@pytest.mark.parametrize("crit", JUDGED, ids=lambda c: c.id)
def test_rules_examples_pass(crit):
    profile = crit.examples.get("profile", "default")
    for text in crit.examples["pass"]:
        assert checker.check(text, kind=crit.doc_kind, profile=profile).criterion(crit.id).status == "met", text


@pytest.mark.parametrize("crit", JUDGED, ids=lambda c: c.id)
def test_rules_examples_fail(crit):
    profile = crit.examples.get("profile", "default")
    for text in crit.examples["fail"]:
        assert checker.check(text, kind=crit.doc_kind, profile=profile).criterion(crit.id).status != "met", text


def _copy_rules(tmp_path):
    import shutil
    shutil.copytree(RULES, tmp_path / "rules")
    return tmp_path / "rules"


def test_rules_reject_attributes_the_pipeline_does_not_set(tmp_path):
    root = _copy_rules(tmp_path)
    (root / "lexicons" / "bad.yml").write_text("label: BAD\npatterns:\n  - [{LEMMA: attend}]\n")
    with pytest.raises(RuleError, match="not set by the pipeline"):
        load_rulebook(str(root))


def test_rules_reject_unknown_keys(tmp_path):
    root = _copy_rules(tmp_path)
    (root / "goal" / "odd.yml").write_text("name: Odd\nsource: '001 x'\nkind: require\nweight: 1\n"
                                           "check: {type: existence, cues: [FREQUENCY]}\nmessages: {}\n"
                                           "colour: red\nexamples: {pass: [a], fail: [b]}\n")
    with pytest.raises(RuleError, match="unknown keys"):
        load_rulebook(str(root))


def test_rules_require_examples(tmp_path):
    root = _copy_rules(tmp_path)
    (root / "goal" / "bare.yml").write_text("name: Bare\nsource: '001 x'\nkind: require\nweight: 1\n"
                                            "check: {type: existence, cues: [FREQUENCY]}\nmessages: {}\n")
    with pytest.raises(RuleError, match="examples"):
        load_rulebook(str(root))


def test_rules_yaml_words_on_and_no_stay_words(rulebook):
    words = [t for p in rulebook.patterns if isinstance(p["pattern"], list) for t in p["pattern"]]
    values = [v for t in words for a in t.values() if isinstance(a, dict) for v in a.get("IN", [])]
    assert "on" in values and "no" in values and True not in values


def test_rules_sentence_word_groups_do_not_overlap(tmp_path):
    from checker.annotate.features import WORDS_FILE, word_lists
    assert {"stance", "label", "kin", "init"} == set(word_lists().group.values())
    root = _copy_rules(tmp_path)
    words = root / WORDS_FILE
    words.write_text(words.read_text().replace("  kin: [aunt,", "  kin: [good, aunt,"))
    with pytest.raises(RuleError, match="'good' is in two groups"):
        word_lists(str(root))
    words.write_text("reporting: [said]\n")
    with pytest.raises(RuleError, match="needs lists"):
        word_lists(str(root))


def test_rules_reject_outside_naming_no_avoid_criterion(tmp_path):
    root = _copy_rules(tmp_path)
    path = root / "note" / "objective.yml"
    path.write_text(path.read_text().replace("outside: note.observations_not_opinions", "outside: note.plan"))
    with pytest.raises(RuleError, match="check.outside must name a criterion of type avoid"):
        load_rulebook(str(root))


def test_account_in_a_judging_sentence_is_not_an_objective_account():
    judged = checker.check("Client refused to cooperate and was manipulative.", kind="note")
    plain = checker.check("Client refused to sign the release form.", kind="note")
    assert judged.criterion("note.objective").status == "missing"
    assert plain.criterion("note.objective").status == "met"


@pytest.mark.parametrize("text, kind, shown", [
    ("I'll apply to 3 jobs by Friday.", "goal", "goal.person_responsible"),
    ("Oakley didn't want to get dressed. Client ain't trying. The client's mother called.", "note",
     "note.observations_not_opinions"),
])
def test_rules_read_a_curly_apostrophe_as_the_straight_one(text, kind, shown):
    straight = checker.check(text, kind=kind)
    curly = checker.check(text.replace("'", "\u2019"), kind=kind)
    assert [(c.id, c.status) for c in curly.criteria] == [(c.id, c.status) for c in straight.criteria]
    assert [(i.rule, i.start, i.end) for i in curly.issues] == [(i.rule, i.start, i.end) for i in straight.issues]
    # the apostrophe's word decides this criterion, so the comparison says something
    assert straight.criterion(shown).status == ("met" if kind == "goal" else "missing")
