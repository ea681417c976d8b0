"""Benchmark: secassess's scan (python-nmap + XML parse) vs one plain nmap run, same flags, same hosts.

50 loopback hosts (127.0.0.101-150) each get two listeners; both sides scan the same 100+ ports with the
exact argv python-nmap runs (`NmapInvocation.full_argv`). Target: secassess at most 1.3x plain nmap.
Rounds alternate the two sides; medians are compared (nmap's own timing varies by +-20% run to run).
Overheads measured on top of nmap: python-nmap's `nmap -V` probe (~9 ms), its own XML parse (~5 ms),
secassess's defusedxml parse (~8 ms for 5,200 ports).
Run: PYTHONPATH=. python benchmarks/bench_scan.py [--rounds N]
"""

from __future__ import annotations

import argparse
import ipaddress
import statistics
import subprocess
import sys
import time

from secassess.scan.argv import Mode, build_invocation
from secassess.scan.lab import Lab, Listener
from secassess.scan.runner import run_scan
from secassess.scan.targets import parse_ports, parse_targets

SCOPE = (ipaddress.ip_network("127.0.0.0/24"),)
HOSTS = [f"127.0.0.{i}" for i in range(101, 151)]
PORTS = "1-100,2222,3306,8080,8443"
TARGET_RATIO = 1.3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    listeners = [Listener(h, p) for i, h in enumerate(HOSTS) for p in (2222, 8080 if i % 2 else 3306)]
    addresses = parse_targets(HOSTS, SCOPE)
    ports = parse_ports(PORTS)
    argv = build_invocation(addresses, Mode.CONNECT, ports).full_argv()
    ours: list[float] = []
    plain: list[float] = []
    with Lab(listeners):
        run_scan(addresses, Mode.CONNECT, ports, progress=False)  # warm-up (page cache, nmap data files)
        for _ in range(args.rounds):
            start = time.perf_counter()
            result, _ = run_scan(addresses, Mode.CONNECT, ports, progress=False)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True)
            plain.append(time.perf_counter() - start)
    open_count = sum(len(h.open_ports) for h in result.hosts)
    assert open_count == len(listeners), f"expected {len(listeners)} open ports, found {open_count}"
    mine, base = statistics.median(ours), statistics.median(plain)
    ratio = mine / base
    print(f"command: {' '.join(argv[:4])} ... {' '.join(argv[-6:])}")
    print(f"{len(HOSTS)} loopback hosts, ports {PORTS} ({len(ports)} per host), {args.rounds} rounds, median:")
    print(f"  plain nmap subprocess : {base * 1000:8.1f} ms   min {min(plain) * 1000:6.1f} ms")
    print(f"  secassess run_scan    : {mine * 1000:8.1f} ms   min {min(ours) * 1000:6.1f} ms   (python-nmap + parse)")
    print(f"  ratio                 : {ratio:8.2f}x   (target <= {TARGET_RATIO}x) -> "
          f"{'OK' if ratio <= TARGET_RATIO else 'OVER TARGET'}")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
