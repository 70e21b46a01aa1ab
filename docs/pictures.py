"""Redraw the README's pictures of the workbook: docs/summary.png and docs/what-if.png.

Runs `scorer export` on the bundled rubric and dossiers (SCORER_TODAY=2026-11-26,
SOURCE_DATE_EPOCH=0) into a temporary folder, never into exports/; makes one copy of the
workbook per sheet with only that sheet in it (openpyxl); prints each copy to PDF with
LibreOffice headless (`soffice` must be installed), at 100 % on a page large enough for the
sheet; rasterises the page with pypdfium2 (`pip install -e '.[docs]'`) and crops it to the
sheet's content with Pillow.

    python docs/pictures.py

The workbook is set in Calibri: without Calibri or Carlito (its metric twin) installed,
LibreOffice draws another font, and the pictures differ a little from what Excel shows.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
import pypdfium2
from openpyxl.worksheet.header_footer import HeaderFooter
from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PICTURES = {"Summary": "summary.png", "What-if": "what-if.png"}
A2 = 66  # OOXML paper size: A2 landscape is wide enough for every sheet at 100 %
SCALE = 1.25  # pixels per point: 11 pt text is about 14 pixels high
MARGIN = 10  # white pixels kept around the content
COLOURS = 128  # a palette keeps each picture small; the sheets use few colours


def export(folder: Path) -> Path:
    """Write the workbook of the bundled data into `folder`; return its path."""
    workbook = folder / "comparison.xlsx"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCORER_")}
    env.update(SCORER_TODAY="2026-11-26", SOURCE_DATE_EPOCH="0")
    command = [sys.executable, "-m", "scorer", "export", "--lang", "en",
               "--projects", str(ROOT / "projects"),
               "--rubric", str(ROOT / "rubrics" / "default.yaml"), "--out", str(workbook)]
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    return workbook


def one_sheet(workbook: Path, sheet: str, out: Path) -> None:
    """Save a copy of `workbook` holding `sheet` alone, printed without header or footer."""
    book = openpyxl.load_workbook(workbook)
    for other in [ws for ws in book.worksheets if ws.title != sheet]:
        book.remove(other)
    ws = book[sheet]
    ws.HeaderFooter = HeaderFooter()
    ws.page_setup.paperSize = A2
    book.active = 0
    book.save(out)


def to_pdf(files: list[Path], folder: Path) -> None:
    """Print each workbook to a PDF beside it with LibreOffice headless."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("docs/pictures.py needs LibreOffice: `soffice` is not on PATH")
    profile = (folder / "profile").as_uri()  # a fresh profile: no clash with a running one
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), *map(str, files)],
                   check=True, stdout=subprocess.DEVNULL)


def to_png(pdf: Path, out: Path) -> None:
    """Rasterise the first page of `pdf`, crop it to its content and save it as `out`."""
    document = pypdfium2.PdfDocument(pdf)
    if len(document) != 1:
        print(f"warning: {pdf.name} has {len(document)} pages; drawing the first",
              file=sys.stderr)
    page = document[0].render(scale=SCALE).to_pil().convert("RGB")
    document.close()
    box = ImageChops.difference(page, Image.new("RGB", page.size, "white")).getbbox()
    if box is None:
        sys.exit(f"{pdf.name} is blank")
    left, top, right, bottom = box
    picture = page.crop((max(left - MARGIN, 0), max(top - MARGIN, 0),
                         min(right + MARGIN, page.width), min(bottom + MARGIN, page.height)))
    picture = picture.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT)
    picture.save(out, optimize=True)
    print(f"wrote {out.relative_to(ROOT)}: {picture.width}×{picture.height}, "
          f"{out.stat().st_size // 1024} KB")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="scorer-pictures-") as tmp:
        folder = Path(tmp)
        workbook = export(folder)
        copies = {sheet: folder / f"{Path(name).stem}.xlsx" for sheet, name in PICTURES.items()}
        for sheet, copy in copies.items():
            one_sheet(workbook, sheet, copy)
        to_pdf(list(copies.values()), folder)
        for sheet, copy in copies.items():
            to_png(copy.with_suffix(".pdf"), DOCS / PICTURES[sheet])


if __name__ == "__main__":
    main()
