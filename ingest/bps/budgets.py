"""What one BPS download may cost to read: the XLSX budgets' defaults, as the readers' keyword defaults.

The numbers are the per-file budgets' (store.budgets, where the settings make them configurable: NTT_MAX_*),
far above any real BPS download (the largest bundled XLSX has 1,800 cells and unpacks to 60 KB) and far below
what hurts the refresh: a workbook claiming `A1:XFD1048576` or a zip bomb fails before its sheet is parsed.
"""

from store.budgets import DEFAULT_BUDGETS

XLSX_MAX_CELLS = DEFAULT_BUDGETS.xlsx_cells  # counted as the sheet is parsed (never the declared dimension)
XLSX_MAX_UNPACKED_BYTES = DEFAULT_BUDGETS.xlsx_unpacked_bytes  # the zip's members, uncompressed, together
XLSX_MAX_PACKING_RATIO = DEFAULT_BUDGETS.xlsx_packing_ratio  # uncompressed / compressed, together
