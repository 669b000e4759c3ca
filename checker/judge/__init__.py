"""Judge: the document's kind and each criterion's finding (patterns from rules/ and the named check
functions). Imports annotate and the shared base."""
