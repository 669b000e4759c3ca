"""Whole plans, initial assessments and child-welfare objectives: the kinds beside goal and note."""
import sys
from pathlib import Path

from click.testing import CliRunner

import checker
from checker.annotate.plan_parts import plan_layout
from checker.batch import Options, run_batch
from checker.cli.main import main
from checker.resources import sample_drafts
from service import create_app

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(Path(__file__).parent))
from csv_files import write_csv  # noqa: E402



def jones_plan() -> str:
    """The DYCD desk guide's "Example Individual Service Plan" for Mr. Jones (the shipped sample plan)."""
    return sample_drafts()["plan"]


def jones_assessment() -> str:
    """The desk guide's "Example Initial Assessment" for Mr. Jones (the shipped sample assessment)."""
    return sample_drafts()["assessment"]


def test_jones_plan_is_two_goals_each_met_through_its_steps():
    plan = jones_plan()
    report = checker.check(plan)
    assert report.kind == "plan" and report.kind_detected
    assert len(report.parts) == 2
    for part in report.parts:
        for cid in ("goal.person_responsible", "goal.time_framed", "goal.frequency", "goal.method"):
            assert part.criterion(cid).status == "met", cid
        # offsets are into the plan: every piece of evidence quotes the plan at its place
        for c in part.criteria:
            assert all(plan[e.start:e.end] == e.text for e in c.evidence)
    assert "every MWF" in " ".join(e.text for e in report.parts[0].criterion("goal.frequency").evidence)
    assert "Tuesday and Thursday" in " ".join(e.text for e in report.parts[1].criterion("goal.frequency").evidence)
    assert report.criterion("plan.long_term_goal").status == "met"
    assert report.criterion("plan.goals_complete").status == "met"


def test_a_plan_goal_without_a_deadline_is_named_at_plan_level():
    plan = "Short-Term Goals:\n1) Ana will enroll in ESL classes at the library by May 1.\n2) Ana will apply to 3 jobs a week."
    report = checker.check(plan)
    assert report.kind == "plan"
    assert [p.criterion("goal.time_framed").status for p in report.parts] == ["met", "missing"]
    complete = report.criterion("plan.goals_complete")
    assert complete.status == "partial" and complete.evidence[0].text == "Ana will apply to 3 jobs a week"
    assert report.criterion("plan.long_term_goal").status == "missing"


def test_plan_layouts_of_treatment_plans_keep_steps_with_their_goal():
    text = ("Problem 1: Depression\nGoal: Client will reduce depressive symptoms.\n"
            "Objective 1a: Client will complete a mood log daily for 4 weeks.\n"
            "Intervention: Therapist will teach CBT skills weekly.\nProblem 2: Housing\n"
            "Goal: Client will obtain stable housing by June.\n- Apply to 3 apartments per week\n"
            "- Meet with housing specialist biweekly")
    layout = plan_layout(text)
    assert layout.is_plan
    goals = [(text[slice(*g.goal)], [text[slice(*s)] for s in g.steps]) for g in layout.goals]
    assert goals == [("Client will reduce depressive symptoms.",
                      ["Objective 1a: Client will complete a mood log daily for 4 weeks.",
                       "Intervention: Therapist will teach CBT skills weekly."]),
                     ("Client will obtain stable housing by June.",
                      ["- Apply to 3 apartments per week", "- Meet with housing specialist biweekly"])]


def test_a_note_with_numbered_next_steps_is_not_a_plan():
    note = "Met with client at the office on 3/4.\nP:\n1) CM will call the school by Friday.\n2) Client will bring her ID."
    assert not plan_layout(note).is_plan
    assert checker.check(note).kind != "plan"


def test_jones_assessment_meets_its_checklist_but_eligibility():
    report = checker.check(jones_assessment(), kind="assessment")
    status = {c.id: c.status for c in report.criteria}
    for cid in ("assessment.strengths", "assessment.history", "assessment.readiness", "assessment.resources",
                "assessment.whole_client", "assessment.objective_language", "assessment.non_judgmental"):
        assert status[cid] == "met", cid
    # The example states age and borough but never says he is eligible: the checklist line is unmet.
    assert status["assessment.eligibility"] == "missing"


def test_objectives_tell_end_states_from_services_and_negative_terms():
    good = checker.check("Ms. Wilson will keep the home free of hazards within 60 days, as observed during "
                         "monthly home visits, so that the children are safe.", kind="objective")
    assert {c.id for c in good.criteria if c.status == "met"} >= {
        "objective.end_state", "objective.positive_terms", "objective.measurable", "objective.time_limited",
        "objective.person_responsible", "objective.tied_to_concern"}
    service = checker.check("Mother will attend parenting classes.", kind="objective")
    assert service.criterion("objective.end_state").status == "partial"
    negative = checker.check("Father will not hit the children.", kind="objective")
    assert negative.criterion("objective.end_state").status == "met"  # an end state, in negative terms
    assert negative.criterion("objective.positive_terms").status == "missing"
    assert any(i.rule == "objective.positive_terms" and i.text == "will not" for i in negative.issues)


