#!/usr/bin/env bash
# One-machine scan demo: loopback listeners stand in for sample_inventory.yaml's lab servers, with
# deliberate drift; nmap scans them and the assessment shows the drift findings. Nothing outside
# 127.0.0.0/8 is touched (the lab refuses other addresses, the scan stays inside lab_scope).
#
# Run as root for the full demo: without it the lab skips ports below 1024 (it says which), and those
# declared services show up as "not answering" too.
# Writes out/scan.json, out/scan.xml, out/assess.txt and out/reports/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
need_apt nmap:nmap
make_venv .venv
.venv/bin/pip install -q .

INVENTORY=sample_inventory.yaml
AS_OF=$(date +%F)
mkdir -p out
READY=out/lab.ready
rm -f "$READY"

# The lab: listeners derived from the inventory's `lab: true` servers, plus the documented drift.
.venv/bin/python -m secassess.scan.lab --inventory "$INVENTORY" --seconds 120 --ready-file "$READY" &
LAB_PID=$!
trap 'kill "$LAB_PID" 2>/dev/null || true; wait "$LAB_PID" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  [ -f "$READY" ] && break
  kill -0 "$LAB_PID" 2>/dev/null || { echo "demo: the lab did not start (see its messages above)" >&2; exit 3; }
  sleep 0.1
done
[ -f "$READY" ] || { echo "demo: the lab did not come up within 10 s" >&2; exit 3; }

echo
echo "== secassess scan $INVENTORY (hosts with open ports, then the drift)"
.venv/bin/secassess scan "$INVENTORY" -o out/scan.json -o out/scan.xml | grep -v "no open port"

echo
echo "== secassess assess $INVENTORY --scan out/scan.json: the failed scan checks"
.venv/bin/secassess assess "$INVENTORY" --scan out/scan.json --as-of "$AS_OF" -o out/assess.txt --quiet
grep -A1 -E "^ +fail +[a-z]+ +SA-SCAN-" out/assess.txt | grep -v -- "^--$" || echo "(no scan check failed)"

echo
echo "== secassess report $INVENTORY --scan out/scan.json -o out/reports"
.venv/bin/secassess report "$INVENTORY" --scan out/scan.json --as-of "$AS_OF" -o out/reports

kill "$LAB_PID" 2>/dev/null || true
wait "$LAB_PID" 2>/dev/null || true
trap - EXIT
echo
echo "demo done: out/scan.json, out/scan.xml, out/assess.txt (full assessment), out/reports/"
