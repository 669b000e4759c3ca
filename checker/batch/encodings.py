"""Which text encoding an export was written in: UTF-8 (with or without BOM), UTF-16 or a Windows code page."""
from __future__ import annotations

import codecs

BLOCK = 1 << 20
SAMPLE = 64 * 1024
MESS = 0.2  # charset_normalizer's own threshold for "this decoding is a mess"
# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
FALLBACK = "cp1252"
# Undecodable bytes become this lone surrogate, so the row that holds them can be refused by its line
# number (a strict decoder would raise inside the csv module and lose its place in the file).
MARK = "\udcff"
ERRORS = "casecoach-mark"
codecs.register_error(ERRORS, lambda exc: (MARK, exc.end))


def bom_encoding(path: str) -> str | None:
    """The codec named by the file's byte-order mark, or None."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    return next((codec for bom, codec in BOMS if head.startswith(bom)), None)


def detect_encoding(path: str) -> tuple[str, str]:
    """(codec name, how it was found) for a text export; how is "byte-order mark", "utf-8", "detected"
    or "assumed".

    In order:
    1. a byte-order mark: "utf-8-sig", "utf-16" or "utf-32" (the codec reads the mark and the order);
    2. UTF-16 without a mark, told by the zero bytes of its ASCII characters: "utf-16-le"/"utf-16-be";
    3. "utf-8" if the whole file decodes as strict UTF-8, read in blocks through an incremental
       decoder (a character split across two blocks is not an error);
    4. a sample (the start, plus the bytes around the first one that is not UTF-8): cp1252 if it
       reads the sample without mess, else charset_normalizer's guess ("detected");
    5. cp1252, which maps all but five byte values ("assumed").
    """
    codec = bom_encoding(path)
    if codec:
        return codec, "byte-order mark"
    with open(path, "rb") as fh:
        codec = _utf16_by_zeros(fh.read(SAMPLE))
    if codec:
        return codec, "detected"
    bad = _first_non_utf8(path)
    if bad is None:
        return "utf-8", "utf-8"
    sample = _sample(path, bad)
    guess = _guess(sample)
    if guess is None:
        return FALLBACK, "assumed"
    return guess, "detected"


def describe(codec: str, how: str) -> str | None:
    """'cp1252 (detected)' and the like; None for UTF-8 with or without BOM (nothing worth saying)."""
    if codec in ("utf-8", "utf-8-sig"):
        return None
    name = {"utf-16": "UTF-16", "utf-32": "UTF-32"}.get(codec, codec)
    return f"{name} ({'not UTF-8 and not recognised; assumed' if how == 'assumed' else how})"


def _utf16_by_zeros(head: bytes) -> str | None:
    """UTF-16 without a byte-order mark, told by its zero bytes: the high byte of every ASCII character
    (comma, digit, newline) is zero, in the odd places for little-endian and the even ones for
    big-endian. (Such a file is valid UTF-8 too, full of NUL characters.)"""
    if len(head) < 8:
        return None
    even, odd = head[0::2].count(0) / len(head[0::2]), head[1::2].count(0) / len(head[1::2])
    if odd >= 0.3 and even < 0.05:
        return "utf-16-le"
    if even >= 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _first_non_utf8(path: str) -> int | None:
    """The offset of the first block holding bytes that are not UTF-8 (or the end, if the file is cut
    inside a character), None when the whole file is UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    offset = 0
    with open(path, "rb") as fh:
        while True:
            block = fh.read(BLOCK)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                return max(offset + exc.start - 4, 0)
            if not block:
                return None
            offset += len(block)


def _sample(path: str, bad: int) -> bytes:
    with open(path, "rb") as fh:
        head = fh.read(SAMPLE)
        if bad < SAMPLE - 4096:
            return head
        fh.seek(max(bad - 4096, SAMPLE))
        return head + fh.read(SAMPLE)


def _guess(sample: bytes) -> str | None:
    """cp1252 when it reads the sample cleanly, else charset_normalizer's best guess, else None.

    cp1252 goes first because charset_normalizer, given a short Western sample, often ranks another
    single-byte code page first (it calls a cp1252 note with curly quotes and "é" cp775 or cp1250);
    its guess is taken when cp1252 cannot read the sample or reads it as a mess (Cyrillic in cp1251,
    Japanese in Shift-JIS, UTF-16 without a byte-order mark)."""
    try:
        from charset_normalizer import from_bytes
        from charset_normalizer.md import mess_ratio
    except ImportError:  # declared as a dependency; without it every non-UTF-8 file is read as cp1252
        return None
    try:
        if mess_ratio(sample.decode(FALLBACK), MESS) < MESS:
            return FALLBACK
    except UnicodeDecodeError:
        pass
    best = from_bytes(sample).best()
    if best is None:
        return None
    codec = codecs.lookup(best.encoding).name
    if codec in ("utf-8", "ascii") or (codec.startswith(("utf-16", "utf-32")) and 0 not in sample):
        return None  # a UTF-16 or UTF-32 text has zero bytes: the guess is a poor one
    return codec


__all__ = ["detect_encoding", "describe", "bom_encoding", "MARK", "ERRORS"]
