"""Every word casecoach writes, over every corpus example (written and published): no template
artefacts, pronouns in their right forms, criterion names never used as nouns."""
import json
import re
from pathlib import Path

import pytest

import checker

ROOT = Path(__file__).parent.parent
FILES = sorted((ROOT / "corpus").glob("*.jsonl")) + sorted((ROOT / "corpus" / "published").glob("*.jsonl"))
ARTEFACTS = {
    "an empty quotation": re.compile(r"“\s*”|\"\s*\""),
    "an empty 'instead of'": re.compile(r"instead of\s*[,.;]"),
    "an unfilled field": re.compile(r"[{}]|\bNone\b"),
    "a doubled word": re.compile(r"\b(\w+) \1\b", re.I),
    "a doubled space": re.compile(r"\S  +\S"),
    "a space before punctuation": re.compile(r"\w ,|\w \.(?!\.)"),
    "a sentence ended twice": re.compile(r"[.!?]”[.]"),
    "a role word as a name mid-sentence": re.compile(r"\b(?:what|for|with|of|and|that|how) (?:Client|Youth|Tenant|Participant|Student)\b"),
    "a subject pronoun as an object or possessive": re.compile(
        r"\bfor (he|she|they) to\b|\b(he|she|they)'s (strengths|goal|plan|supports)\b|\b(with|of|label|move|on) (he|she|they)\b", re.I),
    "a criterion's name as a noun": re.compile(r"\ba clear (measurable|time-framed|specific|frequency|method)\b", re.I),
    "'add the <criterion>'": re.compile(r"add the (observations, not opinions|respectful language|spelling and grammar)"),
    "a mid-sentence capital pronoun": re.compile(r"\b(and|for|what|how|that) (She|He|They)\b"),
    "a first-person subject in our voice": re.compile(r"\bfor me to\b|\bhow you and i\b", re.I),
}


QUOTED = re.compile(r"“[^“”]+”")


def examples():
    for path in FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            ex = json.loads(line)
            if ex.get("text"):
                yield ex


def words_written(report) -> list[str]:
    """Every message, suggestion, rewrite, question and replacement of a report (a plan's parts too)."""
    return _written(report.to_dict())


def _written(d: dict) -> list[str]:
    out = [c["message"] for c in d["criteria"]] + [c["suggestion"] or "" for c in d["criteria"]]
    out += [i["message"] for i in d["issues"]] + [r for i in d["issues"] for r in i["replacements"]]
    out += [d["feedback"]["praise"], d["feedback"]["question"], *d["feedback"]["improvements"]]
    for part in d.get("parts", []):
        out += _written(part)
    return [w for w in out if w]


@pytest.fixture(scope="module")
def written():
    found = []
    for ex in examples():
        kind = ex["kind"] if ex.get("kind") in checker.rulebook.KINDS else "auto"
        found += [(ex["text"][:60], w) for w in words_written(checker.check(ex["text"], kind=kind))]
    return found


def test_the_corpus_is_read(written):
    assert len({t for t, _ in written}) > 1000


@pytest.mark.parametrize("artefact", sorted(ARTEFACTS))
def test_no_template_artefacts_in_anything_we_write(written, artefact):
    # The draft's own words, quoted, are the writer's: only what we wrote around them is checked.
    ours = [(t, w if artefact == "an empty quotation" else QUOTED.sub("“…”", w)) for t, w in written]
    bad = [(t, w) for t, w in ours if ARTEFACTS[artefact].search(w)]
    assert not bad, f"{len(bad)} with {artefact}, e.g. {bad[:3]}"


@pytest.mark.parametrize("text, expected", [
    ("She will improve her grades.", "for her to reach"),
    ("He will attend tutoring every Monday.", "for him to reach"),
    ("I will find a job by March.", "for the client to reach"),
    ("_______ will attend 5 out of 7 trials by June.", "for the client to reach"),
])
def test_the_subject_takes_its_object_form(text, expected):
    assert expected in checker.check(text, kind="goal").feedback.question


@pytest.mark.parametrize("text, kind, wanted, unwanted", [
    ("Jayden will improve in math. He likes his tutor.", "goal", "raise his Math grade", "raise her"),
    ("Maria will improve in math. She likes her tutor.", "goal", "raise her Math grade", "raise his"),
    ("Met with Jayden at school on 3/4. He seemed lazy. CM will call by Friday 3/7.", "note",
     "put his head on the desk", "put her head"),
])
def test_examples_use_the_drafts_own_pronouns(text, kind, wanted, unwanted):
    said = " ".join(words_written(checker.check(text, kind=kind)))
    assert wanted in said and unwanted not in said


@pytest.mark.parametrize("text, kind, wanted, unwanted", [
    ("Ms. Diaz will secure a part-time sales job at the mall by March 30th.", "goal", "career center", "TASC"),
    ("Client will improve her grades.", "goal", "TASC", "job applications"),
    ("Met with tenant at the shelter about her apartment search. She seemed stressed.", "note",
     "apartment applications", "job applications"),
    ("Met with Ms. Wilson at home. The children were at daycare. She seemed overwhelmed.", "note",
     "children", "HSE"),
])
def test_examples_come_from_the_drafts_own_program(text, kind, wanted, unwanted):
    said = " ".join(words_written(checker.check(text, kind=kind)))
    assert wanted in said and unwanted not in said


def test_every_program_gives_every_example():
    rulebook = checker.load_rulebook()
    assert rulebook.programs and all(set(examples) == set(rulebook.general_examples)
                                     for _, examples in rulebook.programs.values())


def test_praise_quotes_evidence_that_carries_the_criterion():
    from checker.speak.feedback import FUNCTION_WORDS
    fragments = []
    for ex in examples():
        kind = ex["kind"] if ex.get("kind") in checker.rulebook.KINDS else "auto"
        praise = checker.check(ex["text"], kind=kind).feedback.praise
        for quote in QUOTED.findall(praise):
            words = re.findall(r"[\w'’]+", quote)
            if not quote.endswith("…”") and (len(words) < 2 or words[-1].lower() in FUNCTION_WORDS):
                fragments.append((ex["text"][:40], quote))
    assert fragments == []
