"""The sentence-role component: annotations only, hash-checked JSON artefacts."""
import json
import shutil
from importlib import resources
from pathlib import Path

import pytest

from checker.errors import RuleError
from checker.annotate.sentence_views import ROLES
from checker.annotate.pipeline import build_nlp
from checker.annotate.sentence_roles import MANIFEST, ROLES_FILE, load_model, sha256

NOTE = ("Met with client at the office on 3/4 for 45 minutes. She brought her completed application. "
        "She seemed lazy and unmotivated. CM will call the school by Friday 3/7.")


@pytest.fixture(scope="module")
def doc():
    return build_nlp()(NOTE)


def test_sentence_roles_component_in_pipeline():
    assert build_nlp().pipe_names[-1] == "casecoach_sentence_roles"


def test_sentence_roles_one_span_per_sentence(doc):
    sents = [s for s in doc.sents if any(t.is_alpha for t in s)]
    roles = list(doc.spans["roles"])
    assert [(r.start, r.end) for r in roles] == [(s.start, s.end) for s in sents]
    assert all(r.label_ in ROLES for r in roles)


def test_sentence_roles_plan_and_opinion(doc):
    roles = list(doc.spans["roles"])
    assert roles[-1].label_ == "PLAN"
    flagged = {s.text.strip() for s in doc.spans["opinion"]}
    assert "She seemed lazy and unmotivated." in flagged
    assert not any(t.startswith("Met with client") for t in flagged)


def test_sentence_roles_artefacts_match_manifest():
    folder = resources.files("models")
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    for name, digest in manifest.items():
        raw = (folder / name).read_bytes()
        assert sha256(raw) == digest
        assert json.loads(raw)["format"] == "casecoach-linear/1"


def test_sentence_roles_refuses_tampered_artefact(tmp_path):
    folder = resources.files("models")
    for name in (MANIFEST, ROLES_FILE):
        shutil.copyfile(folder / name, tmp_path / name)
    data = json.loads((tmp_path / ROLES_FILE).read_text(encoding="utf-8"))
    data["intercept"][0] += 1.0
    (tmp_path / ROLES_FILE).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(RuleError, match="SHA-256"):
        load_model(ROLES_FILE, str(tmp_path))


def _features(text):
    from checker.annotate.features import sentence_features
    from checker.annotate.sentence_views import views
    return [sentence_features(v) for v in views(build_nlp()(text))]


def test_sentence_roles_quoted_words_marked_apart():
    quoted, plain = _features('She said it was "lazy" of him. She was lazy today.')
    assert "q:lazy" in quoted and "w=lazy" not in quoted
    assert "w=lazy" in plain and "q:lazy" not in plain


def test_sentence_roles_reported_scope_and_hedges():
    reported, hedged, own = _features("Mother reported that he sleeps late. I feel he is tired. He sleeps late.")
    assert "r:sleeps" in reported and "r:mother" not in reported
    assert "hedge1p" in hedged and "hedge1p" not in own
    assert not any(f.startswith("r:") for f in own)


def test_sentence_roles_neighbour_roles_and_shape():
    feats = _features("Contact type: phone, 3/4/24\nCM will call the school by Friday.")
    assert "label_colon" in feats[0] and "no_end_punct" in feats[0]
    assert "next=PLAN" in feats[0] and "prev=none" in feats[0]
    assert any(f.startswith("prev=") and f != "prev=none" for f in feats[1])
    assert "s3=ool" in feats[1]


def test_sentence_roles_word_groups_over_own_words():
    stance, quoted, kin, label = _features('Unfortunately he once again left early. He said it was "very bad". '
                                           'His brother drove him on Tuesday. Client is non-compliant today.')
    assert "g=stance" in stance and "g=stance2" in stance and "g=init" in stance
    assert not any(f.startswith("g=stance") for f in quoted)
    assert "g=kin" in kin and "g=kin0" in kin
    assert "g=label" in label and "g=kin" not in label


def test_sentence_roles_batched_probabilities_equal_one_at_a_time():
    from checker.annotate.sentence_roles import OPINION_FILE, ROLES_FILE, load_model
    for name in (ROLES_FILE, OPINION_FILE):
        model = load_model(name)
        lists = [model.indices(["w=she", "w=will", "cue=PLAN"]), [], model.indices(["w=seemed", "w=lazy"])]
        many = model.proba_many(lists)
        for row, idx in zip(many, lists):
            assert abs(row - model.proba([], idx)).max() < 1e-12


def test_sentence_roles_rules_alone_opinion_flag_is_the_avoid_check():
    # The rules-alone baseline and feature must flag a sentence exactly when the opinion criterion,
    # without a model, flags a cue in it, over every dev note.
    from checker import load_rulebook
    from checker.annotate.sentence_views import OPINION_CRITERION, unexcused_opinions, views
    from checker.judge.criteria import Context, check_avoid
    from checker.learn.role_eval import parse
    from checker.learn.corpus import read_corpus
    notes = [e for e in read_corpus(Path(__file__).resolve().parent.parent / "corpus")["dev"] if e["kind"] == "note"]
    rulebook = load_rulebook()
    crit = rulebook.criteria[OPINION_CRITERION]
    flagged_somewhere = 0
    for doc in parse(notes):
        _, bad, _ = check_avoid(crit, Context(doc=doc, profile=rulebook.profiles["default"], rulebook=rulebook))
        for view in views(doc):
            in_sentence = [b for b in bad if view.span.start <= b.start < view.span.end]
            assert bool(unexcused_opinions(view)) == bool(in_sentence), view.span.text
        flagged_somewhere += bool(bad)
    assert flagged_somewhere >= 10
