"""Every corpus example's report is byte for byte the one stored in tests/report_digests.json: work on
speed must not change a word. After an intended change of what casecoach says, store the new digests
with `python benchmarks/report_digests.py --write` in the same commit."""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import report_digests  # noqa: E402


def test_reports_are_byte_identical_to_the_stored_digests():
    now = report_digests.digests()
    stored = json.loads(report_digests.STORED.read_text(encoding="utf-8"))
    assert len(now) == len(stored) > 1500
    assert report_digests.changed(now, stored) == []


def test_the_comparison_sees_a_changed_report():
    stored = json.loads(report_digests.STORED.read_text(encoding="utf-8"))
    some = next(iter(stored))
    assert report_digests.changed({**stored, some: "0" * 64}, stored) == [some]
