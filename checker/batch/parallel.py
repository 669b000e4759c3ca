"""Score documents in worker processes: each takes a chunk of texts and sends back Reports.

spaCy's own nlp.pipe(n_process=N) sends every annotated Doc back to the parent, which then judges
it alone; here the workers judge too, and only the small Report objects cross the pipe. Workers are
forked after the pipeline is built, so they start at once with the same rules and models.
"""
from __future__ import annotations

import multiprocessing
from collections import deque
from itertools import islice
from typing import Iterable, Iterator

from ..engine import check_many
from ..annotate.pipeline import build_nlp
from ..report import Report


def score_chunk(texts: list[str], kinds: list[str], profile: str, rules: str | None) -> list[Report]:
    """Reports for one chunk of texts (run in a worker; also usable in-process)."""
    return list(check_many(texts, kinds, profile, rules=rules))


def scored(pending: Iterable[tuple[str, dict]], profile: str, rules: str | None, processes: int,
           chunk_size: int) -> Iterator[tuple[Report, dict]]:
    """(report, document) for every pending (text, document), in input order.

    The parent keeps reading the input (and the store, which only it may touch) and keeps at most
    two chunks per worker in flight, so memory stays flat however long the input is."""
    pending = iter(pending)
    if processes <= 1:
        while chunk := list(islice(pending, chunk_size)):
            yield from zip(score_chunk([t for t, _ in chunk], [d["kind"] for _, d in chunk], profile, rules),
                           (d for _, d in chunk))
        return
    build_nlp(rules)  # built before the fork: every worker inherits it
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with context.Pool(processes) as pool:
        inflight: deque = deque()
        while True:
            chunk = list(islice(pending, chunk_size))
            if chunk:
                job = pool.apply_async(score_chunk, ([t for t, _ in chunk], [d["kind"] for _, d in chunk], profile, rules))
                inflight.append((job, [d for _, d in chunk]))
            if inflight and (not chunk or len(inflight) >= 2 * processes):
                job, docs = inflight.popleft()
                yield from zip(job.get(), docs)
            if not chunk and not inflight:
                return
