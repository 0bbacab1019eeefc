"""A scanned page as the grey image the scanner made: rendered at the resolution of its own images."""

from __future__ import annotations

import pypdfium2
from pdfplumber.page import Page
from PIL import Image

from ingest.rat.settings import DEFAULT_RAT_SETTINGS, RatSettings


def scan_resolution(page: Page, *, settings: RatSettings = DEFAULT_RAT_SETTINGS) -> float:
    """Pixels per inch of the page's sharpest image, as placed on the page.

    Long side against long side, so an image the page turns a quarter (/Rotate 90) counts right.
    """
    resolutions = []
    for image in page.images:
        placed = max(image["x1"] - image["x0"], image["bottom"] - image["top"])
        pixels = max(image.get("srcsize") or (0, 0))
        if placed > 1 and pixels:
            resolutions.append(pixels * 72.0 / placed)
    if not resolutions:
        return settings.default_scan_dpi
    return min(max(max(resolutions), settings.min_scan_dpi), settings.max_scan_dpi)


def rendered_page(document: pypdfium2.PdfDocument, index: int, dpi: float) -> Image.Image:
    """The page (0-based `index`) in 8-bit grey at `dpi`."""
    bitmap = document[index].render(scale=dpi / 72.0, grayscale=True)
    return bitmap.to_pil().convert("L")
