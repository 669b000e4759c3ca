"""The labelled corpus: well formed, big enough, varied, and split by writer."""
import json
from collections import Counter
from pathlib import Path

import pytest

from checker.rulebook import load_rulebook

CORPUS = Path(__file__).parent.parent / "corpus"
SPLITS = ("train", "dev", "test")


def load(name):
    return [json.loads(line) for line in (CORPUS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def corpus():
    return {name: load(name) for name in SPLITS}


def test_corpus_is_big_enough(corpus):
    kinds = Counter(ex["kind"] for split in corpus.values() for ex in split)
    assert kinds["goal"] >= 300 and kinds["note"] >= 200
    sentences = sum(len(ex.get("sentences", [])) for split in corpus.values() for ex in split)
    assert sentences >= 2000


def test_corpus_splits_share_no_writer(corpus):
    sources = {name: {ex["source"] for ex in split} for name, split in corpus.items()}
    assert not sources["train"] & sources["test"]
    assert not sources["dev"] & sources["test"]
    assert not sources["train"] & sources["dev"]


def test_corpus_labels_name_real_criteria(corpus):
    ids = set(load_rulebook().criteria)
    for split in corpus.values():
        for ex in split:
            assert set(ex["labels"]) <= ids, ex["id"]
            assert all(v in ("met", "partial", "missing") for v in ex["labels"].values())


def test_corpus_sentences_are_substrings_in_order(corpus):
    for split in corpus.values():
        for ex in split:
            pos = 0
            for s in ex.get("sentences", []):
                found = ex["text"].find(s["text"], pos)
                assert found >= 0, ex["id"]
                pos = found + len(s["text"])


def test_corpus_covers_every_program(corpus):
    programs = Counter(ex["program"] for split in corpus.values() for ex in split)
    assert set(programs) == {"youth", "workforce", "mental_health", "child_welfare", "housing"}
