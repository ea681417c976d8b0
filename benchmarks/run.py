"""Benchmark secassess against the bare YAML parse of the same file, side by side in one run.

    python benchmarks/run.py                       # 1k, 10k and 100k assets, every command
    python benchmarks/run.py --sizes 1000,10000 --commands lint
    python benchmarks/run.py --sizes 10000 --repeat 5        # medians of 5 interleaved runs

For each size it generates an inventory (benchmarks/generate_inventory.py, cached in benchmarks/out/),
then runs each measurement in its own process and reads that process's wall time and peak memory
(ru_maxrss from wait4), so the figures do not bleed into each other:
- `bare`: `yaml.load(f, Loader=CSafeLoader)` of the file (the reference the targets are set against);
- `lint`, `assess`, `graph`, `report` (HTML and Markdown of every agency): the secassess command on the same file;
- `diff`: `secassess diff` of two results of that inventory, the second assessed after a seeded
  perturbation (about 5% of the servers' admin-MFA and log-forwarding flags flipped); both results are
  made beforehand (not measured). Its target is the time of one `assess`, with memory bounded by one
  agency of each result.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"

BARE = ("import sys, yaml\n"
        "with open(sys.argv[1], 'rb') as f:\n"
        "    yaml.load(f, Loader=yaml.CSafeLoader)\n")

COMMANDS: dict[str, list[str]] = {
    "bare": [sys.executable, "-c", BARE, "{file}"],
    "lint": [sys.executable, "-m", "secassess", "lint", "{file}", "--as-of", "2026-11-22", "--quiet"],
    "assess": [sys.executable, "-m", "secassess", "assess", "{file}", "--as-of", "2026-11-22", "--format", "json",
               "--output", "{file}.result.json", "--quiet"],
    "assess-j1": [sys.executable, "-m", "secassess", "assess", "{file}", "--as-of", "2026-11-22", "--format", "json",
                  "--output", "{file}.result-j1.json", "--quiet", "--jobs", "1"],
    "graph": [sys.executable, "-m", "secassess", "graph", "{file}", "--quiet"],
    "report": [sys.executable, "-m", "secassess", "report", "{file}", "--as-of", "2026-11-22", "--format", "html,md",
               "--output", "{file}.reports", "--quiet"],
    "diff": [sys.executable, "-m", "secassess", "diff", "{file}.result.json", "{file}.perturbed.result.json",
             "--format", "json", "--output", "{file}.diff.json", "--quiet"],
}
PERTURB_SEED = 14
PERTURB_SHARE = 0.05
FLIPPED = re.compile(r"^(\s+(?:admin_mfa|logs_to_monitoring): )(true|false)$", re.M)


def perturbed_results(path: Path) -> None:
    """The two results `diff` compares: the inventory's own and that of a seeded perturbation of it."""
    rng = random.Random(PERTURB_SEED)
    changed = path.with_name(path.name + ".perturbed")
    if not changed.exists():
        text = path.read_text(encoding="utf-8")
        flip = {"true": "false", "false": "true"}
        changed.write_text(FLIPPED.sub(lambda m: m.group(1) + (flip[m.group(2)] if rng.random() < PERTURB_SHARE
                                                               else m.group(2)), text), encoding="utf-8")
    for inventory in (path, changed):
        result = inventory.with_name(inventory.name + ".result.json")
        if not result.exists():
            subprocess.run([sys.executable, "-m", "secassess", "assess", str(inventory), "--as-of", "2026-11-22",
                            "--format", "json", "--output", str(result), "--quiet"], check=True)


def measure(argv: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak resident MiB and exit code of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        message = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}): {message[-2000:]}")
    return wall, usage.ru_maxrss / 1024, process.returncode


def inventory(assets: int) -> Path:
    """The generated inventory for this size (made once, then reused)."""
    path = OUT / f"inventory-{assets}.yaml"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        subprocess.run([sys.executable, str(HERE / "generate_inventory.py"), "--assets", str(assets),
                        "--out", str(path)], check=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--commands", default=",".join(name for name in COMMANDS if name != "bare"))
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each measurement this many times, interleaved; print the median wall time and "
                             "the median peak (a shared machine's noise is large next to a single run)")
    args = parser.parse_args()
    names = ["bare", *(n for n in args.commands.split(",") if n != "bare")]
    unknown = [n for n in names if n not in COMMANDS]
    if unknown:
        raise SystemExit(f"unknown command(s): {', '.join(unknown)}; choose from {', '.join(COMMANDS)}")
    print(f"{'assets':>8} {'MB':>6}  {'command':<8} {'wall s':>8} {'x bare':>7} {'peak MiB':>9} {'x bare':>7}")
    for assets in (int(s) for s in args.sizes.split(",")):
        path = inventory(assets)
        size_mb = path.stat().st_size / 1e6
        if "diff" in names:
            perturbed_results(path)
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
        for _ in range(max(1, args.repeat)):  # interleaved: a slow spell of the machine hits every command alike
            for name in names:
                argv = [part.replace("{file}", str(path)) for part in COMMANDS[name]]
                runs[name].append(measure(argv)[:2])
        bare_wall = statistics.median(w for w, _ in runs["bare"])
        bare_peak = statistics.median(p for _, p in runs["bare"])
        for name in names:
            wall = statistics.median(w for w, _ in runs[name])
            peak = statistics.median(p for _, p in runs[name])
            print(f"{assets:>8} {size_mb:>6.1f}  {name:<8} {wall:>8.2f} {wall / bare_wall:>7.2f} "
                  f"{peak:>9.0f} {peak / bare_peak:>7.2f}", flush=True)


if __name__ == "__main__":
    main()
