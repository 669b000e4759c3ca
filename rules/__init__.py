"""casecoach's criteria, lexicons and profiles, as YAML data (read with importlib.resources)."""
