"""Every tolerance, threshold and size the RAT extractor judges by, in one object (as pdfplumber's
`TableSettings`).

`extract_rat(path, settings=...)` hands one `RatSettings` down to every step (layout, matrix, header,
wrap repair, page text, metadata, OCR); no step reads a module constant of its own. The defaults are
`DEFAULT_RAT_SETTINGS`; a different value for one field is `dataclasses.replace(DEFAULT_RAT_SETTINGS,
column_tolerance=4.0)`, or `ntt-warehouse extract-rat FILE --set column_tolerance=4` with `--debug-pages`
to see what it changes. Lengths are in PDF points (1/72 inch) unless a name says pixels.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class RatSettings:
    # --- Layout: words into lines and ruled cells (layout.py, page_text.py) ---
    # Words whose tops differ by at most this share of the word's height are on one line: half a line
    # is more than any baseline jitter and less than any line spacing.
    same_line_fraction: float = 0.5
    # A cell to the left covers a grid position when its right edge passes the position's left edge by
    # more than this: pdfplumber's edges of one rule agree to well under a point.
    merge_overlap: float = 1.0
    # Smaller tables are not tables of the matrix (a ruled box around a title, a signature block).
    min_table_rows: int = 2
    min_table_columns: int = 2

    # --- Matrix: header, pages, rows (matrix.py) ---
    # The same matrix keeps its column edges from page to page; Word and LibreOffice keep them to a
    # fraction of a point, three points allows for a page re-flowed with a slightly different width.
    column_tolerance: float = 3.0
    # The header rows a matrix may have (group labels, labels, sub-labels such as "Target Tahun 2023"
    # over "Kinerja"); the real plans have two.
    max_header_rows: int = 5
    # A word that starts above its row's top rule by up to this is drawn from the repeated header
    # overflowing into the first data row (word processors draw it over the rule).
    header_overflow_slack: float = 0.5
    # Lines of the first data cell where a header label's overflow is looked for: a label wraps into at
    # most a few lines.
    header_overflow_lines: int = 3
    # A cell's text runs to the bottom of its segment, and may go on overleaf, when it ends within this
    # many of its line heights plus `overflow_slack` of the cell's bottom: the cell's bottom padding
    # and one line that did not fit.
    overflow_line_heights: float = 1.6
    overflow_slack: float = 2.0
    # A blank at the top of a page spans further rows down when its bottom passes the next row's top by
    # more than this (pdfplumber stretches a merged cell's box over the rows it covers).
    span_slack: float = 1.0

    # --- Header labels (header.py) ---
    # A header key (letters and digits of a label, years and "Tahun" removed) longer than this is data
    # that merely contains a header word; the longest real label ("indikatorkinerjasasaranstrategis")
    # is 32.
    max_header_length: int = 48
    # The column-number row (1, 2, ..., n) numbers at least this many columns.
    min_numbered_columns: int = 3
    # A repeated header row names at least this many columns (or is the only text of its row).
    min_header_names: int = 2

    # --- Wrap repair: line breaks inside words (text_repair.py) ---
    # Points of slack for rounding in glyph positions when judging whether a line had room left.
    wrap_slack: float = 0.75
    # What a cut usually leaves for the next line: "a", "n", "an", "nya", "gan".
    suffix_fragment_length: int = 3
    # A root word this long, or an inflected word this long, is a word as it stands: shorter ones are
    # often fragments the word list and the stemmer take for words ("Pers", "tasi", "Pemul").
    strong_root_length: int = 5
    strong_inflected_length: int = 7
    # Two roots at most this long, the first alone on its line, may be one compound the word list lacks
    # ("Kerja|sama"): that reading is reported as a guess.
    short_root_length: int = 6
    # Each root of a compound set solid inside a confix ("ke-tenaga-kerja-an") is at least this long.
    min_compound_part: int = 3

    # --- Document metadata: title, running headers (metadata.py) ---
    # A cover page carries a title block, not paragraphs: at most this many words and no table.
    cover_max_words: int = 90
    # Headings are set at least this much larger than the page's body text.
    heading_size_ratio: float = 1.15
    # Share of the page height at the top and at the bottom where running headers and footers sit.
    running_band: float = 0.12
    # On a cover without the words "Rencana Aksi", the title starts at the first line this close to the
    # largest type; it goes on while lines keep at least `title_continuation_size` of its size and
    # follow within `title_max_gap` of its size (a blank line or two, not the office's name far below).
    title_size_fraction: float = 0.95
    title_continuation_size: float = 0.75
    title_max_gap: float = 2.5

    # --- OCR: rendering a scanned page (ocr/raster.py) ---
    # A page with no image (vector outlines only) is rendered as a good scan would be.
    default_scan_dpi: float = 300.0
    # A page image's resolution is taken within these bounds: below 50 dpi nothing is legible, above
    # 600 rendering costs memory and Tesseract gains nothing.
    min_scan_dpi: float = 50.0
    max_scan_dpi: float = 600.0

    # --- OCR: straightening (ocr/deskew.py) ---
    # Scanners and phones turn a page by a few degrees; more than five is a page fed sideways.
    max_skew_degrees: float = 5.0
    # A coarse search in these steps, then a fine one around the best angle: a tenth of a degree is
    # measured right (tests), at a few tens of milliseconds a page.
    coarse_skew_step: float = 0.2
    fine_skew_step: float = 0.02
    # Ink pixels projected at each angle, sampled: enough for a sharp profile, fast on a full page.
    skew_sample_pixels: int = 200_000
    # Below this a rotation moves no pixel row over a page width: the page is left as it is.
    negligible_skew_degrees: float = 0.04

    # --- OCR: table rules in the image (ocr/rules.py) ---
    # Longer than any letter stroke at body sizes, shorter than any cell edge.
    min_rule_points: float = 12.0
    # Breaks in a printed rule that a scan may show (toner, noise).
    rule_gap_points: float = 0.8
    # A rule is thin; a dark band (a photo, a filled cell) is not a rule.
    max_rule_thickness_points: float = 3.0
    # A rule is solid ink but for a few breaks; a line of bold letters leaves much more paper.
    min_rule_fill: float = 0.9
    # How far short of a crossing rule a rule may stop and still meet it.
    rule_reach_points: float = 2.0

    # --- OCR: reading cells (ocr/page.py) ---
    # Tesseract reads small print best enlarged: cells of scans under this resolution are enlarged to it.
    ocr_dpi: float = 400.0
    # A cell with digits is read a third time at this other enlargement; when the two enlargements are
    # closer than `distinct_scale_step`, the other one is `fallback_scale` of the first instead.
    second_scale_dpi: float = 300.0
    distinct_scale_step: float = 0.2
    fallback_scale: float = 0.75
    # A word cell whose lowest word confidence is under this is read again with English first (digits,
    # "%", "/"), and the reading with the higher lowest confidence kept.
    second_opinion_below: float = 90.0
    # Pixels of paper around a cell cut out for Tesseract, which expects a margin.
    cell_margin_pixels: int = 12
    # Less ink than this (in square points) is dust, not a letter.
    min_ink_points2: float = 0.5
    # Points of a cell's edge left out when it is cut out, so no rule's edge is read as a letter.
    cell_inset_points: float = 0.5
    # Side bearings as shares of the font size, measured on scans of the bundled report against its
    # text layer (`bench/rat_ocr.py --bearings`): the ink starts just after the glyph's origin and ends
    # well before its advance; the word boxes then match a text layer's, which the wrap repair needs.
    left_bearing: float = 0.02
    right_bearing: float = 0.11

    # --- OCR: whole scans (ocr/document.py) ---
    # A scan is refused as unreadable when Tesseract's mean word confidence (0-100) is under this: clean
    # scans of the bundled report read 92-95 from 150 to 300 dpi, the 75 dpi blurred one 28
    # (bench/rat_ocr.py --calibrate).
    min_mean_confidence: float = 60.0
    # ... or when its typical font size (Tesseract's x_size, in the scan's pixels) is under this: 7 pt
    # print at 100 dpi (10 px) and 120 dpi (13 px) gave no matrix, at 150 dpi (16 px) 84 % of cells.
    min_text_pixels: float = 14.0
    # ... or when OCR read fewer words than this on the whole scan.
    min_ocr_words: int = 20
    # A page may lie this far (12.7 mm) off where the first page of its table lay on the scanner.
    max_page_shift: float = 36.0
    # Column edges closer than this after the shift are the same edges.
    same_edge_points: float = 2.0

    # --- OCR: budget amounts are never guessed (ocr/checks.py) ---
    # Tesseract word confidence (0-100) a pagu's digits must reach; calibrated on scans of the bundled
    # report (bench/rat_ocr.py --calibrate): correct amounts read 84-96 (a few 36-78, flagged for
    # nothing), misread ones 15-82 but for tiny print (see min_digit_pixels); the format check and the
    # vote catch most misreads before this does.
    pagu_min_confidence: float = 80.0
    # Digits smaller than this on the scan (Tesseract's font size, in the scan's own pixels) are not
    # trusted at any confidence: at 150 dpi (7 pt print is 16 pixels) OCR read 37,829,800 as 37,629,800
    # with confidence 87, three readings agreeing; at 200 dpi (20 pixels) no wrong amount passed.
    min_digit_pixels: float = 18.0

    def replaced(self, assignments: list[str]) -> RatSettings:
        """A copy with fields set from "name=value" texts (the CLI's --set); raises ValueError naming
        the field when a name is unknown or a value is not of the field's type."""
        fields = {field.name: field for field in dataclasses.fields(self)}
        changes: dict[str, object] = {}
        for assignment in assignments:
            name, sep, text = assignment.partition("=")
            name = name.strip()
            if not sep or name not in fields:
                known = ", ".join(sorted(fields))
                raise ValueError(f"unknown setting {name!r} (write name=value; settings: {known})")
            kind = type(getattr(self, name))
            try:
                changes[name] = kind(text.strip())
            except ValueError:
                raise ValueError(f"setting {name}: {text.strip()!r} is not a {kind.__name__}") from None
        return dataclasses.replace(self, **changes)


DEFAULT_RAT_SETTINGS = RatSettings()
