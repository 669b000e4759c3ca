"""Look-ups over a document's spans by bisection, for the questions the checks ask of every span
("which sentence is it in?", "is it inside a quote?"): a scan over all spans for each span made a
text with thousands of cues, quotes or sentences cost the square of its length."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import Iterable, Sequence

from spacy.tokens import Doc, Span

from .tokens import sentence_starts


class Sentences:
    """A Doc's sentence bounds, from its SENT_START flags."""

    def __init__(self, doc: Doc) -> None:
        self.starts = [i for i, start in enumerate(sentence_starts(doc)) if start]
        self.length = len(doc)

    def of(self, token: int) -> tuple[int, int]:
        """(start, end) of the sentence Span.sent gives for a span whose first token is `token`."""
        k = bisect_right(self.starts, token)
        return (self.starts[k - 1] if k else 0), (self.starts[k] if k < len(self.starts) else self.length)


class Cover:
    """Stretches (start, end), in any order and possibly overlapping."""

    def __init__(self, stretches: Iterable[tuple[int, int]]) -> None:
        pairs = sorted(stretches)
        self.starts = [s for s, _ in pairs]
        self.reach = list(accumulate((e for _, e in pairs), max))  # the furthest end so far

    def contains(self, start: int, end: int) -> bool:
        """Whether one stretch (s, e) has s <= start and end <= e."""
        k = bisect_right(self.starts, start)
        return k > 0 and self.reach[k - 1] >= end

    def holds(self, point: int) -> bool:
        """Whether one stretch (s, e) has s <= point < e."""
        k = bisect_right(self.starts, point)
        return k > 0 and self.reach[k - 1] > point


def any_between(points: Sequence[int], start: int, end: int) -> bool:
    """Whether a point of the sorted `points` lies in start <= point < end."""
    k = bisect_left(points, start)
    return k < len(points) and points[k] < end


class SpanIndex:
    """Spans sorted by their first token (as ctx.cues gives them), looked up by token range."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = spans
        self.starts = [s.start for s in spans]

    def inside(self, start: int, end: int) -> list[Span]:
        """The spans lying within tokens start..end, in their order."""
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return [s for s in self.spans[lo:hi] if s.end <= end]
