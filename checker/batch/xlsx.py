"""Excel input with bounded memory.

openpyxl keeps a workbook's whole shared-strings table in memory, so a small .xlsx can unpack to
gigabytes (a "shared-strings bomb"). Here the archive is first inspected with zipfile (declared sizes
and compression ratios; Python's zipfile never unpacks a part beyond its declared size), then the
workbook is read in a child process under an address-space limit and a timeout. The child streams the
rows to a temporary JSONL file that the parent reads lazily, so the parent's memory stays flat and
whatever the child used is returned when it exits.

Run as a script (``python -P xlsx.py SOURCE OUT LIMIT``), this file is that child: it imports only the
standard library and openpyxl (not casecoach, whose package import loads spaCy).
"""
from __future__ import annotations

import json
import os
import posixpath
import re
import struct
import subprocess
import sys
import tempfile
import weakref
import zipfile

MIB = 1 << 20
MAX_PART = 200 * MIB        # the declared unpacked size of any one part of the archive
MAX_TOTAL = 200 * MIB       # ... and of all its parts together
MAX_RATIO = 200             # unpacked : packed, for a part that unpacks to more than RATIO_FROM
RATIO_FROM = 1 * MIB
MAX_DIRECTORY = 1 * MIB     # the zip's central directory (what zipfile itself holds in memory)
MAX_PARTS = 10_000
MEMORY_LIMIT = 512 * MIB    # the child's address space (RLIMIT_AS), where `resource` exists
TIMEOUT = 300               # seconds for the child to read the workbook
EXIT_UNREADABLE, EXIT_MEMORY = 2, 3


def inspect(path: str) -> None:
    """Refuse (BatchInputError) a file that is not a zip archive, or whose parts would unpack to more
    than MAX_PART each or MAX_TOTAL together, or compress more than MAX_RATIO:1 (a bomb's signature;
    real sheets compress about 10:1), or whose directory is outsized."""
    from .rows import BatchInputError
    with open(path, "rb") as fh:
        directory = _directory(fh, os.fstat(fh.fileno()).st_size)
    if directory is None:
        raise BatchInputError(f"{path}: not a readable .xlsx file (not a zip archive)")
    parts, size = directory
    if parts > MAX_PARTS or size > MAX_DIRECTORY:
        raise BatchInputError(f"{path}: refused: the archive lists {parts} parts in a {size // 1024} KiB "
                              f"directory (the limit is {MAX_PARTS} parts, {MAX_DIRECTORY // 1024} KiB)")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError) as exc:
        raise BatchInputError(f"{path}: not a readable .xlsx file ({exc.__class__.__name__})") from None
    total = 0
    for info in infos:
        if info.file_size > MAX_PART:
            raise BatchInputError(f"{path}: refused: its part {info.filename} would unpack to "
                                  f"{_mb(info.file_size)}, more than the {_mb(MAX_PART)} allowed per part")
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise BatchInputError(f"{path}: refused: its part {info.filename} is compressed "
                                  f"{info.file_size // max(info.compress_size, 1)}:1 (unpacking to "
                                  f"{_mb(info.file_size)}); more than {MAX_RATIO}:1 is a zip bomb's mark")
        total += info.file_size
    if total > MAX_TOTAL:
        raise BatchInputError(f"{path}: refused: the workbook would unpack to {_mb(total)}, more than the "
                              f"{_mb(MAX_TOTAL)} allowed")


def _mb(size: int) -> str:
    return f"{size / MIB:.0f} MiB"


def _directory(fh, size: int) -> tuple[int, int] | None:
    """(parts, central-directory bytes) from the end-of-central-directory record (Zip64 too), before
    zipfile reads the directory; None if there is no such record."""
    tail = min(size, 22 + 0xFFFF)
    fh.seek(size - tail)
    data = fh.read(tail)
    at = data.rfind(b"PK\x05\x06")
    if at < 0 or len(data) - at < 22:
        return None
    parts, directory = struct.unpack("<10xHL6x", data[at:at + 22])
    if (parts == 0xFFFF or directory == 0xFFFFFFFF) and at >= 20 and data[at - 20:at - 16] == b"PK\x06\x07":
        (offset,) = struct.unpack("<8xQ4x", data[at - 20:at])
        if offset + 56 <= size:
            fh.seek(offset)
            record = fh.read(56)
            if record[:4] == b"PK\x06\x06":
                parts, directory = struct.unpack("<32xQQ8x", record)
    return parts, directory


