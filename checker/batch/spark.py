"""Score exports on Apache Spark: the same documents and findings as `casecoach batch`, at cluster scale.

Each input file is read by Spark (CSV, JSONL, Parquet), its columns mapped to casecoach's fields as
`batch` maps them, and scored partition by partition with `mapInPandas`: every executor's Python
process builds the spaCy pipeline once (it is cached per process) and runs `check_many` over each
Arrow batch. No Python function is called per row by Spark. The output holds exactly the
store's `documents` and `findings` columns; a re-run scores only documents whose (id, text hash)
under this rule-set version is not already in the output (or in the store, with --db).

Needs the `spark` extra: pip install "casecoach[spark]" (pyspark, pandas, pyarrow; Java 17+).
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from typing import Callable, Iterator

from ..engine import setup, max_chars
from ..errors import CasecoachError
from .columns import FIELDS, map_columns
from .rows import BatchInputError, Malformed
from .run import Options, _conflict, _findings, _meta, ruleset_version, source_name
from .timeliness import review_findings

DOCUMENT_COLUMNS = ["id", "source", "worker", "program", "client", "date", "contact_date", "kind", "score",
                    "text_hash", "ruleset", "profile", "text"]
FINDING_COLUMNS = ["document_id", "criterion", "status", "message", "suggestion", "evidence"]
SOURCE = "__casecoach_source"
FORMATS = {".csv": "csv", ".tsv": "csv", ".jsonl": "json", ".ndjson": "json", ".json": "json",
           ".parquet": "parquet", ".pq": "parquet"}


class SparkUnavailable(CasecoachError):
    """pyspark (or Java) is not installed."""


def session(master: str | None = None, app_name: str = "casecoach"):
    """A Spark session: the given master, else spark-submit's, else all local cores. The executors run
    this same Python, so they have casecoach and its rules."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable('spark-batch needs pyspark: pip install "casecoach[spark]"') from None
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name).config("spark.ui.enabled", "false") \
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "256") \
        .config("spark.sql.session.timeZone", "UTC").config("spark.ui.showConsoleProgress", "false")
    if master:
        builder = builder.master(master)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _schema(store_text: bool):
    from pyspark.sql.types import ArrayType, DoubleType, StringType, StructField, StructType
    finding = StructType([StructField(c, StringType()) for c in FINDING_COLUMNS[1:]])
    fields = [StructField(c, DoubleType() if c == "score" else StringType()) for c in DOCUMENT_COLUMNS]
    return StructType(fields + [StructField("findings", ArrayType(finding)), StructField("problem", StringType())])


def read_input(spark, path: str, opts: Options):
    """One file as a DataFrame of casecoach's fields (all strings) plus its source name; the columns
    are found as `batch` finds them. A distributed read has no line numbers, so an id column is needed."""
    from pyspark.sql import functions as F
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in FORMATS:
        raise BatchInputError(f"{path}: unknown file type '{suffix}'; use .csv, .jsonl or .parquet")
    kind = FORMATS[suffix]
    reader = spark.read
    if kind == "csv":
        reader = reader.option("header", True).option("multiLine", True).option("escape", '"') \
            .option("sep", "\t" if suffix == ".tsv" else ",").option("encoding", _encoding(path))
    df = getattr(reader, kind)(path)
    name = source_name(path, opts)
    mapping = map_columns([c for c in df.columns if c != "_corrupt_record"], opts.columns, name)
    if "id" not in mapping:
        raise BatchInputError(f"{name}: spark-batch needs an id column (a distributed read has no line numbers); "
                              f"name it with --id-column")
    return df.select(*[(F.col(f"`{mapping[f]}`").cast("string") if f in mapping else F.lit(None).cast("string"))
                                .alias(f) for f in FIELDS], F.lit(name).alias(SOURCE))


def _encoding(path: str) -> str:
    """The encoding `batch` would read a local file in (Spark's CSV reader is told it)."""
    from .encodings import detect_encoding
    try:
        codec, _ = detect_encoding(path)
    except OSError:
        return "UTF-8"  # not a local file (hdfs://, s3://): Spark reads it; UTF-8 is the norm
    return {"utf-8-sig": "UTF-8"}.get(codec, codec)


def score_partitions(opts: Options, ruleset: str, limit: int, timely_days: int) -> Callable:
    """The function mapInPandas runs over each partition's Arrow batches (built once per job)."""
    mapping = {f: f for f in FIELDS}  # read_input has named every column after its field

    def score(batches: Iterator) -> Iterator:
        import pandas as pd
        from ..engine import check_many
        for frame in batches:
            rows, texts, docs = [], [], []
            for record in frame.to_dict("records"):
                source = record.pop(SOURCE)
                values = {k: "" if v is None or v != v else str(v) for k, v in record.items()}
                try:
                    if not values["id"].strip():
                        raise Malformed(0, "the id is empty")
                    text, doc = _meta(values, mapping, source, 0, opts, limit)
                except Malformed as bad:
                    rows.append({"id": values.get("id"), "source": source, "findings": [], "problem": bad.reason})
                    continue
                texts.append(text)
                docs.append(doc)
            for report, doc in zip(check_many(texts, [d["kind"] for d in docs], opts.profile, rules=opts.rules), docs):
                doc.update(kind=report.kind, score=report.score, ruleset=ruleset)
                found = [{k: f[k] for k in FINDING_COLUMNS[1:]} for f in _findings(doc, report, timely_days)]
                rows.append({**doc, "findings": found, "problem": None})
            columns = DOCUMENT_COLUMNS + ["findings", "problem"]
            # Every column as objects (None, not NaN): a column of nothing but None must stay a string column.
            out = pd.DataFrame([[row.get(c) for c in columns] for row in rows], columns=columns, dtype=object)
            yield out.astype({"score": "float64"})
    return score


