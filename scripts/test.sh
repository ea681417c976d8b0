#!/usr/bin/env bash
# Install everything the tests need (nmap, Chromium and a font with Vietnamese coverage, a JRE for
# the HTML validator, LibreOffice Writer and pdftotext for the annual report's .docx, the package with
# its test extras, non-editable so the installed wheel is what is tested), then run ruff, mypy and the
# whole pytest suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
need_apt nmap:nmap chromium:chromium default-jre-headless:java fonts-dejavu-core:__dejavu__ \
  libreoffice-writer-nogui:soffice poppler-utils:pdftotext
make_venv .venv
.venv/bin/pip install -q --force-reinstall --no-deps . && .venv/bin/pip install -q ".[test]"
.venv/bin/ruff check secassess tests benchmarks
.venv/bin/mypy secassess
.venv/bin/python -m pytest "$@"
