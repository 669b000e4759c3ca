"""spaCy components that only annotate: sentence bounds, note sections, quoted speech."""
from __future__ import annotations

import re

import numpy
from spacy.attrs import SENT_START

from spacy.language import Language
from spacy.tokens import Doc, Span

from .tokens import doc_text, token_table

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
        after_end, after_newline, found = True, False, []
        t = token_table(doc)
        for i, (text, space, punct) in enumerate(zip(t.text, t.is_space, t.is_punct)):
            if after_newline or (after_end and not (punct or space)):
                found.append(i)
                after_end = after_newline = False
            if space and "\n" in text:
                after_newline = True
            elif text in SENTENCE_END:
                after_end = True
            elif not (punct or space):
                after_end = False
        starts[found, 0] = 1
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
        # A heading's text starts with its first token: a line whose first token begins no heading
        # is passed over at once (a text of short lines is mostly such lines).
        self.prefixes = {key[:n] for key in self.lookup for n in range(1, len(key) + 1)}

    def _heading_at(self, doc: Doc, i: int) -> tuple[str, int] | None:
        """If a heading starts at token i, return its label and the index after its separator."""
        words, t = [], token_table(doc)
        if not t.is_space[i] and t.lower[i] not in self.prefixes:
            return None
        for j in range(i, min(i + self.MAX_WORDS * 2, len(doc))):
            text = t.text[j]
            if text in (":", "-", "–", ")") or ("\n" in text and t.is_space[j]):
                label = self.lookup.get(" ".join(words).replace(" / ", "/").replace(" /", "/"))
                if label and (text != "-" or len(words) > 1 or len(words[0]) > 1):
                    return label, j + (0 if t.is_space[j] else 1)
                return None
            words.append(t.lower[j])
        return None

    def __call__(self, doc: Doc) -> Doc:
        found, t = [], token_table(doc)
        after_line = True  # token 0, or the token before is a line break
        for i, (text, space) in enumerate(zip(t.text, t.is_space)):
            if after_line:
                start = i + 1 if text in ("-", "*", "•") else i
                hit = self._heading_at(doc, start) if start < len(doc) else None
                if hit:
                    found.append((start, hit[1], hit[0]))
            after_line = space and "\n" in text
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
        for m in QUOTE_RE.finditer(doc_text(doc)):
            span = doc.char_span(m.start(), m.end(), label="QUOTE", alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans["quotes"] = spans
        return doc
