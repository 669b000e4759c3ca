"""casecoach spark-batch on a real local Spark session: the same documents and finding statuses as
`casecoach batch`, bad rows reported and not fatal, a re-run that adds nothing."""
import csv
import sqlite3
import sys
from pathlib import Path

import pytest

from checker.batch import Options, run_batch
from checker.batch.spark import session, spark_batch

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import make_notes  # noqa: E402

DOCUMENT_KEYS = "id, source, worker, program, client, date, contact_date, kind, score, text_hash, ruleset, profile"


@pytest.fixture(scope="module")
def spark():
    spark = session("local[2]")
    yield spark
    spark.stop()


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    folder = tmp_path_factory.mktemp("spark")
    path = folder / "notes.csv"
    make_notes.write_csv(str(path), 160)
    with open(path, "a", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerow(["BAD-1", "W00", "P0", "C9", "2024-01-02", "2024-01-02", "progress note", "   "])
        csv.writer(fh).writerow(["BAD-2", "W00", "P0", "C9", "31/31/2024", "", "progress note", "Met with Ana."])
    return path


def rows(db, sql):
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute(sql).fetchall())


def test_spark_batch_equals_batch_and_reruns_add_nothing(spark, export, tmp_path):
    run_batch([str(export)], str(tmp_path / "batch.db"), Options(), warn=lambda m: None)
    warnings = []
    result = spark_batch([str(export)], str(tmp_path / "out"), Options(), db_path=str(tmp_path / "spark.db"),
                         warn=warnings.append, spark=spark)
    assert result["scored"] == 160 and result["malformed"] == 2
    assert sorted(w.split(":")[0] for w in warnings if "skipped" in w) == \
        sorted(f"{export} id BAD-{i}" for i in (1, 2))
    documents = f"select {DOCUMENT_KEYS} from documents"
    assert rows(tmp_path / "spark.db", documents) == rows(tmp_path / "batch.db", documents)
    findings = "select document_id, criterion, status, message, suggestion, evidence from findings"
    assert rows(tmp_path / "spark.db", findings) == rows(tmp_path / "batch.db", findings)
    # The Parquet output holds the same documents and findings as the store.
    parquet = spark.read.parquet(str(tmp_path / "out" / "documents")).select(*DOCUMENT_KEYS.split(", ")).collect()
    assert sorted(tuple(r) for r in parquet) == rows(tmp_path / "batch.db", documents)
    statuses = spark.read.parquet(str(tmp_path / "out" / "findings")).select("document_id", "criterion", "status").collect()
    assert sorted(tuple(r) for r in statuses) == rows(
        tmp_path / "batch.db", "select document_id, criterion, status from findings "
                               "where criterion != 'plan.reviewed_in_interval'")
    again = spark_batch([str(export)], str(tmp_path / "out"), Options(), db_path=str(tmp_path / "spark.db"),
                        warn=lambda m: None, spark=spark)
    assert again["scored"] == 0
    assert rows(tmp_path / "spark.db", findings) == rows(tmp_path / "batch.db", findings)
    without_store = spark_batch([str(export)], str(tmp_path / "out"), Options(), warn=lambda m: None, spark=spark)
    assert without_store["scored"] == 0  # the Parquet output is the resume key without a store
    assert spark.read.parquet(str(tmp_path / "out" / "documents")).count() == 160


def test_spark_batch_rescores_only_changed_documents(spark, tmp_path):
    src = tmp_path / "n.csv"
    src.write_text("id,text\n1,Met with Ana on 3/4 for 30 minutes. CM will call by Friday.\n"
                   "2,\"By June 30, Ana will attend the HSE class every Monday for 3 months.\"\n", encoding="utf-8")
    spark_batch([str(src)], str(tmp_path / "out"), Options(), warn=lambda m: None, spark=spark)
    src.write_text("id,text\n1,Met with Ana on 3/4 for 30 minutes. CM will call by Friday 3/8.\n"
                   "2,\"By June 30, Ana will attend the HSE class every Monday for 3 months.\"\n", encoding="utf-8")
    changed = spark_batch([str(src)], str(tmp_path / "out"), Options(), warn=lambda m: None, spark=spark)
    assert changed["scored"] == 1
    documents = spark.read.parquet(str(tmp_path / "out" / "documents")).collect()
    assert sorted(d["id"] for d in documents) == ["1", "2"]


def test_spark_batch_cli_needs_an_id_column(tmp_path):
    from click.testing import CliRunner
    from checker.cli.main import main
    src = tmp_path / "n.csv"
    src.write_text("text\nMet with Ana on 3/4.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["spark-batch", str(src), "--out", str(tmp_path / "out"), "--master", "local[1]"])
    assert result.exit_code == 2 and "needs an id column" in result.output and "Traceback" not in result.output


def test_spark_batch_runs_under_spark_submit(tmp_path):
    import os
    import subprocess
    import checker.cli.spark_main as entry
    src = tmp_path / "n.csv"
    src.write_text("id,text\n1,Met with Ana on 3/4 for 30 minutes. CM will call by Friday.\n", encoding="utf-8")
    submit = Path(sys.executable).parent / "spark-submit"
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    done = subprocess.run([str(submit), "--master", "local[1]", entry.__file__, "spark-batch", str(src),
                           "--out", str(tmp_path / "out")], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "documents scored now: 1" in done.stdout


def test_spark_batch_reads_parquet_and_jsonl_like_csv(spark, tmp_path):
    import json
    texts = {"p1": (ROOT / "checker" / "samples" / "note.txt").read_text(encoding="utf-8"),
             "p2": "By June 30, Ana will attend the HSE class every Monday for 3 months."}
    spark.createDataFrame([(k, "W1", "P0", v) for k, v in texts.items()], "note_id string, staff string, program string, "
                          "narrative string").write.parquet(str(tmp_path / "in.parquet"))
    (tmp_path / "in.jsonl").write_text("".join(json.dumps({"id": f"j{k}", "worker": "W1", "text": v}) + "\n"
                                               for k, v in texts.items()), encoding="utf-8")
    result = spark_batch([str(tmp_path / "in.parquet"), str(tmp_path / "in.jsonl")], str(tmp_path / "out"), Options(),
                         warn=lambda m: None, spark=spark)
    assert result == {"scored": 4, "malformed": 0}
    documents = {d["id"]: d for d in spark.read.parquet(str(tmp_path / "out" / "documents")).collect()}
    assert set(documents) == {"p1", "p2", "jp1", "jp2"}
    assert documents["p1"]["worker"] == "W1" and documents["p1"]["kind"] == "note" and documents["p2"]["kind"] == "goal"
    assert documents["p1"]["score"] == documents["jp1"]["score"]


def test_spark_batch_records_its_files_in_the_runs_table(spark, tmp_path):
    src = tmp_path / "n.csv"
    src.write_text("id,text\n1,Met with Ana on 3/4 for 30 minutes. CM will call by Friday.\n", encoding="utf-8")
    spark_batch([str(src)], str(tmp_path / "out"), Options(), db_path=str(tmp_path / "s.db"), warn=lambda m: None,
                spark=spark)
    assert rows(tmp_path / "s.db", "select files from runs") == [(f'["{src}"]',)]
