"""Stream rows out of CSV, JSONL and Excel exports, one (line number, dict) at a time."""
from __future__ import annotations

import csv
import json
import os
import sys
from itertools import islice
from pathlib import Path
from typing import Callable, Iterator

from .encodings import ERRORS, MARK, bom_encoding, describe, detect_encoding
from .rows import INVALID, BatchInputError, Malformed, clean_header, clean_row, has_surrogate

# Case notes can be long; the csv module's default field limit (128 KiB) is too small for some exports.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def file_format(path: str) -> str:
    """csv, jsonl or xlsx, from the file name."""
    suffix = Path(path).suffix.lower()
    formats = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
               ".xlsx": "xlsx"}
    if suffix not in formats:
        raise BatchInputError(f"{path}: unknown file type '{suffix}'; use .csv, .jsonl or .xlsx")
    return formats[suffix]


def read_rows(path: str, note: Callable[[str], None] | None = None
              ) -> tuple[list[str], Iterator[tuple[int, dict] | Malformed]]:
    """The header and a lazy stream of (line, row) or Malformed, for any supported file.

    A CSV or JSONL file's encoding is detected (see encodings.detect_encoding); when it is not UTF-8
    (with or without BOM), `note` hears one line such as "notes.csv: read as cp1252 (detected)".
    Every value of a row is a str; a row holding a character that cannot be stored as UTF-8 (a lone
    surrogate, or bytes the file's encoding cannot read) is a Malformed, never an exception."""
    kind = file_format(path)
    if kind == "xlsx":
        from .xlsx import read_workbook  # Excel input is read in a child process
        return read_workbook(path)
    codec, how = detect_encoding(path)
    said = describe(codec, how)
    if said and note is not None:
        note(f"{os.path.basename(path)}: read as {said}")
    return (_csv if kind == "csv" else _jsonl)(path, codec)


def _csv(path: str, codec: str):
    fh = open(path, newline="", encoding=codec, errors=ERRORS)
    dialect = "excel-tab" if path.lower().endswith(".tsv") or _tabbed(path, codec) else "excel"
    reader = csv.reader(fh, dialect=dialect)
    try:
        header = clean_header([h.strip() for h in next(reader)])
    except StopIteration:
        fh.close()
        raise BatchInputError(f"{path}: the file is empty") from None
    except csv.Error as exc:
        fh.close()
        raise BatchInputError(f"{path}: unreadable CSV header ({exc})") from None
    undecodable = f"contains bytes that cannot be read as {codec}"

    def rows():
        with fh:
            start = reader.line_num + 1
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield Malformed(start, f"unreadable CSV ({exc.__class__.__name__})")
                    start = reader.line_num + 1
                    continue
                if values and len(values) != len(header):
                    yield Malformed(start, f"{len(values)} fields where the header has {len(header)}")
                elif values and any(has_surrogate(v) for v in values):
                    yield Malformed(start, undecodable if any(MARK in v for v in values) else INVALID)
                elif values:
                    yield start, dict(zip(header, values))
                start = reader.line_num + 1
    return header, rows()


def _tabbed(path: str, codec: str) -> bool:
    """Whether a .csv file's header line is separated by tabs (Excel's "Unicode Text" is; such files
    are often renamed .csv)."""
    with open(path, newline="", encoding=codec, errors=ERRORS) as fh:
        first = fh.readline(64 * 1024)
    return first.count("\t") > first.count(",")


def _jsonl(path: str, codec: str):
    first = _peek_keys(path, codec)
    fh = open(path, encoding=codec, errors=ERRORS, newline="\n")
    undecodable = f"contains bytes that cannot be read as {codec}"

    def rows():
        with fh:
            for number, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                if MARK in raw:
                    yield Malformed(number, undecodable)
                    continue
                yield json_row(number, raw)
    return first, rows()


def json_row(number: int, raw: str) -> tuple[int, dict] | Malformed:
    """One JSONL line as (line, row of str values), or Malformed: not JSON, not an object, nested too
    deeply, or holding a lone surrogate (a "\\ud800" escape) in any value (in a key it becomes U+FFFD,
    as in the header). A dict or list value becomes its JSON text; null becomes ''."""
    try:
        row = json.loads(raw)
    except RecursionError:
        return Malformed(number, "not valid JSON (nested too deeply)")
    except ValueError:
        return Malformed(number, "not valid JSON")
    if not isinstance(row, dict):
        return Malformed(number, "not a JSON object")
    return clean_row(number, row)


def _peek_keys(path: str, codec: str, sample: int = 1000) -> list[str]:
    """The keys of the first objects in the file (the 'header' of a JSONL export; keys may vary)."""
    keys: dict[str, None] = {}
    with open(path, encoding=codec, errors=ERRORS, newline="\n") as fh:
        for raw in islice(fh, sample):
            try:
                row = json.loads(raw)
            except (ValueError, RecursionError):
                continue
            if isinstance(row, dict):
                keys.update(dict.fromkeys(row))
    if not keys:
        raise BatchInputError(f"{path}: no JSON object found in its first {sample} lines")
    return clean_header(list(keys))


def count_lines(path: str) -> int:
    """A cheap total for the progress bar: newline count (CSV/JSONL) or the sheet's row count (read from
    the sheet's dimension without loading the workbook; BatchInputError for a workbook that would be
    refused)."""
    if file_format(path) == "xlsx":
        from .xlsx import count_rows
        return count_rows(path)
    codec = bom_encoding(path)
    if codec in ("utf-16", "utf-32"):  # a 0x0A byte may be half of another character: count characters
        with open(path, encoding=codec, errors=ERRORS, newline="") as fh:
            return sum(chunk.count("\n") for chunk in iter(lambda: fh.read(1 << 20), ""))
    with open(path, "rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))


__all__ = ["BatchInputError", "Malformed", "read_rows", "count_lines", "file_format"]
