"""casecoach's trained artefacts and their model cards (read with importlib.resources)."""
