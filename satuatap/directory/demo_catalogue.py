"""The demo mall: a Pekanbaru-sized MPP (demo data only, not authoritative).

Numbers follow the seed articles: 33 tenants, 191 services (Disdukcapil 22),
266 counters, two buildings after the 2023 fire. Fees and durations are
plausible demo values; the real ones come from each agency's standar pelayanan.
The services themselves are in ``demo_services.py``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

MALL = {"slug": "pekanbaru", "name": "MPP Kota Pekanbaru", "city": "Pekanbaru", "timezone": "Asia/Jakarta"}

# The mall's maklumat pelayanan in the standard form (PermenPANRB 15/2014), signed by the head of the DPMPTSP.
MAKLUMAT = (
    "Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang telah "
    "ditetapkan dan apabila tidak menepati janji ini, kami siap menerima sanksi sesuai peraturan "
    "perundang-undangan yang berlaku.\n"
    "Kami juga berjanji untuk terus melakukan perbaikan secara berkelanjutan dan menerima pengaduan, saran "
    "dan masukan masyarakat demi pelayanan yang lebih baik."
)
MAKLUMAT_SIGNED_BY = "Kepala DPMPTSP Kota Pekanbaru"

BUILDINGS = [
    ("mpp", "Gedung MPP", "Pekanbaru (alamat demo)"),
    ("dukcapil", "Gedung Disdukcapil", "Pekanbaru (alamat demo)"),
]

# code, name, building code, floor
ZONES = [
    ("A", "Zona A · Disdukcapil", "dukcapil", "Lantai 1"),
    ("B", "Zona B · Perizinan & Pertanahan", "mpp", "Lantai 1"),
    ("C", "Zona C · Kepolisian & Samsat", "mpp", "Lantai 1"),
    ("D", "Zona D · BPJS & Keuangan", "mpp", "Lantai 2"),
    ("E", "Zona E · Perbankan & Layanan Lain", "mpp", "Lantai 2"),
]

# weekday: (opens, closes, break_start, break_end); Saturday and Sunday closed.
_MON_THU = (dt.time(8), dt.time(15, 30), dt.time(12), dt.time(13))
_FRI = (dt.time(8), dt.time(16), dt.time(11, 30), dt.time(13, 30))
HOURS = {0: _MON_THU, 1: _MON_THU, 2: _MON_THU, 3: _MON_THU, 4: _FRI}


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    kind: str  # Agency.Kind value
    zone: str
    counters: int
    prefix_base: str  # two letters; services without an explicit prefix get base + A, B, C...
    step: str  # the agency-specific step of its procedure
    channel: str  # the agency's own complaint channel


_LAPOR = "SP4N-LAPOR! (www.lapor.go.id); meja pengaduan MPP di lantai dasar; kotak saran dan SKM di loket"

AGENCIES = [
    AgencySpec("DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "regional", "A", 90, "DC",
               "Petugas memverifikasi berkas dan data SIAK, lalu mencetak atau menerbitkan dokumen",
               "WhatsApp pengaduan Disdukcapil; loket pengaduan di Gedung Disdukcapil"),
    AgencySpec("DPMPTSP", "Dinas Penanaman Modal dan PTSP", "regional", "B", 16, "PZ",
               "Petugas memeriksa kelengkapan di OSS/SIMBG; tim teknis memeriksa bila perlu",
               "Help desk perizinan DPMPTSP di Zona B"),
    AgencySpec("BPN", "Kantor Pertanahan Kota Pekanbaru", "central", "B", 8, "TN",
               "Petugas memeriksa berkas dan menerbitkan Surat Perintah Setor PNBP; bayar di bank persepsi",
               "Aplikasi Sentuh Tanahku; pengaduan Kementerian ATR/BPN"),
    AgencySpec("DAMKAR", "Dinas Pemadam Kebakaran", "regional", "B", 2, "DM",
               "Petugas teknis memeriksa dokumen proteksi kebakaran dan menjadwalkan peninjauan",
               "Call center pemadam kebakaran 113"),
    AgencySpec("DINKES", "Dinas Kesehatan", "regional", "B", 2, "KS",
               "Petugas memverifikasi berkas dan menjadwalkan pemeriksaan sarana bila perlu",
               "Loket pengaduan Dinas Kesehatan"),
    AgencySpec("DISNAKER", "Dinas Tenaga Kerja", "regional", "B", 2, "NK",
               "Petugas memverifikasi berkas dan data di SIAPkerja",
               "Loket pengaduan Dinas Tenaga Kerja"),
    AgencySpec("LPSE", "Layanan Pengadaan Secara Elektronik", "regional", "B", 2, "LP",
               "Petugas memverifikasi dokumen asli penyedia dan akun SPSE",
               "Help desk LPSE"),
    AgencySpec("DISHUB", "Dinas Perhubungan", "regional", "B", 2, "HB",
               "Petugas memverifikasi berkas dan menjadwalkan uji atau survei lapangan",
               "Loket pengaduan Dinas Perhubungan"),
    AgencySpec("DISPERINDAG", "Dinas Perindustrian dan Perdagangan", "regional", "B", 2, "DG",
               "Petugas memverifikasi berkas dan menjadwalkan pemeriksaan bila perlu",
               "Loket pengaduan Disperindag"),
    AgencySpec("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", "regional", "B", 2, "KB",
               "Petugas memverifikasi berkas dan menerbitkan surat",
               "Loket pengaduan Kesbangpol"),
    AgencySpec("DISPORA", "Dinas Pemuda dan Olahraga", "regional", "B", 1, "OR",
               "Petugas memverifikasi berkas dan menerbitkan surat",
               "Loket pengaduan Dispora"),
    AgencySpec("POLRESTA", "Polresta Pekanbaru", "central", "C", 12, "PR",
               "Petugas memverifikasi berkas, mengambil sidik jari bila perlu, dan mencetak dokumen",
               "Layanan darurat dan pengaduan Polri 110; Propam Polresta"),
    AgencySpec("POLDA", "Polda Riau", "central", "C", 10, "PD",
               "Petugas memverifikasi berkas, foto dan sidik jari, lalu mencetak dokumen",
               "Layanan pengaduan Polri 110; Propam Polda Riau"),
    AgencySpec("SAMSAT", "UPT Samsat Riau", "regional", "C", 30, "SM",
               "Petugas menetapkan pajak dan PNBP; bayar di kasir atau bank; dokumen disahkan",
               "Pengaduan Bapenda Provinsi Riau; aplikasi SIGNAL"),
    AgencySpec("JASARAHARJA", "PT Jasa Raharja", "bumn", "C", 2, "JR",
               "Petugas memverifikasi berkas dan data kecelakaan dari kepolisian",
               "Contact center Jasa Raharja"),
    AgencySpec("KEJARI", "Kejaksaan Negeri Pekanbaru", "central", "C", 2, "KJ",
               "Petugas mencocokkan data perkara dan putusan",
               "Pengaduan Kejaksaan Negeri"),
    AgencySpec("BPJSKES", "BPJS Kesehatan", "central", "D", 14, "BK",
               "Petugas memverifikasi data peserta di aplikasi BPJS Kesehatan",
               "BPJS Kesehatan Care Center 165; aplikasi Mobile JKN"),
    AgencySpec("BPJSTK", "BPJS Ketenagakerjaan", "central", "D", 12, "BT",
               "Petugas memverifikasi data dan melakukan wawancara klaim",
               "Contact center BPJAMSOSTEK 175; aplikasi JMO"),
    AgencySpec("DJP", "Kantor Pelayanan Pajak Pratama Pekanbaru (DJP Riau)", "central", "D", 6, "PJ",
               "Petugas memverifikasi identitas dan data perpajakan",
               "Kring Pajak 1500200; www.pengaduan.pajak.go.id"),
    AgencySpec("BAPENDA", "Badan Pendapatan Daerah", "regional", "D", 6, "BP",
               "Petugas memverifikasi data objek pajak dan menetapkan jumlah pajak",
               "Loket pengaduan Bapenda Kota Pekanbaru"),
    AgencySpec("TASPEN", "PT Taspen", "bumn", "D", 2, "TP",
               "Petugas memverifikasi berkas dan identitas peserta",
               "Contact center Taspen 1500919"),
    AgencySpec("IMIGRASI", "Kantor Imigrasi Kelas I TPI Pekanbaru", "central", "E", 20, "IM",
               "Wawancara, foto dan sidik jari; bayar PNBP di bank atau kantor pos",
               "Pengaduan Direktorat Jenderal Imigrasi; unit pengaduan kantor imigrasi"),
    AgencySpec("KEMENAG", "Kantor Kementerian Agama Kota Pekanbaru", "central", "E", 2, "KM",
               "Petugas memverifikasi berkas dan data SISKOHAT/SIMKAH",
               "Pengaduan Kementerian Agama"),
    AgencySpec("PN", "Pengadilan Negeri Pekanbaru", "central", "E", 2, "PN",
               "Petugas PTSP pengadilan memverifikasi berkas",
               "Pengaduan Badan Pengawasan Mahkamah Agung (SIWAS)"),
    AgencySpec("PA", "Pengadilan Agama Pekanbaru", "central", "E", 2, "PA",
               "Petugas PTSP pengadilan memverifikasi berkas",
               "Pengaduan Badan Pengawasan Mahkamah Agung (SIWAS)"),
    AgencySpec("DISSOS", "Dinas Sosial", "regional", "E", 2, "SS",
               "Petugas memeriksa data di DTKS/DTSEN dan menjadwalkan verifikasi lapangan",
               "Loket pengaduan Dinas Sosial"),
    AgencySpec("PDAM", "Perumda Air Minum Tirta Siak", "bumd", "E", 2, "AM",
               "Petugas memverifikasi data pelanggan dan menjadwalkan survei",
               "Call center Tirta Siak"),
    AgencySpec("PLN", "PT PLN (Persero)", "bumn", "E", 2, "PL",
               "Petugas mendaftarkan permohonan di aplikasi PLN Mobile",
               "Contact center PLN 123; aplikasi PLN Mobile"),
    AgencySpec("POS", "PT Pos Indonesia", "bumn", "E", 2, "PS",
               "Petugas menimbang, mencatat dan menerbitkan resi",
               "Halo Pos 1500161"),
    AgencySpec("BRK", "Bank Riau Kepri Syariah", "bank", "E", 2, "RK",
               "Teller memproses transaksi", "Call center Bank Riau Kepri Syariah"),
    AgencySpec("BNI", "Bank Negara Indonesia", "bank", "E", 2, "BN",
               "Teller memproses transaksi", "BNI Call 1500046"),
    AgencySpec("BSI", "Bank Syariah Indonesia", "bank", "E", 2, "BS",
               "Teller memproses transaksi", "BSI Call 14040"),
    AgencySpec("ORI", "Ombudsman RI Perwakilan Riau", "central", "E", 1, "OM",
               "Asisten Ombudsman mencatat dan memeriksa laporan",
               "Call center Ombudsman 137"),
]  # fmt: skip

QUOTAS = {
    "DUKCAPIL-REKAM-KTP": 200,
    "DUKCAPIL-AKTA-KAWIN": 30,
    "DUKCAPIL-WNA": 20,
    "IMIGRASI-PASPOR-BARU": 120,
    "IMIGRASI-E-PASPOR": 60,
    "IMIGRASI-PASPOR-HILANG": 20,
    "POLDA-SIM-A-PANJANG": 150,
    "SAMSAT-BBNKB": 100,
    "BPN-CEK-SERTIFIKAT": 50,
    "BPN-PERALIHAN": 40,
    "KEMENAG-HAJI": 40,
    "BPJSTK-KLAIM-JHT": 120,
}

BOOKABLE = {
    "DUKCAPIL-KTP-BARU",
    "DUKCAPIL-KK-BARU",
    "DUKCAPIL-AKTA-LAHIR",
    "DUKCAPIL-REKAM-KTP",
    "IMIGRASI-PASPOR-BARU",
    "IMIGRASI-E-PASPOR",
    "IMIGRASI-PASPOR-GANTI",
    "IMIGRASI-PASPOR-ANAK",
    "POLDA-SIM-A-PANJANG",
    "POLDA-SIM-C-PANJANG",
    "SAMSAT-BBNKB",
    "BPN-PERALIHAN",
    "BPJSTK-KLAIM-JHT",
    "KEMENAG-HAJI",
    "DPMPTSP-PBG",
    "DPMPTSP-KONSUL",
}


def procedure_for(agency: AgencySpec, product: str) -> str:
    return (
        "1. Ambil nomor antrean di anjungan MPP atau pesan kunjungan daring.\n"
        f"2. Saat nomor dipanggil, serahkan persyaratan di loket {agency.name}.\n"
        f"3. {agency.step}.\n"
        f"4. Terima hasil layanan ({product}) atau tanda terima dengan jadwal pengambilan.\n"
        "5. Isi survei kepuasan masyarakat (SKM) melalui tautan pada tiket."
    )


def service_fields(spec, agency: AgencySpec, letters) -> dict:
    """A demo service's published standard from its catalogue line; ``letters`` hands out the agency's next
    ticket-prefix letter when the line names no prefix of its own."""
    return {
        "code": spec.code,
        "name": spec.name,
        "kind": spec.kind,
        "requirements": spec.requirements.replace("; ", "\n"),
        "procedure": procedure_for(agency, spec.product),
        "duration": spec.duration,
        "completion_working_days": spec.completion_working_days,
        "fee": spec.fee,
        "product": spec.product,
        "prefix": spec.prefix or agency.prefix_base + next(letters),
    }


def complaint_channel_for(agency: AgencySpec) -> str:
    return f"{agency.channel}; {_LAPOR}"


def counter_desks(service_codes: list[str], counters: int) -> list[list[str]]:
    """The services each counter of an agency serves, in counter order.

    Services are listed most used first. Small tenants (one or two counters)
    serve everything; larger ones split services into desks of about three,
    and counters go to desks in turn, so every desk (hence every service)
    has at least one counter and the busiest desks come first.
    """
    if counters <= 2:
        return [list(service_codes) for _ in range(counters)]
    desks = min(math.ceil(len(service_codes) / 3), counters)
    size = math.ceil(len(service_codes) / desks)
    chunks = [service_codes[i : i + size] for i in range(0, len(service_codes), size)]
    return [chunks[n % len(chunks)] for n in range(counters)]
