"""Scanned RAT plans: a PDF without a text layer is read by OCR, then extracted like a text PDF.

How a scan is read (`document.read_scan`, pages in parallel threads, one Tesseract process each):
1. each page is rendered in grey at the resolution of the scan's own images (`raster`), straightened by
   the angle at which its ink lines up best (`deskew`), and its paper made white;
2. the table rules are found in the image as segments, not whole lines, so merged cells survive
   (`rules`); they become pdfplumber's explicit lines, so the grids and the matrix are assembled by the
   same code as for a text PDF (`layout.page_grids(page, n, words=..., table_settings=...)`);
3. the rules are erased and every cell is read by Tesseract (`ind+eng`) as a block of its own; a cell
   with a digit is read three times (also `eng+ind` at two enlargements) and the reading a majority
   agrees on is kept; word boxes are widened and heightened to the boxes a text layer would give, so
   the wrap repair and the page-break joining work on them (`page`, `tesseract`).

Every value is marked: `RatRow.ocr`, `RatRow.ocr_confidence` (the lowest word confidence in the row's
cells, 0-100), `RatDocument.ocr` and `RatDocument.ocr_confidence` (the mean word confidence).

Rupiah are never guessed (`checks`): a document is quarantined (`OcrUncertainError`, kind
`ocr_uncertain`, one line naming page, row, column and what was read for each cell to check) when a
pagu cell shows ink OCR read nothing in, when its three readings all differ, when it is not a well-formed
amount, when its digits are under `min_digit_pixels` (18) high on the scan, or when its lowest word
confidence is under `pagu_min_confidence` (80). A scan whose mean word confidence is under
`min_mean_confidence` (60), or whose print is under `min_text_pixels` (14) high, is refused
(`OcrConfidenceTooLowError`, "OCR confidence too low"). The thresholds are fields of
`ingest.rat.settings.RatSettings`, calibrated with `bench/rat_ocr.py --calibrate` (see their comments).
"""
