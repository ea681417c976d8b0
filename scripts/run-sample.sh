#!/usr/bin/env bash
# Install secassess in ./.venv and run the main job on sample_inventory.yaml: lint, assess, and the
# compliance reports (out/reports/).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
make_venv .venv
.venv/bin/pip install -q .
.venv/bin/secassess lint sample_inventory.yaml
.venv/bin/secassess assess sample_inventory.yaml
.venv/bin/secassess report sample_inventory.yaml --out out/reports
echo "reports: out/reports/index.html (one page per agency, Vietnamese; add --lang en for English)"
