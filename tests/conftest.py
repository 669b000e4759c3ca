"""Shared fixtures: the rulebook and the pipeline, built once per test session."""
import pytest

from checker.annotate.pipeline import build_nlp
from checker.rulebook import load_rulebook


@pytest.fixture(scope="session")
def rulebook():
    return load_rulebook()


@pytest.fixture(scope="session")
def nlp():
    return build_nlp()
