"""Every shipped check passes its pass example and fails its fail example (data in examples/)."""

from __future__ import annotations

import pytest
from harness import all_examples, catalog, run

from secassess.diagnostics import Outcome

EXAMPLES = all_examples()
OUTCOMES = ("not_applicable", "error", "pass", "fail", "insufficient_data", "waived")
"""An example's key is its expected outcome, optionally with a `_variant` suffix (`pass_finer_zones`)."""


def expected_outcome(key: str) -> str | None:
    return next((o for o in OUTCOMES if key == o or key.startswith(o + "_")), None)


CASES = [(cid, key) for cid, entry in sorted(EXAMPLES.items()) for key in entry if expected_outcome(key)]


@pytest.mark.parametrize(("check_id", "key"), CASES)
def test_check_example(check_id: str, key: str) -> None:
    entry = EXAMPLES[check_id]
    finding = run(check_id, entry[key], entry.get("profile", "luat116"))
    assert finding.outcome is Outcome(expected_outcome(key)), finding.message


def test_every_check_has_pass_and_fail_examples() -> None:
    ids = {c.info.id for p in catalog().profiles.values() for c in p.checks}
    missing = sorted(i for i in ids if not {"pass", "fail"} <= set(EXAMPLES.get(i, {})))
    assert not missing, f"checks without a pass and a fail example: {missing}"


def test_at_least_60_shipped_checks() -> None:
    ids = {c.info.id for p in catalog().profiles.values() for c in p.checks if c.info.origin.startswith("shipped:")}
    assert len(ids) >= 60
