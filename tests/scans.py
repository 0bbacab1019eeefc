"""Scans of the bundled RAT report, made the way paper plans become image-only PDFs.

- `clean_scan`: Ghostscript rasterises the pages at a given dpi into an image-only PDF (8-bit grey,
  lossless), as a scanner with a good glass does;
- `skewed_noisy_scan`: pdftoppm rasterises, ImageMagick turns each page 1-2 degrees (alternating), adds
  sensor noise and a slight blur, and the pages are saved as JPEG in a PDF, as office scanners do;
- `bad_scan`: 75 dpi and a heavy blur, too poor for anyone to read.

Making a scan costs seconds per page, so each is made once into `.cache/rat-scans/` (gitignored) under
a key of the source PDF's SHA-256, the parameters, and the versions of the programs that render it. The
tests' readings of the scans are kept beside them (`cached_ocr_outcome`), keyed by the reader code too.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

import pandas as pd
from PIL import Image

from ingest.rat.errors import OcrUncertainError, RatDocumentError
from ingest.rat.extract import Extraction, RatDocument, extract_rat, read_rat
from ingest.rat.settings import DEFAULT_RAT_SETTINGS, RatSettings
from ingest.rat.tables import read_rat_plan
from store.fingerprint import fingerprint
from store.paths import REPO_ROOT
from tests.file_locks import held
from tests.pdf_fixtures import RAT_2023_PDF
from tests.rat_gold import GOLD_TEXT_COLUMNS, gold_rows

CACHE_DIR = Path(__file__).resolve().parent.parent / ".cache" / "rat-scans"
MATRIX_PAGES = range(13, 22)  # 1-based, inclusive range of the report's Tabel 3.1
ALL_PAGES = range(1, 23)
_RECIPE_VERSION = 1  # bump when a recipe below changes what it produces
T = TypeVar("T")


@cache
def _version(*command: str) -> str:
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    return (completed.stdout + completed.stderr).strip().splitlines()[0]


def renderer_versions() -> dict[str, str]:
    return {
        "gs": _version("gs", "--version"),
        "pdftoppm": _version("pdftoppm", "-v"),
        "imagemagick": _version("convert", "-version"),
        "pillow": Image.__version__,
    }


@cache
def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cached(name: str, parameters: dict, make) -> Path:
    key = json.dumps(
        {
            "source": _sha256(RAT_2023_PDF),
            "recipe": _RECIPE_VERSION,
            "name": name,
            **parameters,
            **renderer_versions(),
        },
        sort_keys=True,
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return _made_once(CACHE_DIR / f"{name}-{digest}.pdf", make)


def _made_once(path: Path, make: Callable[[Path], None]) -> Path:
    """`path`, made by `make(partial)` if missing, by one test worker while the others wait for it.

    Without the wait two workers of a fresh run each made the same scan, the second replacing the first
    with other bytes (PDF writers stamp the time), so a reading kept under the first one's SHA-256 was
    never found again: the next run read the scan's pages again (60 s of OCR).
    """
    CACHE_DIR.mkdir(parents=True, exist_ok=True)  # a fresh clone's first reading may come before any scan
    with held(CACHE_DIR / f".{path.name}.lock"):
        if not path.exists():
            partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
            make(partial)
            partial.replace(path)  # atomic: a reader without the lock never sees half a file
    return path


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True)


def clean_scan(dpi: int, pages: range = MATRIX_PAGES) -> Path:
    def make(destination: Path) -> None:
        _run(
            "gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfimage8", f"-r{dpi}",
            f"-dFirstPage={pages.start}", f"-dLastPage={pages.stop - 1}", f"-sOutputFile={destination}",
            str(RAT_2023_PDF),
        )  # fmt: skip

    return _cached("clean", {"dpi": dpi, "pages": [pages.start, pages.stop]}, make)


def _pages_as_images(dpi: int, pages: range, directory: Path) -> list[Path]:
    _run(
        "pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", str(pages.start), "-l", str(pages.stop - 1),
        str(RAT_2023_PDF), str(directory / "page"),
    )  # fmt: skip
    return sorted(directory.glob("page-*.png"))


def _images_to_pdf(images: list[Path], destination: Path, dpi: int, quality: int) -> None:
    opened = [Image.open(path).convert("L") for path in images]
    opened[0].save(
        destination, "PDF", resolution=dpi, save_all=True, append_images=opened[1:], quality=quality
    )


def skewed_noisy_scan(
    dpi: int = 300,
    pages: range = MATRIX_PAGES,
    degrees: tuple[float, ...] = (1.5, -1.0, 2.0, -1.8, 1.2),
    shifts: tuple[tuple[float, float], ...] = ((0, 0), (5, -3), (-4, 4), (6, 2), (-3, -5)),
    noise: float = 0.6,
    blur: float = 0.5,
) -> Path:
    """Each page turned by the next angle of `degrees` and moved by the next of `shifts` (millimetres,
    right and down), both cycled, as paper lies on a scanner's glass, with Gaussian noise and a blur."""

    def make(destination: Path) -> None:
        with tempfile.TemporaryDirectory() as work:
            images = _pages_as_images(dpi, pages, Path(work))
            for index, image in enumerate(images):
                width, height = Image.open(image).size
                dx, dy = (v / 25.4 * dpi for v in shifts[index % len(shifts)])
                angle = degrees[index % len(degrees)]
                turn = f"{width / 2},{height / 2} 1 {angle} {width / 2 + dx},{height / 2 + dy}"
                _run(
                    "convert", str(image), "-virtual-pixel", "white", "-background", "white",
                    "-distort", "SRT", turn,
                    "-seed", str(index + 1), "-attenuate", str(noise), "+noise", "Gaussian",
                    "-blur", f"0x{blur}", "-colorspace", "Gray", str(image),
                )  # fmt: skip
            _images_to_pdf(images, destination, dpi, quality=80)

    parameters = {"dpi": dpi, "pages": [pages.start, pages.stop], "degrees": degrees, "shifts": shifts}
    return _cached("skewed-noisy", {**parameters, "noise": noise, "blur": blur}, make)


