"""The BPS table model: every family of real download, straight from the file, against the warehouse; the same
tables generated as CSV, XLSX and HTML in every shape the exports take; headers that contradict themselves.

Expected values are computed here from each file with the csv module, openpyxl or a regular expression at
explicit positions, never with the readers under test.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from ingest.bps import read_bps_table
from ingest.bps.plausibility import implausible_value_reasons
from ingest.regions import kabkota_code_for_name, province_code_for_name
from store.errors import SourceFileError
from store.paths import display_path
from store.plan import MOST_HELD_BACK
from tests.bps_files import ARDWIND, BPS_DIR, LONG_EXPORT, SEMESTER_COLUMNS_2021, TABEL_DINAMIS_P1_2021
from tests.bps_tables import TableSpec, expected, observed, write_csv, write_html, write_xlsx
from tests.conftest import Warehouse

KASULAMPUA = BPS_DIR / "bps-xlsx-exports-kasulampua"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "bps"
DAERAH = {"Perkotaan": "urban", "Perdesaan": "rural", "Jumlah": "total", "Perkotaan+Perdesaan": "total"}
ROUNDS = {"Semester 1 (Maret)": "S1", "Semester 2 (September)": "S2", "Tahunan": "annual"}
SAKERNAS = {"Februari": "M02", "Agustus": "M08", "Tahunan": "annual"}


def _code(name: str, province: int | None) -> tuple[int, int | None]:
    """(code, province block) of a printed area name: a province (or Indonesia, TOTAL), else a kab/kota of the
    province above it, as BPS lists them."""
    if province not in (None, 0):
        code = kabkota_code_for_name(name, province)
        if code is not None:
            return code, province
    code = province_code_for_name(name)
    if code is None and name.strip().upper() == "TOTAL":
        code = 0
    assert code is not None, name
    return code, code


def _areas(names: list[str]) -> dict[str, int]:
    codes, province = {}, None
    for name in names:
        codes[name], province = _code(name, province)
    return codes


def _carried(row: list[str]) -> list[str]:
    """A CSV header row with each spanning cell carried right (the export prints it once)."""
    out, last = [], ""
    for cell in row:
        last = cell or last
        out.append(last)
    return out


def _csv(path: Path, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=delimiter))


def _figures(rows, columns, indicator: str) -> set[tuple]:
    """(code, year, period, breakdown, indicator, value) of rows (label, cells) under columns (year, period,
    breakdown)."""
    codes = _areas([label for label, _ in rows])
    return {
        (codes[label], year, period, breakdown, indicator, float(cell))
        for label, cells in rows
        for (year, period, breakdown), cell in zip(columns, cells, strict=False)
        if cell not in ("-", "", "...", None)
    }


def province_by_daerah_csv(path: Path, indicator: str) -> set[tuple]:
    rows = _csv(path)  # 5 header rows: 38 Provinsi / title / daerah / year / period
    daerah, years, periods = (_carried(rows[i][1:]) for i in (2, 3, 4))
    columns = [(int(y), ROUNDS[p], DAERAH[d]) for d, y, p in zip(daerah, years, periods, strict=True)]
    return _figures([(r[0], r[1:]) for r in rows[5:] if r and r[0]], columns, indicator)


def kabkota_csv(path: Path, indicator: str) -> set[tuple]:
    rows = _csv(path)  # Nama Wilayah / title / year
    year = int(rows[2][1])
    return _figures([(r[0], r[1:]) for r in rows[3:] if r and r[0]], [(year, "annual", "total")], indicator)


def tpt_csv(path: Path, indicator: str) -> set[tuple]:
    rows = _csv(path)  # 38 Provinsi / title / year / Februari, Agustus, Tahunan
    year = int(rows[2][1])
    columns = [(year, SAKERNAS[p], "total") for p in rows[3][1:]]
    return _figures([(r[0], r[1:]) for r in rows[4:] if r and r[0]], columns, indicator)


def national_by_daerah_csv(path: Path, indicator: str) -> set[tuple]:
    rows = _csv(path)  # Wilayah / title / year / periods; rows Kota, Desa, Kota+Desa of Indonesia
    year = int(rows[2][1])
    columns = [(year, ROUNDS[p]) for p in rows[3][1:]]
    daerah = {"Kota": "urban", "Desa": "rural", "Kota+Desa": "total"}
    return {
        (0, y, p, daerah[r[0]], indicator, float(cell))
        for r in rows[4:]
        if r and r[0]
        for (y, p), cell in zip(columns, r[1:], strict=True)
        if cell != "-"
    }


def semester_columns_csv(path: Path, _: str) -> set[tuple]:
    rows = _csv(path)  # one header row "<indicator> - <month> (<unit>)"; the year is the file name's
    year = int(re.search(r"(\d{4})\.csv$", path.name).group(1))
    names = {"Garis Kemiskinan": "POVERTY_LINE", "Jumlah Penduduk Miskin": "POOR_COUNT"}
    names["Persentase Penduduk Miskin"] = "P0"
    found = set()
    codes = _areas([r[0] for r in rows[1:] if r and r[0]])
    for column, header in enumerate(rows[0][1:], start=1):
        name, month = re.match(r"(.+?) - (Maret|September)", header).groups()
        for r in rows[1:]:
            if r and r[0] and r[column] not in ("-", "..."):
                period = "S1" if month == "Maret" else "S2"
                found.add((codes[r[0]], year, period, "total", names[name], float(r[column])))
    return found


def long_export_csv(path: Path, indicator: str) -> set[tuple]:
    rows = _csv(path, ";")
    header = [cell.strip().lower() for cell in rows[0]]
    at = {name: header.index(name) for name in header}
    found, province = set(), None
    for r in rows[1:]:
        code, province = _code(r[at["nama_item_vertical_variabel"]], province)
        year = int(r[at["nama_tahun"]])
        found.add((code, year, "annual", "total", indicator, float(r[at["data_content"]])))
    return found


def tabel_dinamis_html(path: Path, indicator: str) -> set[tuple]:
    text = path.read_text(encoding="utf-8")

    def table(name: str) -> str:
        start = text.index(f'id="{name}"')
        return text[start : text.index("</table", start)]

    regions = re.findall(r"<td[^>]*>([^<]*)</td>", table("tableLeftBottom"))
    years = [int(y) for y in re.findall(r">\s*((?:19|20)\d\d)\s*<", table("tableRightUp"))]
    values = [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in table("tableRightBottom").split("<tr")[1:]]
    names = [re.sub(r"\s*\*$", "", region.strip()) for region in regions]
    return _figures(list(zip(names, values, strict=True)), [(y, "annual", "total") for y in years], indicator)


def _xlsx(path: Path):
    from openpyxl import load_workbook

    return load_workbook(path).worksheets[0]


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def xlsx_province_daerah(path: Path, indicator: str) -> set[tuple]:
    sheet = _xlsx(path)  # header rows 4-6 (daerah / year / period, merged), values from row 7, B..AB
    columns = []
    for column in range(2, 29):
        block, within = divmod(column - 2, 9)
        daerah = ["urban", "rural", "total"][block]
        year = [2020, 2021, 2022][within // 3]
        columns.append((year, ["S1", "S2", "annual"][within % 3], daerah))
    rows = [
        (_text(sheet.cell(r, 1).value), [_text(sheet.cell(r, c).value) for c in range(2, 29)])
        for r in range(7, 23)
    ]
    return _figures(rows, columns, indicator)


def xlsx_by_year(path: Path, indicator: str) -> set[tuple]:
    sheet = _xlsx(path)  # row 4 years in B..D, values rows 5-20
    years = [int(_text(sheet.cell(4, c).value)) for c in range(2, 5)]
    rows = [
        (_text(sheet.cell(r, 1).value), [_text(sheet.cell(r, c).value) for c in range(2, 5)])
        for r in range(5, 21)
    ]
    return _figures(rows, [(y, "annual", "total") for y in years], indicator)


def xlsx_breakdown_by_year(path: Path, indicator: str, labels: list[str], first_row: int = 6) -> set[tuple]:
    sheet = _xlsx(path)  # row 4 breakdown (merged over three years), row 5 years, values from row 6
    columns = [
        (int(_text(sheet.cell(5, 2 + 3 * b + y).value)), "annual", label)
        for b, label in enumerate(labels)
        for y in range(3)
    ]
    last = 1 + len(columns)
    rows = [
        (_text(sheet.cell(r, 1).value), [_text(sheet.cell(r, c).value) for c in range(2, last + 1)])
        for r in range(first_row, sheet.max_row + 1)
        if _text(sheet.cell(r, 1).value)
    ]
    return _figures(rows, columns, indicator)


def _one(folder: Path, suffix: str) -> Path:
    [path] = [p for p in folder.iterdir() if p.name.endswith(suffix)]
    return path


ACCESS = "PROPORSI_RUMAH_TANGGA_DENGAN_AKSES_CC31AE"
BASIC_SERVICES = [
    "Akses pada layanan air minum",
    "Akses pada layanan sanitasi dasar",
    "Akses pada mobilitas dasar",  # every cell '-' in this download
    "Indeks pada fasilitas kesehatan dasar",
]
FAMILIES = [
    (ARDWIND / "(P0) Menurut Provinsi", ", 2022.csv", province_by_daerah_csv, "P0"),
    (ARDWIND / "(P2) Menurut Kabupaten_Kota", ", 2024.csv", kabkota_csv, "P2"),
    (ARDWIND / "Tingkat Pengangguran Terbuka", ", 2024.csv", tpt_csv, "TPT"),
    (ARDWIND / "Tingkat Pengangguran Terbuka", ", 1990.csv", tpt_csv, "TPT"),
    (ARDWIND / "(P0) Menurut Daerah", ", 2024.csv", national_by_daerah_csv, "P0"),
    (ARDWIND / "Garis Kemiskinan (Rupiah_Kapita_Bulan) Menurut Daerah", ", 1996.csv", national_by_daerah_csv,
     "POVERTY_LINE"),
    (SEMESTER_COLUMNS_2021.parent, ", 2021.csv", semester_columns_csv, ""),
    (LONG_EXPORT.parent, LONG_EXPORT.name, long_export_csv, "P1"),
    (TABEL_DINAMIS_P1_2021.parent, TABEL_DINAMIS_P1_2021.name, tabel_dinamis_html, "P1"),
    (KASULAMPUA, "(P1) Menurut Provinsi dan Daerah, 2020-2022.xlsx", xlsx_province_daerah, "P1"),
    (KASULAMPUA, "Jumlah Penduduk Miskin (Ribu Jiwa) Menurut Provinsi dan Daerah, 2020-2022.xlsx",
     xlsx_province_daerah, "POOR_COUNT"),
    (KASULAMPUA, "Angka Melek Huruf Penduduk Umur 15-24 Tahun Menurut Provinsi, 2020-2022.xlsx", xlsx_by_year,
     "ANGKA_MELEK_HURUF_PENDUDUK_UMUR_15_24_TAHUN"),
    (KASULAMPUA, "Jenis Kelamin, 2019-2021.xlsx",
     lambda p, i: xlsx_breakdown_by_year(p, i, ["Laki-laki", "Perempuan"]), "ANGKA_HARAPAN_HIDUP_AHH"),
    (KASULAMPUA, "pelayanan dasar menurut provinsi, 2019-2021.xlsx",
     lambda p, i: xlsx_breakdown_by_year(p, i, BASIC_SERVICES), ACCESS),
]  # fmt: skip


@pytest.fixture(scope="module")
def raw_rows(built_warehouse: Warehouse):
    rows = built_warehouse.query_build(
        "select _source_file, bps_code, year, period, breakdown, indicator, value from raw.bps_downloads"
    )
    by_file: dict[str, set[tuple]] = {}
    for file, *cell in rows:
        by_file.setdefault(file, set()).add(tuple(cell))
    return by_file


@pytest.mark.parametrize(
    ("folder", "suffix", "figures", "indicator"),
    FAMILIES,
    ids=[f"{folder.name[:24]}/{suffix[-40:]}" for folder, suffix, *_ in FAMILIES],
)
def test_each_family_in_the_warehouse_is_what_the_file_says(raw_rows, folder, suffix, figures, indicator):
    path = _one(folder, suffix)
    want = figures(path, indicator)
    assert len(want) >= 2
    assert raw_rows[display_path(path)] == want


def test_every_area_year_period_and_breakdown_of_the_new_families_is_in_the_warehouse(raw_rows):
    """Whole folders: the national tables by daerah and open unemployment, every file, every cell."""
    for folder, figures, indicator in [
        (ARDWIND / "(P1) Menurut Daerah", national_by_daerah_csv, "P1"),
        (ARDWIND / "(P2) Menurut Daerah", national_by_daerah_csv, "P2"),
        (ARDWIND / "Tingkat Pengangguran Terbuka", tpt_csv, "TPT"),
    ]:
        for path in sorted(folder.glob("*.csv")):
            assert raw_rows[display_path(path)] == figures(path, indicator), path.name


# --- the same table in every shape an export takes -------------------------------------------------------


def _real_province_table() -> tuple[TableSpec, dict[str, int]]:
    """The real P0 table of 2022 (provinces x daerah x round) as a spec, read with the csv module."""
    rows = _csv(_one(ARDWIND / "(P0) Menurut Provinsi", ", 2022.csv"))
    spec = TableSpec(
        title=rows[1][1],
        corner=rows[0][0],
        rows=[(r[0], r[1:]) for r in rows[5:] if r and r[0]],
        years=[2022],
        breakdowns=["Perkotaan", "Perdesaan", "Jumlah"],
        periods=["Semester 1 (Maret)", "Semester 2 (September)", "Tahunan"],
    )
    return spec, _areas([label for label, _ in spec.rows])


PROVINCE_SPEC, PROVINCE_CODES = _real_province_table()
P0_EXPECTED = expected(PROVINCE_SPEC, PROVINCE_CODES, "P0", DAERAH, ROUNDS)


@pytest.mark.parametrize(
    "write",
    [
        lambda p: write_csv(p / "t.csv", PROVINCE_SPEC),
        lambda p: write_csv(p / "t.csv", PROVINCE_SPEC, bom=False, footer=True),
        lambda p: write_csv(p / "t.csv", PROVINCE_SPEC, shift=4, title_beside_corner=True),
        lambda p: write_xlsx(p / "t.xlsx", PROVINCE_SPEC),
        lambda p: write_xlsx(p / "t.xlsx", PROVINCE_SPEC, shift=3),
        lambda p: write_html(p / "t.html", PROVINCE_SPEC),
    ],
    ids=["csv", "csv_no_bom_footer", "csv_shifted_title_beside", "xlsx", "xlsx_shifted", "html"],
)
def test_one_table_in_every_export_reads_the_same(tmp_path: Path, write):
    table = read_bps_table(write(tmp_path))
    assert observed(table) == P0_EXPECTED
    assert set(table.layout) == {"area_by_period"} and len(table) == len(P0_EXPECTED)


@pytest.mark.parametrize("years", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("export", ["csv", "xlsx", "html"])
def test_one_to_five_years(tmp_path: Path, years: int, export: str):
    """The same rows over 1-5 years (each year's values the 2022 values plus the year's offset)."""
    base = PROVINCE_SPEC
    span = list(range(2020, 2020 + years))
    per_year = len(base.periods)
    rows = []
    for label, cells in base.rows:
        out = []
        for block in range(len(base.breakdowns)):
            chunk = cells[block * per_year : (block + 1) * per_year]
            for offset in range(years):
                out += [c if c in ("-", "") else f"{float(c) + offset:.2f}" for c in chunk]
        rows.append((label, out))
    spec = TableSpec(base.title, base.corner, rows, span, base.breakdowns, base.periods)
    writer = {"csv": write_csv, "xlsx": write_xlsx, "html": write_html}[export]
    table = read_bps_table(writer(tmp_path / f"t.{export}", spec))
    assert observed(table) == expected(spec, PROVINCE_CODES, "P0", DAERAH, ROUNDS)
    assert set(table.year) == set(span)


@pytest.mark.parametrize("export", ["csv", "xlsx", "html"])
def test_quarters_and_a_subset_of_provinces(tmp_path: Path, export: str):
    """Four quarters of open unemployment for the provinces a user picked, plus INDONESIA."""
    picked = {"ACEH", "NUSA TENGGARA TIMUR", "PAPUA", "INDONESIA"}
    base = PROVINCE_SPEC.subset(picked)
    quarters = ["Triwulan I", "Triwulan II", "Triwulan III", "Triwulan IV"]
    rows = [(label, [f"{3 + i * 0.5 + len(label) / 100:.2f}" for i in range(4)]) for label, _ in base.rows]
    spec = TableSpec(
        "Tingkat Pengangguran Terbuka Menurut Provinsi (Persen)", "Provinsi", rows, [2025], [], quarters
    )
    writer = {"csv": write_csv, "xlsx": write_xlsx, "html": write_html}[export]
    table = read_bps_table(writer(tmp_path / f"t.{export}", spec))
    periods = dict(zip(quarters, ["Q1", "Q2", "Q3", "Q4"], strict=True))
    assert observed(table) == expected(spec, PROVINCE_CODES, "TPT", periods=periods)
    assert set(table.bps_code) == {0, 1100, 5300, 9400}  # a selection, not a national table missing provinces


def test_a_breakdown_other_than_daerah_and_an_indicator_known_only_by_its_title(tmp_path: Path):
    rows = [
        ("ACEH", ["68.1", "72.3"]),
        ("NUSA TENGGARA TIMUR", ["65.2", "68.9"]),
        ("INDONESIA", ["69.4", "73.3"]),
    ]
    spec = TableSpec(
        "Angka Harapan Hidup (AHH) Menurut Provinsi dan Jenis Kelamin (Tahun)", "Provinsi", rows, [2023],
        ["Laki-laki", "Perempuan"],
    )  # fmt: skip
    for export, writer in (("csv", write_csv), ("xlsx", write_xlsx), ("html", write_html)):
        table = read_bps_table(writer(tmp_path / f"t.{export}", spec))
        assert observed(table) == expected(
            spec,
            PROVINCE_CODES,
            "ANGKA_HARAPAN_HIDUP_AHH",
            {"Laki-laki": "Laki-laki", "Perempuan": "Perempuan"},
        )
        assert set(table.unit) == {"years"} and set(table.indicator_name) == {"Angka Harapan Hidup (AHH)"}


def test_combined_year_and_period_cells_and_stacked_blocks(tmp_path: Path):
    """The labour-force XLSX's shape: '2019 Februari' over a nested breakdown, the header again per year."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Penduduk Berumur 15 Tahun Ke Atas Menurut Provinsi dan Jenis Kegiatan, 2019 - 2020"])
    sheet.append([])
    for year, offset in ((2019, 0), (2020, 1000)):
        sheet.append(["Provinsi", f"{year} Februari", None, None, f"{year} Agustus", None, None])
        sheet.append([None, "Angkatan Kerja (AK)", None, "TPAK", "Angkatan Kerja (AK)", None, "TPAK"])
        sheet.append([None, "Bekerja", "Pengangguran", None, "Bekerja", "Pengangguran", None])
        for name, base in (("NUSA TENGGARA TIMUR", 2_500_000), ("TOTAL", 135_000_000)):
            sheet.append([name, base + offset, 70_000, 69.5, base + offset + 5, 71_000, 68.9])
    sheet.merge_cells("B3:D3")
    sheet.merge_cells("E3:G3")
    sheet.merge_cells("B4:C4")
    sheet.merge_cells("E4:F4")
    sheet.merge_cells("B8:D8")  # the second block's header, rows 8-10
    sheet.merge_cells("E8:G8")
    sheet.merge_cells("B9:C9")
    sheet.merge_cells("E9:F9")
    path = tmp_path / "labour.xlsx"
    workbook.save(path)
    table = read_bps_table(path)
    assert len(table) == 2 * 2 * 6 and set(table.layout) == {"area_by_period"}
    ntt = table[(table.bps_code == 5300) & (table.year == 2020) & (table.period == "M08")]
    by = dict(zip(ntt.breakdown, zip(ntt.value.astype(float), ntt.unit, strict=True), strict=True))
    assert by == {
        "Angkatan Kerja (AK) / Bekerja": (2_501_005.0, "people"),
        "Angkatan Kerja (AK) / Pengangguran": (71_000.0, "people"),
        "TPAK": (68.9, "percent"),  # a rate among counts: its own unit
    }
    assert set(table[table.area_name == "TOTAL"].bps_code) == {0}


