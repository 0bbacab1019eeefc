"""Matrix headers as regencies and word processors set them: column sets, wording, case, wrapped words."""

import pytest

from ingest.rat.header import column_names, is_matrix_header, missing_core_columns, year_from_header


@pytest.mark.parametrize(
    ("labels", "names"),
    [
        (
            [
                "No",
                "Sektor/ Urusan",
                "Kebijakan",
                "Sasaran",
                "Indikator Sasaran",
                "Program",
                "Indikator Program",
                "Kegiatan",
                "Indikator Kegiatan",
                "Lokasi",
                "Target Tahun 2023 Kinerja",
                "Pagu",
                "Sumber Pendanaan",
            ],
            [
                "no",
                "sektor",
                "kebijakan",
                "sasaran",
                "indikator_sasaran",
                "program",
                "indikator_program",
                "kegiatan",
                "indikator_kegiatan",
                "lokasi",
                "target_kinerja",
                "pagu",
                "sumber_pendanaan",
            ],
        ),
        (  # a regency's set: no Sektor or Kebijakan, an agency, sub-activities, the budget spent
            [
                "NO.",
                "PROGRAM",
                "KEGIATAN",
                "SUB KEGIATAN",
                "INDIKATOR KINERJA SUB KEGIATAN",
                "OPD Pelaksana",
                "LOKASI",
                "TARGET KINERJA 2024",
                "PAGU INDIKATIF (Rp)",
                "Realisasi (Rp)",
                "Sumber Dana",
            ],
            [
                "no",
                "program",
                "kegiatan",
                "sub_kegiatan",
                "indikator_sub_kegiatan",
                "perangkat_daerah",
                "lokasi",
                "target_kinerja",
                "pagu",
                "realisasi",
                "sumber_pendanaan",
            ],
        ),
        (  # words cut by narrow columns, a bare "Indikator" under its activity
            [
                "Progra m",
                "Kegiata n",
                "Indikator",
                "Perangkat Daerah Penanggung Jawab",
                "Lokasi Kegiatan",
                "Target 2023",
                "Anggaran (Rp)",
                "Sumber Pendanaa n",
            ],
            [
                "program",
                "kegiatan",
                "indikator_kegiatan",
                "perangkat_daerah",
                "lokasi",
                "target_kinerja",
                "pagu",
                "sumber_pendanaan",
            ],
        ),
    ],
)
def test_column_sets_and_wordings(labels, names):
    assert column_names(labels) == names
    assert is_matrix_header(column_names(labels))


def test_data_cells_that_contain_header_words_are_not_headers():
    assert column_names(["relokasi rumah", "Program Pengembangan Perumahan", "APBD"]) == [None, None, None]


def test_a_header_without_core_columns_says_which():
    names = column_names(["No", "Nama", "Jabatan", "Program", "Lokasi"])
    assert missing_core_columns(names) == [
        "kegiatan",
        "indikator",
        "target_kinerja",
        "pagu",
        "sumber_pendanaan",
    ]
    assert not is_matrix_header(names)


@pytest.mark.parametrize(
    ("labels", "year"),
    [
        (["Target Tahun 2023 Kinerja", "Pagu"], 2023),
        (["Target 2023", "Pagu"], 2023),
        (["TARGET KINERJA 2025", "PAGU"], 2025),
        (["Target Kinerja", "Pagu 2024"], 2024),
        (["Realisasi 2022", "Target 2023", "Pagu"], 2023),  # the target's year, not the baseline's
        (["Target", "Pagu"], None),
    ],
)
def test_year_from_the_header(labels, year):
    assert year_from_header(labels, column_names(labels)) == year
