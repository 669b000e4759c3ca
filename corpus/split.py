"""Split corpus/raw/*.jsonl into train/dev/test by writer, never by example.

Examples by one writer share habits and phrasings; splitting by example would let the rules be
tuned on a writer and tested on the same writer. Test = every example from the "d" writer team
(all five programs, a team whose notes were never read while writing rules); dev = the fourth
writer of every other team; train = the rest. Run: python corpus/split.py
"""
from __future__ import annotations

import json
from pathlib import Path

from checker.learn.corpus import split_of

HERE = Path(__file__).parent


def main() -> None:
    """Write train.jsonl, dev.jsonl and test.jsonl next to this file."""
    out = {"train": [], "dev": [], "test": []}
    for path in sorted((HERE / "raw").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                out[split_of(item["source"])].append(line)
    for name, lines in out.items():
        (HERE / f"{name}.jsonl").write_text("".join(l + "\n" for l in lines), encoding="utf-8")
        print(f"{name}: {len(lines)} examples")


if __name__ == "__main__":
    main()