def test_rows_of_daerah_belong_to_indonesia_and_categories_to_the_area_the_title_names(tmp_path: Path):
    rows = [("Kota", ["7.09", "6.66"]), ("Desa", ["11.79", "11.34"]), ("Kota+Desa", ["9.03", "8.57"])]
    daerah = TableSpec("Persentase Penduduk Miskin (P0) Menurut Daerah", "Wilayah", rows, [2024], [],
                       ["Semester 1 (Maret)", "Semester 2 (September)"])  # fmt: skip
    table = read_bps_table(write_csv(tmp_path / "daerah.csv", daerah))
    assert set(table.layout) == {"daerah_by_period"} and set(table.bps_code) == {0}
    assert {(b, p): v for b, p, v in zip(table.breakdown, table.period, table.value, strict=True)} == {
        ("urban", "S1"): 7.09, ("urban", "S2"): 6.66, ("rural", "S1"): 11.79, ("rural", "S2"): 11.34,
        ("total", "S1"): 9.03, ("total", "S2"): 8.57,
    }  # fmt: skip
    categories = TableSpec("Penduduk Berumur 15 Tahun Ke Atas Menurut Jenis Kegiatan, Provinsi Nusa Tenggara "
                           "Timur", "Jenis Kegiatan", [("Bekerja", ["2500000"]), ("Pengangguran", ["80000"])],
                           [2024], [], ["Agustus"])  # fmt: skip
    table = read_bps_table(write_csv(tmp_path / "kegiatan.csv", categories))
    assert set(table.layout) == {"category_by_period"} and set(table.bps_code) == {5300}
    assert sorted(table.breakdown) == ["Bekerja", "Pengangguran"] and set(table.period) == {"M08"}


