"""The bundled BPS downloads, read once per session, and variants written the way people save them."""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path

import pandas as pd

from ingest.bps import read_bps_table
from ingest.bps.formats import candidate_files
from ingest.bps.plausibility import implausible_value_reasons
from ingest.bps.reading import read_grid
from store.paths import BUNDLED_DATA_DIR

BPS_DIR = BUNDLED_DATA_DIR / "bps"
ARDWIND = BPS_DIR / "bps-webtable-exports-ardwind"
AKBARALQAHRI = BPS_DIR / "bps-provinsi-semester-akbaralqahri"
P0_PROVINCE_2022 = (
    ARDWIND
    / "(P0) Menurut Provinsi"
    / ("Persentase Penduduk Miskin (P0) Menurut Provinsi dan Daerah, 2022.csv")
)
P1_PROVINCE_2015 = (
    ARDWIND
    / "(P1) Menurut Provinsi"
    / ("Indeks Kedalaman Kemiskinan (P1) Menurut Provinsi dan Daerah, 2015.csv")
)
GK_PROVINCE_2024 = (
    ARDWIND
    / "Garis Kemiskinan (Rupiah_Kapita_Bulan) Menurut Provinsi dan Daerah"
    / ("Garis Kemiskinan (Rupiah_Kapita_Bulan) Menurut Provinsi dan Daerah , 2024.csv")
)
P0_KABKOTA_2022 = (
    ARDWIND
    / "(P0) Menurut Kabupaten_Kota"
    / ("Persentase Penduduk Miskin (P0) Menurut Kabupaten_Kota, 2022.csv")
)
P2_KABKOTA_2024 = (
    ARDWIND
    / "(P2) Menurut Kabupaten_Kota"
    / ("Indeks Keparahan Kemiskinan (P2) Menurut Kabupaten_Kota, 2024.csv")
)
GK_KABKOTA_2005 = (
    ARDWIND / "Garis Kemiskinan Menurut Kabupaten_Kota" / "Garis Kemiskinan Menurut Kabupaten_Kota, 2005.csv"
)
P0_MULTI_YEAR = BPS_DIR / "bps-kabkota-p0-jumlah-visdati" / "P0_kabkota_NTT_2004-2025.csv"
POOR_COUNT_MULTI_YEAR = (
    BPS_DIR / "bps-kabkota-p0-jumlah-visdati" / "JumlahMiskin_ribu_kabkota_NTT_2004-2025.csv"
)
GK_ONE_YEAR_2024 = (
    BPS_DIR
    / "bps-kabkota-garis-kemiskinan-ferliyanaronnan"
    / "raw_bps_csv"
    / ("Garis Kemiskinan Menurut Kabupaten_Kota, 2024.csv")
)
P0_PROVINCE_RECONSTRUCTION = (
    BPS_DIR / "bps-provinsi-daerah-semester-visdati" / ("raw_layout_P0_menurut_provinsi_dan_daerah.csv")
)
POOR_PROVINCE_RECONSTRUCTION = (
    BPS_DIR
    / "bps-provinsi-daerah-semester-visdati"
    / ("raw_layout_jumlah_miskin_menurut_provinsi_dan_daerah.csv")
)
SEMESTER_COLUMNS_2015 = AKBARALQAHRI / "Jumlah dan Persentase Penduduk Miskin Menurut Provinsi, 2015.csv"
SEMESTER_COLUMNS_2021 = AKBARALQAHRI / "Jumlah dan Persentase Penduduk Miskin Menurut Provinsi, 2021.csv"
TABEL_DINAMIS_P1_2021 = (
    BPS_DIR
    / "bps-kabkota-p1-p2-febroherdyanto"
    / "raw_bps_tabel_dinamis_html_xls"
    / ("Index Kedalaman Kemiskinan Nasional 2021-2022.xls")
)
LONG_EXPORT = BPS_DIR / "bps-kabkota-p1-p2-febroherdyanto" / "Index Kedalaman 2022-2023.csv"
# Real downloads holding one impossible value each, as published: the loader holds that value back.
SHIFTED_ROW_2018 = AKBARALQAHRI / "Jumlah dan Persentase Penduduk Miskin Menurut Provinsi, 2018.csv"
GK_102_RUPIAH_2004 = (  # Jember: 102 rupiah
    ARDWIND / "Garis Kemiskinan Menurut Kabupaten_Kota" / "Garis Kemiskinan Menurut Kabupaten_Kota, 2004.csv"
)
P1_117_2004 = (  # Sorong: 117.7
    ARDWIND
    / "(P1) Menurut Kabupaten_Kota"
    / "Indeks Kedalaman Kemiskinan (P1) Menurut Kabupaten_Kota, 2004.csv"
)


