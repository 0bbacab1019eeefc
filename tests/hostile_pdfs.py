"""PDFs that hurt the process reading them, made in the test that needs them (never committed).

`memory_bomb_pdf`: a scanned page declared hundreds of inches wide and high. It has no text layer, so it is
read by OCR, which renders the page at the resolution of its image (at least `min_scan_dpi`, 50): 600
inches square at 50 dpi is 30,000 pixels square, 0.9 GB for one grey copy of the bitmap, more than a worker
with a memory limit of 1 GB can hold. The file itself is a few kilobytes.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas


def memory_bomb_pdf(path: Path, inches: float = 600.0) -> Path:
    """A one-page image-only PDF whose page is `inches` square (a 64-pixel grey image stretched over it)."""
    side = inches * 72.0
    image = Image.new("L", (64, 64), color=200)
    page = canvas.Canvas(str(path), pagesize=(side, side))
    page.drawImage(ImageReader(image), 0, 0, width=side, height=side)
    page.showPage()
    page.save()
    return path


def read_or_misbehave(path: Path) -> dict:
    """A reader of one-line text files that does to its process what the line says, as a reader library
    can on a hostile file: `segfault` (a crash in C), `hang` (never returns), `slow` (takes 20 s),
    `keyerror` (an error the reader never expected); any other line is read as one row."""
    import ctypes
    import time

    import pandas as pd

    text = path.read_text().strip()
    if text == "segfault":
        ctypes.string_at(0)
    if text == "hang":
        time.sleep(3600)
    if text == "slow":
        time.sleep(20)
    if text == "keyerror":
        raise KeyError("column 'kabupaten' not found")
    return {"lines": pd.DataFrame({"text": [text]})}
