"""When a flagged cue is excused: one rule for the avoid check and for the rules-alone opinion flag."""
from __future__ import annotations

from typing import Iterable

from spacy.tokens import Span

from .intervals import Cover, SpanIndex


class Excuses:
    """The excuses of one document (or sentence), for many flagged spans: a span is excused when it
    lies inside quotes (the client's own words), its sentence holds a cue labelled in `anywhere` (a
    hedge backed by behaviour), or a cue labelled in `before` opens earlier in the sentence (someone
    else's account: "Mother reported that ...").

    cues: the cues that may excuse, sorted by start; quotes: (start, end) token stretches. Each
    sentence is summed up once, so a text of many flagged spans costs no more than its length.
    """

    def __init__(self, cues: list[Span], quotes: Iterable[tuple[int, int]], anywhere: Iterable[str],
                 before: Iterable[str]) -> None:
        self.cues, self.quotes = SpanIndex(cues), Cover(quotes)
        self.anywhere, self.before = set(anywhere), set(before)
        self._sentences: dict[tuple[int, int], tuple[bool, float]] = {}

    def _sentence(self, start: int, end: int) -> tuple[bool, float]:
        """Whether the sentence holds an `anywhere` cue, and where its first `before` cue starts."""
        key = (start, end)
        if key not in self._sentences:
            inside = self.cues.inside(start, end)
            self._sentences[key] = (any(c.label_ in self.anywhere for c in inside),
                                    min((c.start for c in inside if c.label_ in self.before), default=float("inf")))
        return self._sentences[key]

    def excused(self, span: Span, sentence: tuple[int, int]) -> bool:
        """Whether the span, inside the sentence of tokens (start, end), is excused."""
        if self.quotes.contains(span.start, span.end):
            return True
        anywhere, first_before = self._sentence(*sentence)
        return anywhere or first_before < span.start

    OPENING = 4  # "Mother reported", "The client's mother stated", "Per her teacher"

    def excused_sentence(self, sentence: Span) -> bool:
        """Whether a whole flagged sentence (the opinion model's) is excused: in quotes, or holding
        an `anywhere` cue, or opening as someone else's account ("Mother reported that the children
        are doing fine" is hers, though her name comes before the cue; "Client fine; no changes
        noted." is not)."""
        if self.quotes.contains(sentence.start, sentence.end):
            return True
        anywhere, first_before = self._sentence(sentence.start, sentence.end)
        return anywhere or first_before - sentence.start < self.OPENING
