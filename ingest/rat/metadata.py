"""What a RAT document says about itself: title, issuer, plan year, revision, printed date.

Read from where authors put them, in this order of trust:
- the plan year from the matrix header ("Target Tahun 2023", "Pagu 2024"), else the title page,
  else a running header, else the file name;
- the issuer (the province, or the kabupaten/kota whose TKPK wrote the plan) and a revision marker
  ("Perubahan", "Revisi Kedua") from the title page or a running header only: the body cites laws
  "tentang Perubahan atas ..." and the "Perubahan APBD", which say nothing about the plan itself;
- the printed date from the signature line ("Kupang, Desember 2022") or the cover.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ingest.rat.page_text import PageText, TextLine
from ingest.rat.settings import DEFAULT_RAT_SETTINGS, RatSettings
from ingest.regions import PROVINCE_BPS_CODE, PROVINCE_NAME, bps_code_for_area, load_regencies

YEAR_FROM_MATRIX_HEADER = "matrix_header"
YEAR_FROM_TITLE_PAGE = "title_page"
YEAR_FROM_RUNNING_HEADER = "running_header"
YEAR_FROM_FILE_NAME = "file_name"

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_TITLE_PHRASE = re.compile(r"\b(rencana\s+aksi|\bRAT\b)", re.I)
# A table's or figure's caption names the matrix, not the document: "Tabel 3.1 Matriks Rencana Aksi ...".
_CAPTION = re.compile(r"^(tabel|table|matriks|lampiran|grafik|gambar|figure)\b", re.I)

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "january", "jan"),
            ("februari", "pebruari", "february", "feb"),
            ("maret", "march", "mar"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("agustus", "august", "agu", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nopember", "nov"),
            ("desember", "december", "des", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE = rf"(?:(\d{{1,2}})\s+)?(?i:({_MONTH}))\.?\s+((?:19|20)\d\d)"
# "Kupang, Desember 2022", "Waingapu, 15 Januari 2023", "Ditetapkan di Kupang pada tanggal 2 Mei 2023":
# a place name (capitalised words) and a comma before the date, alone on its line.
_PLACE = r"[A-Z][A-Za-z'.-]+(?:\s+[A-Z][A-Za-z'.-]+){0,2}"
_SIGNED_DATE = re.compile(rf"^(?:{_PLACE},\s*|.*\b(?i:pada\s+tanggal)\s*:?\s*){_DATE}\s*$")
_BARE_DATE = re.compile(rf"^{_DATE}$")

# "Perubahan", "Perubahan Kedua", "Revisi", "Revisi ke-2", "(PERUBAHAN I)".
_REVISION = re.compile(
    r"\b(perubahan|revisi)\b(\s+(?:ke-?\s*)?(?:pertama|kedua|ketiga|keempat|kelima|\d{1,2}|[IVX]{1,4})\b)?",
    re.I,
)
# ... but not a citation: "tentang Perubahan atas Peraturan ...", "Perubahan APBD", "Perubahan Anggaran".
_CITED_REVISION_BEFORE = re.compile(r"\b(tentang|dengan|dan|atas)\s*$", re.I)
_CITED_REVISION_AFTER = re.compile(
    r"^\s*(atas|apbd|anggaran|rkpd|rpjmd|rencana\s+kerja|peraturan|kedua\s+atas|ketiga\s+atas)\b", re.I
)

_AREA = re.compile(
    r"\b(provinsi|prov\.?|kabupaten|kab\.?|kota)\s+((?:[A-Za-z][\w'-]*\.?\s*){1,4})",
    re.I,
)


@dataclass(frozen=True)
class DocumentMetadata:
    title: str | None = None
    year: int | None = None
    year_source: str | None = None
    issuer_bps_code: int | None = None
    issuer_name: str | None = None
    issuer_source: str | None = None
    revision_marker: str | None = None
    printed_date: datetime.date | None = None


def _is_cover(page: PageText, settings: RatSettings) -> bool:
    return not page.has_table and 0 < page.word_count <= settings.cover_max_words


def _body_size(page: PageText) -> float:
    sizes = Counter()
    for line in page.lines:
        sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _is_date_line(text: str) -> bool:
    return bool(_SIGNED_DATE.match(text) or _BARE_DATE.match(text))


def _title_lines(page: PageText, settings: RatSettings) -> list[TextLine]:
    """The lines that make the title on the first page.

    On a cover: the run of largest-type lines (the date and the office under it are not the title).
    On a page that opens with text: the headings, then the sentence that names the plan.
    """
    lines = [line for line in page.lines if not _is_date_line(line.text)]
    if not lines:
        return []
    if _is_cover(page, settings):
        biggest = max(line.size for line in lines)
        start = next(
            (i for i, line in enumerate(lines) if _TITLE_PHRASE.search(line.text)),
            next(i for i, line in enumerate(lines) if line.size >= biggest * settings.title_size_fraction),
        )
        size = lines[start].size
        run = [lines[start]]
        for line in lines[start + 1 :]:
            gap = line.top - run[-1].bottom
            smaller = line.size < size * settings.title_continuation_size
            if smaller or gap > settings.title_max_gap * max(size, 1.0):
                break
            run.append(line)
        return run
    body = _body_size(page)
    return [line for line in lines if line.size >= body * settings.heading_size_ratio]


def _title_from_text(text: str) -> str | None:
    """'... Dokumen Rencana Aksi Tahunan (RAT) ... Nusa Tenggara Timur 2023 telah ...' -> the plan's name."""
    match = re.search(r"rencana\s+aksi\b.*?(?:(?<!\d)(?:19|20)\d\d(?!\d)|[.;:]|$)", text, re.I)
    if not match:
        return None
    return match.group(0).rstrip(" .;:") or None


