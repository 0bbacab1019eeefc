"""What one BPS download may cost to read, in one place: a file over a budget is refused fast, in one line.

The readers take these as keyword defaults (the settings can pass others); the numbers are far above any real
BPS download (the largest bundled XLSX has 1,800 cells and unpacks to 60 KB) and far below what hurts the
refresh: a workbook claiming `A1:XFD1048576` or a zip bomb fails before its sheet is parsed.
"""

XLSX_MAX_CELLS = 2_000_000  # cells counted as the sheet is parsed (the declared dimension is never trusted)
XLSX_MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # the zip's members, uncompressed, together
XLSX_MAX_PACKING_RATIO = 100  # uncompressed / compressed size of the zip's members together
