"""The digest of every corpus example's report, so work on speed can prove it changed nothing.

Run: python benchmarks/report_digests.py           # compare with tests/report_digests.json
     python benchmarks/report_digests.py --write   # after an intended change of what casecoach says
tests/test_report_digests.py runs the comparison: a report that differs by one byte fails it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORED = ROOT / "tests" / "report_digests.json"
FILES = ["corpus/train.jsonl", "corpus/dev.jsonl", "corpus/test.jsonl", "corpus/published/train.jsonl",
         "corpus/published/dev.jsonl", "corpus/published/test.jsonl"]


def digests() -> dict[str, str]:
    """Example id -> SHA-256 of its report's JSON (kind detected, default profile), over the corpus."""
    import checker
    examples = [json.loads(line) for name in FILES for line in (ROOT / name).read_text(encoding="utf-8").splitlines()
                if line.strip()]
    reports = checker.check_many([e["text"] for e in examples])
    return {e["id"]: hashlib.sha256(json.dumps(r.to_dict(), sort_keys=True, ensure_ascii=False).encode()).hexdigest()
            for e, r in zip(examples, reports)}


def changed(now: dict[str, str], stored: dict[str, str]) -> list[str]:
    """The ids whose report differs, appeared or disappeared."""
    return sorted(i for i in set(now) | set(stored) if now.get(i) != stored.get(i))


def main() -> None:
    """Compare with the stored digests, or write them."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="store the current digests")
    args = parser.parse_args()
    now = digests()
    if args.write:
        STORED.write_text(json.dumps(now, indent=0, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {len(now)} digests to {STORED.relative_to(ROOT)}")
        return
    diff = changed(now, json.loads(STORED.read_text(encoding="utf-8")))
    shown = f": {', '.join(diff[:10])}" if diff else ""
    print(f"{len(now)} reports, {len(diff)} changed{shown}")
    sys.exit(1 if diff else 0)


if __name__ == "__main__":
    main()
