"""Rebuild bps_provinces.csv and bps_kabkota.csv from the BPS code list and the bundled BPS tables.

    .venv/bin/python data/reference/sources/build_bps_areas.py

Codes come only from the BPS lists (see SOURCE.md); the tables give the spellings BPS prints (the name
and the aliases) and the province block each kab/kota sits in today. A code the lists do not give is
never made up: the script stops and names the area instead.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parent
BPS_DATA = REFERENCE.parent / "bps"
BRIDGING = HERE / "sig-bps-bridging-2020"

# Provinces created in 2022 (UU 14, 15, 16 and 29 of 2022); their BPS codes are the WebAPI `vervar`
# values (see SOURCE.md), the 2020 bridging list predates them.
NEW_PROVINCES = {
    9200: ("Papua Barat Daya", 2022),
    9500: ("Papua Selatan", 2022),
    9600: ("Papua Tengah", 2022),
    9700: ("Papua Pegunungan", 2022),
}
# Year of the law that formed each province (only years after 1999 matter for the 2004+ tables).
FORMED_YEAR = {
    1100: 1956, 1200: 1950, 1300: 1957, 1400: 1957, 1500: 1957, 1600: 1950, 1700: 1967, 1800: 1964,
    1900: 2000, 2100: 2002, 3100: 1961, 3200: 1950, 3300: 1950, 3400: 1950, 3500: 1950, 3600: 2000,
    5100: 1958, 5200: 1958, 5300: 1958, 6100: 1956, 6200: 1957, 6300: 1956, 6400: 1956, 6500: 2012,
    7100: 1964, 7200: 1964, 7300: 1964, 7400: 1964, 7500: 2000, 7600: 2004, 8100: 1950, 8200: 1999,
    9100: 1999, 9400: 1969,
}  # fmt: skip
# Title-case names as BPS prints them in its province tables (e.g. "Jumlah dan Persentase Penduduk
# Miskin Menurut Provinsi"), and other spellings BPS uses for the same province.
PROVINCE_NAMES = {
    1900: ("Kepulauan Bangka Belitung", ["KEP. BANGKA BELITUNG", "Bangka Belitung"]),
    2100: ("Kepulauan Riau", ["KEP. RIAU"]),
    3100: ("DKI Jakarta", ["Daerah Khusus Ibukota Jakarta", "Jakarta"]),
    3400: ("DI Yogyakarta", ["D I YOGYAKARTA", "Daerah Istimewa Yogyakarta", "Yogyakarta"]),
    5300: ("Nusa Tenggara Timur", ["NTT", "Prov. NTT", "Provinsi NTT", "Provinsi Nusa Tenggara Timur"]),
}
# Renamed kab/kota: BPS tables still print the old name (see SOURCE.md).
RENAMED = {
    8101: "Maluku Tenggara Barat",  # Kepulauan Tanimbar since 2019
    7605: "Mamuju Utara",  # Pasangkayu since 2017
    6104: "Pontianak",  # Mempawah since 2014
    6302: "Kota Baru",  # the kabupaten Kotabaru, not a kota
    6411: "Mahakam Ulu",
}


def squashed(name: str) -> str:
    text = re.sub(r"^(kabupaten|kab\.?)\s+", "", " ".join(name.split()).lower())
    return re.sub(r"[^a-z]", "", text)


def is_upper(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def title_of_upper(name: str) -> str:
    return " ".join(word.capitalize() for word in name.split())


def names_in_bps_order() -> list[tuple[str, list[str]]]:
    """(file, area names in file order) for every bundled national kab/kota table."""
    tables = []
    for path in sorted(BPS_DATA.rglob("*Kabupaten_Kota*.csv")):
        rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
        tables.append((path.name, [row[0].strip() for row in rows[3:] if row]))
    for path in sorted(BPS_DATA.rglob("*.xls")):
        text = path.read_text(encoding="utf-8")
        left = text[text.index('id="tableLeftBottom"') : text.index('id="tableRightUp"')]
        tables.append((path.name, [m.strip() for m in re.findall(r"<td[^>]*>([^<]*)</td>", left)]))
    for path in sorted(BPS_DATA.rglob("*.csv")):
        text = path.read_bytes().decode("utf-8-sig")
        if "nama_item_vertical_variabel" in text[:300]:
            rows = list(csv.reader(io.StringIO(text.lstrip(" \ufeff")), delimiter=";"))
            tables.append((path.name, [row[-1].strip() for row in rows[1:] if row]))
    return tables


def spellings_by_block() -> dict[str, list[tuple[str, str]]]:
    """(file, kab/kota name) per province row, from every bundled national kab/kota table."""
    blocks: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for file_name, names in names_in_bps_order():
        block = None
        for name in names:
            if not name or name.lower().startswith(("catatan", "sumber", "keterangan")):
                continue
            if is_upper(name):
                block = name
            elif block:
                blocks[block].append((file_name, name))
    return blocks


def newest_spelling(spellings: list[tuple[str, str]]) -> str:
    return max(spellings, key=lambda item: re.findall(r"(?:19|20)\d\d", item[0]) or ["0"])[1]


def main() -> None:
    with (BRIDGING / "provinsi.csv").open(newline="", encoding="utf-8") as handle:
        bridged_provinces = list(csv.DictReader(handle))
    with (BRIDGING / "kabkota.csv").open(newline="", encoding="utf-8") as handle:
        bridged = list(csv.DictReader(handle))
    with (REFERENCE / "ntt_regencies.csv").open(newline="", encoding="utf-8") as handle:
        ntt = {int(row["bps_code"]): row for row in csv.DictReader(handle)}

    provinces = {int(row["kode_bps"]) * 100: row["nama_bps"] for row in bridged_provinces}
    province_rows = [
        {"bps_code": 0, "name": "Indonesia", "level": "country", "aliases": "Nasional|National",
         "formed_year": 1945, "code_source": "convention (BPS writes 0000 or 9999)"}
    ]  # fmt: skip
    code_of_block: dict[str, int] = {}
    for code in sorted([*provinces, *NEW_PROVINCES]):
        upper = provinces.get(code) or NEW_PROVINCES[code][0].upper()
        name, extra = PROVINCE_NAMES.get(code, (title_of_upper(upper), []))
        aliases = [a for a in [upper, *extra] if squashed(a) != squashed(name)]
        formed = NEW_PROVINCES[code][1] if code in NEW_PROVINCES else FORMED_YEAR[code]
        source = "BPS WebAPI vervar" if code in NEW_PROVINCES else "sig.bps.go.id bridging 2020"
        province_rows.append(
            {"bps_code": code, "name": name, "level": "province", "aliases": "|".join(dict.fromkeys(aliases)),
             "formed_year": formed, "code_source": source}
        )  # fmt: skip
        for spelling in (name, *aliases):
            code_of_block[squashed(spelling)] = code

    blocks = spellings_by_block()
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    province_now: dict[int, int] = {}
    for block, spellings in blocks.items():
        province = code_of_block.get(squashed(block))
        if province is None:
            sys.exit(f"province row {block!r} is in no BPS list")
        candidates = {}
        for row in bridged:
            code = int(row["kode_bps"])
            is_city = code % 100 >= 71
            keys = {squashed(("Kota " if is_city else "") + row["nama_bps"])}
            if code in RENAMED:
                keys.add(squashed(RENAMED[code]))
            for key in keys:
                candidates.setdefault(key, []).append(code)
        for file_name, spelling in spellings:
            codes = candidates.get(squashed(spelling), [])
            # Same spelling in two provinces (Bogor, Kupang...): the block decides; areas that moved
            # to a province formed in 2022 keep their code and are found under the old province's list.
            local = [c for c in codes if c // 100 * 100 == province]
            if not local and province in NEW_PROVINCES:
                local = [c for c in codes if c // 100 * 100 in (9100, 9400)]
            if len(local) != 1:
                sys.exit(f"{file_name}: {spelling!r} under {block} matches codes {codes}")
            found[local[0]].append((file_name, spelling))
            if province_now.setdefault(local[0], province) != province and province in NEW_PROVINCES:
                province_now[local[0]] = province

    missing = [row for row in bridged if int(row["kode_bps"]) not in found]
    if missing:
        sys.exit(f"no table lists {[(r['kode_bps'], r['nama_bps']) for r in missing]}")

    kabkota_rows = []
    for row in bridged:
        code = int(row["kode_bps"])
        spellings = found[code]
        name = ntt[code]["name"] if code in ntt else newest_spelling(spellings)
        aliases = {s for _, s in spellings} | ({row["nama_bps"]} if code % 100 < 71 else set())
        if code in ntt:
            aliases |= {a for a in ntt[code]["aliases"].split("|") if a}
        home = code // 100 * 100
        now = province_now.get(code, home)
        kabkota_rows.append(
            {
                "bps_code": code,
                "province_bps_code": now,
                "name": name,
                "type": "Kota" if code % 100 >= 71 else "Kabupaten",
                "aliases": "|".join(
                    sorted(
                        {squashed(a): a for a in sorted(aliases) if squashed(a) != squashed(name)}.values()
                    )
                ),
                "previous_province_bps_code": home if now != home else "",
                "formed_year": ntt[code]["formed_year"] if code in ntt else "",
            }
        )
    write(REFERENCE / "bps_provinces.csv", province_rows)
    write(REFERENCE / "bps_kabkota.csv", kabkota_rows)
    print(f"{len(province_rows)} areas in bps_provinces.csv, {len(kabkota_rows)} in bps_kabkota.csv")


def write(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
