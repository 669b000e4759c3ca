"""The cue matcher finds exactly what spaCy's own Matcher and PhraseMatcher find for the same rules."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from checker.annotate.token_matcher import TokenMatcher

ROOT = Path(__file__).resolve().parent.parent


def corpus_texts() -> list[str]:
    """Every corpus text and every criterion example: a wide sample of real drafts."""
    texts = []
    for path in sorted((ROOT / "corpus" / "raw").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


def phrase_doc(nlp, phrase: str) -> Doc:
    """A phrase as the rules mean it: each word tokenized as in running text, where a contraction
    ("'m", "'ve") is one token after its word, though the tokenizer splits it standing alone."""
    words = []
    for chunk in phrase.split():
        lone_contraction = chunk[0] in "'\u2019" and chunk[1:].isalpha()
        words += [chunk] if lone_contraction else [t.text for t in nlp.make_doc(chunk)]
    return Doc(nlp.vocab, words=words)


def reference_cues(nlp, patterns, docs) -> list[set]:
    """(label, id, start, end) per doc, as spaCy's Matcher + PhraseMatcher report them."""
    matcher, phrases, names = Matcher(nlp.vocab), PhraseMatcher(nlp.vocab, attr="LOWER"), {}
    for n, entry in enumerate(patterns):
        key = f"p{n}"
        names[nlp.vocab.strings.add(key)] = (entry["label"], entry["id"])
        if isinstance(entry["pattern"], str):
            phrases.add(key, [phrase_doc(nlp, entry["pattern"])])
        else:
            matcher.add(key, [entry["pattern"]])
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for doc in docs:
            found = list(matcher(doc)) + list(phrases(doc))
            out.append({names[k] + (s, e) for k, s, e in found if s != e})
    return out


def test_token_matcher_equals_spacy_matcher_on_the_corpus(nlp, rulebook):
    docs = list(nlp.pipe(corpus_texts()))
    expected = reference_cues(nlp, rulebook.patterns, docs)
    differing = 0
    for doc, want in zip(docs, expected):
        got = {(s.label_, s.id_, s.start, s.end) for s in doc.spans["cues"]}
        differing += got != want
        assert got == want, (sorted(got - want)[:5], sorted(want - got)[:5])
    assert len(docs) > 500 and differing == 0


@pytest.mark.parametrize("op, text, expected", [
    ("?", "a b c", {(0, 3)}),
    ("?", "a c", {(0, 2)}),
    ("*", "a b b b c", {(0, 5)}),
    ("+", "a c", set()),
    ("+", "a b b d", {(0, 4)}),
    ("{1,2}", "a b b b c", set()),
    ("{1,2}", "a b b c", {(0, 4)}),
    ("{2}", "a b b c", {(0, 4)}),
    ("!", "a x c", {(0, 3)}),
    ("!", "a b c", set()),
])
def test_token_matcher_operators_match_spacy(nlp, op, text, expected):
    pattern = [{"LOWER": "a"}, {"LOWER": "b", "OP": op}, {"LOWER": {"IN": ["c", "d"]}}]
    assert both_matchers(nlp, pattern, nlp.make_doc(text)) == (expected, expected)


@pytest.mark.parametrize("op, expected", [
    ("?", {(0, 1), (0, 2)}), ("*", {(0, 1), (0, 2), (0, 3)}), ("+", {(0, 2), (0, 3)}),
    ("{0,2}", {(0, 1), (0, 2), (0, 3)}),
])
def test_token_matcher_reports_every_end_of_a_trailing_repeat(nlp, op, expected):
    pattern = [{"LOWER": "a"}, {"LOWER": "b", "OP": op}]
    assert both_matchers(nlp, pattern, nlp.make_doc("a b b c")) == (expected, expected)


def both_matchers(nlp, pattern, doc) -> tuple[set, set]:
    """(start, end) of the matches of one pattern: ours, then spaCy's."""
    ours, theirs = TokenMatcher(nlp.vocab), Matcher(nlp.vocab)
    ours.add(1, pattern)
    theirs.add("P", [pattern])
    return {(s, e) for _, s, e in ours(doc)}, {(s, e) for _, s, e in theirs(doc)}


def test_token_matcher_leading_optional_and_sentence_start(nlp):
    pattern = [{"LOWER": "the", "OP": "?"}, {"IS_SENT_START": True, "IS_TITLE": True}, {"LIKE_NUM": True}]
    doc = nlp("Room 12 and Hall 3 are open. Desk 4 too.")
    ours, theirs = both_matchers(nlp, pattern, doc)
    assert ours == theirs == {(0, 2), (8, 10)}


def test_token_matcher_rejects_an_unknown_operator(nlp):
    with pytest.raises(ValueError, match="OP"):
        TokenMatcher(nlp.vocab).add(1, [{"LOWER": "a", "OP": "~"}])