def title_of(
    first_page: PageText | None, running: list[str] = (), *, settings: RatSettings = DEFAULT_RAT_SETTINGS
) -> tuple[str | None, list[str]]:
    """The document's title as printed on its first page, and the title-block texts to read it from.

    Running headers (`running`) and captions are left out: they are read as what they are.
    """
    if first_page is None:
        return None, []
    keys = {_running_key(text) for text in running}
    first_page = PageText(
        first_page.number,
        first_page.height,
        [
            line
            for line in first_page.lines
            if _running_key(line.text) not in keys and not _CAPTION.match(line.text)
        ],
        first_page.has_table,
    )
    if not first_page.lines:
        return None, []
    lines = _title_lines(first_page, settings)
    block = " ".join(line.text for line in lines)
    if _is_cover(first_page, settings) and block:
        # A cover holds nothing but the plan's identity: its other lines (the office, a "(Perubahan)" in
        # smaller type) are read too, after the title.
        rest = [line.text for line in first_page.lines if line not in lines and not _is_date_line(line.text)]
        return block, [line.text for line in lines] + rest
    page_text = " ".join(line.text for line in first_page.lines)
    heading_title = _title_from_text(block) if block else None
    title = heading_title or _title_from_text(page_text)
    texts = [line.text for line in lines]
    if title and title not in texts:
        texts.append(title)
    return title, texts


