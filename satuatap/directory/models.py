"""Master data of a mall: buildings, zones, agencies, services, counters, hours.

Master data is archived (``archived_at``), never deleted, and keeps its
history (django-simple-history) so a report of last year still names the
counters and services as they were.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

DEFAULT_PRIORITY_GROUPS = ["lansia", "disabilitas", "ibu_hamil", "anak"]


def default_priority_groups():
    return list(DEFAULT_PRIORITY_GROUPS)


class ActiveQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)


class Archivable(models.Model):
    archived_at = models.DateTimeField(_("diarsipkan pada"), null=True, blank=True)
    objects = ActiveQuerySet.as_manager()

    class Meta:
        abstract = True


class Mall(Archivable):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("nama"), max_length=200)
    city = models.CharField(_("kota"), max_length=100)
    timezone = models.CharField(
        _("zona waktu"),
        max_length=40,
        default="Asia/Jakarta",
        choices=[("Asia/Jakarta", "WIB"), ("Asia/Makassar", "WITA"), ("Asia/Jayapura", "WIT")],
    )
    priority_groups = models.JSONField(_("kelompok prioritas"), default=default_priority_groups, blank=True)
    max_priority_streak = models.PositiveSmallIntegerField(
        _("maks. panggilan prioritas berturut-turut"),
        default=3,
        help_text=_("Setelah sekian panggilan prioritas beruntun, loket memanggil satu antrean reguler."),
    )
    # The manager's floor flags a queue whose oldest waiting ticket has waited longer than this.
    target_wait_minutes = models.PositiveSmallIntegerField(
        _("target waktu tunggu (menit)"),
        default=30,
        help_text=_("Lantai layanan menandai antrean yang tiket terlamanya sudah menunggu lebih lama dari ini."),
    )
    issue_cutoff_minutes = models.PositiveSmallIntegerField(_("batas ambil nomor (menit sebelum tutup)"), default=30)
    observes_national_holidays = models.BooleanField(_("libur pada hari libur nasional dan cuti bersama"), default=True)
    board_notices = models.TextField(
        _("pengumuman papan antrean"),
        blank=True,
        help_text=_("Satu pengumuman per baris; papan antrean menampilkannya bergantian."),
    )
    maklumat = models.TextField(
        _("maklumat pelayanan"),
        blank=True,
        help_text=_("Janji unit untuk melayani sesuai standar pelayanan; tampil di halaman publik dan poster loket."),
    )
    maklumat_signed_by = models.CharField(
        _("penanda tangan maklumat"),
        max_length=200,
        blank=True,
        help_text=_("Misalnya: Kepala DPMPTSP Kota Pekanbaru"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mal pelayanan publik")
        verbose_name_plural = _("mal pelayanan publik")

    def __str__(self):
        return self.name


class OpeningHours(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Senin")
        TUESDAY = 1, _("Selasa")
        WEDNESDAY = 2, _("Rabu")
        THURSDAY = 3, _("Kamis")
        FRIDAY = 4, _("Jumat")
        SATURDAY = 5, _("Sabtu")
        SUNDAY = 6, _("Minggu")

    mall = models.ForeignKey(Mall, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    opens = models.TimeField(_("buka"))
    closes = models.TimeField(_("tutup"))
    break_start = models.TimeField(_("istirahat mulai"), null=True, blank=True)
    break_end = models.TimeField(_("istirahat selesai"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jam layanan")
        verbose_name_plural = _("jam layanan")
        ordering = ["weekday"]
        constraints = [models.UniqueConstraint(fields=["mall", "weekday"], name="one_hours_row_per_weekday")]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Building(Archivable):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="buildings")
    code = models.SlugField(_("kode"), max_length=20)
    name = models.CharField(_("nama"), max_length=200)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gedung")
        verbose_name_plural = _("gedung")
        constraints = [models.UniqueConstraint(fields=["mall", "code"], name="building_code_unique_in_mall")]

    def __str__(self):
        return self.name


class Zone(Archivable):
    """An area of the hall with its own display boards and loudspeakers."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="zones")
    building = models.ForeignKey(Building, verbose_name=_("gedung"), on_delete=models.PROTECT, related_name="zones")
    code = models.CharField(_("kode"), max_length=10)
    name = models.CharField(_("nama"), max_length=200)
    # Printed on the slip and shown on the phone page, so a citizen knows which stairs to take.
    floor = models.CharField(_("lantai"), max_length=40, blank=True, help_text=_("Mis. Lantai 2"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zona")
        verbose_name_plural = _("zona")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["mall", "code"], name="zone_code_unique_in_mall")]

    def __str__(self):
        return f"{self.code} · {self.name}"