# --- headers that contradict themselves, and what a file may cost ----------------------------------------


def _doctored(tmp_path: Path, rows: list[list[str]]) -> Path:
    path = tmp_path / "doctored.csv"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue())
    return path


def _province_grid() -> list[list[str]]:
    return _csv(_one(ARDWIND / "(P0) Menurut Provinsi", ", 2022.csv"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda g: [*g[:4], g[3], *g[4:]], r"header row 5: a second year row \('2022'; the first is row 4\)"),
        (
            lambda g: [*g[:2], [c.replace("Jumlah", "Tahunan") for c in g[2]], *g[3:]],
            r"header row 3: a period in the breakdown row \('Perkotaan', 'Perdesaan', 'Tahunan'\)",
        ),
        (
            lambda g: [*g[:3], ["", "2022 Februari", *g[3][2:]], *g[4:]],
            r"header row 4: (expected a year|a year among the periods)",
        ),
        (
            lambda g: [g[0], [c.replace("(Persen)", "(Rupiah)") for c in g[1]], *g[2:]],
            r"header row 2: the title names P0 \(in percent\) but gives its unit as 'rupiah'",
        ),
    ],
    ids=["two_year_rows", "period_among_breakdowns", "year_and_period_mixed", "p0_in_rupiah"],
)
def test_headers_that_contradict_themselves_are_refused_naming_the_row(tmp_path: Path, change, message):
    with pytest.raises(SourceFileError, match=message) as raised:
        read_bps_table(_doctored(tmp_path, change(_province_grid())))
    assert str(raised.value).startswith(str(tmp_path / "doctored.csv")) and "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "cell",
    ["x" * 200_000, '"an opening quote that never closes'],
    ids=["over_the_field_limit", "stray_quote"],
)
def test_a_csv_cell_over_the_field_limit_is_one_line_naming_file_and_row(tmp_path: Path, cell: str):
    path = tmp_path / "big.csv"
    rows = _province_grid()
    lines = [",".join(row) for row in rows[:8]] + [f"ACEH,{cell}"] + ["ACEH,1"] * 20_000
    path.write_text("\n".join(lines))
    with pytest.raises(SourceFileError, match=r"big\.csv, row 9: not readable as CSV .*field") as raised:
        read_bps_table(path)
    assert "\n" not in str(raised.value)


