"""The installed package's version, looked up once: it cannot change while the service runs."""
from __future__ import annotations

from functools import cache


@cache
def package_version() -> str:
    """casecoach's version from the installed distribution's metadata ("0+unknown" when not installed)."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("casecoach")
    except PackageNotFoundError:
        return "0+unknown"
