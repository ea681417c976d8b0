"""Running nmap: the only module that imports python-nmap.

One nmap run covers all targets (measured 18x faster than a run per host). python-nmap's `timeout=`
kills nmap when the wall-clock limit passes; what nmap had written by then is recovered, so hosts it
finished are kept and the rest are reported `timedout`. Results always go through `nmapxml`, the
parser the XML import uses, never through python-nmap's own dictionary.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import nmap

from secassess.errors import EnvironmentFailure, InputError, UsageError
from secassess.scan.argv import Mode, NmapInvocation, build_invocation
from secassess.scan.model import (
    HOSTS_MORE,
    LIMIT_REASON,
    SCAN_OUTPUT_ENDED,
    SCAN_TIME_LIMIT_FINISHED,
    SCAN_TIME_LIMIT_UNFINISHED,
    HostResult,
    ScanResult,
)
from secassess.scan.nmapxml import parse_xml
from secassess.scan.targets import IPAddress

DEFAULT_LIMIT = 600.0
MAX_LIMIT = 24 * 3600.0
_INSTALL_HINT = "install it (Debian/Ubuntu: `apt-get install nmap`) and make sure it is on PATH"


def run_scan(addresses: tuple[IPAddress, ...], mode: Mode = Mode.CONNECT, ports: tuple[int, ...] = (), *,
             limit: float = DEFAULT_LIMIT, host_timeout: int | None = None,
             progress: bool | None = None) -> tuple[ScanResult, str]:
    """Scan validated `addresses` in one nmap run; return the result and nmap's raw XML.

    `limit` is the wall-clock limit in seconds for the whole run; `progress=None` shows a spinner only
    when stderr is a terminal. Raises `EnvironmentFailure` when nmap is missing or fails.
    """
    if not 0 < limit <= MAX_LIMIT:
        raise UsageError(f"the scan time limit must be more than 0 and at most {MAX_LIMIT:.0f} seconds")
    invocation = build_invocation(addresses, mode, ports, host_timeout)
    scanner = _scanner()
    show = sys.stderr.isatty() if progress is None else progress
    with _progress(show, f"nmap: {len(addresses)} host(s), mode {Mode(mode).value}, limit {limit:g}s"):
        raw, stderr, hit_limit = _run(scanner, invocation, limit)
    text = raw.decode("utf-8", errors="replace")
    errors = [line for line in stderr.splitlines() if line.strip() and not line.lower().startswith("warning")]
    if errors and not hit_limit:
        raise EnvironmentFailure("nmap failed: " + " / ".join(errors[:5]))
    try:
        result = parse_xml(raw, "nmap output")
    except InputError as exc:
        if not hit_limit:
            raise EnvironmentFailure(f"nmap wrote no usable XML ({exc.message}); stderr: {stderr.strip()}") from None
        result = ScanResult("nmap", "", " ".join(invocation.full_argv()), 0, 0, ())
    notes = [line.strip() for line in stderr.splitlines() if line.lower().startswith("warning")]
    return _account(result, addresses, hit_limit, limit, notes), text


def _scanner() -> Any:
    try:
        return nmap.PortScanner(nmap_search_path=("nmap",))
    except nmap.PortScannerError as exc:
        raise EnvironmentFailure(f"nmap was not found ({str(exc).splitlines()[0]}); {_INSTALL_HINT}") from None
    except OSError as exc:
        raise EnvironmentFailure(f"nmap cannot be started ({exc.strerror}); {_INSTALL_HINT}") from None


def _run(scanner: Any, invocation: NmapInvocation, limit: float) -> tuple[bytes, str, bool]:
    """(stdout, stderr, hit_limit) of one python-nmap scan."""
    try:
        scanner.scan(hosts=invocation.hosts, arguments=invocation.arguments, timeout=limit)
    except nmap.PortScannerTimeout as exc:
        out, err = _reap_killed(exc)
        return out, err, True
    except nmap.PortScannerError as exc:
        raise EnvironmentFailure(f"nmap failed: {str(exc).strip()}") from None
    raw = scanner.get_nmap_last_output()
    info = scanner.scaninfo()
    stderr = "".join(info.get("error", [])) + "".join(info.get("warning", []))
    return (raw.encode() if isinstance(raw, str) else bytes(raw)), stderr, False


def _reap_killed(exc: BaseException) -> tuple[bytes, str]:
    """Output of the nmap that python-nmap killed at the limit, waiting for it so no zombie is left.

    python-nmap calls `kill()` but never `wait()`, and drops what nmap wrote. Its `Popen` is still
    referenced by the traceback's frame; `communicate()` on it returns everything read (nothing is
    lost across a `TimeoutExpired`) and reaps the process. If python-nmap changes shape, fall back
    to the partial output `TimeoutExpired` carries.
    """
    tb = exc.__traceback__
    while tb is not None:
        for value in list(tb.tb_frame.f_locals.values()):
            if isinstance(value, subprocess.Popen):
                with contextlib.suppress(OSError):
                    value.kill()
                try:
                    out, err = value.communicate(timeout=10)
                except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not ignorable
                    raise EnvironmentFailure("nmap did not stop after SIGKILL") from None
                return out or b"", (err or b"").decode("utf-8", errors="replace")
        tb = tb.tb_next
    context = exc.__context__
    partial = context.output if isinstance(context, subprocess.TimeoutExpired) else None
    return partial or b"", ""


def _account(result: ScanResult, addresses: tuple[IPAddress, ...], hit_limit: bool, limit: float,
             notes: list[str]) -> ScanResult:
    """Account for every target nmap did not report: `timedout` if the limit stopped it; left out (not scanned)
    if nmap's output ended early for another reason; else `down` (a finished nmap run that omits a target)."""
    reported = {h.address for h in result.hosts}
    missing = [str(a) for a in addresses if str(a) not in reported]
    warnings = [*result.warnings, *notes]
    shown = ", ".join(missing[:20]) + (HOSTS_MORE.format(count=len(missing) - 20) if len(missing) > 20 else "")
    if hit_limit:
        warnings.append(SCAN_TIME_LIMIT_UNFINISHED.format(limit=f"{limit:g}", count=len(missing), hosts=shown)
                        if missing else SCAN_TIME_LIMIT_FINISHED.format(limit=f"{limit:g}"))
        extra = tuple(HostResult(a, "timedout", LIMIT_REASON) for a in missing)
    elif not result.complete:
        if missing:
            warnings.append(SCAN_OUTPUT_ENDED.format(count=len(missing), hosts=shown))
        extra = ()
    else:
        extra = tuple(HostResult(a, "down", "not-reported") for a in missing)
    return replace(result, hosts=result.hosts + extra, warnings=tuple(warnings))


@contextlib.contextmanager
def _progress(show: bool, label: str) -> Iterator[None]:
    """A spinner with elapsed time on stderr while nmap runs (python-nmap blocks, so no percentage)."""
    if not show:
        yield
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        bar.add_task(label, total=None)
        yield
