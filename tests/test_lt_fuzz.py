"""The LanguageTool-compatible endpoint under a property-based fuzzer: every answer is a well-formed
LanguageTool response or a LanguageTool "Error: …" with a 4xx, never a 500 — on the real server."""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from service import create_app
from service.version import package_version
from service.openapi import languagetool_document
from service.testing import running_server

LIMIT = 400  # short generated texts keep the run bounded
# LanguageTool's parameters carry rules no schema says (data is JSON, the language must be English),
# so a schema-valid request may rightly get 400: that check is off; every other one is on.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict({"checks": {
    "negative_data_rejection": {"expected-statuses": ["400", "404", "405", "413", "415"]},
    "positive_data_acceptance": {"enabled": False}}})
schema = schemathesis.openapi.from_dict(languagetool_document(package_version(), LIMIT), config=CONFIG)


@pytest.fixture(scope="module")
def server():
    with running_server(create_app({"MAX_CHARS": LIMIT})) as url:
        yield url


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_lt_every_response_matches_the_description(case, server):
    response = case.call(base_url=server)
    assert response.status_code < 500, (response.status_code, response.text[:200])
    case.validate_response(response)