def test_a_stray_quote_in_a_small_file_loses_nothing_silently(tmp_path: Path):
    """Under the field limit, a quote that never closes swallows the rest of the file into one cell: the
    reader says so, naming the row, instead of loading the rows above it as if they were all."""
    path = tmp_path / "small.csv"
    rows = _province_grid()
    lines = [",".join(row) for row in rows[:8]] + ['ACEH,"10.31', *(",".join(row) for row in rows[9:])]
    path.write_text("\n".join(lines))
    with pytest.raises(SourceFileError, match=r"small\.csv, row 9: .*after the table: 'ACEH'"):
        read_bps_table(path)


def _zip_member(path: Path, name: str, data: bytes, others: dict[str, bytes] | None = None) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for other, content in (others or {}).items():
            archive.writestr(other, content)
        archive.writestr(name, data)
    return path


def test_an_xlsx_zip_bomb_is_refused_before_parsing(tmp_path: Path):
    bomb = _zip_member(tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", b"\0" * (101 * 2**20))
    assert bomb.stat().st_size < 2**20
    with pytest.raises(SourceFileError, match=r"unpacks to 101 MB, over the 100 MB budget"):
        read_bps_table(bomb)
    small = _zip_member(tmp_path / "packed.xlsx", "xl/worksheets/sheet1.xml", b"\0" * (5 * 2**20))
    with pytest.raises(SourceFileError, match=r"packed [\d,]+ times, over the 100x budget"):
        read_bps_table(small)


def _sheet_xml(cells: str, dimension: str = "A1:C3") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{cells}</sheetData></worksheet>'
    ).encode()


