"""Score a batch's documents in worker processes, the documents kept beside their reports in order.

The workers are the engine's (checker.engine.scored_chunks): forked after the pipeline is built,
judging as well as annotating, so only the small Report objects cross the pipe.
"""
from __future__ import annotations

from collections import deque
from itertools import islice
from typing import Iterable, Iterator

from ..engine import scored_chunks
from ..report import Report


def scored(pending: Iterable[tuple[str, dict]], profile: str, rules: str | None, processes: int,
           chunk_size: int) -> Iterator[tuple[Report, dict]]:
    """(report, document) for every pending (text, document), in input order.

    The parent keeps reading the input (and the store, which only it may touch) and the engine keeps
    at most two chunks per worker in flight, so memory stays flat however long the input is."""
    pending = iter(pending)
    waiting: deque[list[dict]] = deque()  # the documents of each chunk sent, in the order sent

    def chunks():
        while chunk := list(islice(pending, chunk_size)):
            waiting.append([d for _, d in chunk])
            yield [t for t, _ in chunk], [d["kind"] for _, d in chunk]

    for reports in scored_chunks(chunks(), profile, rules, processes):
        yield from zip(reports, waiting.popleft())
