"""Stream rows out of CSV, JSONL and Excel exports, one (line number, dict) at a time."""
from __future__ import annotations

import csv
import json
from itertools import islice
import sys
from pathlib import Path
from typing import Iterator

from ..errors import CasecoachError

# Case notes can be long; the csv module's default field limit (128 KiB) is too small for some exports.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class BatchInputError(CasecoachError):
    """The input file cannot be read as a table of documents."""


class Malformed(Exception):
    """One row that cannot be used; the batch reports it with its line number and goes on."""

    def __init__(self, line: int, reason: str):
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


def file_format(path: str) -> str:
    """csv, jsonl or xlsx, from the file name."""
    suffix = Path(path).suffix.lower()
    formats = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
               ".xlsx": "xlsx"}
    if suffix not in formats:
        raise BatchInputError(f"{path}: unknown file type '{suffix}'; use .csv, .jsonl or .xlsx")
    return formats[suffix]


def read_rows(path: str) -> tuple[list[str], Iterator[tuple[int, dict] | Malformed]]:
    """The header and a lazy stream of (line, row) or Malformed, for any supported file."""
    reader = {"csv": _csv, "jsonl": _jsonl, "xlsx": _xlsx}[file_format(path)]
    return reader(path)


def _csv(path: str):
    fh = open(path, newline="", encoding="utf-8-sig", errors="strict")
    dialect = "excel-tab" if path.lower().endswith(".tsv") else "excel"
    reader = csv.reader(fh, dialect=dialect)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        fh.close()
        raise BatchInputError(f"{path}: the file is empty") from None

    def rows():
        with fh:
            start = reader.line_num + 1
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except (csv.Error, UnicodeDecodeError) as exc:
                    yield Malformed(start, f"unreadable CSV ({exc.__class__.__name__})")
                    start = reader.line_num + 1
                    continue
                if values and len(values) != len(header):
                    yield Malformed(start, f"{len(values)} fields where the header has {len(header)}")
                elif values:
                    yield start, dict(zip(header, values))
                start = reader.line_num + 1
    return header, rows()


def _jsonl(path: str):
    fh = open(path, "rb")
    first = _peek_keys(path)

    def rows():
        with fh:
            for number, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                try:
                    row = json.loads(raw)
                except (ValueError, UnicodeDecodeError):
                    yield Malformed(number, "not valid JSON")
                    continue
                if not isinstance(row, dict):
                    yield Malformed(number, "not a JSON object")
                    continue
                yield number, {k: "" if v is None else str(v) for k, v in row.items()}
    return first, rows()


def _peek_keys(path: str, sample: int = 1000) -> list[str]:
    """The keys of the first objects in the file (the 'header' of a JSONL export; keys may vary)."""
    keys: dict[str, None] = {}
    with open(path, "rb") as fh:
        for raw in islice(fh, sample):
            try:
                row = json.loads(raw)
            except ValueError:
                continue
            if isinstance(row, dict):
                keys.update(dict.fromkeys(row))
    if not keys:
        raise BatchInputError(f"{path}: no JSON object found in its first {sample} lines")
    return list(keys)


def _xlsx(path: str):
    from openpyxl import load_workbook  # only Excel input needs it
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise BatchInputError(f"{path}: not a readable .xlsx file ({exc.__class__.__name__})") from None
    sheet = book.worksheets[0]
    stream = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(stream, ())]

    def rows():
        try:
            for number, values in enumerate(stream, start=2):
                if values is None or all(v is None for v in values):
                    continue
                yield number, {h: _cell(v) for h, v in zip(header, values) if h}
        finally:
            book.close()
    return header, rows()


def _cell(value) -> str:
    """A cell as text; Excel dates become ISO dates."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    return str(value)


def count_lines(path: str) -> int:
    """A cheap total for the progress bar: newline count (CSV/JSONL) or the sheet's row count."""
    if file_format(path) == "xlsx":
        from openpyxl import load_workbook
        book = load_workbook(path, read_only=True)
        total = book.worksheets[0].max_row or 0
        book.close()
        return max(total - 1, 0)
    with open(path, "rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))


__all__ = ["BatchInputError", "Malformed", "read_rows", "count_lines", "file_format"]
