"""The command line: `casecoach` and its commands. Nothing imports it but the entry point."""
