"""What one input row is and how it is cleaned, shared by every reader (the Excel child included):
the errors that refuse a file or skip a row, and values made into printable str."""
from __future__ import annotations

import json

from ..errors import CasecoachError


class BatchInputError(CasecoachError):
    """The input file cannot be read as a table of documents."""


class Malformed(Exception):
    """One row that cannot be used; the batch reports it with its line number and goes on."""

    def __init__(self, line: int, reason: str):
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


INVALID = "contains an invalid character (a lone surrogate)"


def has_surrogate(value: str) -> bool:
    """Whether a str holds a lone surrogate, which UTF-8 cannot encode."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _clean_name(name: str) -> str:
    """A column name with any lone surrogate replaced by U+FFFD (names are printed in messages)."""
    return name.encode("utf-8", "surrogatepass").decode("utf-8", "replace") if has_surrogate(name) else name


def clean_header(names: list) -> list[str]:
    """Column names as printable str (see _clean_name)."""
    return [_clean_name(n) for n in names]


def clean_row(number: int, row: dict) -> tuple[int, dict] | Malformed:
    """A parsed row with every value as a str, or Malformed (see json_row)."""
    out = {}
    try:
        for key, value in row.items():
            if value is None:
                value = ""
            elif isinstance(value, (dict, list)):
                value = json.dumps(value, ensure_ascii=False)
            elif not isinstance(value, str):
                value = str(value)
            if has_surrogate(value):
                return Malformed(number, INVALID)
            out[_clean_name(key)] = value
    except RecursionError:
        return Malformed(number, "a value is nested too deeply")
    except ValueError as exc:  # an integer too long to print
        return Malformed(number, f"unusable value ({exc.__class__.__name__})")
    return number, out