def spark_batch(paths: list[str], out: str, opts: Options, db_path: str | None = None, master: str | None = None,
                warn: Callable[[str], None] = print, spark=None) -> dict:
    """Score the files on Spark into Parquet `out/documents` and `out/findings` (and the store with
    db_path); only documents new or changed under this rule set are scored. Returns the counts."""
    from pyspark.sql import functions as F
    _, profile = setup(opts.kind, opts.profile, opts.rules)
    ruleset = ruleset_version(opts.profile, opts.rules)
    spark = spark or session(master)
    frames = [read_input(spark, p, opts) for p in paths]
    rows = frames[0]
    for frame in frames[1:]:
        rows = rows.unionByName(frame)
    rows = rows.withColumn("text_hash", F.sha2(F.col("text"), 256))
    done = _done_keys(spark, out, db_path, ruleset)
    if done is not None:
        rows = rows.join(done, on=["id", "text_hash"], how="left_anti")
    # A multi-line CSV is one unsplittable partition: spread the rows over every core of the cluster.
    rows = rows.drop("text_hash").repartition(max(2, 2 * spark.sparkContext.defaultParallelism))
    scored = rows.mapInPandas(score_partitions(opts, ruleset, max_chars(profile),
                                               int(profile.settings.get("note_timely_days", 2))),
                              _schema(opts.store_text)).persist()
    try:
        problems = scored.filter(F.col("problem").isNotNull()).select("source", "id", "problem")
        for p in problems.limit(1000).collect():
            warn(f"{p['source']} id {p['id'] or '(none)'}: {p['problem']}; skipped")
        good = scored.filter(F.col("problem").isNull())
        counts = {"scored": good.count(), "malformed": problems.count()}
        _write_parquet(spark, out, good)
        if db_path:
            counts.update(_load_store(good, db_path, opts, [source_name(p, opts) for p in paths], warn))
    finally:
        scored.unpersist()
    return counts


def _done_keys(spark, out: str, db_path: str | None, ruleset: str):
    """(id, text_hash) already scored under this rule set: in the store with db_path, else in `out`."""
    if db_path:
        from .store import open_db
        keys = [tuple(r) for r in open_db(db_path).execute(
            "select id, text_hash from documents where ruleset = ?", [ruleset])]
        if not keys:
            return None
        return spark.createDataFrame(keys, "id string, text_hash string")
    if os.path.isdir(os.path.join(out, "documents")):
        from pyspark.sql import functions as F
        return spark.read.parquet(os.path.join(out, "documents")).filter(F.col("ruleset") == ruleset) \
            .select("id", "text_hash")
    return None


def _write_parquet(spark, out: str, good) -> None:
    """out/documents and out/findings: what was there, less the documents scored again, plus the new.
    Written beside the old and swapped in, so an interrupted run leaves the previous output whole."""
    from pyspark.sql import functions as F
    documents = good.select(*DOCUMENT_COLUMNS)
    findings = good.select(F.col("id").alias("document_id"), F.explode("findings").alias("f")) \
        .select("document_id", *[F.col(f"f.{c}").alias(c) for c in FINDING_COLUMNS[1:]])
    old_docs, old_findings = os.path.join(out, "documents"), os.path.join(out, "findings")
    if os.path.isdir(old_docs) and os.path.isdir(old_findings):
        new_ids = documents.select("id")
        documents = spark.read.parquet(old_docs).join(new_ids, "id", "left_anti").unionByName(documents)
        findings = spark.read.parquet(old_findings).join(new_ids.withColumnRenamed("id", "document_id"),
                                                          "document_id", "left_anti").unionByName(findings)
    os.makedirs(out, exist_ok=True)
    documents.write.mode("overwrite").parquet(old_docs + ".new")
    findings.write.mode("overwrite").parquet(old_findings + ".new")
    for path in (old_docs, old_findings):
        if os.path.isdir(path):
            shutil.rmtree(path)
        os.replace(path + ".new", path)


def _load_store(good, db_path: str, opts: Options, sources: list[str], warn: Callable[[str], None]) -> dict:
    """Load the newly scored documents and findings into the SQLite store, as `batch` stores them
    (a document never changes program), then recompute the per-client plan reviews and the stats."""
    from .store import now, open_db, refresh_stats, save_batch, stored_documents
    db = open_db(db_path)
    run_id = db["runs"].insert({"started": now(), "files": json.dumps(sources), "profile": opts.profile}).last_pk
    documents, findings, refused = [], [], 0

    def flush() -> None:
        nonlocal documents, findings, refused
        stored = stored_documents(db, [d["id"] for d in documents])
        keep = []
        for doc in documents:
            reason = _conflict(doc, stored.get(doc["id"]), False)
            if reason:
                refused += 1
                warn(f"{doc['source']} id {doc['id']}: {reason}; skipped")
            else:
                keep.append(doc)
        ids = {d["id"] for d in keep}
        save_batch(db, keep, [f for f in findings if f["document_id"] in ids])
        documents, findings = [], []

    for row in good.toLocalIterator():
        row = row.asDict(recursive=True)
        doc = {c: row[c] for c in DOCUMENT_COLUMNS if c != "text" or opts.store_text}
        doc["run_id"] = run_id
        documents.append(doc)
        findings += [{"document_id": doc["id"], **f} for f in row["findings"]]
        if len(documents) >= 500:
            flush()
    flush()
    review_findings(db, opts.rules)
    refresh_stats(db)
    db["runs"].update(run_id, {"finished": now(), "ruleset": ruleset_version(opts.profile, opts.rules)})
    return {"refused": refused}
