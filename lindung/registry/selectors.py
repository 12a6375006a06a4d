"""Reads of the registry, always through the scoping function (a record outside the actor's regions is 404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.shortcuts import get_object_or_404

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.core.audit import audit_personal_data_viewed
from lindung.core.models import AuditEntry
from lindung.core.paging import BoundedCount, bounded_count
from lindung.core.scoping import scoped
from lindung.registry.enrolment import active_members_count
from lindung.registry.models import (
    Agreement,
    AgreementStatus,
    Category,
    ImportBatch,
    Membership,
    MembershipStatus,
    MembershipVersion,
    Person,
    Sponsor,
    search_key,
)
from lindung.registry.nik import clean_nik

ENDING_SOON_DAYS = 90
# Active members counted per sponsor of a list page, up to this ("more than 1,000"): fifty sponsors
# of tens of thousands each, counted to 10,000, read half a million index entries per page.
SPONSOR_LIST_COUNT_LIMIT = 1_000
TRIGRAM = 3  # a search this long or longer can be served by the trigram index (PostgreSQL)
# What a person's page shows beyond the masked list: recorded as a look at personal data.
DETAIL_FIELDS = ("name", "birth_date", "sex", "phone", "village", "relatives")


def person_search(*, actor: User, query: str = "") -> QuerySet[Person]:
    """Persons in scope; `query` is a full NIK (exact) or part of a name."""
    require(actor, Capability.VIEW_PERSONS)
    persons = scoped(Person.objects.all(), actor=actor).select_related("village")
    query = query.strip()
    if not query:
        return persons.order_by("search_name", "id")
    if is_full_nik(query):
        return persons.filter(nik=clean_nik(query))
    key = search_key(query)
    matching = persons.filter(search_name__contains=key)
    if len(key) < TRIGRAM:
        return matching.order_by("search_name", "id")
    # Sorted by an expression the name index cannot give: PostgreSQL then finds the matches through
    # the trigram index and sorts them, instead of walking the whole list in name order hoping to
    # meet fifty matches soon (0.8 s for a family name whose bearers sort late in the alphabet).
    return matching.order_by(Concat("search_name", Value("")), "id")


def is_full_nik(query: str) -> bool:
    """A whole NIK: searched exactly, and never to be carried in a URL (access logs keep URLs)."""
    digits = clean_nik(query.strip())
    return digits.isdigit() and len(digits) == 16


def person_get(*, actor: User, person_id: int) -> Person:
    """One person in scope, without recording a look (for writes that need the record)."""
    require(actor, Capability.VIEW_PERSONS)
    return get_object_or_404(scoped(Person.objects.all(), actor=actor), pk=person_id)


def person_detail(*, actor: User, person_id: int) -> Person:
    """One person with family and memberships the actor may see; the look is audit-logged."""
    person = person_get(actor=actor, person_id=person_id)
    audit_personal_data_viewed(actor=actor, target=person, fields=DETAIL_FIELDS)
    return person


def person_memberships(*, actor: User, person: Person) -> QuerySet[Membership]:
    versions = MembershipVersion.objects.select_related("work_village").order_by("-effective_from")
    return (
        scoped(Membership.objects.filter(person=person), actor=actor)
        .select_related("sponsor", "agreement", "region")
        .prefetch_related(Prefetch("versions", queryset=versions))
        .order_by("-starts_on")
    )


def person_history(*, person: Person, membership_ids: list[int]) -> QuerySet[AuditEntry]:
    """Audit entries about the person and the memberships shown (never their full values)."""
    about = Q(object_type="registry.person", object_id=str(person.pk)) | Q(
        object_type="registry.membership", object_id__in=[str(pk) for pk in membership_ids]
    )
    return AuditEntry.objects.filter(about).order_by("-created_at")[:50]


def membership_get(*, actor: User, membership_id: int) -> Membership:
    require(actor, Capability.VIEW_PERSONS)
    return get_object_or_404(
        scoped(Membership.objects.select_related("person", "sponsor", "agreement"), actor=actor), pk=membership_id
    )


def sponsor_list(*, actor: User, query: str = "", kind: str = "") -> QuerySet[Sponsor]:
    require(actor, Capability.VIEW_SPONSORS)
    sponsors = scoped(Sponsor.objects.select_related("region"), actor=actor)
    if query.strip():
        sponsors = sponsors.filter(name__icontains=query.strip())
    if kind:
        sponsors = sponsors.filter(kind=kind)
    # Counted for the page's sponsors only (a subquery on the (sponsor, status) index), not by
    # joining and grouping every membership of the registry before the page is cut.
    # Counted up to SPONSOR_LIST_COUNT_LIMIT + 1 (the list says "more than" past it): a sponsor of a
    # million members cost 300 ms on every page of the list; the exact figure is on its own page.
    active = BoundedCount(_newest_active(OuterRef("pk")), limit=SPONSOR_LIST_COUNT_LIMIT, keep_order=True)
    return sponsors.annotate(active_members=active).order_by("name", "id")


def sponsor_get(*, actor: User, sponsor_id: int) -> Sponsor:
    require(actor, Capability.VIEW_SPONSORS)
    return get_object_or_404(scoped(Sponsor.objects.select_related("region"), actor=actor), pk=sponsor_id)


def sponsor_active_count(*, sponsor: Sponsor) -> int:
    """Active members of a sponsor, counted up to COUNT_LIMIT + 1 (core.paging)."""
    return bounded_count(_newest_active(sponsor.pk), keep_order=True)


def _newest_active(sponsor: Any) -> QuerySet[Membership]:
    """A sponsor's active memberships in the order of the (sponsor, created_at, id) index, which a
    bounded count then reads (see core.paging.bounded_count)."""
    return Membership.objects.filter(sponsor=sponsor, status=MembershipStatus.ACTIVE).order_by("-created_at", "-id")


def sponsor_category_counts(*, sponsor: Sponsor) -> list[dict[str, object]]:
    """Active members of a sponsor by category (the current terms), largest first."""
    rows = (
        MembershipVersion.objects.filter(
            effective_to__isnull=True, membership__sponsor=sponsor, membership__status=MembershipStatus.ACTIVE
        )
        .values("category")
        .annotate(count=Count("id"))
        .order_by("-count", "category")
    )
    return [row | {"label": Category(row["category"]).label} for row in rows]


def sponsor_members(*, actor: User, sponsor: Sponsor) -> QuerySet[Membership]:
    """The sponsor's memberships, newest enrolment first, with their person (masked in the template)
    and their current terms (`open_versions`, fetched for the page's rows only).

    Read from the (sponsor, created_at, id) index whatever the sponsor's size: ordered by name, or joined to
    the versions before the page was cut, a sponsor of 900,000 members cost seconds a page."""
    require(actor, Capability.VIEW_PERSONS)
    current = MembershipVersion.objects.filter(effective_to__isnull=True)
    return (
        Membership.objects.filter(sponsor=sponsor)
        .select_related("person")
        .prefetch_related(Prefetch("versions", queryset=current, to_attr="open_versions"))
        .order_by("-created_at", "-id")
    )


def agreement_list(
    *, actor: User, sponsor: Sponsor | None = None, ending_within: int | None = None, today: date | None = None
) -> QuerySet[Agreement]:
    """Agreements in scope; `ending_within` days keeps the active ones ending in that window."""
    require(actor, Capability.VIEW_SPONSORS)
    agreements = scoped(Agreement.objects.select_related("sponsor", "previous"), actor=actor)
    if sponsor is not None:
        agreements = agreements.filter(sponsor=sponsor)
    if ending_within is not None:
        today = today or date.today()  # noqa: DTZ011 (callers pass the local date; this is a fallback)
        agreements = agreements.filter(
            status=AgreementStatus.ACTIVE, ends_on__gte=today, ends_on__lte=today + timedelta(days=ending_within)
        ).order_by("ends_on")
    return agreements.annotate(renewed=Count("renewal"))


def agreement_get(*, actor: User, agreement_id: int) -> Agreement:
    require(actor, Capability.VIEW_SPONSORS)
    return get_object_or_404(
        scoped(Agreement.objects.select_related("sponsor", "previous"), actor=actor), pk=agreement_id
    )


@dataclass(frozen=True)
class QuotaUse:
    quota: int
    enrolled: int

    @property
    def over(self) -> bool:
        return self.enrolled > self.quota

    @property
    def percent(self) -> int:
        return round(100 * self.enrolled / self.quota) if self.quota else 0


def agreement_quota(*, agreement: Agreement) -> QuotaUse:
    return QuotaUse(agreement.quota, active_members_count(agreement))


def import_list(*, actor: User, sponsor: Sponsor | None = None) -> QuerySet[ImportBatch]:
    require(actor, Capability.ENROL_MEMBERS)
    batches = scoped(ImportBatch.objects.select_related("sponsor", "created_by"), actor=actor)
    return batches.filter(sponsor=sponsor) if sponsor is not None else batches


def import_get(*, actor: User, batch_id: int) -> ImportBatch:
    require(actor, Capability.ENROL_MEMBERS)
    return get_object_or_404(
        scoped(ImportBatch.objects.select_related("sponsor", "agreement", "created_by"), actor=actor), pk=batch_id
    )


def enrollable_sponsors(*, actor: User) -> QuerySet[Sponsor]:
    """Sponsors the actor may enrol workers for (those in their regions)."""
    require(actor, Capability.ENROL_MEMBERS)
    return scoped(Sponsor.objects.all(), actor=actor).order_by("name")


def agreements_over_quota(*, actor: User, today: date) -> QuerySet[Agreement]:
    """Active agreements in scope with more running memberships under them than their quota (what
    the commitment page compares), counted for every agreement in one statement."""
    running = (
        Membership.objects.filter(agreement=OuterRef("pk"), starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .order_by()
        .values("agreement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    agreements = scoped(Agreement.objects.filter(status=AgreementStatus.ACTIVE), actor=actor)
    return agreements.annotate(running=Subquery(running)).filter(running__gt=F("quota"))
