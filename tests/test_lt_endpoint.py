"""The LanguageTool-compatible endpoint, driven by language_tool_python against a real waitress server."""
import json

import pytest
import requests
from language_tool_python import LanguageTool

from service import create_app
from service.testing import running_server

GOAL = "Client will improve her grades."
NOTE = ("Met with client at the office on 3/4 for 45 minutes. She seemed lazy. "
        "Client recieved her apointment letter.")


@pytest.fixture(scope="module")
def server():
    with running_server(create_app({"MAX_CHARS": 5000})) as url:
        yield url


@pytest.fixture(scope="module")
def tool(server):
    with LanguageTool("en-US", remote_server=server) as lt:
        yield lt


def word(text, match):
    return text[match.offset:match.offset + match.error_length]


def by_rule(matches, rule):
    return [m for m in matches if m.rule_id == rule]


def test_lt_missing_criterion_is_anchored_on_the_goals_verb(tool):
    matches = tool.check(GOAL)
    [frequency] = by_rule(matches, "goal.frequency")
    assert word(GOAL, frequency) == "improve"
    assert "how often" in frequency.message and frequency.category == "CASECOACH_GOAL"


def test_lt_note_findings_point_at_the_words(tool):
    matches = tool.check(NOTE)
    opinions = {word(NOTE, m) for m in by_rule(matches, "note.observations_not_opinions")}
    assert "seemed" in " ".join(opinions)
    typo = next(m for m in matches if word(NOTE, m) == "recieved")
    assert typo.category == "TYPOS" and typo.rule_issue_type == "misspelling"
    assert "received" in typo.replacements


def test_lt_missing_criteria_are_anchored_where_their_fix_belongs(tool):
    note = "She seemed lazy. Talked about school."
    [plan] = by_rule(tool.check(note), "note.plan")
    assert word(note, plan) == "school"  # the next step is written at the end
    goal = "Client will improve her grades."
    matches = tool.check(goal)
    assert word(goal, by_rule(matches, "goal.time_framed")[0]) == "grades"
    nobody = "Raise her math grade to a B by June 30."
    [person] = by_rule(tool.check(nobody), "goal.person_responsible")
    assert word(nobody, person) == "Raise"  # who acts is written before the verb
    assert word(goal, by_rule(matches, "goal.frequency")[0]) == "improve"
    spots = [(m.offset, m.error_length) for m in matches if m.rule_id.startswith("goal.")]
    assert len(set(spots)) >= 2  # not every missing item on one word


def test_lt_guidance_is_never_offered_as_a_replacement(tool):
    note = ("Met with client at the office on 3/4. He seemed depressed and was manipulative and "
            "non-compliant. CM will call him by Friday 3/7.")
    matches = tool.check(note)
    assert all("(" not in r and "…" not in r for m in matches for r in m.replacements)
    labels = [m for m in matches if word(note, m) in ("manipulative", "non-compliant")]
    assert labels and all("Try:" in m.message for m in labels)
    corrected = LanguageTool.correct(tool, note)
    assert "(" not in corrected and "describe" not in corrected


def test_lt_emoji_does_not_shift_offsets(tool, server):
    text = "😀🎉 " + NOTE
    typo = next(m for m in tool.check(text) if m.replacements and "received" in m.replacements)
    assert word(text, typo) == "recieved"
    raw = requests.post(f"{server}/v2/check", data={"text": text, "language": "en-US"}).json()
    utf16 = next(m for m in raw["matches"] if m["offset"] > 0 and m["replacements"]
                 and m["replacements"][0]["value"] == "received")
    assert utf16["offset"] == text.index("recieved") + 2 and utf16["length"] == len("recieved")
    ctx = utf16["context"]
    assert ctx["text"].encode("utf-16-le")[2 * ctx["offset"]:2 * (ctx["offset"] + ctx["length"])] \
        .decode("utf-16-le") == "recieved"