def test_case_plan_components_are_asked_unless_the_case_calls_for_them():
    single = checker.check("Ms. Wilson will keep the home free of hazards within 60 days.", kind="objective")
    assert single.criterion("plan.visitation").status == "ask"
    assert single.criterion("plan.tilp").status == "ask"
    placed = checker.check("Marcus, 17, is placed in a group home. Permanency goal: APPLA. Marcus will open a "
                           "bank account by June.", kind="objective")
    assert placed.criterion("plan.permanency_goal").status == "met"
    assert placed.criterion("plan.visitation").status == "missing"
    assert placed.criterion("plan.tilp").status == "missing"


def test_child_welfare_profile_reviews_every_six_months():
    profile = checker.load_rulebook().profiles["child_welfare"]
    assert profile.settings["review_interval_days"] == 182 and profile.settings["initial_plan_days"] == 60


def test_plan_parts_reach_the_cli_the_api_and_the_languagetool_endpoint(tmp_path):
    plan = "Short-Term Goals:\n1) Ana will enroll in ESL classes at the library by May 1.\n2) Ana will apply to 3 jobs a week."
    source = tmp_path / "plan.txt"
    source.write_text(plan, encoding="utf-8")
    out = CliRunner().invoke(main, ["check", str(source)]).output
    assert "Goal 1 ·" in out and "Goal 2 ·" in out
    client = create_app().test_client()
    body = client.post("/api/v1/check", json={"text": plan}).get_json()
    assert body["kind"] == "plan" and [p["kind"] for p in body["parts"]] == ["goal", "goal"]
    assert "parts" not in client.post("/api/v1/check", json={"text": "Ana will apply to 3 jobs a week."}).get_json()
    matches = client.post("/v2/check", data={"text": plan, "language": "en-US"}).get_json()["matches"]
    second = plan.index("Ana will apply")
    missing_deadline = [m for m in matches if m["rule"]["id"] == "goal.time_framed"]
    assert missing_deadline and all(m["offset"] >= second for m in missing_deadline)


def test_batch_stores_a_plan_goal_by_goal_and_times_the_first_case_plan(tmp_path):
    plan = "Short-Term Goals:\n1) Ana will enroll in ESL classes at the library by May 1.\n2) Ana will apply to 3 jobs a week."
    rows = [{"id": "n1", "client": "A", "date": "2024-01-03", "contact date": "2024-01-02", "type": "note",
             "text": "Met with Ana at the office on 1/2 for 30 minutes. She brought her ID."},
            {"id": "p1", "client": "A", "date": "2024-04-01", "contact date": "", "type": "service plan", "text": plan}]
    db = tmp_path / "s.db"
    run_batch([write_csv(tmp_path / "docs.csv", rows)], str(db), Options(profile="child_welfare"), warn=lambda m: None)
    import sqlite3
    with sqlite3.connect(db) as con:
        found = dict(con.execute("select criterion, status from findings where document_id = 'p1'").fetchall())
        kind = con.execute("select kind from documents where id = 'p1'").fetchone()[0]
    assert kind == "plan"
    assert found["goal.time_framed@1"] == "met" and found["goal.time_framed@2"] == "missing"
    assert found["plan.goals_complete"] == "partial"
    assert found["plan.initial_in_time"] == "missing"  # 90 days after the first contact; due within 60
    from checker.speak.coaching_report import criterion_names
    assert criterion_names()[0]["goal.time_framed@2"] == "Time-framed (goal 2)"


def test_the_demo_checks_a_sample_of_every_kind():
    out = CliRunner().invoke(main, ["demo"]).output
    for kind in checker.rulebook.KINDS:
        assert f"=== sample {kind} ===" in out


def test_a_text_of_hundreds_of_goals_has_its_first_forty_judged():
    from checker.engine import MAX_PARTS
    report = checker.check("Goal: Ana will attend class by May 1.\n" * 500)
    assert report.kind == "plan" and len(report.parts) == MAX_PARTS == 40
    assert report.criterion("plan.goals_complete").status == "met"


def test_a_long_assessment_with_one_judging_word_still_reads_as_objective_but_the_word_is_marked():
    facts = ["Ms. Ortiz is 34 and lives with her two sons in Queens.", "She works part time at a pharmacy.",
             "She receives SNAP.", "Her sons attend P.S. 112.", "She left school in 11th grade.",
             "She was referred by the school social worker on 3/2.", "She sees a therapist weekly.",
             "Her rent is $1,400 a month.", "She has missed two payments.", "Her mother lives nearby.",
             "She wants to finish her HSE.", "She seemed overwhelmed by the forms."]
    long = checker.check(" ".join(facts), kind="assessment")
    assert long.criterion("assessment.objective_language").status == "met"
    assert any(i.rule == "assessment.objective_language" and "seemed" in i.text for i in long.issues)
    short = checker.check(" ".join(facts[:3] + facts[-1:]), kind="assessment")
    assert short.criterion("assessment.objective_language").status == "missing"