def _workbook_with_sheet(tmp_path: Path, sheet: bytes) -> Path:
    """A real workbook (written by openpyxl) whose first sheet is replaced by `sheet`."""
    import zipfile

    from openpyxl import Workbook

    source = tmp_path / "source.xlsx"
    Workbook().save(source)
    target = tmp_path / "crafted.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in original.infolist():
            data = sheet if item.filename == "xl/worksheets/sheet1.xml" else original.read(item.filename)
            out.writestr(item.filename, data)
    return target


def test_an_xlsx_claiming_the_whole_sheet_reads_only_what_it_holds(tmp_path: Path):
    cells = '<row r="1"><c r="A1" t="inlineStr"><is><t>Provinsi</t></is></c></row>'
    path = _workbook_with_sheet(tmp_path, _sheet_xml(cells, "A1:XFD1048576"))
    with pytest.raises(SourceFileError, match="no rows of values"):
        read_bps_table(path)  # one cell: not a table, and read at once, whatever the dimension claims


def test_an_xlsx_with_a_cell_at_the_far_corner_or_too_many_cells_fails_fast(tmp_path: Path):
    far = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    with pytest.raises(SourceFileError, match=r"cells span 1,048,576 rows by 16,384 columns, over the"):
        read_bps_table(_workbook_with_sheet(tmp_path, _sheet_xml(far)))
    from ingest.bps.xlsx import read_xlsx_grid

    many = "".join(f'<row r="{r}">' + "<c><v>1</v></c>" * 20 + "</row>" for r in range(1, 101))
    with pytest.raises(SourceFileError, match=r"over 1,000 cells, the budget"):
        read_xlsx_grid(_workbook_with_sheet(tmp_path, _sheet_xml(many)), max_cells=1000)


