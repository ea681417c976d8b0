#!/usr/bin/env bash
# Install everything the tests need (nmap, Chromium and a font with Vietnamese coverage, poppler-utils
# to read the text of PDFs, a JRE for the HTML validator, LibreOffice Writer to open the annual report's
# .docx, the package with its test extras, non-editable so the installed wheel is what is tested), then
# run ruff, mypy and the whole pytest suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
need_apt nmap:nmap chromium:chromium poppler-utils:pdftotext default-jre-headless:java fonts-dejavu-core:__dejavu__ \
  libreoffice-writer-nogui:soffice
make_venv .venv
.venv/bin/pip install -q --force-reinstall --no-deps . && .venv/bin/pip install -q ".[test]"
.venv/bin/ruff check secassess tests benchmarks
.venv/bin/mypy secassess
.venv/bin/python -m pytest "$@"
