"""The batch store: one SQLite file (sqlite-utils) with runs, documents, findings, reviews, tokens."""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
from datetime import datetime, timezone

import sqlite_utils

from ..errors import CasecoachError

SCHEMA_VERSION = 5
# The dashboard filters by program, worker, client and date, and joins findings by document.
INDEXES = {
    "documents": [["program", "worker"], ["client", "date"], ["date"], ["run_id"]],
    "findings": [["criterion", "status"]],
    "reviews": [["document_id", "criterion"]],
}


def now() -> str:
    """The current UTC time as an ISO string (what every timestamp column holds)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _v1(db: sqlite_utils.Database) -> None:
    """The first schema: runs, documents, findings, reviews."""
    db["runs"].create({"id": int, "started": str, "finished": str, "files": str, "profile": str,
                       "ruleset": str, "documents": int, "skipped": int, "malformed": int},
                      pk="id", if_not_exists=True)
    db["documents"].create({"id": str, "run_id": int, "source": str, "worker": str, "program": str,
                            "client": str, "date": str, "contact_date": str, "kind": str,
                            "score": float, "text_hash": str, "ruleset": str, "profile": str,
                            "text": str}, pk="id", if_not_exists=True)
    db["findings"].create({"document_id": str, "criterion": str, "status": str, "message": str,
                           "suggestion": str, "evidence": str}, pk=("document_id", "criterion"),
                          foreign_keys=[("document_id", "documents", "id")], if_not_exists=True)
    db["reviews"].create({"id": int, "document_id": str, "criterion": str, "verdict": str,
                          "comment": str, "reviewer": str, "created": str}, pk="id", if_not_exists=True)


def _v2(db: sqlite_utils.Database) -> None:
    """Tokens for the dashboard (hashed), and the indexes its queries need."""
    db["tokens"].create({"name": str, "token_hash": str, "programs": str, "created": str},
                        pk="name", if_not_exists=True)
    for table, groups in INDEXES.items():
        for columns in groups:
            db[table].create_index(columns, if_not_exists=True)


def _v3(db: sqlite_utils.Database) -> None:
    """Covering indexes: the program view reads findings by document without touching the table."""
    db["findings"].create_index(["document_id", "criterion", "status"], if_not_exists=True)
    db["documents"].create_index(["program", "worker", "id"], if_not_exists=True)
    db.analyze()


def _v4(db: sqlite_utils.Database) -> None:
    """Per program, worker and criterion: how often met, partial, missing. The program page reads
    these few rows instead of grouping every finding of the program on each view."""
    db["criterion_stats"].create({"program": str, "worker": str, "criterion": str, "met": int, "partial": int,
                                  "missing": int, "judged": int}, pk=("program", "worker", "criterion"),
                                 if_not_exists=True)
    refresh_stats(db)


def refresh_stats(db: sqlite_utils.Database) -> None:
    """Recompute criterion_stats from the findings ('ask' left out); '' stands for no program/worker."""
    with db.atomic():
        db.execute("delete from criterion_stats")
        db.execute("insert into criterion_stats select coalesce(d.program, ''), coalesce(d.worker, ''), f.criterion, "
                   "sum(f.status = 'met'), sum(f.status = 'partial'), sum(f.status = 'missing'), count(*) "
                   "from documents d join findings f on f.document_id = d.id where f.status != 'ask' "
                   "group by 1, 2, 3")


def _v5(db: sqlite_utils.Database) -> None:
    """Upload jobs live in the store, so every server process answers a poll, and each job
    remembers the token that started it (only that token may read it)."""
    db["upload_jobs"].create({"id": str, "owner": str, "file": str, "processed": int, "total": int,
                              "done": int, "error": str, "summary": str, "warnings": str, "created": str,
                              "updated": str}, pk="id", if_not_exists=True)


MIGRATIONS = {1: _v1, 2: _v2, 3: _v3, 4: _v4, 5: _v5}


def schema_version(db: sqlite_utils.Database) -> int:
    """The schema version recorded in the file (0 for a new file)."""
    if "schema_version" not in db.table_names():
        return 0
    row = next(db["schema_version"].rows, None)
    return row["version"] if row else 0


def migrate(db: sqlite_utils.Database) -> int:
    """Bring the file up to SCHEMA_VERSION, one recorded step at a time; return the version."""
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        raise StoreError(f"the store has schema {version}; this casecoach knows up to {SCHEMA_VERSION}: upgrade casecoach")
    for step in range(version + 1, SCHEMA_VERSION + 1):
        with db.atomic():
            MIGRATIONS[step](db)
            db["schema_version"].upsert({"id": 1, "version": step}, pk="id")
    return SCHEMA_VERSION


class StoreError(CasecoachError):
    """The store file cannot be opened or is not a casecoach store."""


def open_db(path: str, create: bool = True) -> sqlite_utils.Database:
    """Open (or, with create, make) the store in WAL mode and migrate it; StoreError if it cannot be.

    A new file is readable by its owner only: it holds case records."""
    if not create and not os.path.isfile(path):
        raise StoreError(f"no store at {path}; create one with: casecoach batch FILE --db {path}")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise StoreError(f"cannot create the store {path}: the folder {folder} does not exist")
    try:
        if not os.path.exists(path):
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        db = sqlite_utils.Database(path)
        db.enable_wal()
        db.execute("PRAGMA busy_timeout = 10000")
        db.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a crash loses at most the last batch
        migrate(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not a casecoach store ({exc})") from None
    except OSError as exc:
        raise StoreError(f"cannot open the store {path}: {exc.strerror or exc}") from None
    return db


def text_hash(text: str) -> str:
    """The SHA-256 of a document's text: the idempotence key, never the text itself."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stored_documents(db: sqlite_utils.Database, ids: list[str]) -> dict[str, dict]:
    """For the given document ids already stored: id -> its text hash, rule set, program and source."""
    found = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = db.execute(f"select id, text_hash, ruleset, program, source from documents where id in "
                          f"({','.join('?' * len(chunk))})", chunk)
        found.update({r[0]: dict(zip(("text_hash", "ruleset", "program", "source"), r[1:])) for r in rows})
    return found