def test_the_labour_force_xlsx_reads_its_four_blocks_and_is_quarantined():
    """The real export that is not bundled (tests/test_bps_readers.NOT_BUNDLED): read into its four yearly
    blocks, its mislabelled columns give values that cannot be true, over the share the loader holds back."""
    from tests.test_bps_readers import LABOUR_FORCE_XLSX

    path = SHARED / LABOUR_FORCE_XLSX
    if not path.exists():
        pytest.skip("../shared is not here")
    table = read_bps_table(path)
    assert len(table) == 4 * 2 * 16 * 10 and set(table.year) == {2019, 2020, 2021, 2022}
    assert set(table.period) == {"M02", "M08"} and set(table.layout) == {"area_by_period"}
    reasons = implausible_value_reasons(table)
    assert reasons.notna().sum() == 134 and reasons.notna().sum() > MOST_HELD_BACK * len(table)
    first = reasons[reasons.notna()].iloc[0]
    assert "Bukan Angkatan Kerja (AK) / % Bekerja / AK" in first and "1,048,025" in first


@pytest.mark.parametrize("export", ["csv", "xlsx", "html"])
def test_a_single_breakdown_label_under_the_title_is_no_second_title(tmp_path: Path, export: str):
    """A user who picked one sub-indicator: "Akses pada layanan air minum (layak)" alone over the years."""
    rows = [("ACEH", ["50.1", "51.2"]), ("NUSA TENGGARA TIMUR", ["30.5", "31.0"])]
    spec = TableSpec(
        "Proporsi rumah tangga dengan akses terhadap pelayanan dasar menurut provinsi (Persen)", "Provinsi",
        rows, [2020, 2021], ["Akses pada layanan air minum (layak)"],
    )  # fmt: skip
    writer = {"csv": write_csv, "xlsx": write_xlsx, "html": write_html}[export]
    table = read_bps_table(writer(tmp_path / f"t.{export}", spec))
    label = "Akses pada layanan air minum (layak)"
    assert observed(table) == expected(spec, PROVINCE_CODES, ACCESS, {label: label})
