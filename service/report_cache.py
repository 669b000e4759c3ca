"""The last reports the service gave, kept by (text digest, kind, profile, rules version): the page
re-checks on every pause in typing and editors resend whole unchanged documents, so most requests
repeat one. Reports stay in this process's memory only, and are never changed once made."""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from functools import cache
from typing import Callable

from checker.report import Report
from checker.rulebook import load_rulebook


@cache
def rules_version(profile: str) -> str:
    """The digest of the rules and the casecoach version for a profile, read once per process."""
    from checker.batch.run import ruleset_version
    return ruleset_version(profile)


class ReportCache:
    """A thread-safe least-recently-used map from a request's key to its Report."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = self.misses = 0
        self._reports: OrderedDict[tuple, Report] = OrderedDict()
        self._lock = threading.Lock()

    def report(self, text: str, kind: str, profile: str, check: Callable[[], Report]) -> Report:
        """The cached report for this text, kind and profile, or check() and keep its answer.
        Errors are not kept: a bad request is answered afresh each time."""
        if self.size <= 0 or profile not in load_rulebook().profiles:
            return check()  # an unknown profile is an error check() names; it is never a key
        key = (hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest(), kind, profile, rules_version(profile))
        with self._lock:
            found = self._reports.get(key)
            if found is not None:
                self._reports.move_to_end(key)
                self.hits += 1
                return found
            self.misses += 1
        made = check()
        with self._lock:
            self._reports[key] = made
            self._reports.move_to_end(key)
            while len(self._reports) > self.size:
                self._reports.popitem(last=False)
        return made
