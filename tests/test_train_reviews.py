"""casecoach train --reviews: supervisor reviews in a real store become weighted training sentences."""
import gc
import hashlib
import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from checker.cli.main import main
from checker.learn.review_signal import NotAStore, normalise, review_signal
from checker.batch.store import add_review, open_db
from checker.learn.corpus import read_corpus, split_of

RAW = Path(__file__).resolve().parent.parent / "corpus" / "raw"
PER_KEY = 6  # examples per (split, kind) in the tiny corpus: seconds, not minutes


def _raw() -> list[dict]:
    return [json.loads(line) for path in sorted(RAW.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A tiny corpus (first few goals and notes per split) and the train-split notes left out of it."""
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "raw").mkdir()
    picked, spare, seen = [], [], {}
    for ex in _raw():
        key = (split_of(ex["source"]), ex["kind"])
        if seen.get(key, 0) < PER_KEY:
            seen[key] = seen.get(key, 0) + 1
            picked.append(ex)
        elif key == ("train", "note"):
            spare.append(ex)
    (folder / "raw" / "x.jsonl").write_text("".join(json.dumps(e) + "\n" for e in picked), encoding="utf-8")
    return {"dir": folder, "split": read_corpus(folder), "spare": spare}


def _store(tmp_path, notes: list[dict], store_text: bool = True) -> str:
    """Score the notes into a new store with the real batch command; return the store's path."""
    src, db = tmp_path / "notes.jsonl", tmp_path / "casecoach.db"
    src.write_text("".join(json.dumps({"id": n["id"], "text": n["text"], "worker": "w", "program": "p",
                                       "kind": "note"}) + "\n" for n in notes), encoding="utf-8")
    args = ["batch", str(src), "--db", str(db)] + (["--store-text"] if store_text else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return str(db)


def _review(db_path: str, *reviews: tuple) -> None:
    db = open_db(db_path)
    for doc_id, criterion, verdict, reviewer in reviews:
        add_review(db, doc_id, criterion, verdict, reviewer=reviewer)
    db.conn.close()
    gc.collect()  # the batch command's connection too: nothing else may write while training reads
    con = sqlite3.connect(db_path)
    con.execute("pragma wal_checkpoint(truncate)")
    con.close()


def _finding(db_path: str, doc_id: str, criterion: str) -> dict:
    con = sqlite3.connect(db_path)
    status, evidence = con.execute("select status, evidence from findings where document_id = ? and criterion = ?",
                                   [doc_id, criterion]).fetchone()
    con.close()
    return {"status": status, "evidence": json.loads(evidence)}


def _with(corpus, criterion: str, status: str, n: int = 2) -> list[dict]:
    """Spare train notes whose stored finding for `criterion` has the given status (checked live)."""
    from checker import check
    out = [ex for ex in corpus["spare"]
           if next(c.status for c in check(ex["text"], kind="note").criteria if c.id == criterion) == status]
    assert len(out) >= n
    return out[:n]


def test_train_reviews_opinion_agree_and_disagree(corpus, tmp_path):
    a, b = _with(corpus, "note.observations_not_opinions", "missing")
    db = _store(tmp_path, [a, b])
    _review(db, (a["id"], "note.observations_not_opinions", "agree", "s1"),
            (b["id"], "note.observations_not_opinions", "disagree", "s1"))
    signal = review_signal(db, corpus["split"])
    flagged = {a["id"]: True, b["id"]: False}
    for doc_id, opinion in flagged.items():
        text = next(n["text"] for n in (a, b) if n["id"] == doc_id)
        for ev in _finding(db, doc_id, "note.observations_not_opinions")["evidence"]:
            item = next(g for g in signal.opinion if g.view.span.start_char <= ev["start"] < g.view.span.end_char
                        and g.view.span.doc.text == text)
            assert item.opinion is opinion and item.weight == 0.5
    assert signal.roles == [] and signal.stats["used"] == 2


def test_train_reviews_role_agree_labels_disagree_drops(corpus, tmp_path):
    *agreed, b = _with(corpus, "note.plan", "met", 4)
    db = _store(tmp_path, agreed + [b])
    _review(db, *[(a["id"], "note.plan", "agree", "s1") for a in agreed], (b["id"], "note.plan", "disagree", "s1"),
            (agreed[0]["id"], "note.goal_reference", "agree", "s1"))
    signal = review_signal(db, corpus["split"], weight=0.25)
    assert signal.roles and {g.role for g in signal.roles} == {"PLAN"}
    assert all(g.view.span.doc.text != b["text"] and g.weight == 0.25 for g in signal.roles)
    assert signal.opinion == []
    assert signal.stats["dropped"] == {"criterion without a sentence role": 1}
    assert signal.stats["sentences dropped"]["role disagreed, nothing agreed"] >= 1


def test_train_reviews_deduplicate_copies_and_votes(corpus, tmp_path):
    (a,) = _with(corpus, "note.observations_not_opinions", "missing", 1)
    copy = {**a, "id": a["id"] + "-copy"}
    db = _store(tmp_path, [a, copy])
    crit = "note.observations_not_opinions"
    # Same reviewer on two copies counts once; s2 and s3 tie, so the latest (s3: disagree) decides.
    _review(db, (a["id"], crit, "agree", "s1"), (copy["id"], crit, "agree", "s1"),
            (a["id"], crit, "agree", "s2"), (copy["id"], crit, "disagree", "s3"), (a["id"], crit, "disagree", "s1"))
    signal = review_signal(db, corpus["split"])
    assert signal.stats["dropped"] == {"superseded or duplicate": 2}
    keys = [normalise(g.view.span.text) for g in signal.opinion]
    assert len(keys) == len(set(keys)) > 0
    # Votes per sentence: s1 now disagree, s2 agree, s3 disagree -> not opinion.
    assert all(g.opinion is False for g in signal.opinion)


def test_train_reviews_never_test_or_dev(corpus, tmp_path):
    held = [ex for name in ("test", "dev") for ex in corpus["split"][name] if ex["kind"] == "note"][:3]
    (a,) = _with(corpus, "note.objective", "met", 1)
    inside = {**a, "id": "mixed", "text": a["text"] + "\n\n" + held[0]["text"]}
    db = _store(tmp_path, held + [inside])
    _review(db, *[(n["id"], "note.objective", "agree", "s1") for n in held + [inside]])
    signal = review_signal(db, corpus["split"])
    held_text = " ".join(normalise(n["text"]) for n in held)
    assert signal.stats["dropped"]["test/dev document"] == len(held)
    assert all(normalise(g.view.span.text) not in held_text for g in signal.roles)


def test_train_reviews_store_without_text_gives_nothing(corpus, tmp_path):
    (a,) = _with(corpus, "note.data", "met", 1)
    db = _store(tmp_path, [a], store_text=False)
    _review(db, (a["id"], "note.data", "agree", "s1"))
    signal = review_signal(db, corpus["split"])
    assert (signal.roles, signal.opinion, signal.stats["used"]) == ([], [], 0)
    assert signal.stats["dropped"] == {"no text (batch without --store-text)": 1}


def test_train_reviews_not_a_store_exits_2(corpus, tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("create table t (x)")
    con.commit()
    con.close()
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database at all\n" * 50)
    for path in (other, text_file):
        result = CliRunner().invoke(main, ["train", "--corpus", str(corpus["dir"]), "--out", str(tmp_path / "m"),
                                           "--reviews", str(path)])
        assert result.exit_code == 2 and "not a casecoach store" in result.output
        with pytest.raises(NotAStore):
            review_signal(str(path), corpus["split"])
    assert not (tmp_path / "m").exists()


def test_train_reviews_full_run_writes_card_and_leaves_store(corpus, tmp_path):
    ops = _with(corpus, "note.observations_not_opinions", "missing", 2)
    datas = _with(corpus, "note.plan", "met", 2)
    db = _store(tmp_path, ops + datas)
    _review(db, *[(n["id"], "note.observations_not_opinions", "agree", "s1") for n in ops],
            *[(n["id"], "note.plan", "agree", "s1") for n in datas])
    assert open_db(db).execute("pragma journal_mode").fetchone()[0] == "wal"  # as the batch leaves it
    gc.collect()
    before = hashlib.sha256(Path(db).read_bytes()).hexdigest()
    out = tmp_path / "models"
    result = CliRunner().invoke(main, ["train", "--corpus", str(corpus["dir"]), "--out", str(out),
                                       "--reviews", db, "--review-weight", "0.5"])
    assert result.exit_code == 0, result.output
    assert re.search(r"[1-4] of 4 reviews used: [1-9]\d* opinion and [1-9]\d* role sentences", result.output)
    assert hashlib.sha256(Path(db).read_bytes()).hexdigest() == before
    card = (out / "README.md").read_text()
    assert "## Learning from supervisors" in card and re.search(r"reviews read: 4, used: [1-4], weight 0.5", card)
    assert "trained without and with the reviews" in card and "OPINION" in card.split("## Learning")[1]


def test_train_reviews_zero_usable_still_trains(corpus, tmp_path):
    (a,) = _with(corpus, "note.data", "met", 1)
    db = _store(tmp_path, [a], store_text=False)
    _review(db, (a["id"], "note.data", "agree", "s1"))
    out = tmp_path / "models"
    result = CliRunner().invoke(main, ["train", "--corpus", str(corpus["dir"]), "--out", str(out), "--reviews", db])
    assert result.exit_code == 0, result.output
    assert "0 reviews usable (1 read): no text (batch without --store-text)" in result.output
    assert "reviews read: 1, used: 0" in (out / "README.md").read_text()
