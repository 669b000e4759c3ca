"""The coaching voice, checked on every corpus example and every rule example."""
import json
import re
from pathlib import Path

import pytest

import checker
from checker.speak.feedback import carries, telling
from checker.rulebook import load_rulebook

CORPUS = Path(__file__).parent.parent / "corpus"


def _texts():
    texts = [t for c in load_rulebook().criteria.values() for k in ("pass", "fail")
             for t in c.examples.get(k, [])]
    for name in ("train.jsonl", "dev.jsonl"):
        path = CORPUS / name
        if path.exists():
            texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()[:150]]
    return texts


TEXTS = _texts()


@pytest.fixture(scope="module")
def reports():
    return list(zip(TEXTS, checker.check_many(TEXTS)))


def test_feedback_starts_with_a_true_positive(reports):
    for _, report in reports:
        met = [c for c in report.criteria if c.status == "met"]
        if met:
            praise = report.feedback.praise
            assert praise.startswith("This ") and " already " in praise
            shown = [m for m in met if any(carries(e) for e in m.evidence)]
            nouns = checker.load_rulebook().criteria
            if shown:  # the weightiest met criterion whose evidence says something, quoted
                assert f"{nouns[shown[0].id].noun} (“{telling(shown[0]).text[:20]}" in praise
            elif met[0].evidence:  # only fragments: named, not quoted
                assert f"already has {nouns[met[0].id].noun}" in praise and "“" not in praise
            else:
                assert met[0].message.rstrip(".") in praise


def test_feedback_links_with_and_never_but(reports):
    for _, report in reports:
        fb = report.feedback
        for line in [fb.praise, fb.question] + fb.improvements:
            own_words = re.sub(r"“[^”]*”", "", line)  # the draft's quoted words are the writer's own
            assert not re.search(r"\b(but|however)\b", own_words, re.I), line
        assert ", and " in fb.praise


def test_feedback_at_most_three_improvements_judgements_first_then_weightiest(reports, rulebook):
    def rank(c):
        crit = rulebook.criteria[c.id]
        return (0 if crit.kind == "avoid" and crit.level != "info" else 2 if crit.level == "info" else 1, -crit.weight)
    for _, report in reports:
        fb = report.feedback
        assert len(fb.improvements) <= 3
        todo = sorted((c for c in report.criteria if c.status in ("missing", "partial")), key=rank)
        safety = [i.message for i in report.issues if i.rule == "safety"][:1]  # an unanswered risk first
        expected = safety + [r.message for r in todo]
        for improvement, said in zip(fb.improvements, expected):
            assert improvement.startswith(said)


def test_feedback_puts_the_judgement_before_the_missing_sections():
    report = checker.check("He is obviously depressed and probably using again. I told him he needs to get it together.")
    first = report.feedback.improvements[0]
    assert "opinion" in first and "“obviously”" in first
    assert "see or hear" in report.feedback.question


def test_feedback_asks_exactly_one_question(reports):
    for _, report in reports:
        q = report.feedback.question
        assert q.endswith("?") and q.count("?") == 1


def test_feedback_rewrites_use_the_drafts_own_subject():
    report = checker.check("Marcus will look for work.")
    suggestions = [c.suggestion for c in report.criteria if c.suggestion]
    assert suggestions and any("Marcus" in s for s in suggestions)
    assert "Marcus" in report.feedback.question


def test_feedback_quotes_the_drafts_words():
    report = checker.check("Client seemed lazy today. CM will follow up.", kind="note")
    assert any("“seemed”" in line for line in report.feedback.improvements)


def test_safety_words_are_never_silent():
    said = checker.check("Met with client at the office on 3/4. She said she wants to kill herself. "
                         "CM will call her Friday.", kind="note")
    assert [i.text for i in said.issues if i.rule == "safety"] == ["kill herself"]
    assert said.feedback.improvements[0].startswith("“kill herself” speaks of a risk")
    assert "what did you do" in said.feedback.question.lower()


def test_a_safety_concern_answered_or_denied_raises_nothing():
    answered = checker.check("Met with client on 3/4. She said she wants to kill herself. CM completed the "
                             "C-SSRS and a safety plan and notified the supervisor.", kind="note")
    denied = checker.check("Met with client on 3/4. Denies SI/HI. No thoughts of self-harm.", kind="note")
    goal = checker.check("Client will reduce suicidal thoughts to once a week by June.", kind="goal")
    assert not [i for r in (answered, denied, goal) for i in r.issues if i.rule == "safety"]
