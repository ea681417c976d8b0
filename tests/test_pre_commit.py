"""The pre-commit hook as a consumer repository uses it: the README's config, the real pre-commit, real commits."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import INVENTORIES, REPO, in_ci, require_tool

HOOK_ID = "secassess-lint"


def hook() -> dict[str, Any]:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    found: dict[str, Any] = next(h for h in hooks if h["id"] == HOOK_ID)
    return found


def documented_config() -> dict[str, Any]:
    """The `.pre-commit-config.yaml` shown in README.md (the YAML block that uses the hook)."""
    blocks = re.findall(r"^```yaml\n(.*?)^```", (REPO / "README.md").read_text("utf-8"), re.MULTILINE | re.DOTALL)
    configs = [yaml.safe_load(block) for block in blocks if "repos:" in block and HOOK_ID in block]
    assert len(configs) == 1, "README.md should show one .pre-commit-config.yaml using the hook"
    config: dict[str, Any] = configs[0]
    return config


def version() -> str:
    found: str = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    return found


@pytest.mark.parametrize(("path", "linted"), [
    ("inventory.yaml", True),
    ("inventory.yml", True),
    ("sample_inventory.yaml", True),
    ("tinh-a.inventory.yaml", True),
    ("kiem-ke/tinh-a-inventory.yml", True),
    ("deep/er/inventory.yaml", True),
    (".pre-commit-config.yaml", False),
    (".pre-commit-hooks.yaml", False),
    ("docker-compose.yml", False),
    (".github/workflows/inventory.yml", False),  # the README's CI job, saved under its name
    ("other/.github/inventory.yml", True),
    (".github/workflows/lint.yml", False),
    ("inventory.yaml.bak", False),
    ("inventory/hosts.yaml", False),
    ("myinventory.yaml", False),
])
def test_hook_lints_files_named_like_inventories(path: str, linted: bool) -> None:
    found = hook()
    assert bool(re.search(found["files"], path) and not re.search(found.get("exclude", "^$"), path)) is linted


def test_documented_rev_is_this_versions_release_tag() -> None:
    (entry,) = documented_config()["repos"]
    assert entry["rev"] == f"v{version()}"
    assert [h["id"] for h in entry["hooks"]] == [HOOK_ID]
    git = shutil.which("git")
    if git is None or not (REPO / ".git").exists():
        return
    tags = subprocess.run([git, "tag", "--list"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    if tags:  # releases are tagged in this clone: the documented one must be there, with the hook
        assert entry["rev"] in tags, f"README documents rev {entry['rev']}, which is not tagged"
        manifest = subprocess.run([git, "show", f"{entry['rev']}:.pre-commit-hooks.yaml"], cwd=REPO,
                                  capture_output=True, text=True, check=True).stdout
        tagged = next(h for h in yaml.safe_load(manifest) if h["id"] == HOOK_ID)
        assert not re.search(tagged.get("files", ""), ".pre-commit-config.yaml"), "that release lints any YAML"


class Git:
    """git with a configuration of its own: no user settings, hooks or identity leak in."""

    def __init__(self, home: Path) -> None:
        self.exe = require_tool("git")
        config = home / "gitconfig"
        config.write_text("[user]\n\tname = secassess tests\n\temail = tests@secassess.invalid\n"
                          "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n", "utf-8")
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("GIT_", "PRE_COMMIT")) and k not in ("SKIP", "NO_COLOR")}
        self.env |= {"GIT_CONFIG_GLOBAL": str(config), "GIT_CONFIG_NOSYSTEM": "1",
                     "PRE_COMMIT_HOME": str(home / "pre-commit-cache"), "PRE_COMMIT_COLOR": "never"}

    def run(self, cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run_program(cwd, self.exe, *args, check=check)

    def run_program(self, cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(args, cwd=cwd, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=900, check=False)
        if check and done.returncode:
            pytest.fail(f"{' '.join(args[:3])} failed ({done.returncode}):\n{done.stdout}")
        return done

    def pre_commit(self, cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run_program(cwd, sys.executable, "-m", "pre_commit", *args, check=check)


def clone_code_under_test(git: Git, dest: Path) -> str:
    """A repository holding this work tree's files (committed or not) in one commit; its sha.

    In CI (a clean clone) that commit has exactly the tree of the commit under test, which is checked.
    """
    top = git.run(REPO, "rev-parse", "--show-toplevel", check=False)
    if top.returncode or Path(top.stdout.strip()).resolve() != REPO:
        message = f"{REPO} is not a git work tree (an unpacked sdist?): the hook repository cannot be cloned"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    listed = git.run(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard").stdout
    for name in filter(None, listed.split("\0")):
        source, target = REPO / name, dest / name
        if source.exists() or source.is_symlink():  # not deleted in the work tree
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target, follow_symlinks=False)
    git.run(dest, "init", "-q")
    git.run(dest, "add", "-A")
    git.run(dest, "commit", "-q", "-m", "secassess under test")
    if not git.run(REPO, "status", "--porcelain").stdout:
        assert git.run(dest, "rev-parse", "HEAD^{tree}").stdout == git.run(REPO, "rev-parse", "HEAD^{tree}").stdout
    return git.run(dest, "rev-parse", "HEAD").stdout.strip()


def first_expected_problem(path: Path) -> str:
    """`LINE:COL: message` from the first `# expect:` line of an invalid inventory."""
    return next(line[len("# expect: "):] for line in path.read_text("utf-8").splitlines()
                if line.startswith("# expect: "))


@pytest.mark.slow
def test_pre_commit_blocks_a_bad_inventory_and_leaves_other_yaml_alone(tmp_path: Path) -> None:
    git = Git(tmp_path)
    hook_repo = tmp_path / "secassess"
    sha = clone_code_under_test(git, hook_repo)

    # A consumer repository set up as README.md says: its config with our repository as `repo:`,
    # then `pre-commit autoupdate` (which pins the newest commit, there being no tags) and `install`.
    work = tmp_path / "consumer"
    work.mkdir()
    git.run(work, "init", "-q")
    config = documented_config()
    config["repos"][0]["repo"] = hook_repo.as_uri()
    (work / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    git.pre_commit(work, "autoupdate")
    assert yaml.safe_load((work / ".pre-commit-config.yaml").read_text("utf-8"))["repos"][0]["rev"] == sha
    git.pre_commit(work, "install")

    # A good inventory, committed with the config and another tool's YAML: the commit goes through.
    shutil.copy(INVENTORIES / "valid" / "minimal.yaml", work / "inventory.yaml")
    (work / "deploy").mkdir()
    (work / "deploy" / "compose.yaml").write_text("services:\n  web: {image: nginx}\n", "utf-8")
    git.run(work, "add", "-A")
    good = git.run(work, "commit", "-m", "good inventory", check=False)
    assert good.returncode == 0, good.stdout
    assert re.search(r"secassess lint.*\.+Passed", good.stdout), good.stdout

    # Only the inventory was handed to secassess: not .pre-commit-config.yaml, not compose.yaml.
    every = git.pre_commit(work, "run", "--all-files", "--verbose", HOOK_ID, check=False)
    assert every.returncode == 0, every.stdout
    assert "no problems in 1 file(s)" in every.stdout, every.stdout

    # A bad inventory fails the commit with file:line:column: message, and nothing is committed.
    bad = INVENTORIES / "invalid" / "references.yaml"
    (work / "kiem-ke").mkdir()
    shutil.copy(bad, work / "kiem-ke" / "tinh-b.inventory.yaml")
    git.run(work, "add", "-A")
    failed = git.run(work, "commit", "-m", "bad inventory", check=False)
    assert failed.returncode != 0, failed.stdout
    assert re.search(r"secassess lint.*\.+Failed", failed.stdout), failed.stdout
    where, message = first_expected_problem(bad).split(": ", 1)
    assert any(line.startswith(f"kiem-ke/tinh-b.inventory.yaml:{where}: ") and message in line
               for line in failed.stdout.splitlines()), failed.stdout
    assert ".pre-commit-config.yaml" not in failed.stdout and "compose.yaml" not in failed.stdout
    assert git.run(work, "rev-list", "--count", "HEAD").stdout.strip() == "1"
