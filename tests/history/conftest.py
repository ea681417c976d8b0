"""Results of the sample and its variants, assessed once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from history_data import one_new_high, sample_text, three_changes, write_result


@pytest.fixture(scope="session")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("results")
    text = sample_text()
    return {"old": write_result(text, folder, "old"), "changed": write_result(three_changes(text), folder, "changed"),
            "high": write_result(one_new_high(text), folder, "high")}
