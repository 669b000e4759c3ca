"""Split the published examples (raw/*.jsonl) into train/dev/test by source site, never by example.

Pages of one site share a writer's habits and its templates, so a site sits in exactly one split.
The assignment lives in sites.json and only grows: a site once placed keeps its split, so a test site
never becomes training data when more examples are collected. A new site goes where its kind is
furthest below the target shares (test 30%, dev 20%, train 50%, by examples of each kind).
Examples whose text repeats one already kept (sites mirror each other) are dropped.
Run: python corpus/published/split.py
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

from checker.rulebook import KINDS, load_rulebook
from checker.annotate.sentence_views import ROLES

HERE = Path(__file__).parent
TARGET = {"test": 0.3, "dev": 0.2, "train": 0.5}


@lru_cache(maxsize=1)
def labels_of_kind() -> dict[str, set[str]]:
    """The criteria each kind's examples are labelled with: all but the `ask` ones (the rulebook's own)."""
    crits = load_rulebook().criteria.values()
    return {kind: {c.id for c in crits if c.doc_kind == kind and c.kind != "ask"} for kind in KINDS}


def site_of(ex: dict) -> str:
    """The example's site: its host without a leading "www."."""
    host = re.sub(r"^[a-z]+://", "", ex.get("url") or ex["source"]).split("/")[0].lower()
    return host[4:] if host.startswith("www.") else host


def problems(ex: dict) -> list[str]:
    """What is wrong with one example (nothing: an empty list)."""
    out = []
    for key in ("id", "url", "source_says", "kind", "text", "labels"):
        if not ex.get(key):
            out.append(f"no {key}")
    kind = ex.get("kind")
    if kind not in KINDS:
        return out + [f"kind {kind!r}"]
    missing = labels_of_kind()[kind] - set(ex.get("labels") or {})
    if missing:
        out.append(f"labels missing {sorted(missing)}")
    if any(v not in ("met", "missing", "partial") for v in (ex.get("labels") or {}).values()):
        out.append("a label is not met/missing/partial")
    at = 0
    for sent in ex.get("sentences") or []:
        found = ex["text"].find(sent.get("text", "\0"), at)
        if found < 0 or sent.get("role") not in ROLES or not isinstance(sent.get("opinion"), bool):
            out.append(f"bad sentence {sent.get('text', '')[:30]!r}")
            break
        at = found + len(sent["text"])
    if kind == "note" and not ex.get("sentences"):
        out.append("a note without sentences")
    return out


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split())


def read_raw() -> list[dict]:
    """Every valid, first-seen example of raw/*.jsonl, in file order; bad lines are reported and skipped."""
    seen, kept = set(), []
    for path in sorted((HERE / "raw").glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            ex = json.loads(line)
            bad = problems(ex)
            if bad:
                print(f"{path.name}:{number}: skipped ({'; '.join(bad)})", file=sys.stderr)
                continue
            key = _key(ex["text"])
            if key in seen:
                continue
            seen.add(key)
            ex["source"] = site_of(ex)
            kept.append(ex)
    return kept


def assign(examples: list[dict], sites: dict[str, str]) -> dict[str, str]:
    """Place every new site (largest first; ties by a hash of the name) in the split that most needs it."""
    size: dict[str, Counter] = defaultdict(Counter)
    for ex in examples:
        size[ex["source"]][ex["kind"]] += 1
    have = {name: Counter() for name in TARGET}
    for site, split in sites.items():
        have[split].update(size.get(site, Counter()))
    total = Counter(ex["kind"] for ex in examples)
    new = sorted((s for s in size if s not in sites),
                 key=lambda s: (-sum(size[s].values()), hashlib.sha256(s.encode()).hexdigest()))
    for site in new:
        kind = size[site].most_common(1)[0][0]
        split = max(TARGET, key=lambda n: TARGET[n] * total[kind] - have[n][kind])
        sites[site] = split
        have[split].update(size[site])
    return sites


def main() -> None:
    """Write train.jsonl, dev.jsonl, test.jsonl and sites.json next to this file."""
    examples = read_raw()
    sites_file = HERE / "sites.json"
    sites = json.loads(sites_file.read_text(encoding="utf-8")) if sites_file.is_file() else {}
    sites = assign(examples, sites)
    sites_file.write_text(json.dumps(dict(sorted(sites.items())), indent=1) + "\n", encoding="utf-8")
    out = {name: [] for name in TARGET}
    for ex in examples:
        out[sites[ex["source"]]].append(ex)
    for name, exs in out.items():
        (HERE / f"{name}.jsonl").write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in exs),
                                           encoding="utf-8")
        kinds = Counter(e["kind"] for e in exs)
        counts = ", ".join(f"{kinds[k]} {k}s" for k in KINDS if kinds[k])
        print(f"{name}: {len(exs)} examples ({counts}) from {len({e['source'] for e in exs})} sites")


if __name__ == "__main__":
    main()