def bad_scan(dpi: int = 75, pages: range = range(13, 15), blur: float = 2.5) -> Path:
    def make(destination: Path) -> None:
        with tempfile.TemporaryDirectory() as work:
            images = _pages_as_images(dpi, pages, Path(work))
            for image in images:
                _run("convert", str(image), "-blur", f"0x{blur}", str(image))
            _images_to_pdf(images, destination, dpi, quality=60)

    return _cached("bad", {"dpi": dpi, "pages": [pages.start, pages.stop], "blur": blur}, make)


def copy_to(scan: Path, destination: Path) -> Path:
    shutil.copyfile(scan, destination)
    return destination


@dataclass(frozen=True)
class OcrOutcome:
    """What extracting a scan gave: the rows read, and the pagu cells OCR asked a person to check."""

    document: RatDocument | None
    error: RatDocumentError | None
    seconds: float

    @property
    def rows(self) -> list:
        return self.document.rows if self.document else []

    @property
    def flagged_rows(self) -> set[int]:
        return {cell.row for cell in getattr(self.error, "cells", [])}


def ocr_outcome(scan: Path, settings: RatSettings = DEFAULT_RAT_SETTINGS) -> OcrOutcome:
    """Extract a scan; an OcrUncertainError still yields the rows it read, for scoring."""
    started = time.perf_counter()
    try:
        document, error = extract_rat(scan, settings=settings), None
    except OcrUncertainError as uncertain:
        document, error = uncertain.document, uncertain
    except RatDocumentError as refused:
        document, error = None, refused
    return OcrOutcome(document, error, time.perf_counter() - started)


