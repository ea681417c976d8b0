"""The command line as users meet it: exit codes, messages, outputs, colour, and the installed script."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from support import AS_OF, INVENTORIES, REPO, console_script

from secassess import __version__
from secassess.yamlsafe import load_file, strip_positions

Run = Callable[..., tuple[int, str, str]]
MINIMAL = INVENTORIES / "valid" / "minimal.yaml"
BAD = INVENTORIES / "invalid" / "references.yaml"


def test_version(run_cli: Run) -> None:
    assert run_cli("--version") == (0, f"secassess {__version__}\n", "")


def test_usage_errors_exit_2(run_cli: Run) -> None:
    assert run_cli("no-such-command")[0] == 2
    assert run_cli("lint")[0] == 2
    assert run_cli("lint", str(MINIMAL), "--as-of", "22/11/2026")[0] == 2


def test_missing_file_is_a_clear_error_not_a_traceback(run_cli: Run) -> None:
    code, out, err = run_cli("lint", "does-not-exist.yaml")
    assert code == 2
    assert "does-not-exist.yaml: no such file" in out
    assert "Traceback" not in out + err


def test_output_is_written_atomically_and_inputs_are_untouched(run_cli: Run, tmp_path: Path) -> None:
    before = BAD.read_bytes()
    target = tmp_path / "out" / "lint.sarif"
    code, out, _ = run_cli("lint", str(BAD), "--format", "sarif", "--output", str(target))
    assert code == 2
    assert out.endswith("file(s): 4 high\n")  # the file holds SARIF; the terminal shows the text view
    assert json.loads(target.read_text("utf-8"))["version"] == "2.1.0"
    assert [p.name for p in target.parent.iterdir()] == ["lint.sarif"]  # no temporary left behind
    assert BAD.read_bytes() == before


def test_refuses_to_overwrite_the_inventory(run_cli: Run, tmp_path: Path) -> None:
    inventory = tmp_path / "inv.yaml"
    inventory.write_bytes(MINIMAL.read_bytes())
    code, _, err = run_cli("lint", str(inventory), "--output", str(inventory))
    assert code == 2
    assert "refusing to overwrite the input file" in err
    assert inventory.read_bytes() == MINIMAL.read_bytes()


def test_unwritable_output_is_an_environment_failure(run_cli: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run_cli("lint", str(MINIMAL), "--output", str(blocker / "sub" / "out.txt"))
    assert code == 3
    assert "cannot write" in err


def test_schema_is_valid_json_schema_and_accepts_the_valid_inventories(run_cli: Run) -> None:
    code, out, _ = run_cli("schema")
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((INVENTORIES / "valid").glob("*.yaml")):
        document = json.loads(json.dumps(strip_positions(load_file(str(path))), default=str))
        validator.validate(document)
    assert code == 0


def test_no_colour_when_not_a_terminal_or_no_color(tmp_path: Path) -> None:
    env = {**os.environ, "FORCE_COLOR": "1"}
    coloured = subprocess.run([console_script(), "lint", str(BAD)], capture_output=True, text=True, env=env)
    plain = subprocess.run([console_script(), "lint", str(BAD)], capture_output=True, text=True,
                           env={**env, "NO_COLOR": "1"})
    assert "\x1b[" in coloured.stdout
    assert "\x1b[" not in plain.stdout


def test_installed_console_script_works_from_another_directory(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory.yaml"
    inventory.write_bytes(MINIMAL.read_bytes())
    result = subprocess.run([console_script(), "lint", "inventory.yaml", "--as-of", AS_OF],
                            capture_output=True, text=True, cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "no problems in 1 file(s)\n")
    module = subprocess.run([str(Path(console_script()).parent / "python"), "-m", "secassess", "--version"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert module.stdout == f"secassess {__version__}\n"


def test_internal_errors_do_not_show_a_traceback_without_verbose(monkeypatch: pytest.MonkeyPatch,
                                                                 run_cli: Run) -> None:
    import secassess.lint.service as lint_service

    def boom(*_args: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(lint_service, "lint_paths", boom)
    code, _, err = run_cli("lint", str(MINIMAL))
    assert code == 3
    assert "internal error (RuntimeError: simulated bug)" in err and "Traceback" not in err
    _, _, verbose_err = run_cli("-v", "lint", str(MINIMAL))
    assert "Traceback" in verbose_err


def test_pre_commit_hook_definition_runs_lint() -> None:
    text = (REPO / ".pre-commit-hooks.yaml").read_text("utf-8")
    assert "entry: secassess lint" in text
