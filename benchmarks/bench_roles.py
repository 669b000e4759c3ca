"""Median time of checker.check on corpus notes, with and without the learned sentence roles.

Run: python benchmarks/bench_roles.py [corpus/dev.jsonl]
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from checker import check
from checker.engine import setup, report_for
from checker.annotate.pipeline import build_nlp


def _notes(path: Path) -> list[str]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["text"] for r in rows if r["kind"] == "note"]


def _median_ms(texts: list[str], run) -> float:
    times = []
    for text in texts:
        start = time.perf_counter()
        run(text)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    """Print the median note check time with the model, and with the component disabled."""
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus/dev.jsonl")
    texts = _notes(path)
    for text in texts[:5]:
        check(text, kind="note")  # warm up: pipeline build and model load
    with_model = _median_ms(texts, lambda t: check(t, kind="note"))
    nlp = build_nlp()
    rulebook, prof = setup("note", "default", None)
    with nlp.select_pipes(disable=["casecoach_sentence_roles"]):
        rules_only = _median_ms(texts, lambda t: report_for(nlp(t), "note", prof, rulebook))
    auto = _median_ms(texts, lambda t: check(t))
    print(f"{len(texts)} notes: median check {with_model:.2f} ms with sentence roles, "
          f"{rules_only:.2f} ms rules only, {auto:.2f} ms with kind auto-detection")


if __name__ == "__main__":
    main()