class Agency(Archivable):
    class Kind(models.TextChoices):
        CENTRAL = "central", _("Instansi pusat")
        REGIONAL = "regional", _("Perangkat daerah")
        BUMN = "bumn", _("BUMN")
        BUMD = "bumd", _("BUMD")
        BANK = "bank", _("Bank")

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="agencies")
    code = models.CharField(_("kode"), max_length=20)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    zone = models.ForeignKey(
        Zone,
        verbose_name=_("zona"),
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text=_("Semua loket instansi ini berada di zona ini."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["mall", "code"], name="agency_code_unique_in_mall")]

    def __str__(self):
        return self.name


class Service(Archivable):
    class Kind(models.TextChoices):
        PERIZINAN = "perizinan", _("Perizinan")
        NON_PERIZINAN = "non_perizinan", _("Non-perizinan")
        KEPENDUDUKAN = "kependudukan", _("Kependudukan")
        OTHER = "other", _("Lainnya")

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="services")
    agency = models.ForeignKey(Agency, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="services")
    code = models.CharField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.NON_PERIZINAN)
    # The six published service-delivery components (PermenPANRB 15/2014).
    requirements = models.TextField(_("persyaratan"), blank=True)
    procedure = models.TextField(_("sistem, mekanisme dan prosedur"), blank=True)
    duration = models.CharField(_("jangka waktu penyelesaian"), max_length=200, blank=True)
    # The same promise as a number, so a case's due date can be counted; ``duration`` stays for display.
    completion_working_days = models.PositiveSmallIntegerField(
        _("jangka waktu penyelesaian (hari kerja)"),
        null=True,
        blank=True,
        help_text=_("Angka untuk menghitung tenggat berkas; kosong bila layanan selesai di loket."),
    )
    fee = models.CharField(_("biaya/tarif"), max_length=200, default="Gratis / Rp 0")
    product = models.CharField(_("produk pelayanan"), max_length=300, blank=True)
    complaint_channel = models.TextField(_("penanganan pengaduan, saran dan masukan"), blank=True)
    prefix = models.CharField(
        _("awalan nomor antrean"),
        max_length=3,
        help_text=_("Huruf di depan nomor antrean, unik di mal ini (mis. A, B, AK)."),
    )
    daily_quota = models.PositiveIntegerField(_("kuota harian"), null=True, blank=True)
    bookable = models.BooleanField(_("dapat dipesan daring"), default=False)
    # The kiosk's start screen shows the most taken services; the manager may pin some there instead.
    kiosk_pinned = models.BooleanField(
        _("disematkan di layar awal anjungan"),
        default=False,
        help_text=_("Tampil sebagai tombol besar di layar awal anjungan, sebelum layanan terbanyak dipakai."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "code"], name="service_code_unique_in_mall"),
            models.UniqueConstraint(fields=["mall", "prefix"], name="service_prefix_unique_in_mall"),
        ]

    def __str__(self):
        return f"{self.name} ({self.agency.code})"


class Counter(Archivable):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="counters")
    building = models.ForeignKey(Building, verbose_name=_("gedung"), on_delete=models.PROTECT, related_name="counters")
    agency = models.ForeignKey(Agency, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="counters")
    number = models.PositiveIntegerField(_("nomor loket"))
    services = models.ManyToManyField(Service, verbose_name=_("layanan"), related_name="counters")
    officer = models.OneToOneField(
        "accounts.User",
        verbose_name=_("petugas yang bertugas"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signed_in_counter",
    )
    # How many priority tickets this counter called in a row (fairness bound).
    priority_streak = models.PositiveSmallIntegerField(default=0, editable=False)
    history = HistoricalRecords(excluded_fields=["priority_streak", "officer"])

    class Meta:
        verbose_name = _("loket")
        verbose_name_plural = _("loket")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["mall", "number"], name="counter_number_unique_in_mall")]

    def __str__(self):
        return f"Loket {self.number} · {self.agency.code}"

    @property
    def zone(self):
        return self.agency.zone


class Closure(models.Model):
    """A closure the mall declares, or a manual close/pause by the manager.

    With no end date it is a pause of the day it was declared on: it lifts
    itself on the next opening day. Scope: the whole mall, one service or one counter.
    """

    mall = models.ForeignKey(Mall, on_delete=models.CASCADE, related_name="closures")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="closures")
    counter = models.ForeignKey(Counter, null=True, blank=True, on_delete=models.CASCADE, related_name="closures")
    starts_at = models.DateTimeField(_("mulai"))
    until_date = models.DateField(
        _("sampai tanggal (termasuk)"),
        null=True,
        blank=True,
        help_text=_("Kosongkan untuk jeda hari ini saja; otomatis berakhir pada hari buka berikutnya."),
    )
    reason = models.CharField(_("alasan"), max_length=300)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL)
    lifted_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("penutupan")
        verbose_name_plural = _("penutupan")

    def __str__(self):
        return self.reason


class CacheStamp(models.Model):
    """One row whose number moves whenever something the processes cache changes (``directory.stamp``).

    Tokens, users, hours, closures, counters and their services are read on every queue request
    but change a few times a day: each process keeps them in memory and drops them all when
    this number moves.
    """

    number = models.BigIntegerField(default=0)
