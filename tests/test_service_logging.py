"""Privacy: the service logs each request, and no log line ever contains the draft."""
import logging

import requests

from service import create_app
from service.testing import running_server

SECRET = "Zanzibarquist"
DRAFT = f"Met with {SECRET} at home on 3/4. {SECRET} seemed lazy and recieved the letter."


def test_service_logging_never_contains_the_draft(caplog):
    caplog.set_level(logging.DEBUG)
    app = create_app({"MAX_CHARS": 500})
    client = app.test_client()
    client.post("/api/v1/check", json={"text": DRAFT})
    client.post("/api/v1/check", json={"text": DRAFT, "profile": SECRET})
    client.post("/api/v1/check", json={"text": DRAFT, "kind": SECRET})
    client.post("/api/v1/check", json={"text": DRAFT * 20})
    client.post("/api/v1/check", data=DRAFT, content_type="text/plain")
    client.post("/api/v1/check", data="{" + DRAFT, content_type="application/json")
    with running_server(app) as url:
        requests.post(f"{url}/v2/check", data={"text": DRAFT, "language": "en-US"})
        requests.get(f"{url}/v2/check", params={"text": DRAFT, "language": "en-US"})
        requests.post(f"{url}/v2/check", data={"text": DRAFT, "language": SECRET})
        requests.post(f"{url}/v2/check", data={"data": "{" + DRAFT, "language": "en"})
        requests.get(f"{url}/{SECRET}")
    # urllib3 is the test's own HTTP client logging its requests, not the service.
    lines = [r.getMessage() for r in caplog.records if not r.name.startswith("urllib3")]
    assert any("/api/v1/check" in line for line in lines), "requests are logged"
    assert any("/v2/check" in line for line in lines)
    for line in lines:
        assert SECRET not in line and "seemed" not in line, line
