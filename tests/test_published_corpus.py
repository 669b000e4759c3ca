"""The published corpus: verbatim examples with their pages, labelled, and split by site."""
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

PUBLISHED = Path(__file__).parent.parent / "corpus" / "published"
sys.path.insert(0, str(PUBLISHED))
import split as published_split  # noqa: E402  (corpus/published/split.py)

SPLITS = ("train", "dev", "test")


@pytest.fixture(scope="module")
def splits():
    return {name: [json.loads(l) for l in (PUBLISHED / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
            for name in SPLITS}


def test_published_corpus_is_big_enough(splits):
    kinds = Counter(ex["kind"] for exs in splits.values() for ex in exs)
    assert kinds["goal"] >= 400 and kinds["note"] >= 250


def test_published_corpus_examples_are_well_formed(splits):
    for exs in splits.values():
        for ex in exs:
            assert published_split.problems(ex) == [], ex["id"]
            assert ex["url"].startswith(("http://", "https://")), ex["id"]


def test_published_corpus_never_puts_one_site_in_two_splits(splits):
    sites = {name: {ex["source"] for ex in exs} for name, exs in splits.items()}
    assert not sites["train"] & sites["test"]
    assert not sites["dev"] & sites["test"]
    assert not sites["train"] & sites["dev"]
    assigned = json.loads((PUBLISHED / "sites.json").read_text(encoding="utf-8"))
    for name, exs in splits.items():
        assert all(assigned[published_split.site_of(ex)] == name for ex in exs)


def test_published_corpus_split_files_are_current(splits):
    """The split files are what split.py makes of raw/ (no hand edits, no stale split)."""
    kept = published_split.read_raw()
    assert sorted(ex["id"] for ex in kept) == sorted(ex["id"] for exs in splits.values() for ex in exs)


def test_published_corpus_holds_no_text_twice(splits):
    keys = Counter(published_split._key(ex["text"]) for exs in splits.values() for ex in exs)
    assert max(keys.values()) == 1


def test_published_split_keeps_a_placed_site_where_it_is():
    examples = [{"source": "a.org", "kind": "goal"}] * 3 + [{"source": "b.org", "kind": "goal"}]
    placed = published_split.assign(examples, {"a.org": "test"})
    assert placed["a.org"] == "test" and placed["b.org"] in SPLITS


def test_published_split_reports_a_bad_example():
    bad = {"id": "x", "url": "https://e.org/p", "source_says": "s", "kind": "note", "text": "Client cried.",
           "labels": {}, "sentences": [{"text": "Client laughed.", "role": "OBSERVATION", "opinion": False}]}
    found = published_split.problems(bad)
    assert any("labels missing" in p for p in found) and any("bad sentence" in p for p in found)


def test_published_corpus_shares_nothing_with_the_reserved_texts():
    script = PUBLISHED.parent.parent.parent / "shared" / "heldout" / "overlap.py"
    if not script.is_file():
        pytest.skip("the reserved-text check ships beside the project, not inside it")
    files = sorted(str(p) for p in PUBLISHED.parent.glob("**/*.jsonl"))
    run = subprocess.run([sys.executable, str(script), *files], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:]