def running_headers(pages: list[PageText], *, settings: RatSettings = DEFAULT_RAT_SETTINGS) -> list[str]:
    """Lines repeated at the top or bottom of several pages (page numbers aside)."""
    if not pages:
        return []
    seen: Counter[str] = Counter()
    text_of: dict[str, str] = {}
    for page in pages:
        keys = set()
        for line in page.lines:
            band = settings.running_band
            in_band = line.bottom <= page.height * band or line.top >= page.height * (1 - band)
            if not in_band:
                continue
            key = _running_key(line.text)
            if key:
                keys.add(key)
                text_of.setdefault(key, line.text)
        seen.update(keys)
    # On most pages; a one-page plan's page header is its running header too.
    needed = 1 if len(pages) == 1 else max(2, (len(pages) + 2) // 3)
    return [text_of[key] for key, count in seen.items() if count >= needed]


def _running_key(text: str) -> str:
    """A header line less its page number ('Halaman 3', '- 3 -', '3 / 22')."""
    text = re.sub(r"\b(halaman|hal\.?|page)\s*\d{1,3}(\s*(dari|of|/)\s*\d{1,3})?", " ", text, flags=re.I)
    tokens = [t for t in text.split() if not re.fullmatch(r"[-\u2013|/]*\d{1,3}[-\u2013|/]*|[-\u2013|/]+", t)]
    return " ".join(tokens).lower()


def _area_names(text: str) -> list[tuple[int, str]]:
    """Every NTT area named with its kind in `text` ('Kabupaten Sumba Timur', 'KOTA KUPANG'), in order."""
    found = []
    for match in _AREA.finditer(text):
        kind = match.group(1).lower().rstrip(".")
        words = match.group(2).split()
        for n in range(len(words), 0, -1):
            name = " ".join(words[:n]).strip(".,;:()")
            spelled = f"Kota {name}" if kind == "kota" else name
            if kind.startswith("prov"):
                spelled = f"Provinsi {name}"
            code = bps_code_for_area(spelled)
            if code is not None and (code == PROVINCE_BPS_CODE) == kind.startswith("prov"):
                found.append((code, match.group(0)))
                break
    return found


def official_area_name(code: int) -> str:
    if code == PROVINCE_BPS_CODE:
        return f"Provinsi {PROVINCE_NAME}"
    regency = next(r for r in load_regencies() if r.bps_code == code)
    return regency.name if regency.type == "Kota" else f"{regency.type} {regency.name}"


def issuer_of(texts: list[str]) -> int | None:
    """The first NTT area a title block names (a regency's plan names its kabupaten before the province)."""
    for text in texts:
        names = _area_names(text)
        if names:
            return names[0][0]
    return None


def revision_marker_of(texts: list[str]) -> str | None:
    for text in texts:
        for match in _REVISION.finditer(text):
            before, after = text[: match.start()], text[match.end() :]
            if _CITED_REVISION_BEFORE.search(before) or _CITED_REVISION_AFTER.match(after):
                continue
            return " ".join(match.group(0).split())
    return None


def _year_in(texts: list[str]) -> int | None:
    for text in texts:
        if _is_date_line(text):
            continue
        years = _YEAR.findall(text)
        if years:
            return int(years[-1])
    return None


def year_from_file_name(path: Path) -> int | None:
    years = _YEAR.findall(Path(path).stem.replace("_", " "))
    return int(years[-1]) if years else None


def _date_of(match: re.Match[str]) -> datetime.date | None:
    day, month, year = match.group(1), match.group(2), match.group(3)
    try:
        return datetime.date(int(year), MONTHS[month.lower()], int(day) if day else 1)
    except ValueError:
        return None


def printed_date_of(
    pages: list[PageText], *, settings: RatSettings = DEFAULT_RAT_SETTINGS
) -> datetime.date | None:
    """The signature line's date anywhere outside the matrix, else a bare 'Desember 2022' on a cover."""
    for page in pages:
        for line in page.lines:
            match = _SIGNED_DATE.match(line.text)
            if match and (found := _date_of(match)):
                return found
    for page in pages[:1]:
        if _is_cover(page, settings):
            for line in page.lines:
                match = _BARE_DATE.match(line.text)
                if match and (found := _date_of(match)):
                    return found
    return None


def document_metadata(
    pages: list[PageText],
    header_year: int | None,
    path: Path,
    *,
    settings: RatSettings = DEFAULT_RAT_SETTINGS,
) -> DocumentMetadata:
    """Everything the document says about itself; `pages` are its pages' text outside tables, in order."""
    first = next((page for page in pages if page.lines), None)
    headers = running_headers(pages, settings=settings)
    title, title_texts = title_of(first, headers, settings=settings)

    year, year_source = header_year, YEAR_FROM_MATRIX_HEADER if header_year else None
    for texts, source in (
        (title_texts, YEAR_FROM_TITLE_PAGE),
        (headers, YEAR_FROM_RUNNING_HEADER),
    ):
        if year is None and (found := _year_in(texts)) is not None:
            year, year_source = found, source
    if year is None and (found := year_from_file_name(path)) is not None:
        year, year_source = found, YEAR_FROM_FILE_NAME

    issuer, issuer_source = issuer_of(title_texts), YEAR_FROM_TITLE_PAGE
    if issuer is None:
        issuer, issuer_source = issuer_of(headers), YEAR_FROM_RUNNING_HEADER
    return DocumentMetadata(
        title=title,
        year=year,
        year_source=year_source,
        issuer_bps_code=issuer,
        issuer_name=official_area_name(issuer) if issuer is not None else None,
        issuer_source=issuer_source if issuer is not None else None,
        revision_marker=revision_marker_of([*title_texts, *headers]),
        printed_date=printed_date_of(pages, settings=settings),
    )