def p0_table_with_2026(area: str | None = None, value: str = "") -> str:
    """The real kab/kota P0 table plus a 2026 column (2025's values, `area` set to `value`), as next year's
    download would be."""
    lines = P0_MULTI_YEAR.read_text().splitlines()
    lines[1] += ",2026"
    out = lines[:2]
    for line in lines[2:]:
        cells = line.split(",")
        cells.append(value if cells[0] == area else cells[-1])
        out.append(",".join(cells))
    return "\n".join(out) + "\n"


def bundled_files() -> list[Path]:
    return candidate_files(BPS_DIR)


@cache
def all_observations() -> pd.DataFrame:
    return pd.concat([read_bps_table(path) for path in bundled_files()], ignore_index=True)


@cache
def published_observations() -> pd.DataFrame:
    """Every bundled observation the loader publishes: those whose value can be true."""
    everything = all_observations()
    return everything[implausible_value_reasons(everything).isna()].reset_index(drop=True)


SEMESTER_PERIODS = {None: "annual", 1: "S1", 2: "S2"}


def value(
    table: pd.DataFrame,
    code: int,
    year: int,
    indicator: str,
    semester=None,
    area_type="total",
    period: str | None = None,
    **more,
):
    """The one value `table` gives for that cell (None if none), refusing two different ones. `semester`
    (1 March, 2 September, None annual) names a Susenas period; `period` any period code; `area_type` the
    breakdown (total, urban, rural or a label)."""
    rows = table[
        (table.bps_code == code)
        & (table.year == year)
        & (table.indicator == indicator)
        & (table.breakdown == area_type)
        & (table.period == (period or SEMESTER_PERIODS[semester]))
    ]
    for column, wanted in more.items():
        rows = rows[rows[column] == wanted]
    values = set(rows.value.astype(float))
    assert len(values) <= 1, (code, year, indicator, values)
    return values.pop() if values else None


# Variants: the same table saved another way, as people do.


def grid_rows(path: Path) -> list[list[str]]:
    return read_grid(path).rows


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",", bom: bool = False, newline: str = "\n",
              final_newline: bool = True) -> Path:  # fmt: skip
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    text = buffer.getvalue() if final_newline else buffer.getvalue().rstrip("\r\n")
    path.write_bytes((("\ufeff" if bom else "") + text).encode("utf-8"))
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    """The grid as an XLSX workbook with numbers stored as numbers, as Excel keeps them."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([_as_number(cell) for cell in row])
    workbook.save(path)
    return path


def _as_number(cell: str) -> object:
    try:
        number = float(cell)
    except ValueError:
        return cell or None
    return int(number) if number.is_integer() and "." not in cell else number


def relabel_years(rows: list[list[str]], shift: int) -> list[list[str]]:
    """Every header year moved by `shift` (the same table as if downloaded for another year)."""
    from ingest.bps.grid import first_data_row
    from ingest.bps.titles import is_year

    end = first_data_row(rows)
    return [
        [str(int(cell) + shift) if index < end and is_year(cell) else cell for cell in row]
        for index, row in enumerate(rows)
    ]


def with_decimal_comma(rows: list[list[str]]) -> list[list[str]]:
    """Values as Indonesian-locale Excel writes them: 20,05 and 1.131,62."""

    def localised(cell: str) -> str:
        try:
            number = float(cell)
        except ValueError:
            return cell
        if "." not in cell:
            return f"{int(number):,}".replace(",", ".") if abs(number) >= 1000 else cell
        whole, fraction = cell.split(".")
        return f"{int(whole):,}".replace(",", ".") + "," + fraction

    from ingest.bps.grid import first_data_row

    end = first_data_row(rows)
    return [row if index < end else [row[0], *map(localised, row[1:])] for index, row in enumerate(rows)]


def poverty_line_part_table(folder: Path, part: str) -> Path:
    """A 'Garis Kemiskinan Makanan / Bukan Makanan ... Menurut Provinsi dan Daerah' table in BPS's layout.

    No real one is bundled: this is the real 2024 poverty line table under the food or non-food title,
    so the shape is BPS's; its values are the total poverty line's, not the food or non-food line's.
    """
    rows = grid_rows(GK_PROVINCE_2024)
    title = f"Garis Kemiskinan {part} (Rupiah/Kapita/Bulan) Menurut Provinsi dan Daerah"
    rows = [[title if cell.startswith("Garis Kemiskinan") else cell for cell in row] for row in rows]
    return write_csv(folder / f"{title.replace('/', '_')}, 2024.csv", rows, bom=True, final_newline=False)
