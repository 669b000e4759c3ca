"""The labelled corpus: its fixed split by writer, and reading it with every label checked."""
from __future__ import annotations

from pathlib import Path

from ..errors import CasecoachError
from .evaluate import read_examples
from ..annotate.sentence_views import ROLES
from ..rulebook import KINDS

SPLITS = ("train", "dev", "test")
FIELDS = ("source", "kind", "text")


def split_of(source: str) -> str:
    """The fixed split by writer: team d is test, every fourth writer is dev, the rest train."""
    if source.startswith("d"):
        return "test"
    return "dev" if source.endswith("4") else "train"


def read_corpus(corpus: Path) -> dict[str, list[dict]]:
    """Train/dev/test examples: the split files, unless the raw files hold more (split files stale),
    then the published examples of each split.
    A corpus with no examples, or with an example or sentence label casecoach cannot use, is an error."""
    raw = [ex for path in sorted((corpus / "raw").glob("*.jsonl")) for ex in read_examples(path, FIELDS, True)]
    files = {name: corpus / f"{name}.jsonl" for name in SPLITS}
    split = None
    if all(p.is_file() for p in files.values()):
        split = {name: read_examples(p, FIELDS, True) for name, p in files.items()}
        if sum(len(v) for v in split.values()) < len(raw):
            split = None
    if split is None:
        split = {name: [] for name in SPLITS}
        for ex in raw:
            split[split_of(str(ex["source"]))].append(ex)
    for name in SPLITS:  # the published examples, split by site (corpus/published/split.py)
        published = corpus / "published" / f"{name}.jsonl"
        if published.is_file():
            split[name] = split[name] + read_examples(published, FIELDS, True)
    if not any(split.values()):
        raise CasecoachError(f"{corpus}: no examples (expected raw/*.jsonl, or train.jsonl, dev.jsonl and test.jsonl)")
    for name, examples in split.items():
        for ex in examples:
            _check_example(ex, name)
    return split


def _check_example(ex: dict, split: str) -> None:
    where = f"example {ex.get('id', '(no id)')} in {split}"
    if ex["kind"] not in KINDS or not isinstance(ex["text"], str):
        raise CasecoachError(f"{where}: 'kind' must be one of {', '.join(KINDS)} and 'text' a string")
    sentences = ex.get("sentences") or []
    if not isinstance(sentences, list):
        raise CasecoachError(f"{where}: 'sentences' must be a list")
    for sent in sentences:
        if (not isinstance(sent, dict) or not isinstance(sent.get("text"), str) or sent.get("role") not in ROLES
                or not isinstance(sent.get("opinion"), bool)):
            raise CasecoachError(f"{where}: each sentence needs 'text', 'role' (one of {', '.join(ROLES)}) "
                                 "and 'opinion' (true or false)")
