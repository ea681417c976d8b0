"""Item 13.7: outputs are all or nothing and go where asked: a blocked name, a failed rename, SIGTERM or a full
disk leave the report folder as it was and no staging folder; `--out` through a symlink to another file system
works; FIFOs and links to descriptors are written through; empty output paths are refused."""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from secassess.errors import EnvironmentFailure
from secassess.outputs import StagedDirectory

REPORT = Path(__file__).resolve().parent.parent / "report"
sys.path.insert(0, str(REPORT))
from report_data import FIXTURE  # noqa: E402

INVENTORY = "organisation: {name: T, code: t}\nagencies:\n  - {id: a, name: A, kind: department}\n"


def _report(out: Path, *extra: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "secassess", "report", "--from-result", str(FIXTURE), "--out",
                           str(out), "--format", "html,md", *extra], capture_output=True, text=True, timeout=300,
                          **kwargs)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _no_staging(*folders: Path) -> None:
    for folder in folders:
        left = [p.name for p in folder.iterdir() if p.name.startswith(".")]
        assert not left, f"left behind in {folder}: {left}"


@pytest.fixture
def old_reports(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path / "out"
    done = _report(out, "--lang", "vi")
    assert done.returncode == 0, done.stderr
    return out, _snapshot(out)


def test_blocked_name_changes_nothing_and_is_named(old_reports: tuple[Path, dict[str, bytes]]) -> None:
    out, before = old_reports
    (out / "stttt.md").unlink()
    (out / "stttt.md").mkdir()
    before.pop("stttt.md")
    done = _report(out, "--lang", "en")
    assert done.returncode == 3, done.stderr
    assert f"{out / 'stttt.md'}: is a directory" in done.stderr and "internal error" not in done.stderr
    assert _snapshot(out) == before
    _no_staging(out, out.parent)


def test_failed_rename_mid_commit_is_undone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").write_text("old a", encoding="utf-8")
    (out / "c.txt").write_text("old c", encoding="utf-8")
    real_replace = os.replace

    def failing_replace(src: Any, dst: Any) -> None:
        if str(dst).endswith("c.txt") and ".previous" not in str(src):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    with StagedDirectory(out) as staged:
        for name in ("a.txt", "b.txt", "c.txt"):
            staged.write(name, f"new {name}")
        monkeypatch.setattr(os, "replace", failing_replace)
        with pytest.raises(EnvironmentFailure, match=r"c\.txt: cannot write: No space left on device"):
            staged.commit(["a.txt", "b.txt", "c.txt"])
    monkeypatch.undo()
    assert _snapshot(out) == {"a.txt": b"old a", "c.txt": b"old c"}
    _no_staging(out, tmp_path)


def test_sigterm_mid_report_leaves_no_staging(old_reports: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    out, before = old_reports
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "agency_report.md.j2").write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "secassess", "report", "--from-result", str(FIXTURE), "--out",
                                str(out), "--format", "md", "--templates", str(templates)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not [p for p in out.iterdir() if p.name.startswith(".secassess-staging-")]:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no staging folder appeared"
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM, err
    assert _snapshot(out) == before
    _no_staging(out, out.parent)


def test_out_symlink_to_another_file_system(tmp_path: Path) -> None:
    other_root = Path("/dev/shm")
    if not other_root.is_dir() or other_root.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second file system (tmpfs /dev/shm) to link to")
    other = Path(os.path.realpath(other_root)) / f"secassess-test-{os.getpid()}"
    other.mkdir()
    try:
        link = tmp_path / "out"
        link.symlink_to(other)
        done = _report(link)
        assert done.returncode == 0, done.stderr
        assert (other / "syt.html").is_file() and link.is_symlink()
        _no_staging(other, tmp_path)
    finally:
        for path in other.iterdir():
            path.unlink()
        other.rmdir()


def _lint(output: str, cwd: Path, stdout: Any = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    (cwd / "inv.yaml").write_text(INVENTORY, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "secassess", "lint", str(cwd / "inv.yaml"), "--format", "json",
                           "-o", output], stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=60, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})


def test_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    done = _lint(str(fifo), tmp_path)
    reader.join(timeout=30)
    assert done.returncode == 0, done.stderr
    assert b'"command": "lint"' in received[0]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_symlink_to_a_descriptor_is_written_through(tmp_path: Path) -> None:
    link = tmp_path / "to-stdout"
    link.symlink_to("/proc/self/fd/1")
    done = _lint(str(link), tmp_path)
    assert done.returncode == 0, done.stderr
    assert '"command": "lint"' in done.stdout
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"
    with (tmp_path / "captured.txt").open("w") as captured:
        done = _lint("/dev/stdout", tmp_path, stdout=captured)
    assert done.returncode == 0, done.stderr
    assert '"command": "lint"' in (tmp_path / "captured.txt").read_text(encoding="utf-8")


def test_symlink_to_a_regular_file_stays_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert _lint(str(link), tmp_path).returncode == 0
    assert link.is_symlink() and '"command": "lint"' in target.read_text(encoding="utf-8")


def test_full_disk_is_exit_3(tmp_path: Path) -> None:
    done = _lint("/dev/full", tmp_path)
    assert done.returncode == 3, done.stderr
    assert "/dev/full: cannot write: No space left on device" in done.stderr


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit then fail with EFBIG, like a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def test_disk_full_during_report_changes_nothing(old_reports: tuple[Path, dict[str, bytes]]) -> None:
    out, before = old_reports
    done = _report(out, "--lang", "en", preexec_fn=_limit_file_size)
    assert done.returncode == 3, done.stderr
    assert "cannot write: File too large; free some space" in done.stderr and "internal error" not in done.stderr
    assert _snapshot(out) == before
    _no_staging(out, out.parent)


@pytest.mark.parametrize("command", [["report", "--from-result", str(FIXTURE), "--out", ""],
                                     ["lint", "inv.yaml", "-o", ""], ["assess", "inv.yaml", "-o", ""]])
def test_empty_output_is_refused(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "inv.yaml").write_text(INVENTORY, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "secassess", *command], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert done.returncode == 2, done.stderr
    assert "empty" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inv.yaml"]
