"""Write docs/feedback-samples.md: 15 published goals and 15 published notes from the test split
(every k-th, so nothing is picked for how well it reads) with the feedback casecoach gives them.

Usage: python corpus/published/feedback_samples.py [--out docs/feedback-samples.md]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import checker

HERE = Path(__file__).parent
ROOT = HERE.parent.parent


def pick(examples: list[dict], kind: str, count: int) -> list[dict]:
    """`count` examples of a kind, evenly spaced through the split."""
    of_kind = [e for e in examples if e["kind"] == kind]
    step = max(len(of_kind) // count, 1)
    return of_kind[::step][:count]


def section(ex: dict) -> str:
    """One sample: the draft, its source, and the feedback."""
    report = checker.check(ex["text"])
    fb = report.feedback
    draft = "\n".join("> " + line for line in ex["text"].splitlines())
    fixes = "\n".join(f"{i}. {text}" for i, text in enumerate(fb.improvements, 1)) or "(none)"
    return (f"### {ex['id']} ({ex['kind']}, read as {report.kind}, score {report.score:.2f})\n\n{draft}\n\n"
            f"Source: <{ex['url']}>\n\n**{fb.praise}**\n\n{fixes}\n\n*{fb.question}*\n")


def main() -> None:
    """Write the samples file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "feedback-samples.md"))
    args = parser.parse_args()
    examples = [json.loads(line) for line in (HERE / "test.jsonl").read_text(encoding="utf-8").splitlines()]
    chosen = pick(examples, "goal", 15) + pick(examples, "note", 15)
    head = ("# Feedback on published drafts\n\nThirty drafts from the published test split "
            "(`corpus/published/test.jsonl`; 15 goals and 15 notes, every k-th, not chosen for how they read), "
            "each with the feedback casecoach gives it unprompted (kind detected): the praise, at most three "
            "improvements, one question. Written by `python corpus/published/feedback_samples.py`.\n\n")
    Path(args.out).write_text(head + "\n".join(section(ex) for ex in chosen), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
