"""The OpenAPI document stays true: a property-based fuzzer drives the real server and checks every answer."""
import re

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings

import checker
from service import create_app
from service.version import package_version
from service.openapi import TEXT_PATTERN, document
from service.testing import running_server

# A small text limit keeps generated drafts short, so the fuzz run stays well under a minute.
LIMIT = 400
PROFILES = sorted(checker.load_rulebook().profiles)
# A text over the limit is rejected with 413, which the spec documents; count it as a rejection.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict({"checks": {"negative_data_rejection": {
    "expected-statuses": ["400", "404", "405", "406", "413", "415", "422"]}}})
schema = schemathesis.openapi.from_dict(document(package_version(), LIMIT, PROFILES), config=CONFIG)


@pytest.fixture(scope="module")
def server():
    with running_server(create_app({"MAX_CHARS": LIMIT})) as url:
        yield url


def test_service_openapi_document_is_the_one_served(server):
    assert requests.get(f"{server}/api/v1/openapi.json").json() == document(package_version(), LIMIT, PROFILES)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_service_openapi_every_response_matches_the_spec(case, server):
    case.call_and_validate(base_url=server)


@pytest.mark.parametrize("text", [*checker.engine.BLANK_CHARS, "\u3000\n\ufeff", "\x1b", "\u200b", "\x1ea"])
def test_service_refuses_exactly_the_texts_the_spec_calls_blank(text):
    # Python and ECMAScript disagree on what \s means; the spec and the engine must not.
    valid = re.search(TEXT_PATTERN, text) is not None
    response = create_app({"MAX_CHARS": LIMIT}).test_client().post("/api/v1/check", json={"text": text})
    assert response.status_code == (200 if valid else 400)
    assert valid == (text in ("\x1b", "\u200b", "\x1ea"))
