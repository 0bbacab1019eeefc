"""Bad PDFs made from the real RAT report, the way users produce them."""

from pathlib import Path

import pypdfium2
from pypdf import PdfReader, PdfWriter

from store.paths import BUNDLED_DATA_DIR

RAT_2023_PDF = BUNDLED_DATA_DIR / "rat" / "RAT_Penanggulangan_Kemiskinan_NTT_2023.pdf"


def encrypted_copy(destination: Path, password: str = "rahasia") -> Path:
    writer = PdfWriter(clone_from=PdfReader(RAT_2023_PDF))
    writer.encrypt(user_password=password, owner_password=password, algorithm="AES-128")
    writer.write(destination)
    return destination


def page_subset(destination: Path, pages: range) -> Path:
    reader = PdfReader(RAT_2023_PDF)
    writer = PdfWriter()
    for index in pages:
        writer.add_page(reader.pages[index])
    writer.write(destination)
    return destination


def scanned_copy(destination: Path, pages: range = range(12, 15), dpi: int = 100) -> Path:
    """Matrix pages as images only, as a scanner (or 'print to image') produces them."""
    document = pypdfium2.PdfDocument(RAT_2023_PDF)
    images = [document[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in pages]
    images[0].save(destination, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return destination


def truncated_copy(destination: Path, fraction: float = 0.4) -> Path:
    data = RAT_2023_PDF.read_bytes()
    destination.write_bytes(data[: int(len(data) * fraction)])
    return destination