def test_lt_rule_selection(tool):
    tool.disabled_rules = {"goal.frequency"}
    try:
        assert not by_rule(tool.check(GOAL), "goal.frequency")
    finally:
        tool.disabled_rules = set()
    tool.enabled_rules, tool.enabled_rules_only = {"goal.duration"}, True
    try:
        assert {m.rule_id for m in tool.check(GOAL)} == {"goal.duration"}
    finally:
        tool.enabled_rules, tool.enabled_rules_only = set(), False
    tool.disabled_categories = {"TYPOS"}
    try:
        assert not [m for m in tool.check(NOTE) if m.category == "TYPOS"]
    finally:
        tool.disabled_categories = set()


def test_lt_picky_level_adds_questions_as_hints(server):
    plain = requests.post(f"{server}/v2/check", data={"text": GOAL, "language": "en"}).json()
    picky = requests.post(f"{server}/v2/check", data={"text": GOAL, "language": "en", "level": "picky"}).json()
    assert not [m for m in plain["matches"] if m["type"]["typeName"] == "Hint"]
    assert [m for m in picky["matches"] if m["rule"]["id"] == "goal.achievable"][0]["type"]["typeName"] == "Hint"


def test_lt_form_body_labelled_json_is_read_as_form(server):
    body = "language=en-US&text=" + requests.utils.quote(GOAL)
    response = requests.post(f"{server}/v2/check", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    assert any(m["rule"]["id"] == "goal.frequency" for m in response.json()["matches"])


def test_lt_get_and_check_alias(server):
    for path in ("/v2/check", "/check"):
        response = requests.get(f"{server}{path}", params={"text": GOAL, "language": "auto"})
        assert response.status_code == 200 and response.json()["matches"]


def test_lt_annotated_data_offsets_include_markup(server):
    data = {"annotation": [{"markup": "<p>"}, {"text": "Client will "}, {"markup": "<b>"},
                           {"text": "improve"}, {"markup": "</b>"}, {"text": " her grades."},
                           {"markup": "</p>", "interpretAs": "\n\n"}]}
    original = "<p>Client will <b>improve</b> her grades.</p>"
    body = requests.post(f"{server}/v2/check", data={"data": json.dumps(data), "language": "en-US"}).json()
    [frequency] = [m for m in body["matches"] if m["rule"]["id"] == "goal.frequency"]
    assert original[frequency["offset"]:frequency["offset"] + frequency["length"]] == "improve"


def test_lt_match_has_every_documented_field(server):
    body = requests.post(f"{server}/v2/check", data={"text": NOTE, "language": "en-US"}).json()
    assert body["language"]["code"] == "en-US" and body["software"]["name"] == "casecoach"
    for m in body["matches"]:
        assert {"message", "shortMessage", "offset", "length", "replacements", "context", "sentence",
                "type", "rule"} <= set(m)
        assert set(m["context"]) == {"text", "offset", "length"} and "typeName" in m["type"]
        assert {"id", "description", "issueType", "category"} <= set(m["rule"])
        assert set(m["rule"]["category"]) == {"id", "name"}
        assert all(set(r) == {"value"} for r in m["replacements"])


def test_lt_errors_are_plain_text(server):
    cases = [({"language": "en-US"}, 400), ({"text": GOAL, "language": "de-DE"}, 400),
             ({"text": "word " * 2000, "language": "en-US"}, 413), ({"data": "{bad", "language": "en"}, 400)]
    for params, status in cases:
        response = requests.post(f"{server}/v2/check", data=params)
        assert response.status_code == status, params
        assert response.headers["Content-Type"].startswith("text/plain")
        assert response.text.startswith("Error: ")
    missing = requests.get(f"{server}/v2/nothing")
    assert missing.status_code == 404 and missing.text.startswith("Error: ")


def test_lt_empty_text_has_no_matches(server):
    response = requests.post(f"{server}/v2/check", data={"text": "", "language": "en-US"})
    assert response.status_code == 200 and response.json()["matches"] == []


def test_lt_languages_info_and_healthcheck(server):
    codes = {lang["longCode"] for lang in requests.get(f"{server}/v2/languages").json()}
    assert {"en", "en-US", "en-GB"} <= codes
    assert requests.get(f"{server}/v2/info").json()["software"]["apiVersion"] == 1
    health = requests.get(f"{server}/v2/healthcheck")
    assert health.status_code == 200 and health.text == "OK"
