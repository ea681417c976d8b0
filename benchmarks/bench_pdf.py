"""PDF reports for a province of 1,000 agencies: the time per PDF, one browser per run against one per PDF.

    python benchmarks/bench_pdf.py [--agencies 1000] [--agency-assets 60] [--baseline 20]
    (from a checkout without the package installed: PYTHONPATH=. python benchmarks/bench_pdf.py)

1. Generates the inventory (benchmarks/generate_inventory.py with `--agency-assets`, so that 1,000
   agencies fit in a 60k-asset file; cached in benchmarks/out/) and assesses it once.
2. Times `secassess report --from-result RESULT INVENTORY` with `--format html`, then with `--format pdf`,
   each in its own process. The pdf run writes one PDF per agency and index.pdf; the time per PDF is
   (pdf run - html run) / PDFs, which takes out the HTML rendering both runs share.
3. For scale, prints the first `--baseline` agency reports of the html run the way secassess did before:
   one `chromium --print-to-pdf` process per file, as many at once as the printer has tabs.
Needs Debian's chromium (apt-get install chromium).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from secassess.report.chromium import FLAGS, find_engine
from secassess.report.pdf import default_tabs

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
AS_OF = "2026-11-22"
_PAGE = re.compile(rb"/Type /Page\b(?!s)")


def run(argv: list[str]) -> float:
    """Wall seconds of one child process (which must succeed)."""
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return wall


def inputs(agencies: int, agency_assets: int) -> tuple[Path, Path]:
    """The generated inventory and its assessment result (made once, then reused)."""
    inventory = OUT / f"pdf-inventory-{agencies}x{agency_assets}.yaml"
    result = inventory.with_suffix(".result.json")
    OUT.mkdir(exist_ok=True)
    if not inventory.exists():
        subprocess.run([sys.executable, str(HERE / "generate_inventory.py"), "--assets",
                        str(agencies * agency_assets), "--agency-assets", str(agency_assets),
                        "--out", str(inventory)], check=True)
    if not result.exists():
        run([sys.executable, "-m", "secassess", "assess", str(inventory), "--as-of", AS_OF, "--format", "json",
             "--output", str(result)])
    return inventory, result


def one_browser_per_pdf(files: list[Path], out: Path, engine: str, workers: int) -> float:
    """Wall seconds to print `files` with one Chromium process each (the old way), `workers` at a time."""
    def print_one(html: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="bench-chromium-") as profile:
            subprocess.run([engine, *FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
                            f"--print-to-pdf={out / (html.stem + '.pdf')}", html.as_uri()],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=300)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(print_one, files))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agencies", type=int, default=1000)
    parser.add_argument("--agency-assets", type=int, default=60, help="assets per agency (default 60)")
    parser.add_argument("--baseline", type=int, default=20,
                        help="agency reports printed one browser per PDF, for comparison (0: none)")
    args = parser.parse_args()
    engine = find_engine()
    inventory, result = inputs(args.agencies, args.agency_assets)
    with tempfile.TemporaryDirectory(prefix="bench-pdf-", dir=OUT) as scratch:
        html_dir, pdf_dir, old_dir = Path(scratch, "html"), Path(scratch, "pdf"), Path(scratch, "old")
        report = [sys.executable, "-m", "secassess", "report", "--from-result", str(result), str(inventory)]
        html_wall = run([*report, "--format", "html", "--out", str(html_dir)])
        pdf_wall = run([*report, "--format", "pdf", "--out", str(pdf_dir)])
        pdfs = sorted(pdf_dir.glob("*.pdf"))
        pages = sum(len(_PAGE.findall(p.read_bytes())) for p in pdfs)
        per_pdf = (pdf_wall - html_wall) / len(pdfs)
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        print(f"{args.agencies} agencies ({args.agency_assets} assets each), {cores} cores, "
              f"{default_tabs(len(pdfs))} tabs")
        print(f"report --format html  {html_wall:8.1f} s")
        print(f"report --format pdf   {pdf_wall:8.1f} s   {len(pdfs)} PDFs, {pages} pages "
              f"({pages / len(pdfs):.1f} a PDF)")
        print(f"time per PDF          {per_pdf:8.3f} s   ({per_pdf / (pages / len(pdfs)):.3f} s a page)")
        if args.baseline:
            old_dir.mkdir()
            sample = sorted(p for p in html_dir.glob("*.html") if not p.name.startswith("index"))[:args.baseline]
            old_wall = one_browser_per_pdf(sample, old_dir, engine, default_tabs(len(sample)))
            old_per_pdf = old_wall / len(sample)
            print(f"one browser per PDF   {old_per_pdf:8.3f} s a PDF ({len(sample)} files), "
                  f"{old_per_pdf / per_pdf:.1f}x the time per PDF")


if __name__ == "__main__":
    main()
