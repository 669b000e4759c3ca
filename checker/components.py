"""spaCy components that only annotate: sentence bounds, note sections, quoted speech."""
from __future__ import annotations

import re

import numpy
from spacy.attrs import SENT_START

from spacy.language import Language
from spacy.tokens import Doc, Span

NOT_START = numpy.uint64(2**64 - 1)
SENTENCE_END = {".", "!", "?", "..."}
BULLETS = {"-", "*", "•", "–", "—", "·", "o"}
QUOTE_RE = re.compile(r'"[^"\n]{1,600}"|“[^”\n]{1,600}”|(?<!\w)\'[^\'\n]{2,300}\'(?!\w)')


@Language.factory("casecoach_sentences")
def make_sentences(nlp: Language, name: str):
    """Sentence bounds at end punctuation and at every line break (bullets, headings, lists)."""
    return SentenceBounds()


class SentenceBounds:
    """Marks sentence starts: after . ! ? and after a newline token; nothing else."""

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        # spaCy's SENT_START array: 1 starts a sentence, -1 (as uint64) does not.
        starts = numpy.full((len(doc), 1), NOT_START, dtype="uint64")
        after_end, after_newline = True, False
        for i, token in enumerate(doc):
            text = token.text
            space, punct = token.is_space, token.is_punct
            if after_newline or (after_end and not (punct or space)):
                starts[i, 0] = 1
                after_end = after_newline = False
            if space and "\n" in text:
                after_newline = True
            elif text in SENTENCE_END:
                after_end = True
            elif not (punct or space):
                after_end = False
        doc.from_array([SENT_START], starts)
        return doc


@Language.factory("casecoach_sections", default_config={"headings": {}})
def make_sections(nlp: Language, name: str, headings: dict):
    """Note sections from line-initial headings ("S:", "Plan:", "Strengths observed -")."""
    return Sections(headings)


class Sections:
    """Writes doc.spans["headings"] (the heading words) and doc.spans["sections"] (their bodies)."""

    MAX_WORDS = 4

    def __init__(self, headings: dict[str, list[str]]):
        self.lookup = {str(word).lower(): label for label, words in headings.items() for word in words}

    def _heading_at(self, doc: Doc, i: int) -> tuple[str, int] | None:
        """If a heading starts at token i, return its label and the index after its separator."""
        words = []
        for j in range(i, min(i + self.MAX_WORDS * 2, len(doc))):
            tok = doc[j]
            if tok.text in (":", "-", "–", ")") or ("\n" in tok.text and tok.is_space):
                label = self.lookup.get(" ".join(words).replace(" / ", "/").replace(" /", "/"))
                if label and (tok.text != "-" or len(words) > 1 or len(words[0]) > 1):
                    return label, j + (0 if tok.is_space else 1)
                return None
            words.append(tok.lower_)
        return None

    def __call__(self, doc: Doc) -> Doc:
        found = []
        for i, token in enumerate(doc):
            if i == 0 or ("\n" in doc[i - 1].text and doc[i - 1].is_space):
                start = i + 1 if token.text in ("-", "*", "•") else i
                hit = self._heading_at(doc, start) if start < len(doc) else None
                if hit:
                    found.append((start, hit[1], hit[0]))
        headings, sections = [], []
        for n, (start, body, label) in enumerate(found):
            end = found[n + 1][0] if n + 1 < len(found) else len(doc)
            headings.append(Span(doc, start, body, label=label))
            if end > body:
                sections.append(Span(doc, body, end, label=label))
        doc.spans["headings"] = headings
        doc.spans["sections"] = sections
        return doc


@Language.factory("casecoach_quotes")
def make_quotes(nlp: Language, name: str):
    """Quoted speech: the client's or others' own words, never the worker's opinion."""
    return Quotes()


class Quotes:
    """Writes doc.spans["quotes"] for every quoted stretch of one line."""

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for m in QUOTE_RE.finditer(doc.text):
            span = doc.char_span(m.start(), m.end(), label="QUOTE", alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans["quotes"] = spans
        return doc
