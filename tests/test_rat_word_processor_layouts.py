"""The failures issue 13 found on plans typeset in a word processor, each on its own LibreOffice rendering."""

import dataclasses

import pytest

from ingest.rat.extract import extract_rat
from tests.rat_fuzz.render import rendered_corpus, soffice
from tests.rat_fuzz.score import scored
from tests.rat_fuzz.spec import STANDARD_COLUMNS, layout_spec

pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice is installed by `make test`")

# F4 landscape, 7 pt serif, no column-number row, the target headed "Target 2023", a Sumber Pendanaan
# column narrow enough that its label wraps mid-word.
F4_SERIF = dataclasses.replace(
    layout_spec(0),
    seed=1_000_001,
    renderer="docx",
    paper="F4",
    landscape=True,
    font_family="serif",
    font="Liberation Serif",
    font_size=7.0,
    margin_mm=15,
    columns=tuple(STANDARD_COLUMNS),
    column_set="standard",
    weights=(0.5, 1, 1.1, 1, 1, 1, 1.1, 1, 1.1, 0.9, 0.9, 1, 0.45),
    labels=(
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
        "Kinerja",
        "Pagu",
        "Sumber Pendanaan",
    ),
    group_label="Target 2023",
    header_case="title",
    number_row=False,
    header_min_height=0,
    body_kind="gold",
    year=2023,
    year_in_header=True,
    cover=False,
    revision=None,
    printed_date=None,
    running_header=False,
    total_label=None,
    min_column_chars=4.0,
)
# Letter portrait at 6 pt, "Pagu Indikatif (Rp)" and "Sumber Dana".
LETTER_6PT = dataclasses.replace(
    F4_SERIF,
    seed=1_000_002,
    paper="Letter",
    landscape=False,
    font_family="sans",
    font="Liberation Sans",
    font_size=6.0,
    margin_mm=12.7,
    weights=(0.5, 0.9, 1.2, 1.1, 1.0, 1.0, 0.9, 1.1, 1.1, 1.0, 0.8, 1.0, 0.8),
    labels=(*F4_SERIF.labels[:10], "Target 2023", "Pagu Indikatif (Rp)", "Sumber Dana"),
    group_label=None,
    number_row=True,
    min_column_chars=7.0,
)


@pytest.fixture(scope="module")
def pdfs():
    return rendered_corpus([F4_SERIF, LETTER_6PT])


def test_a_wrapped_header_word_does_not_leak_into_the_data(pdfs):
    document = extract_rat(pdfs[F4_SERIF.seed])
    score = scored(F4_SERIF, document)
    assert score.ok, score.wrong
    sources = {row.sumber_pendanaan for row in document.rows}
    assert sources <= {"APBD", "DAU", "Pendapatan Asli Daerah (PAD)", ""}, sources


def test_rows_that_continue_overleaf_are_joined(pdfs):
    document = extract_rat(pdfs[F4_SERIF.seed])
    assert len(document.rows) == 34
    broken = [row for row in document.rows if row.page_first != row.page_last]
    assert broken, "the rendering should break rows across pages"


def test_the_year_from_target_2023_without_tahun(pdfs):
    document = extract_rat(pdfs[F4_SERIF.seed])
    assert (document.year, document.year_source) == (2023, "matrix_header")
    assert {row.year for row in document.rows} == {2023}


def test_real_words_at_line_ends_are_not_glued(pdfs):
    document = extract_rat(pdfs[LETTER_6PT.seed])
    score = scored(LETTER_6PT, document)
    assert score.ok, score.wrong
    text = " ".join(getattr(row, c) for row in document.rows for c in STANDARD_COLUMNS)
    for glued in ("Persentasistunting", "pekerjaanrenumeratif", "kelompokmasyarakat"):
        assert glued not in text
