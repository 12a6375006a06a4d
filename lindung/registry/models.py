"""The registry: persons by NIK, their families, sponsors, agreements and memberships.

Money is whole rupiah in BigIntegerFields. Program and category lists are JSON arrays of codes,
which both SQLite and PostgreSQL store and compare the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.regions.models import Region


class Sex(models.TextChoices):
    # L/P are what every Indonesian form and spreadsheet uses.
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class Segment(models.TextChoices):
    PU = "pu", _("Wage earner (PU)")
    BPU = "bpu", _("Non-wage earner (BPU)")
    JAKON = "jakon", _("Construction services (Jakon)")


class Category(models.TextChoices):
    NON_ASN = "non_asn", _("Non-ASN government staff")
    PERANGKAT_DESA = "perangkat_desa", _("Village head and officials")
    PEKERJA_RENTAN = "pekerja_rentan", _("Vulnerable worker")
    RT_RW = "rt_rw", _("RT/RW head")
    PENYELENGGARA_PEMILU = "penyelenggara_pemilu", _("Election staff")
    PEKERJA_MANDIRI = "pekerja_mandiri", _("Self-employed worker")
    KARYAWAN = "karyawan", _("Company employee")


class Program(models.TextChoices):
    JKK = "jkk", "JKK"
    JKM = "jkm", "JKM"
    JHT = "jht", "JHT"
    JP = "jp", "JP"


class Funding(models.TextChoices):
    APBD = "apbd", _("Regional budget (APBD)")
    APBDES = "apbdes", _("Village budget (APBDes)")
    APBN = "apbn", _("State budget (APBN)")
    MANDIRI = "mandiri", _("Self-paid")
    PEMBERI_KERJA = "pemberi_kerja", _("Employer")
    CSR = "csr", _("Company CSR")


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    PARENT_IN_LAW = "parent_in_law", _("Parent-in-law")
    DESIGNATED = "designated", _("Designated person")


class SponsorKind(models.TextChoices):
    COMPANY = "company", _("Company")
    PEMDA = "pemda", _("Regional government (Pemda)")
    PEMDES = "pemdes", _("Village government (Pemdes)")
    CSR = "csr", _("CSR programme")
    ASSOCIATION = "association", _("Association")


# Government sponsors: a Pemda operator handles their money; every other payer pays the branch.
GOVERNMENT_SPONSOR_KINDS = (SponsorKind.PEMDA, SponsorKind.PEMDES)


# The funding a sponsor's members get when the enrolment does not say.
DEFAULT_FUNDING = {
    SponsorKind.COMPANY: Funding.PEMBERI_KERJA,
    SponsorKind.PEMDA: Funding.APBD,
    SponsorKind.PEMDES: Funding.APBDES,
    SponsorKind.CSR: Funding.CSR,
    SponsorKind.ASSOCIATION: Funding.MANDIRI,
}


# Rows of the bulk-written tables point at regions without a database foreign key. Regions are
# reference data: `load_regions` never deletes one (it keeps codes that left the source), and every
# write path checks codes against the region tree first. The database check cost a per-row trigger
# at commit, a third of a 100,000-row enrolment. Person, sponsor and membership links keep theirs.
REGION_REFERENCE: dict[str, Any] = {"db_constraint": False, "db_index": False}


class Person(models.Model):
    """A human, one per NIK. Seen by users whose regions hold their address or one of their memberships."""

    region_path: ClassVar[str] = "village"

    nik = models.CharField(_("NIK"), max_length=16)
    name = models.CharField(_("name"), max_length=150)
    # Upper-cased name for search; names in Indonesia are compared without case.
    # Indexed twice: (search_name, id) for the list's order, and by trigrams on PostgreSQL for
    # search by substring (migration 0004); a name search must not read the whole registry.
    search_name = models.CharField(max_length=150, editable=False)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    village = models.ForeignKey(
        Region,
        verbose_name=_("address village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        **REGION_REFERENCE,
    )
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    # Set when a death claim is approved (or a death paid outside Lindung is recorded): no new enrolment.
    died_on = models.DateField(_("date of death"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["search_name", "id"]
        # Declared here rather than with unique=True/db_index: PostgreSQL then gets no second
        # "varchar_pattern_ops" index per column, which only LIKE 'prefix%' would use.
        constraints = [models.UniqueConstraint(fields=["nik"], name="person_nik_unique")]
        indexes = [
            models.Index(fields=["village"], name="person_village"),
            # The list's order: its first page is read from this index, not sorted out of millions.
            # (Name search by substring also has a trigram index, PostgreSQL only: migration 0004.)
            models.Index(fields=["search_name", "id"], name="person_search_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({mask_nik(self.nik)})"

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.nik)

    @classmethod
    def scope_condition(cls, region_q: Callable[[str], Q]) -> Q:
        """Address in scope, or a membership in scope (a Siak employee may live in Pekanbaru).

        One `id IN (... UNION ...)` of two index-served sets (addresses by village, memberships by
        region): written as "address OR EXISTS(membership)" it became a filter on every one of the
        registry's millions of rows, which no index can serve (14-18 s for a kabupaten's first page).
        """
        at_home = Person.objects.filter(region_q("village")).order_by().values("pk")
        at_work = Membership.objects.filter(region_q("region")).order_by().values("person_id")
        return Q(pk__in=at_home.union(at_work))


def mask_nik(nik: str) -> str:
    """The NIK as lists show it: the issuing kabupaten and the serial, the birth date hidden."""
    return f"{nik[:4]}********{nik[-4:]}" if len(nik) == 16 else "****"


def search_key(name: str) -> str:
    return " ".join(name.upper().split())


class Relative(models.Model):
    """A family member of a person, for heirs (ahli waris) and scholarships."""

    region_path: ClassVar[str] = "person__village"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relatives")
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    name = models.CharField(_("name"), max_length=150)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    died_on = models.DateField(_("date of death"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("relative")
        ordering = ["person_id", "relation", "birth_date", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relation_display()})"


class Sponsor(models.Model):
    """Who registers and pays for members: a company, a Pemda, a Pemdes, a CSR programme, an association."""

    region_path: ClassVar[str] = "region"

    kind = models.CharField(_("kind"), max_length=12, choices=SponsorKind.choices)
    name = models.CharField(_("name"), max_length=200)
    npwp = models.CharField(_("NPWP"), max_length=16, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("sponsor")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["npwp"], condition=~Q(npwp=""), name="sponsor_unique_npwp"),
        ]

    def __str__(self) -> str:
        return self.name


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class Agreement(models.Model):
    """A perjanjian kerja sama: a sponsor and the branch agree to cover workers for a period."""

    region_path: ClassVar[str] = "sponsor__region"

    number = models.CharField(_("number"), max_length=100, unique=True)
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="agreements")
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewal", verbose_name=_("renews")
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    programs = models.JSONField(_("programs"), default=list)
    segment = models.CharField(_("segment"), max_length=5, choices=Segment.choices)
    categories = models.JSONField(_("categories"), default=list)
    quota = models.PositiveIntegerField(_("quota of workers"))
    budget_ceiling = models.BigIntegerField(_("budget ceiling (Rp)"))
    status = models.CharField(_("status"), max_length=10, choices=AgreementStatus.choices, default="draft")
    ended_on = models.DateField(_("terminated on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("agreement")
        ordering = ["-starts_on", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="agreement_period_order"),
        ]

    def __str__(self) -> str:
        return self.number

    def category_labels(self) -> str:
        """The categories it covers in words ("Pegawai non-ASN, Perangkat desa"), never codes."""
        from lindung.core.labels import labels

        return ", ".join(labels("category", self.categories))


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class Membership(models.Model):
    """A person enrolled through a sponsor (or self-paying) for a period. Its terms are in versions.

    `region` is where the membership is administered (the sponsor's region, or for a self-paying
    member their work or home village): scoping, billing and rollups read it without joins.
    """

    region_path: ClassVar[str] = "region"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    # Not indexed alone: the (sponsor, status) index serves every lookup by sponsor.
    sponsor = models.ForeignKey(
        Sponsor, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships", db_index=False
    )
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", **REGION_REFERENCE)
    province_code = models.CharField(max_length=2, editable=False)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=6, choices=MembershipStatus.choices, default="active")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("membership")
        ordering = ["-starts_on", "id"]
        indexes = [
            models.Index(fields=["sponsor", "status"], name="membership_sponsor_status"),
            # A sponsor's member list, newest first, read from this index (not sorted out of a million).
            # By enrolment time, which no other index orders: ordered by id, PostgreSQL walked the
            # primary key backwards filtering by sponsor (2 million rows before a large sponsor's).
            models.Index(fields=["sponsor", "-created_at", "-id"], name="membership_sponsor_newest"),
            models.Index(fields=["region"], name="membership_region"),
            models.Index(fields=["province_code"], name="membership_province"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.sponsor_id or '-'} {self.starts_on}"


class MembershipVersion(models.Model):
    """The terms of a membership from `effective_from` on. A change adds a version; none is edited.

    The open version (`effective_to` is null) is the current one; when a new version starts, the
    previous one is closed on the day before, which records history without rewriting it.
    """

    region_path: ClassVar[str] = "membership__region"

    # Not indexed alone: the unique (membership, effective_from) index serves lookups by membership.
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="versions", db_index=False)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    segment = models.CharField(_("segment"), max_length=5, choices=Segment.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    programs = models.JSONField(_("programs"), default=list)
    wage = models.BigIntegerField(_("wage or declared income (Rp)"))
    risk_class = models.PositiveSmallIntegerField(_("JKK risk class"), null=True, blank=True)
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    work_village = models.ForeignKey(
        Region,
        verbose_name=_("work village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        **REGION_REFERENCE,
    )
    funding = models.CharField(_("funding source"), max_length=14, choices=Funding.choices)
    # The agreement these terms ran under. A renewal closes the old agreement's version the day
    # before it starts and opens one under the renewal, so a past year still counts its people
    # under the agreement that funded them. Indexed: the commitment page counts an agreement's people.
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    # Users are deactivated, never deleted, so nothing needs to find versions by their recorder fast.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("membership version")
        ordering = ["membership_id", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "effective_from"], name="version_unique_start"),
            models.UniqueConstraint(
                fields=["membership"], condition=Q(effective_to__isnull=True), name="version_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} from {self.effective_from}"

    TERMS: ClassVar[tuple[str, ...]] = (
        "segment",
        "category",
        "programs",
        "wage",
        "risk_class",
        "occupation",
        "work_village_id",
        "funding",
    )

    def terms(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.TERMS}


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked, waiting for confirmation")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def running(cls) -> tuple[ImportStatus, ...]:
        """States in which a job works on the batch."""
        return (cls.QUEUED, cls.CHECKING, cls.IMPORTING)

    @classmethod
    def open(cls) -> tuple[ImportStatus, ...]:
        """States that are not final: the batch can still be cancelled."""
        return (*cls.running(), cls.CHECKED)


class ImportBatch(models.Model):
    """One uploaded enrolment file: checked first, written only after the user confirms."""

    region_path: ClassVar[str] = "sponsor__region"

    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="imports")
    agreement = models.ForeignKey(Agreement, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=200)
    stored_path = models.CharField(max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default="queued")
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    # Counts of the last check (and, once imported, of the write): new, updated, unchanged, errors.
    summary = models.JSONField(default=dict)
    # The first errors, for the page; the full list is in the downloadable report.
    error_sample = models.JSONField(default=list)
    failure = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    # Who accepted the check: the actor of everything the write changes (and whose regions decide
    # whose contact data it may change), which need not be the uploader.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
