#!/usr/bin/env bash
# Install secassess in ./.venv and run the main job on sample_inventory.yaml: lint, assess, and the
# compliance reports. The sample is assessed as of its own assessment date (2026-11-22, the end of its
# assessment period), so its results do not change with the calendar. One line per step on the
# terminal (a progress bar while reports are written); the details are in out/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
make_venv .venv
echo "installing secassess into .venv ..."
.venv/bin/pip install -q .
AS_OF=2026-11-22  # sample_inventory.yaml: assessment.period_end
mkdir -p out
echo "lint:    $(.venv/bin/secassess lint sample_inventory.yaml --as-of "$AS_OF" --quiet)"
echo "assess:  $(.venv/bin/secassess assess sample_inventory.yaml --as-of "$AS_OF" --quiet \
                   -o out/assess.txt -o out/result.json -o out/assess.sarif)"
echo "reports: $(.venv/bin/secassess report sample_inventory.yaml --as-of "$AS_OF" -o out/reports)"
echo
echo "The full assessment table is in out/assess.txt; the result document in out/result.json; SARIF for"
echo "code scanning in out/assess.sarif. Reports are in Vietnamese; add --lang en to the report command"
echo "for English, --format html,md,pdf for PDF."
