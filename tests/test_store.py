"""The store: WAL, schema version and migration, indexes, hashed tokens, reviews."""
import sqlite_utils
import pytest

from checker.batch import store


def test_store_new_file_is_wal_and_at_the_current_schema(tmp_path):
    db = store.open_db(str(tmp_path / "s.db"))
    assert db.journal_mode == "wal"
    assert store.schema_version(db) == store.SCHEMA_VERSION
    assert {"runs", "documents", "findings", "reviews", "tokens"} <= set(db.table_names())
    assert any(i.columns == ["program", "worker"] for i in db["documents"].indexes)


def test_store_migrates_a_version_1_file_keeping_its_rows(tmp_path):
    db = sqlite_utils.Database(str(tmp_path / "old.db"))
    store.MIGRATIONS[1](db)
    db["schema_version"].insert({"id": 1, "version": 1}, pk="id")
    db["documents"].insert({"id": "d1", "score": 0.5})
    assert "tokens" not in db.table_names()
    migrated = store.open_db(str(tmp_path / "old.db"))
    assert store.schema_version(migrated) == store.SCHEMA_VERSION and "tokens" in migrated.table_names()
    assert migrated["documents"].get("d1")["score"] == 0.5


def test_store_refuses_a_newer_schema(tmp_path):
    db = store.open_db(str(tmp_path / "s.db"))
    db["schema_version"].update(1, {"version": 99})
    with pytest.raises(store.StoreError, match="schema 99"):
        store.migrate(db)


def test_store_tokens_are_stored_hashed(tmp_path):
    db = store.open_db(str(tmp_path / "s.db"))
    token = store.create_token(db, "sup", ["B", "A"])
    row = db["tokens"].get("sup")
    assert token not in str(row) and row["programs"] == '["A", "B"]'
    assert store.token_programs(db, token) == ["A", "B"] and store.token_programs(db, "wrong") is None


def test_store_review_verdict_is_checked(tmp_path):
    db = store.open_db(str(tmp_path / "s.db"))
    assert store.add_review(db, "d1", "note.plan", "agree", "right") == 1
    with pytest.raises(ValueError):
        store.add_review(db, "d1", "note.plan", "maybe")


def test_store_save_batch_is_all_or_nothing(tmp_path):
    db = store.open_db(str(tmp_path / "s.db"))
    store.save_batch(db, [{"id": "d1", "score": 0.5}], [{"document_id": "d1", "criterion": "c", "status": "met"}])
    good = [{"id": "d2", "score": 1.0}]
    broken = [{"document_id": "d2", "criterion": "c", "status": object()}]  # cannot be stored
    with pytest.raises(Exception):
        store.save_batch(db, good, broken)
    reopened = store.open_db(str(tmp_path / "s.db"))
    assert [r["id"] for r in reopened["documents"].rows] == ["d1"]
    assert reopened["findings"].count == 1