def cached_ocr_outcome(scan: Path) -> OcrOutcome:
    """`ocr_outcome(scan)`, kept in `.cache/rat-scans/` under a key of the scan's bytes, the reader code
    (`ingest/`), the locked packages and Tesseract's version (`kept_reading`): a reading is redone
    whenever any of them changes, and otherwise is the same reading (Tesseract is deterministic), which
    the OCR tests need not pay for again."""
    return kept_reading(scan, "reading", ocr_outcome)


def cached_extraction(scan: Path) -> Extraction:
    """`read_rat(scan)`: everything the extractor saw in a scan (the OCR pages too), kept as
    `cached_ocr_outcome` keeps a reading."""
    return kept_reading(scan, "extraction", read_rat)


def cached_plan_reading(scan: Path) -> dict[str, pd.DataFrame] | str:
    """`read_rat_plan(scan)`, the loader's reading of a whole plan, kept as `cached_ocr_outcome` keeps a
    reading; a scan the reader refuses gives its error's text."""

    def read(path: Path) -> dict[str, pd.DataFrame] | str:
        try:
            return read_rat_plan(path)
        except RatDocumentError as refused:
            return str(refused)

    return kept_reading(scan, "plan", read)


def kept_reading(scan: Path, kind: str, read: Callable[[Path], T]) -> T:
    """`read(scan)`, kept in `.cache/rat-scans/` under the file's bytes, the reader code, the locked
    packages (pdfplumber's version among them) and Tesseract's version: a reading is made again whenever
    one of them changes. Made by one worker while the others wait for it (`_made_once`)."""
    key = hashlib.sha256(json.dumps([_sha256(scan), *_reader_versions()]).encode()).hexdigest()[:16]
    path = CACHE_DIR / f"{kind}-{scan.stem}-{key}.pickle"
    made: list[T] = []  # this worker's reading, if it made it: not read back from the file just written

    def write(partial: Path) -> None:
        made.append(read(scan))
        partial.write_bytes(pickle.dumps(made[0]))

    _made_once(path, write)
    return made[0] if made else pickle.loads(path.read_bytes())


@cache
def _reader_versions() -> tuple[str, str, str]:
    code, _ = fingerprint([REPO_ROOT / "ingest"])
    return code, _sha256(REPO_ROOT / "requirements.lock"), _version("tesseract", "--version")


def cell_score(rows: list) -> tuple[int, int]:
    """(cells equal to the gold, cells in the gold): the 13 columns and the budget line of every row."""
    gold = gold_rows()
    columns = [*GOLD_TEXT_COLUMNS, "budget_line"]
    right = sum(
        1
        for row, expected in zip(rows, gold, strict=False)
        for column in columns
        if ("" if getattr(row, column) is None else str(getattr(row, column))) == expected[column]
    )
    return right, len(gold) * len(columns)


@dataclass(frozen=True)
class PaguScore:
    right: int  # read as the gold says and not flagged
    right_flagged: int  # read right, but flagged for a person to check (a false alarm, never harmful)
    wrong_flagged: int  # read wrong and flagged: the check worked
    wrong: int  # read wrong and NOT flagged: a wrong amount would be published

    def __str__(self) -> str:
        return (
            f"pagu right {self.right}, right but flagged {self.right_flagged}, "
            f"wrong and flagged {self.wrong_flagged}, wrong unflagged {self.wrong}"
        )


def pagu_score(outcome: OcrOutcome) -> PaguScore:
    """Every budget line of the gold (its first row) against what was read there and what was flagged."""
    counts = {"right": 0, "right_flagged": 0, "wrong_flagged": 0, "wrong": 0}
    seen: set[str] = set()
    by_row = {row.row: row for row in outcome.rows}
    for expected in gold_rows():
        line = expected["budget_line"]
        if not line or line in seen:
            continue
        seen.add(line)
        number = int(expected["row"])
        read = by_row.get(number)
        right = read is not None and read.pagu == expected["pagu"]
        flagged = number in outcome.flagged_rows or outcome.document is None  # refused: nothing published
        key = ("right" if right else "wrong") + ("_flagged" if flagged else "")
        counts[key] += 1
    return PaguScore(**counts)
