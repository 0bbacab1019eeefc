"""Real Indonesian planning vocabulary for generated matrices: the RAT 2023 matrix's own cells (bundled
gold) and the programs, agencies and activities its narrative and the seed articles name."""

from functools import cache

from ingest.rat.header import STANDARD_COLUMNS
from tests.rat_gold import gold_cells

# From the report's chapter 3.6 and the seed articles (shared/seeds/000-004).
PROGRAMS = [
    "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat",
    "Program Pengembangan Perumahan",
    "Program Penanganan Warga Negara Migran Korban Tindak Kekerasan",
    "Program Rehabilitasi Sosial",
    "Program Perlindungan dan Jaminan Sosial",
    "Program Penanganan Bencana",
    "Program Pemberdayaan Lembaga Kemasyarakatan Lembaga Adat dan Masyarakat Hukum Desa",
    "Program Pemberdayaan Usaha Ekonomi Masyarakat",
    "Program Administrasi Pemerintah Desa",
    "Program Pengelolaan Perikanan Tangkap",
    "Program Pengelolaan Perikanan Budidaya",
    "Program Pengelolaan dan Pemasaran Hasil Perikanan",
    "Program Pelaksanaan Konservasi Energi di Wilayah Provinsi",
    "Program Pemberdayaan Sosial",
    "Program Kewirausahaan Sosial",
]
PERANGKAT_DAERAH = [
    "Dinas Kesehatan",
    "Dinas Pendidikan dan Kebudayaan",
    "Dinas Pekerjaan Umum dan Perumahan Rakyat",
    "Dinas Sosial",
    "Dinas Pemberdayaan Masyarakat dan Desa",
    "Dinas Koperasi, Tenaga Kerja dan Transmigrasi",
    "Dinas Pertanian dan Ketahanan Pangan",
    "Dinas Energi dan Sumber Daya Mineral",
    "Dinas Kelautan dan Perikanan",
    "Bappelitbangda",
    "BPBD",
]
SUB_KEGIATAN = [
    "Pengelolaan Data Fakir Miskin Cakupan Daerah Provinsi",
    "Pemutakhiran Data Terpadu Kesejahteraan Sosial (DTKS)",
    "Penyaluran bantuan pangan non tunai (BPNT)",
    "Pendampingan Keluarga Penerima Manfaat (KPM) PKH",
    "Pelatihan keterampilan kerja bagi masyarakat miskin",
    "Peningkatan kapasitas UMKM dan akses permodalan",
    "Pembangunan rumah layak huni bagi masyarakat berpenghasilan rendah",
    "Penyediaan sarana air bersih di desa terpencil",
    "Pemberian makanan tambahan bagi balita gizi kurang",
    "Fasilitasi Kelembagaan Masyarakat Desa",
    "Penyediaan instalasi listrik sambungan rumah masyarakat tidak mampu",
    "Pengadaan sarana dan prasarana perikanan bagi nelayan miskin",
]
FUNDING = ["APBD", "APBN", "DAK", "DAU", "Dana Desa", "APBD II", "Pendapatan Asli Daerah (PAD)", "APBD, APBN"]
TARGET_UNITS = ["%", " KK", " unit", " orang", " KPM", " desa", " paket", " kelompok", " KUBE", " rumah"]


@cache
def gold_phrases() -> dict[str, list[str]]:
    """Distinct texts of each standard column in the real matrix."""
    cells = gold_cells()
    return {column: sorted({row[i] for row in cells if row[i]}) for i, column in enumerate(STANDARD_COLUMNS)}
