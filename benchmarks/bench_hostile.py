"""Hostile texts: check() time on texts shaped to be slow, against an ordinary note of the same length.

Run: python benchmarks/bench_hostile.py [--chars 50000] [--runs 3] [--only SHAPE]
Prints, per shape, its length, the least CPU seconds of --runs checks, the same for the ordinary
note (the shipped sample note, checker/samples/note.txt, repeated to the length; timed between the
shape's runs, as the machine's speed drifts) and their ratio; asserts nothing (target: every ratio
<= 3). CPU time, not wall-clock: on a shared machine it is the less disturbed.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from bench_engine import NOTE

from checker.resources import sample_drafts

EMOJI = "\U0001F600"


def _unique_words(letters: str, form=str):
    """Made-up words of 7 letters, each different and new at every run (nothing is cached for
    them), each written as form(word)."""
    def text(chars: int, run: int) -> str:
        rng = random.Random(run)
        words = ("".join(rng.choice(letters) for _ in range(7)) for _ in range(chars // 7 + 1))
        return " ".join(form(w) for w in words)
    return text


def _published_notes(chars: int, run: int) -> str:
    """The published corpus' notes, one after another: real, and each different."""
    path = Path(__file__).resolve().parent.parent / "corpus" / "published" / "test.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    notes = "\n\n".join(row["text"] for row in rows if row["kind"] == "note")
    return (notes * (chars // len(notes) + 1))[:chars]


# name -> the unit repeated to the length, or a function of the length and the run
SHAPES = {
    "ordinary note (sample note)": sample_drafts()["note"] + "\n",
    "bench_engine.py's note": NOTE + "\n\n",
    "published notes, one after another": _published_notes,
    "'%' run": "%",
    "emoji run": EMOJI,
    "one long word 'a'": "a",
    "'a%' run": "a%",
    "'-' run": "-",
    "'%&' runs of 100": "%&" * 50 + " ",
    "emoji runs of 100": EMOJI * 100 + " ",
    "'.,' runs of 100": ".," * 50 + " ",
    "short lines 'x\\n'": "x\n",
    "'No. ' sentences": "No. ",
    "'Yes. ' sentences": "Yes. ",
    "spaces": lambda n, run: "x" + " " * (n - 1),
    "newlines": lambda n, run: "x" + "\n" * (n - 1),
    "'will '": "will ",
    "'seemed ' (opinion cues)": "seemed ",
    "'She seemed lazy. '": "She seemed lazy. ",
    "'recieved ' (one misspelling)": "recieved ",
    "'Recieved. ' (sentence starts)": "Recieved. ",
    "unique made-up words": _unique_words("bcdfghjklmnpqrstvwxz"),
    "unique misspellings": _unique_words("etaoinshr"),
    "'the' + unique word": _unique_words("etaoinshr", "the {}".format),
    "unique capitalised sentences": _unique_words("etaoinshr", lambda w: w.capitalize() + "."),
    "'S: x\\n' sections": "S: x\n",
    "'\"a\" ' quotes": '"a" ',
    "'\"a\".\\n' quoted lines": '"a".\n',
    "'“' open quotes": "“",
    "'(' run": "(",
    "'1 ' numbers": "1 ",
    "'3/4 ' dates": "3/4 ",
    "'the the ' repeats": "the the ",
    "'a apple ' grammar": "a apple ",
    "'Client will attend class daily. '": "Client will attend class daily. ",
}


def text_of(shape, chars: int, run: int = 0) -> str:
    """The shape's text, exactly `chars` characters long."""
    if callable(shape):
        return shape(chars, run)[:chars]
    return (shape * (chars // len(shape) + 1))[:chars]


def seconds(text: str) -> float:
    """CPU seconds of one check()."""
    import checker
    start = time.process_time()
    checker.check(text)
    return time.process_time() - start


def main() -> None:
    """Print one line per shape."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="only the shapes whose name contains this")
    args = parser.parse_args()
    import checker
    checker.check(sample_drafts()["note"])  # build the pipeline, load the models and the dictionary first
    (_, normal), *shapes = SHAPES.items()
    normal_text = text_of(normal, args.chars)
    print(f"{'shape':36} {'chars':>7} {'seconds':>8} {'ordinary':>8} {'ratio':>6}")
    for name, shape in shapes:
        if args.only not in name:
            continue
        # The ordinary note is timed between the shape's runs: the machine's speed drifts.
        mine, theirs = [], []
        for run in range(args.runs):
            theirs.append(seconds(normal_text))
            mine.append(seconds(text_of(shape, args.chars, run)))
        print(f"{name:36} {len(text_of(shape, args.chars)):>7,} {min(mine):>8.3f} {min(theirs):>8.3f} "
              f"{min(mine) / min(theirs):>6.2f}", flush=True)


if __name__ == "__main__":
    main()
