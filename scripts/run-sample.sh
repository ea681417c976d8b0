#!/usr/bin/env bash
# Install secassess in ./.venv and run the main job on sample_inventory.yaml.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
make_venv .venv
.venv/bin/pip install -q .
.venv/bin/secassess lint sample_inventory.yaml
