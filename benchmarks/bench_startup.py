"""Start-up of the command line against a bare `python -c pass`: the target is 5x at most.

    python benchmarks/bench_startup.py [--runs 30]

Best of N wall times (the machine's noise only ever adds time), each in a fresh process.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

CASES = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "secassess --version": [sys.executable, "-m", "secassess", "--version"],
    "secassess --help": [sys.executable, "-m", "secassess", "--help"],
    "secassess assess --help": [sys.executable, "-m", "secassess", "assess", "--help"],
}
TARGET = 5.0


def best(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    bare = best(CASES["python -c pass"], runs)
    for name, argv in CASES.items():
        wall = best(argv, runs)
        mark = "" if name.startswith("python") else ("  ok" if wall / bare <= TARGET else "  over the 5x target")
        print(f"{name:<26} {wall * 1000:7.1f} ms {wall / bare:6.2f}x{mark}", flush=True)


if __name__ == "__main__":
    main()
