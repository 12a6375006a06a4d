"""Village heads and officials (kepala desa, perangkat desa) from a register list: per village, who is
protected and what protecting the rest costs each month from the village budget (APBDes), and
the letter to the village head.

Village officials are protected as wage earners on their fixed income (siltap), JKK and JKM, paid
from the APBDes (Permendagri 20/2018 on village finance; the Kemendagri - BPJS Ketenagakerjaan
cooperation agreement). A register without incomes is priced at the lowest siltap of each
position set by PP 11/2019 Article 81 (120%, 110% and 100% of a civil servant's II/a base pay)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.db.models import Count, Q

from lindung.contributions.exports import money, period_name
from lindung.core.pdf import Document
from lindung.offices.documents import letterhead, office_for_document, signature
from lindung.outreach.models import ListStatus, TargetClass, TargetEntry, TargetList, TargetSource
from lindung.regions.models import Region
from lindung.registry.models import mask_nik
from lindung.rules.contributions import ContributionQuery, contribution
from lindung.rules.periods import Period

PROGRAMS = ("jkk", "jkm")
RISK_CLASS = 1  # office work: the lowest JKK risk class
FUNDING = "apbdes"
LEGAL_BASIS = (
    "Permendagri 20/2018 tentang Pengelolaan Keuangan Desa; Nota Kesepahaman Kementerian Dalam Negeri "
    "dan BPJS Ketenagakerjaan tentang perlindungan jaminan sosial ketenagakerjaan bagi kepala desa dan perangkat desa; "
    "PP 11/2019 Pasal 81 (penghasilan tetap)"
)
# Lowest siltap (PP 11/2019 Art. 81) by position, as the register writes it.
SILTAP = (("kepala", 2_426_640), ("sekretaris", 2_224_420), ("sekdes", 2_224_420))
SILTAP_OTHERS = 2_022_200
# Entries that are not officials to protect: their NIK must be corrected first, or they are gone.
NOT_COUNTED = (TargetClass.INVALID, TargetClass.DUPLICATE, TargetClass.OUTSIDE, TargetClass.DECEASED)


@dataclass
class Official:
    name: str
    masked_nik: str
    position: str
    outcome: str
    income: int
    monthly_cost: int

    @property
    def protected(self) -> bool:
        return self.outcome == TargetClass.PROTECTED


@dataclass
class VillageOfficials:
    code: str
    name: str
    district: str
    officials: list[Official] = field(default_factory=list)

    @property
    def protected(self) -> list[Official]:
        return [official for official in self.officials if official.protected]

    @property
    def unprotected(self) -> list[Official]:
        return [official for official in self.officials if not official.protected]

    @property
    def monthly_cost(self) -> int:
        """What protecting the unprotected officials costs the APBDes each month."""
        return sum(official.monthly_cost for official in self.unprotected)


def siltap(position: str) -> int:
    """The lowest fixed income of a position (PP 11/2019 Art. 81)."""
    words = position.lower()
    return next((amount for key, amount in SILTAP if key in words), SILTAP_OTHERS)


@cache
def monthly_contribution(income: int, period: Period) -> int:
    """JKK + JKM of one official on `income` in `period`, by the rules in force then."""
    query = ContributionQuery(
        period=period, segment="pu", programs=PROGRAMS, wage=income, risk_class=RISK_CLASS, funding=FUNDING
    )
    return contribution(query).total


def village_officials(target_list: TargetList, *, on: date) -> list[VillageOfficials]:
    """Every village of the register with its officials; villages with the most unprotected first."""
    period = Period(on.year, on.month)
    entries = (
        TargetEntry.objects.filter(target_list=target_list, village__isnull=False)
        .exclude(outcome__in=NOT_COUNTED)
        .order_by("village_id", "source_row")
    )
    grouped: dict[str, list[Official]] = defaultdict(list)
    for entry in entries:
        income = entry.income or siltap(entry.position)
        grouped[entry.village_id or ""].append(
            Official(entry.name, mask_nik(entry.nik), entry.position, entry.outcome, income,
                     monthly_contribution(income, period))
        )  # fmt: skip
    names = dict(Region.objects.filter(code__in=grouped).values_list("code", "name"))
    districts = dict(
        Region.objects.filter(code__in={code.rsplit(".", 1)[0] for code in grouped}).values_list("code", "name")
    )
    villages = [
        VillageOfficials(code, names.get(code, code), districts.get(code.rsplit(".", 1)[0], ""), officials)
        for code, officials in grouped.items()
    ]
    return sorted(villages, key=lambda village: (-len(village.unprotected), village.district, village.name))


def officials_letter(target_list: TargetList, village: VillageOfficials, *, on: date) -> bytes:
    """A letter to the village head naming the unprotected officials (NIK masked), the monthly cost
    and the legal basis."""
    pdf = Document(f"Surat perlindungan perangkat desa {village.name}")
    pdf.add_page()
    office = office_for_document(village.code, on)
    letterhead(pdf, office)
    pdf.font(10)
    pdf.cell(0, 6, pdf.text_of(f"{on.day} {period_name(f'{on:%Y-%m}')}"), align="R", new_x="LMARGIN", new_y="NEXT")
    _paragraph(pdf, f"Kepada Yth.\nKepala Desa {village.name}\nKecamatan {village.district}\ndi tempat")
    pdf.ln(3)
    pdf.font(10, bold=True)
    _paragraph(pdf, "Perihal: Perlindungan jaminan sosial ketenagakerjaan bagi perangkat desa")
    pdf.font(10)
    _paragraph(
        pdf,
        f"Menurut register perangkat desa ({target_list.name}, data per {target_list.source_date:%d-%m-%Y}), "
        f"{len(village.unprotected)} dari {len(village.officials)} kepala desa dan perangkat desa {village.name} "
        "belum terlindungi program Jaminan Kecelakaan Kerja (JKK) dan Jaminan Kematian (JKM) BPJS Ketenagakerjaan:",
    )
    pdf.ln(2)
    _officials_table(pdf, village.unprotected)
    pdf.ln(3)
    total = village.monthly_cost
    _paragraph(
        pdf,
        f"Iuran JKK dan JKM untuk mereka sebesar {money(total)} per bulan ({money(total * 12)} per tahun), "
        f"dianggarkan dalam APBDes dan dibayar oleh pemerintah desa. Dasar: {LEGAL_BASIS}.",
    )
    pdf.ln(2)
    _paragraph(
        pdf,
        "Kami mengharapkan perangkat desa tersebut segera didaftarkan. Untuk pendaftaran, hubungi "
        f"{office.name if office else 'kantor cabang BPJS Ketenagakerjaan'}"
        f"{f' ({office.address})' if office and office.address else ''}.",
    )
    signature(pdf, office, place="", on=on)
    return bytes(pdf.output())


def _paragraph(pdf: Document, text: str) -> None:
    pdf.multi_cell(0, 5, pdf.text_of(text), new_x="LMARGIN", new_y="NEXT")


def _officials_table(pdf: Document, officials: list[Official]) -> None:
    widths = (8, 55, 38, 40, 30)
    pdf.font(9, bold=True)
    for index, (width, title) in enumerate(zip(widths, ("No", "Nama", "NIK", "Jabatan", "Iuran/bulan"), strict=True)):
        pdf.cell(width, 6, title, border="B", align="R" if index == 4 else "L")
    pdf.ln()
    pdf.font(9)
    for number, official in enumerate(officials, start=1):
        cells = (str(number), official.name[:34], official.masked_nik, official.position[:24] or "-",
                 money(official.monthly_cost))  # fmt: skip
        for index, (width, text) in enumerate(zip(widths, cells, strict=True)):
            pdf.cell(width, 5, pdf.text_of(text), align="R" if index == 4 else "L")
        pdf.ln()


def latest_register(regency_code: str) -> TargetList | None:
    """The newest matched register of village officials for a kabupaten/kota (or one of its kecamatan)."""
    return (
        TargetList.objects.filter(source=TargetSource.OFFICIALS, status=ListStatus.DONE)
        .filter(Region.subtree_q(regency_code, "region"))
        .order_by("-source_date", "-created_at")
        .first()
    )


def register_counts(target_list: TargetList) -> dict[str, tuple[int, int]]:
    """{village code: (officials in the register, of them protected at the last match)}."""
    rows = (
        TargetEntry.objects.filter(target_list=target_list, village__isnull=False)
        .exclude(outcome__in=NOT_COUNTED)
        .order_by()
        .values("village_id")
        .annotate(officials=Count("id"), protected=Count("id", filter=Q(outcome=TargetClass.PROTECTED)))
    )
    return {row["village_id"]: (row["officials"], row["protected"]) for row in rows}
