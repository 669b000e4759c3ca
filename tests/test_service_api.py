"""The JSON API through Flask's test client: the report contract, criteria, health and every error."""
import pytest

from service import create_app

GOAL = "Client will improve her grades."


@pytest.fixture(scope="module")
def app():
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


def problem(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body


def test_service_api_check_returns_the_report_contract(client):
    response = client.post("/api/v1/check", json={"text": GOAL, "kind": "goal"})
    assert response.status_code == 200
    report = response.get_json()
    assert set(report) == {"kind", "kind_detected", "profile", "score", "criteria", "issues", "feedback"}
    assert report["kind"] == "goal" and report["kind_detected"] is False
    frequency = next(c for c in report["criteria"] if c["id"] == "goal.frequency")
    assert frequency["status"] == "missing"


def test_service_api_check_uses_profile_and_detects_kind(client):
    note = "Met with client at the office on 3/4 for 45 minutes. She seemed tired."
    report = client.post("/api/v1/check", json={"text": note, "profile": "soar"}).get_json()
    assert report["profile"] == "soar" and report["kind"] == "note" and report["kind_detected"]


def test_service_api_criteria_lists_every_criterion(client):
    criteria = client.get("/api/v1/criteria").get_json()["criteria"]
    ids = {c["id"] for c in criteria}
    assert {"goal.frequency", "note.observations_not_opinions"} <= ids
    for c in criteria:
        assert c["name"] and c["source"] and c["kind"] in ("require", "avoid", "ask") and c["weight"] >= 0


def test_service_api_health(client):
    body = client.get("/api/v1/health").get_json()
    assert body["status"] == "ok" and "default" in body["profiles"]


def test_service_api_bad_json_is_400(client):
    problem(client.post("/api/v1/check", data="{not json", content_type="application/json"), 400)
    problem(client.post("/api/v1/check", json=["a list"]), 400)
    problem(client.post("/api/v1/check", json={"kind": "goal"}), 400)
    problem(client.post("/api/v1/check", json={"text": 42}), 400)


def test_service_api_wrong_content_type_is_415(client):
    problem(client.post("/api/v1/check", data=GOAL, content_type="text/plain"), 415)
    problem(client.post("/api/v1/check", data={"text": GOAL}), 415)


def test_service_api_text_over_the_limit_is_413():
    client = create_app({"TESTING": True, "MAX_CHARS": 100}).test_client()
    body = problem(client.post("/api/v1/check", json={"text": "word " * 40}), 413)
    assert "100" in body["detail"]
    assert client.post("/api/v1/check", json={"text": GOAL}).status_code == 200


def test_service_api_huge_body_is_413_problem():
    client = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": 1000}).test_client()
    problem(client.post("/api/v1/check", json={"text": "word " * 1000}), 413)


def test_service_api_unknown_kind_or_profile_names_the_valid_ones(client):
    body = problem(client.post("/api/v1/check", json={"text": GOAL, "kind": "poem"}), 400)
    assert body["valid"] == ["auto", "goal", "note", "assessment", "objective", "plan"] and "goal" in body["detail"]
    body = problem(client.post("/api/v1/check", json={"text": GOAL, "profile": "nope"}), 400)
    assert "default" in body["valid"] and "soar" in body["detail"]


def test_service_api_empty_text_is_400(client):
    problem(client.post("/api/v1/check", json={"text": "   "}), 400)
    problem(client.post("/api/v1/check", json={"text": "a\x00b"}), 400)


def test_service_api_unknown_path_and_method_are_problems(client):
    problem(client.get("/api/v1/nothing-here"), 404)
    problem(client.get("/api/v1/check"), 405)


def test_service_api_unknown_default_profile_fails_at_startup():
    from checker.errors import UnknownProfileError
    with pytest.raises(UnknownProfileError):
        create_app({"PROFILE": "nope"})


def test_service_cors_is_off_by_default_and_opens_to_configured_origins(client):
    response = client.get("/api/v1/health", headers={"Origin": "https://editor.example"})
    assert "Access-Control-Allow-Origin" not in response.headers
    opened = create_app({"TESTING": True, "CORS_ORIGINS": ["https://editor.example"]}).test_client()
    response = opened.get("/api/v1/health", headers={"Origin": "https://editor.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://editor.example"
    other = opened.get("/api/v1/health", headers={"Origin": "https://other.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    preflight = opened.options("/v2/check", headers={"Origin": "https://editor.example",
                                                    "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200 and "POST" in preflight.headers["Access-Control-Allow-Methods"]


def test_service_page_is_served_without_external_resources(client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "http://" not in html and "https://" not in html


def test_service_keeps_reports_of_resent_drafts():
    from service import create_app
    app = create_app()
    cache = app.extensions["casecoach_reports"]
    client = app.test_client()
    first = client.post("/api/v1/check", json={"text": GOAL}).get_json()
    again = client.post("/api/v1/check", json={"text": GOAL}).get_json()
    assert first == again and (cache.hits, cache.misses) == (1, 1)
    client.post("/api/v1/check", json={"text": GOAL, "kind": "note"})
    client.post("/api/v1/check", json={"text": GOAL, "profile": "soar"})
    client.post("/v2/check", data={"text": GOAL, "language": "en-US"})  # the same draft from an editor
    assert (cache.hits, cache.misses) == (2, 3)
    # an unknown profile is answered with its error each time and never kept
    for _ in range(2):
        assert client.post("/api/v1/check", json={"text": GOAL, "profile": "nope"}).status_code == 400
    assert len(cache._reports) == 3


def test_service_report_cache_forgets_the_least_recent():
    from service import create_app
    app = create_app({"REPORT_CACHE_SIZE": 2})
    cache, client = app.extensions["casecoach_reports"], app.test_client()
    for text in ("Ana will attend class daily.", "Ben will attend class daily.", "Ana will attend class daily.",
                 "Cy will attend class daily.", "Ben will attend class daily."):
        client.post("/api/v1/check", json={"text": text})
    assert (cache.hits, cache.misses) == (1, 4)  # Ben was forgotten when Cy came in