def save_batch(db: sqlite_utils.Database, documents: list[dict], findings: list[dict]) -> None:
    """Store scored documents and their findings in one transaction (all or nothing: a batch killed
    mid-write leaves no document without its findings)."""
    with db.atomic():
        ids = [d["id"] for d in documents]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            db.execute(f"delete from findings where document_id in ({','.join('?' * len(chunk))})", chunk)
        db["documents"].upsert_all(documents, pk="id", alter=True)
        db["findings"].upsert_all(findings, pk=("document_id", "criterion"), alter=True)


def replace_findings(db: sqlite_utils.Database, criterion: str, findings: list[dict]) -> None:
    """Replace every finding of one derived criterion (recomputed from the whole store)."""
    with db.atomic():
        db.execute("delete from findings where criterion = ?", [criterion])
        db["findings"].insert_all(findings, pk=("document_id", "criterion"), alter=True)


def add_review(db: sqlite_utils.Database, document_id: str, criterion: str, verdict: str,
               comment: str = "", reviewer: str = "") -> int:
    """Record a supervisor's agree/disagree on one finding; return the review id."""
    if verdict not in ("agree", "disagree"):
        raise ValueError("verdict must be agree or disagree")
    row = {"document_id": document_id, "criterion": criterion, "verdict": verdict,
           "comment": comment, "reviewer": reviewer, "created": now()}
    return db["reviews"].insert(row).last_pk


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(db: sqlite_utils.Database, name: str, programs: list[str]) -> str:
    """Create (or replace) a named dashboard token for some programs; only its hash is stored."""
    name = name.strip()
    programs = sorted({p.strip() for p in programs})
    if not name:
        raise CasecoachError("a token needs a name: who it is for")
    if not programs or "" in programs:
        raise CasecoachError("a token needs at least one program, and program names cannot be empty")
    token = secrets.token_urlsafe(24)
    db["tokens"].upsert({"name": name, "token_hash": _token_hash(token),
                         "programs": json.dumps(programs), "created": now()}, pk="name")
    return token


def token_programs(db: sqlite_utils.Database, token: str) -> list[str] | None:
    """The programs a token may see, or None if the token is unknown."""
    holder = token_holder(db, token)
    return holder["programs"] if holder else None


def token_holder(db: sqlite_utils.Database, token: str) -> dict | None:
    """{"name", "programs"} of a known token, else None."""
    if not token:
        return None
    rows = list(db["tokens"].rows_where("token_hash = ?", [_token_hash(token)]))
    return {"name": rows[0]["name"], "programs": json.loads(rows[0]["programs"])} if rows else None


def list_tokens(db: sqlite_utils.Database) -> list[dict]:
    """Every token's name, programs and creation time (never the token or its hash)."""
    return [{"name": r["name"], "programs": json.loads(r["programs"]), "created": r["created"]}
            for r in db["tokens"].rows_where(order_by="name")]


def revoke_token(db: sqlite_utils.Database, name: str) -> bool:
    """Delete the named token; True if there was one."""
    with db.atomic():
        gone = db.execute("delete from tokens where name = ?", [name]).rowcount
    return gone > 0


def known_programs(db: sqlite_utils.Database) -> list[str]:
    """The programs with documents in the store."""
    return [r[0] for r in db.execute("select distinct program from documents where program is not null "
                                     "order by program")]
