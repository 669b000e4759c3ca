"""The supervisors' side: batch scoring of case-management exports (CSV, JSONL, Excel, Spark) into the
SQLite store the dashboard reads. Imports the engine and below, never learn or the CLI."""
from .rows import BatchInputError
from .run import Options, run_batch, ruleset_version

__all__ = ["BatchInputError", "Options", "run_batch", "ruleset_version"]