def read_workbook(path: str):
    """The header and a lazy stream of (Excel row number, row) of the first worksheet, like the other
    readers; BatchInputError when the workbook is refused, unreadable, or needs more memory or time
    than the child is allowed."""
    from .rows import BatchInputError, clean_header, clean_row
    inspect(path)
    fd, out = tempfile.mkstemp(prefix="casecoach-xlsx-", suffix=".jsonl")
    os.close(fd)
    try:
        child = subprocess.run([sys.executable, "-P", os.path.abspath(__file__), path, out, str(MEMORY_LIMIT)],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        _remove(out)
        raise BatchInputError(f"{path}: the workbook takes longer to read than allowed ({TIMEOUT} s)") from None
    except BaseException:
        _remove(out)
        raise
    if child.returncode != 0:
        _remove(out)
        said = (child.stderr.decode("utf-8", "replace").strip().splitlines() or [""])[-1][:200]
        if child.returncode == EXIT_UNREADABLE:
            raise BatchInputError(f"{path}: not a readable .xlsx file ({said})")
        raise BatchInputError(f"{path}: the workbook needs more memory than allowed "
                              f"({MEMORY_LIMIT // MIB} MiB; the reader {_ended(child.returncode)})")
    fh = open(out, encoding="utf-8")
    try:
        os.unlink(out)  # POSIX: the open file stays readable and nothing is left behind
    except OSError:
        pass            # Windows: removed when the stream ends, is closed or is collected
    first = fh.readline()
    header = clean_header(json.loads(first)["header"] if first else [])

    def rows():
        try:
            for raw in fh:
                record = json.loads(raw)
                yield clean_row(record["line"], record["cells"])
        finally:
            _discard(fh, out)

    stream = rows()
    weakref.finalize(stream, _discard, fh, out)  # a stream never started has no finally to run
    return header, stream


def _ended(code: int) -> str:
    return "ran out of memory" if code == EXIT_MEMORY else f"was stopped (exit status {code})"


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _discard(fh, path: str) -> None:
    fh.close()
    _remove(path)


def count_rows(path: str) -> int:
    """The first worksheet's rows less the header, from its dimension element (or by counting its row
    elements), without opening the workbook: no shared strings are read. 0 when it cannot tell."""
    inspect(path)
    with zipfile.ZipFile(path) as archive:
        part = _first_sheet(archive)
        if part is None:
            return 0
        with archive.open(part) as fh:
            head = fh.read(64 * 1024)
            found = DIMENSION.search(head)
            if found:
                return max(int(re.sub(rb"\D", b"", found.group(1).split(b":")[-1]) or 0) - 1, 0)
            rows, data = 0, head
            while True:
                chunk = fh.read(MIB)
                cut = len(data) - 32 if chunk else len(data)
                rows += sum(1 for m in ROW.finditer(data) if m.start() < cut)
                if not chunk:
                    return max(rows - 1, 0)
                data = data[cut:] + chunk


DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\b[^>]*?\bref="([^"]*)"')
ROW = re.compile(rb"<(?:[\w.-]+:)?row[\s/>]")
WORKBOOK_TYPES = ("sheet.main+xml", "sheet.macroEnabled.main+xml", "template.main+xml",
                  "template.macroEnabled.main+xml")


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The part holding the first worksheet (what openpyxl calls worksheets[0]), or None."""
    names = set(archive.namelist())
    types = _xml(archive, "[Content_Types].xml", names)
    workbook = "xl/workbook.xml"
    for el in types.iter() if types is not None else ():
        if _local(el.tag) == "Override" and (el.get("ContentType") or "").endswith(WORKBOOK_TYPES):
            workbook = (el.get("PartName") or "").lstrip("/")
            break
    folder = posixpath.dirname(workbook)
    book = _xml(archive, workbook, names)
    rels = _xml(archive, posixpath.join(folder, "_rels", posixpath.basename(workbook) + ".rels"), names)
    if book is None or rels is None:
        return None
    targets = {r.get("Id"): (r.get("Type") or "", r.get("Target") or "")
               for r in rels.iter() if _local(r.tag) == "Relationship"}
    for el in book.iter():
        if _local(el.tag) != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
        kind, target = targets.get(rid, ("", ""))
        if kind.endswith("/worksheet"):
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            return part if part in names else None
    return None


def _xml(archive: zipfile.ZipFile, name: str, names: set, limit: int = 4 * MIB):
    """A small XML part as an element tree; None if missing, too big, has a DTD or does not parse."""
    from xml.etree import ElementTree
    if name not in names or archive.getinfo(name).file_size > limit:
        return None
    data = archive.read(name)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # OOXML parts have none; no entity expansion here
        return None
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# ---- the child process ----

def _cell(value) -> str:
    """A cell as text; Excel dates become ISO dates."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    return str(value)


def _convert(source: str, out) -> None:
    """Write the first worksheet to out: a {"header": [...]} line, then one {"line": Excel row number,
    "cells": {header: text}} line per non-empty row."""
    from openpyxl import load_workbook
    book = load_workbook(source, read_only=True, data_only=True)
    try:
        if not book.worksheets:
            raise Unreadable("the workbook has no worksheet")
        stream = book.worksheets[0].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(stream, ())]
        out.write(json.dumps({"header": header}) + "\n")
        for number, values in enumerate(stream, start=2):
            if values is None or all(v is None for v in values):
                continue
            cells = {h: _cell(v) for h, v in zip(header, values) if h}
            out.write(json.dumps({"line": number, "cells": cells}) + "\n")
    finally:
        book.close()


class Unreadable(Exception):
    """The workbook opens but holds nothing to read."""


def _out_of_memory(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, MemoryError) or "out of memory" in str(exc).lower():
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def main(argv: list[str]) -> int:
    source, out, limit = argv[1], argv[2], int(argv[3])
    try:
        import resource
    except ImportError:  # not on Windows: no address-space limit there, only the timeout
        resource = None
    if resource is not None and limit > 0:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    sys.modules.setdefault("numpy", None)  # openpyxl imports numpy only to know its number types
    try:
        with open(out, "w", encoding="ascii") as fh:
            _convert(source, fh)
    except Exception as exc:  # openpyxl raises many kinds for a bad file; MemoryError is one too
        if _out_of_memory(exc):
            sys.stderr.write("out of memory\n")
            return EXIT_MEMORY
        sys.stderr.write(f"{exc}\n" if isinstance(exc, Unreadable) else f"{exc.__class__.__name__}\n")
        return EXIT_UNREADABLE
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
