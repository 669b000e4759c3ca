"""Batch scoring of case-management exports (CSV, JSONL, Excel) into the SQLite store."""
from .readers import BatchInputError
from .run import Options, run_batch, ruleset_version

__all__ = ["BatchInputError", "Options", "run_batch", "ruleset_version"]
