"""One set of conventions across commands: -o everywhere, several outputs per run, --quiet, --check filters,
--fail-on on lint, a config file, a one-line summary, and a command line that starts without heavy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from support import AS_OF, INVENTORIES, REPO, data_file

from secassess.cli import build_parser, subcommands

Run = Callable[..., tuple[int, str, str]]
SAMPLE = str(REPO / "sample_inventory.yaml")
MINIMAL = INVENTORIES / "valid" / "minimal.yaml"
BAD = INVENTORIES / "invalid" / "references.yaml"


def test_every_command_takes_dash_o_and_quiet() -> None:
    for name, parser in subcommands(build_parser()).items():
        options = {o for action in parser._actions for o in action.option_strings}
        assert {"-o", "--output"} <= options, name
        if name != "schema":
            assert "--quiet" in options, name


def test_assess_writes_several_outputs_in_one_run_and_text_on_the_terminal(run_cli: Run, tmp_path: Path) -> None:
    sarif, junit, result = tmp_path / "a.sarif", tmp_path / "junit.xml", tmp_path / "r.json"
    code, out, _ = run_cli("assess", SAMPLE, "--as-of", AS_OF, "-o", str(sarif), "-o", str(junit),
                           "-o", f"json={result}")
    assert code == 0
    assert "Ranking" in out and out.splitlines()[-1].startswith("assessed 12 agencies as of 2026-11-22")
    jsonschema.Draft7Validator(json.loads(data_file("schemas", "sarif-schema-2.1.0.json").read_text("utf-8"))) \
        .validate(json.loads(sarif.read_text("utf-8")))
    xmlschema.XMLSchema(str(data_file("schemas", "JUnit.xsd"))).validate(junit.read_text("utf-8"))
    for fmt, path in (("sarif", sarif), ("junit", junit), ("json", result)):  # the same bytes as alone
        assert path.read_text("utf-8") == run_cli("assess", SAMPLE, "--as-of", AS_OF, "--format", fmt)[1], fmt


def test_quiet_prints_only_the_summary_line(run_cli: Run, tmp_path: Path) -> None:
    _, full, _ = run_cli("assess", SAMPLE, "--as-of", AS_OF)
    code, out, err = run_cli("assess", SAMPLE, "--as-of", AS_OF, "--quiet", "-o", str(tmp_path / "r.sarif"))
    assert (code, out, err) == (0, full.splitlines()[-1] + "\n", "")
    assert run_cli("lint", str(BAD), "-q")[1] == "4 problem(s) in 1 file(s): 4 high\n"


@pytest.mark.parametrize("command", [("lint", str(MINIMAL)), ("assess", SAMPLE), ("graph", SAMPLE),
                                     ("blast-radius", SAMPLE, "stc-db01"), ("checks",)])
def test_text_output_ends_with_a_one_line_summary_which_is_all_quiet_prints(run_cli: Run,
                                                                            command: tuple[str, ...]) -> None:
    args = (*command, "--as-of", AS_OF) if command[0] in ("lint", "assess") else command
    _, full, _ = run_cli(*args)
    _, quiet, _ = run_cli(*args, "--quiet")
    assert quiet.count("\n") == 1
    assert full.endswith(quiet)


@pytest.mark.parametrize("args", [("lint", str(MINIMAL), "-o", "sarif"), ("assess", SAMPLE, "-o", "JUnit"),
                                  ("graph", SAMPLE, "-o", "dot"), ("report", SAMPLE, "-o", "html"),
                                  ("schema", "-o", "json")])
def test_a_bare_format_name_is_not_a_file_name(run_cli: Run, args: tuple[str, ...], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = run_cli(*args)
    assert code == 2
    assert f"-o {args[-1]}" in err and "--format" in err and f"./{args[-1]}" in err
    assert list(tmp_path.iterdir()) == []


def test_format_from_prefix_extension_or_format_option(run_cli: Run, tmp_path: Path) -> None:
    named = tmp_path / "lint.out"
    assert run_cli("lint", str(BAD), "-o", f"sarif:{named}")[0] == 2
    assert json.loads(named.read_text("utf-8"))["version"] == "2.1.0"
    assert run_cli("lint", str(BAD), "--format", "junit", "-o", str(tmp_path / "x.report"))[0] == 2
    assert (tmp_path / "x.report").read_text("utf-8").startswith("<?xml")
    code, _, err = run_cli("lint", str(BAD), "--format", "junit", "-o", str(tmp_path / "x.sarif"))
    assert code == 2 and "the name says sarif but --format says junit" in err
    assert not (tmp_path / "x.sarif").exists()
    code, out, _ = run_cli("lint", str(BAD), "-o", str(tmp_path / "y.sarif"), "-o", "github:-")
    assert out.startswith("::error file=") and (tmp_path / "y.sarif").exists()
    code, _, err = run_cli("lint", str(BAD), "-o", "html:x.html")
    assert code == 2 and "does not write html" in err
    code, _, err = run_cli("lint", str(BAD), "-o", str(named), "-o", f"json:{named}")
    assert code == 2 and "is the same file as" in err


def test_old_spellings_still_work(run_cli: Run, tmp_path: Path) -> None:
    assert run_cli("graph", SAMPLE, "--export", "dot", "--out", str(tmp_path / "g"))[0] == 0
    assert (tmp_path / "g").read_text("utf-8").startswith("digraph")
    assert run_cli("graph", SAMPLE, "-o", str(tmp_path / "g.graphml"))[0] == 0
    assert "<graphml" in (tmp_path / "g.graphml").read_text("utf-8")
    assert run_cli("report", SAMPLE, "--as-of", AS_OF, "--out", str(tmp_path / "r"), "--format", "md",
                   "--agency", "stc")[0] == 0


def test_check_filters_choose_what_runs(run_cli: Run) -> None:
    _, out, _ = run_cli("assess", SAMPLE, "--as-of", AS_OF, "--format", "json", "--check", "L1-*",
                        "--skip-check", "L1-ONSITE-00[12]")
    checks = [c["id"] for c in json.loads(out)["checks"]]
    assert checks and all(c.startswith("L1-") for c in checks)
    assert "L1-ONSITE-001" not in checks and "L1-ONSITE-003" in checks
    code, _, err = run_cli("assess", SAMPLE, "--check", "L9-*")
    assert code == 2 and "--check L9-*: no check has that id" in err
    _, listed, _ = run_cli("checks", "--check", "SA-NET-*", "--format", "json")
    assert {c["id"][:7] for c in json.loads(listed)} == {"SA-NET-"}


def test_library_takes_the_same_check_filters(run_cli: Run) -> None:
    import datetime as dt

    from secassess import assess, to_json
    from secassess.errors import UsageError

    _, out, _ = run_cli("assess", SAMPLE, "--as-of", AS_OF, "--format", "json", "--check", "L1-*",
                        "--skip-check", "L1-ONSITE-00[12]")
    result = assess(SAMPLE, as_of=dt.date.fromisoformat(AS_OF), checks=["L1-*"], skip_checks=["L1-ONSITE-00[12]"])
    assert to_json(result) == out
    with pytest.raises(UsageError, match="L9"):
        assess(SAMPLE, checks=["L9-*"])


def test_lint_filters_and_fail_on(run_cli: Run) -> None:
    code, out, _ = run_cli("lint", str(BAD))
    assert code == 2 and "[SA-LINT-REFERENCE]" in out
    code, out, _ = run_cli("lint", str(BAD), "--skip-check", "SA-LINT-REF*", "--skip-check", "SA-LINT-DUPLICATE")
    assert (code, out) == (0, "no problems in 1 file(s)\n")
    code, out, _ = run_cli("lint", str(BAD), "--fail-on", "critical")  # reported, but below the threshold
    assert code == 0 and "[SA-LINT-REFERENCE]" in out
    unreadable = INVENTORIES / "invalid" / "schema_errors.yaml"
    assert run_cli("lint", str(unreadable), "--fail-on", "critical", "--skip-check", "SA-LINT-*")[0] == 2


def test_help_and_version_load_no_heavy_library() -> None:
    """`secassess --help`/`--version` must start fast: no pydantic, networkx, Jinja, YAML, rich or Babel."""
    probe = ("import sys\nfrom secassess.cli import main\nfor argv in (['--version'], ['--help'], ['assess', "
             "'--help'], ['report', '--help']):\n    try:\n        main(argv)\n    except SystemExit:\n        pass\n"
             "heavy = ('pydantic', 'networkx', 'jinja2', 'yaml', 'rich', 'babel', 'nmap', 'dataclasses')\n"
             "print(sorted(m for m in heavy if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True)
    assert done.stdout.splitlines()[-1] == "[]"


def test_constants_restated_for_a_light_start_match_their_sources() -> None:
    from secassess.cli import common, graph_cmd, scan_cmd
    from secassess.graph.service import BLAST_FORMATS, GRAPH_FORMATS
    from secassess.pipeline import DEFAULT_PROFILE
    from secassess.scan.argv import Mode
    from secassess.scan.runner import DEFAULT_LIMIT
    from secassess.yamlsafe import DEFAULT_MAX_BYTES

    assert common.DEFAULT_PROFILE == DEFAULT_PROFILE
    assert common.DEFAULT_MAX_MIB * 1024 * 1024 == DEFAULT_MAX_BYTES
    assert tuple(m.value for m in Mode) == scan_cmd.MODES and scan_cmd.DEFAULT_TIMEOUT == DEFAULT_LIMIT
    assert graph_cmd.BLAST_KINDS.formats == (*BLAST_FORMATS, "pdf") and graph_cmd.GRAPH_KINDS.formats == GRAPH_FORMATS


# --- the config file -----------------------------------------------------------------------------


def _project(tmp_path: Path, config: str, name: str = "pyproject.toml") -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / name).write_text(config, "utf-8")
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "inventory.yaml").write_bytes(BAD.read_bytes())
    (tmp_path / "sub").mkdir()
    return tmp_path


def test_pyproject_settings_apply_from_a_subdirectory_and_the_command_line_wins(
        run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, '[project]\nname = "x"\n\n[tool.secassess]\nfail-on = "critical"\n'
                              'as-of = 2026-11-22\n\n[tool.secassess.lint]\noutput = ["lint.sarif"]\n'
                              'skip_check = ["SA-LINT-COUNT"]\n')
    monkeypatch.chdir(root / "sub")
    code, _out, _ = run_cli("lint", "../inv/inventory.yaml")
    assert code == 0  # fail-on critical from the file; the problems are high
    assert json.loads((root / "lint.sarif").read_text("utf-8"))["runs"][0]["results"]  # relative to the file
    assert run_cli("lint", "../inv/inventory.yaml", "--fail-on", "high")[0] == 2  # the command line wins
    assert run_cli("--no-config", "lint", "../inv/inventory.yaml")[0] == 2


def test_yaml_config_and_its_errors_are_placed(run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, "fail-on: critical\nassess:\n  profile: nd85\n  formats: json\n",
                    ".secassess.yaml")
    monkeypatch.chdir(root)
    code, _, err = run_cli("lint", "inv/inventory.yaml")
    assert code == 2
    assert ".secassess.yaml:4:3: unknown setting 'formats' (not an option of `secassess assess`); did you mean " \
           "'format'?" in err
    (root / ".secassess.yaml").write_text("fail-on: critical\nformat: json\nlnag: en\n", "utf-8")
    code, _, err = run_cli("lint", "inv/inventory.yaml")
    assert code == 2
    assert ".secassess.yaml:2:1: 'format' differs by command" in err
    assert ".secassess.yaml:3:1: unknown setting 'lnag'" in err and "did you mean 'lang'?" in err
    (root / ".secassess.yaml").write_text("fail-on: severe\n", "utf-8")
    assert ".secassess.yaml:1:1: 'fail-on': 'severe' is not one of" in run_cli("lint", "inv/inventory.yaml")[2]


def test_toml_errors_are_placed_and_other_pyprojects_are_ignored(run_cli: Run, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, '[tool.other]\nx = 1\n')
    monkeypatch.chdir(root)
    assert run_cli("lint", "inv/inventory.yaml", "--fail-on", "critical")[0] == 0  # no [tool.secassess]: no config
    (root / "pyproject.toml").write_text('[tool.secassess]\nprofile = "nd85"\n\n[tool.secassess.lnit]\n'
                                         'fail-on = "low"\n', "utf-8")
    code, _, err = run_cli("lint", "inv/inventory.yaml")
    assert code == 2 and "pyproject.toml:4:1: 'lnit' is not a command" in err and "did you mean 'lint'?" in err
    (root / "pyproject.toml").write_text('[tool.secassess]\nchecklists = 3\n', "utf-8")
    assert "pyproject.toml:2:1: 'checklists': expected a path, got int" in run_cli("checks")[2]


def test_the_readme_config_example_is_valid(run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    readme = (REPO / "README.md").read_text("utf-8")
    example = re.search(r"```toml\n(\[tool\.secassess\].*?)```", readme, re.DOTALL)
    assert example is not None
    root = _project(tmp_path, example.group(1))
    (root / "inventory").mkdir()
    (root / "inventory" / "waivers.yaml").write_text("waivers: []\n", "utf-8")
    monkeypatch.chdir(root / "sub")
    from secassess.cli import build_parser, configure_from_file

    parser = build_parser()
    for argv, expected in ((["report", "x.yaml"], {"format": ("html", "md"), "output": "../out/reports",
                                                    "waivers": "../inventory/waivers.yaml", "profile": "luat116"}),
                           (["assess", "x.yaml", "--fail-on", "low"],
                            {"output": ["../out/assess.sarif", "../out/junit.xml"], "skip_check": ["SA-SCAN-*"],
                             "fail_on": "low"})):
        args = parser.parse_args(argv)
        configure_from_file(parser, args, argv)
        assert {key: getattr(args, key) for key in expected} == expected


def test_checks_listing_marks_unverified_sources_in_the_listing_language(run_cli: Run) -> None:
    _, vi, _ = run_cli("checks")
    _, en, _ = run_cli("checks", "--lang", "en")
    unverified = [c["id"] for c in json.loads(run_cli("checks", "--format", "json")[1]) if c["unverified"]]
    assert unverified
    for check_id in unverified:
        assert next(line for line in vi.splitlines() if line.startswith(check_id)).endswith("(chưa kiểm chứng)")
        assert next(line for line in en.splitlines() if line.startswith(check_id)).endswith("(unverified source)")
    assert "unverified" not in vi and "nghiêm trọng" in vi


def test_several_outputs_are_written_all_or_none(run_cli: Run, tmp_path: Path) -> None:
    """A later output that cannot be written leaves the earlier ones as they were (no half-updated set)."""
    earlier = tmp_path / "result.json"
    earlier.write_text("OLD", encoding="utf-8")
    (tmp_path / "blocker").write_text("a file where a folder is wanted", encoding="utf-8")
    code, _, err = run_cli("assess", SAMPLE, "--as-of", AS_OF, "-o", str(earlier),
                           "-o", str(tmp_path / "blocker" / "assess.sarif"))
    assert code == 3 and "blocker/assess.sarif: cannot write" in err, err
    assert earlier.read_text(encoding="utf-8") == "OLD"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".secassess-")]
    code, _, _ = run_cli("assess", SAMPLE, "--as-of", AS_OF, "-o", str(earlier), "-o", str(tmp_path / "a.sarif"))
    assert code in (0, 1) and earlier.read_text(encoding="utf-8").startswith("{")
    assert json.loads((tmp_path / "a.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
