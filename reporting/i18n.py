"""Every word of the report in Bahasa Indonesia (the default) and English."""

from __future__ import annotations

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"

# key: (Bahasa Indonesia, English). Placeholders are filled by str.format.
TEXTS: dict[str, tuple[str, str]] = {
    "page_title": ("Gudang Data Kemiskinan NTT", "NTT poverty warehouse"),
    "language_name": ("Bahasa Indonesia", "English"),
    "switch_to": ("Ganti bahasa", "Switch language"),
    "intro": (
        "Dibangun {built} UTC dari gudang data saja (tanpa internet). Sumber: statistik kemiskinan BPS dan "
        "Rencana Aksi Tahunan (RAT) penanggulangan kemiskinan Provinsi NTT.",
        "Built {built} UTC from the warehouse alone (no internet). Sources: BPS poverty statistics and the "
        "province's annual poverty-reduction action plans (RAT).",
    ),
    "summary_heading": ("Ringkasan", "At a glance"),
    "summary_p0": (
        "Persentase penduduk miskin NTT {year}: {p0} ({poor}).",
        "Poverty rate of NTT in {year}: {p0} ({poor}).",
    ),
    "summary_budget": (
        "RAT {year}: pagu {total}, di antaranya {allocated} untuk kabupaten/kota yang disebut namanya dan "
        "{province_wide} untuk seluruh provinsi.",
        "RAT {year}: budget {total}, of which {allocated} for named regencies and {province_wide} "
        "province-wide.",
    ),
    "maps_heading": ("Peta kabupaten/kota", "Maps of the regencies"),
    "maps_note": (
        "Batas wilayah: cahyadsn/wilayah_boundaries (MIT), disederhanakan; cocok untuk peta tematik, bukan "
        "untuk pengukuran luas.",
        "Boundaries: cahyadsn/wilayah_boundaries (MIT), simplified; fit for thematic maps, not for measuring "
        "areas.",
    ),
    "map_p0_title": (
        "Persentase penduduk miskin (P0) menurut kabupaten/kota, {year}",
        "Poverty rate (P0) by regency, {year}",
    ),
    "map_rupiah_title": (
        "RAT {year}: anggaran per penduduk miskin menurut kabupaten/kota",
        "RAT {year}: budget per poor person by regency",
    ),
    "map_extreme_title": (
        "Persentase penduduk miskin ekstrem menurut kabupaten/kota, {year}",
        "Extreme poverty rate by regency, {year}",
    ),
    "no_extreme": (
        "Gudang data belum memuat angka kemiskinan ekstrem per kabupaten/kota; peta ini muncul begitu "
        "angkanya dimuat.",
        "The warehouse does not hold extreme-poverty figures by regency yet; this map appears once they are "
        "loaded.",
    ),
    "year": ("Tahun", "Year"),
    "rat_year": ("Tahun RAT", "RAT year"),
    "p0": ("P0 (%)", "P0 (%)"),
    "p0_long": ("Persentase penduduk miskin", "Poverty rate"),
    "poor": ("Penduduk miskin", "Poor people"),
    "poor_thousand": ("Penduduk miskin (ribu)", "Poor people (thousand)"),
    "rank": ("Peringkat P0 (1 = tertinggi)", "P0 rank (1 = highest)"),
    "change": ("Perubahan dari tahun sebelumnya", "Change on the previous year"),
    "gap": ("Selisih dengan provinsi", "Gap to the province"),
    "poverty_line": ("Garis kemiskinan", "Poverty line"),
    "per_capita_month": ("per kapita per bulan", "per capita per month"),
    "allocated": ("Anggaran untuk kabupaten/kota ini", "Budget allocated to the regency"),
    "rupiah_per_poor": ("Rupiah per penduduk miskin", "Rupiah per poor person"),
    "programs_reaching": ("Program RAT {year} yang menjangkau", "RAT {year} programs reaching it"),
    "no_programs": ("tidak ada program yang menyebut wilayah ini", "no program names this area"),
    "more_programs": ("… dan {count} program lain", "… and {count} more"),
    "extreme_rate": ("Penduduk miskin ekstrem", "Extreme poverty rate"),
    "extreme_count": ("Jumlah penduduk miskin ekstrem", "People in extreme poverty"),
    "extreme_producer": ("Sumber angka", "Figure from"),
    "no_data": ("tidak ada data", "no data"),
    "targets_heading": ("Target RAT dan capaian", "RAT targets against outcomes"),
    "targets_intro": (
        "Baris RAT yang menyebut indikator yang diukur BPS (P0, kemiskinan ekstrem, indeks kedalaman dan "
        "keparahan, …), dengan angka BPS tahun sebelum rencana, tahun rencana, dan tahun terakhir.",
        "RAT rows that name an indicator BPS measures (P0, extreme poverty, poverty gap and severity, …), "
        "with the BPS figure of the year before the plan, of the plan year and of the latest year.",
    ),
    "targets_title": (
        "Target RAT dan angka BPS: sebelum, selama, dan sesudah tahun rencana",
        "RAT targets and BPS figures: before, during and after the plan year",
    ),
    "targets_none": (
        "Tidak ada baris RAT yang menyebut indikator yang diukur gudang data.",
        "No RAT row names an indicator the warehouse measures.",
    ),
    "baseline": ("Tahun sebelum rencana", "Year before the plan"),
    "outcome": ("Tahun rencana", "Plan year"),
    "latest": ("Angka terakhir", "Latest figure"),
    "target": ("Target RAT", "RAT target"),
    "value": ("Nilai", "Value"),
    "col_rat": ("RAT (baris)", "RAT (row)"),
    "col_indicator": ("Indikator BPS", "BPS indicator"),
    "col_rat_text": ("Teks dalam RAT", "Text in the plan"),
    "col_area": ("Wilayah", "Area"),
    "col_target": ("Target", "Target"),
    "col_baseline": ("Sebelum ({year})", "Before ({year})"),
    "col_outcome": ("Tahun rencana", "Plan year"),
    "col_latest": ("Terakhir", "Latest"),
    "col_met": ("Tercapai?", "Met?"),
    "met_yes": ("ya", "yes"),
    "met_no": ("belum", "not yet"),
    "met_na": ("tidak dapat dibandingkan", "not comparable"),
    "not_in_warehouse": ("belum ada di gudang data", "not in the warehouse yet"),
    "budget_heading": ("Anggaran dan kemiskinan", "Budget and poverty"),
    "bar_title": (
        "RAT {year}: anggaran per penduduk miskin (tanpa anggaran seluruh provinsi)",
        "RAT {year}: budget per poor person (province-wide lines excluded)",
    ),
    "scatter_title": (
        "Apakah anggaran mengalir ke wilayah termiskin? P0 dan anggaran per penduduk miskin, RAT {year}",
        "Is the money going where poverty is deepest? P0 against budget per poor person, RAT {year}",
    ),
    "trend_heading": ("P0 dari tahun ke tahun", "P0 over the years"),
    "trend_title": (
        "Persentase penduduk miskin (P0) menurut kabupaten/kota, dengan provinsi sebagai pembanding",
        "Poverty rate (P0) by regency, with the province for reference",
    ),
    "series_regency": ("Kabupaten/kota", "Regency"),
    "series_province": ("Provinsi NTT", "NTT province"),
    "quality_heading": ("Mutu data pembaruan terakhir", "Data quality of the last refresh"),
    "quality_summary": (
        "{assets} aset, {failed} tidak berhasil, {checks_failed} pemeriksaan gagal (termasuk peringatan).",
        "{assets} assets, {failed} not succeeded, {checks_failed} checks failed (warnings included).",
    ),
    "quality_none": ("Belum ada pembaruan tercatat.", "No refresh recorded yet."),
    "quarantine_heading": (
        "Berkas yang dikarantina dan baris yang ditahan",
        "Quarantined files and held-back rows",
    ),
    "quarantine_none": ("Tidak ada: semua berkas dan baris terbaca.", "None: every file and row was read."),
    "status_succeeded": ("berhasil", "succeeded"),
    "status_failed": ("gagal", "failed"),
    "status_skipped": ("dilewati", "skipped"),
    "col_asset": ("Aset", "Asset"),
    "col_status": ("Status", "Status"),
    "col_rows_out": ("Baris keluar", "Rows out"),
    "col_rows_rejected": ("Baris ditolak", "Rows rejected"),
    "col_checks_passed": ("Pemeriksaan lolos", "Checks passed"),
    "col_checks_failed": ("Pemeriksaan gagal", "Checks failed"),
    "col_check_summary": ("Ringkasan pemeriksaan", "Check summary"),
    "col_source": ("Sumber", "Source"),
    "col_source_file": ("Berkas", "File"),
    "col_reason": ("Alasan", "Reason"),
}


def text(key: str, lang: str, **values: object) -> str:
    """The text for `key` in `lang` ("id" or "en"), with its placeholders filled."""
    indonesian, english = TEXTS[key]
    template = indonesian if lang == "id" else english
    return template.format(**values) if values else template
