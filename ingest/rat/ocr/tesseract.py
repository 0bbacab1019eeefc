"""Words, their confidence and their text lines' baselines from Tesseract (run as a program, hOCR output).

Many small images (a page's table cells) go to one Tesseract process as a list file: the language model
is loaded once, and each image is read as one block of text (a cell is a block, never columns of prose).
hOCR rather than TSV because it gives each line's baseline and font size, from which a word gets the
box a PDF's text layer would give it (see page.py).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image

# Indonesian first; English supplies the symbols the Indonesian model lacks ("%" reads as "Y6" without it).
LANGUAGES = "ind+eng"
# English first reads digits and punctuation better: a second opinion on the cells read with doubt.
SECOND_LANGUAGES = "eng+ind"
BLOCK = "6"  # one uniform block of text: a table cell
AUTO = "3"  # automatic page segmentation: what is left of a page outside its tables


class TesseractError(RuntimeError):
    pass


@dataclass(frozen=True)
class Word:
    """A recognised word in the pixels of its image, with its line's baseline (at the line's start)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float
    baseline: float
    font_size: float  # Tesseract's x_size of the line: ascender to descender
    descent: float
    line: int = 0  # which line of its image the word is on


def _executable() -> str:
    executable = shutil.which("tesseract")
    if executable is None:
        raise TesseractError(
            "tesseract is not installed (Debian: apt-get install tesseract-ocr tesseract-ocr-ind)"
        )
    return executable


def words_in_images(
    images: list[Image.Image], dpi: float, mode: str = BLOCK, languages: str = LANGUAGES
) -> list[list[Word]]:
    """The words Tesseract reads in each image, one list per image, in one Tesseract run."""
    if not images:
        return []
    with tempfile.TemporaryDirectory(prefix="rat-ocr-") as work:
        names = []
        for index, image in enumerate(images):
            name = Path(work) / f"{index:05d}.png"
            image.save(name, format="PNG", compress_level=1)
            names.append(str(name))
        listing = Path(work) / "images.txt"
        listing.write_text("\n".join(names) + "\n", encoding="utf-8")
        command = [_executable(), str(listing), "stdout", "-l", languages, "--psm", mode]
        # One thread per Tesseract: the pages are already spread over the cores.
        completed = subprocess.run(
            [*command, "--dpi", str(round(dpi)), "hocr"],
            capture_output=True,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            check=False,
        )
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise TesseractError(f"tesseract failed: {message[-1] if message else completed.returncode}")
    found: list[list[Word]] = [[] for _ in images]
    for page, word in words_of_hocr(completed.stdout.decode("utf-8", "replace")):
        found[page - 1].append(word)
    return found


_ELEMENT = re.compile(
    r"<(?:div|span) class=['\"](ocr_page|ocr_line|ocr_caption|ocr_header|ocr_textfloat|ocrx_word)['\"]"
    r"[^>]*?title=['\"]([^'\"]*)['\"][^>]*>([^<]*)"
)
_NUMBERS = re.compile(r"(\w+) ([-\d. ]+)")


def _properties(title: str) -> dict[str, list[float]]:
    return {key: [float(v) for v in values.split()] for key, values in _NUMBERS.findall(title)}


def words_of_hocr(hocr: str) -> list[tuple[int, Word]]:
    """(image number from 1, word) for every word of an hOCR document."""
    words = []
    page = line_number = 0
    line: dict[str, list[float]] = {}
    for kind, title, text in _ELEMENT.findall(hocr):
        properties = _properties(title)
        if kind == "ocr_page":
            page += 1
        elif kind != "ocrx_word":
            line = properties
            line_number += 1
        elif text.strip() and "bbox" in properties:
            x0, top, x1, bottom = properties["bbox"]
            lbottom = line.get("bbox", properties["bbox"])[3]
            offset = (line.get("baseline") or [0.0, 0.0])[1]
            # at the line's start: the words of a line share one baseline, as they share one in a PDF
            baseline = lbottom + offset
            font_size = (line.get("x_size") or [bottom - top])[0]
            descent = (line.get("x_descenders") or [font_size * 0.2])[0]
            confidence = (properties.get("x_wconf") or [0.0])[0]
            words.append(
                (
                    page,
                    Word(
                        html.unescape(text.strip()),
                        x0,
                        top,
                        x1,
                        bottom,
                        confidence,
                        baseline,
                        font_size,
                        descent,
                        line_number,
                    ),
                )
            )
    return _numbers_joined(words)


_NUMBER_PIECE = re.compile(r"^[\d.,]+%?$")


def _numbers_joined(words: list[tuple[int, Word]]) -> list[tuple[int, Word]]:
    """Pieces of one number that Tesseract split at a separator ("1,900,029" ",86") made one word again.

    A number's thousands separator leaves almost a space of paper after it, so Tesseract's word breaks
    sometimes fall there; a piece that ends or starts with a separator, or that overlaps the piece before
    it, cannot be a number of its own.
    """
    joined: list[tuple[int, Word]] = []
    for page, word in words:
        if joined:
            last_page, last = joined[-1]
            same_line = last_page == page and last.line == word.line
            pieces = (
                _NUMBER_PIECE.match(last.text) and _NUMBER_PIECE.match(word.text) and "%" not in last.text
            )
            touching = last.text[-1] in ".," or word.text[0] in ".," or word.x0 < last.x1
            if same_line and pieces and touching:
                joined[-1] = (
                    page,
                    replace(
                        last,
                        text=last.text + word.text,
                        x0=min(last.x0, word.x0),
                        x1=max(last.x1, word.x1),
                        confidence=min(last.confidence, word.confidence),
                    ),
                )
                continue
        joined.append((page, word))
    return joined
