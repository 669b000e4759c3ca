"""LanguageTool's annotated `data` parameter: check the text parts, report offsets into the markup."""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass


@dataclass
class Annotated:
    """The plain text to check, the original (markup included) and the map between their offsets."""

    plain: str
    original: str
    plain_starts: list[int]
    orig_starts: list[int]
    is_text: list[bool]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a plain-text span onto the original; a span inside interpreted markup covers the markup."""
        return self._map(start, at_end=False), self._map(end, at_end=True)

    def _map(self, offset: int, at_end: bool) -> int:
        if not self.plain_starts:
            return offset
        # An end offset belongs to the segment it closes, a start offset to the one it opens.
        i = (bisect.bisect_left if at_end else bisect.bisect_right)(self.plain_starts, offset) - 1
        i = max(i, 0)
        if self.is_text[i]:
            return self.orig_starts[i] + offset - self.plain_starts[i]
        return self.orig_starts[i + 1] if at_end and i + 1 < len(self.orig_starts) else self.orig_starts[i]


def plain(text: str) -> Annotated:
    """A text without markup: the identity map."""
    return Annotated(text, text, [], [], [])


def parse(data: str) -> Annotated:
    """Parse `{"annotation": [{"text": …} | {"markup": …, "interpretAs"?: …}]}` (ValueError if malformed)."""
    try:
        parts = json.loads(data)["annotation"]
    except (json.JSONDecodeError, KeyError, TypeError):
        raise ValueError("'data' must be JSON like {\"annotation\": [{\"text\": \"…\"}, {\"markup\": \"…\"}]}") from None
    if not isinstance(parts, list):
        raise ValueError("'annotation' must be a list")
    plain_parts, orig_parts, starts, orig_starts, is_text = [], [], [], [], []
    p = o = 0
    for part in parts:
        if not isinstance(part, dict):
            raise ValueError("each annotation must be an object with 'text' or 'markup'")
        if isinstance(part.get("text"), str):
            shown = original = part["text"]
        elif isinstance(part.get("markup"), str):
            original, shown = part["markup"], part.get("interpretAs") or ""
            if not isinstance(shown, str):
                raise ValueError("'interpretAs' must be a string")
        else:
            raise ValueError("each annotation needs a 'text' or a 'markup' string")
        starts.append(p)
        orig_starts.append(o)
        is_text.append("text" in part)
        plain_parts.append(shown)
        orig_parts.append(original)
        p, o = p + len(shown), o + len(original)
    return Annotated("".join(plain_parts), "".join(orig_parts), starts, orig_starts, is_text)
