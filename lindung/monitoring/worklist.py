"""The home page's worklist: what needs this user now, each item a count and the page to act on it.

It reads every app (registry, contributions, claims, monitoring), so it lives at the top of the
layers; core's home page finds it through the `LINDUNG_WORKLIST` setting. Every count is one query
over the user's regions, whatever their size; items the role cannot act on are not counted."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import ngettext

from lindung.accounts.models import User
from lindung.accounts.roles import Capability
from lindung.claims.models import ClaimStatus
from lindung.claims.selectors import claim_queue
from lindung.contributions.selectors import overdue_invoices, self_payers_about_to_lapse, unmatched_payments
from lindung.core.scoping import scoped
from lindung.monitoring.selectors import place_get, villages_without_protected_officials
from lindung.monitoring.views import NATIONAL_SLUG
from lindung.regions import codes
from lindung.registry.models import ImportBatch, ImportStatus
from lindung.registry.selectors import ENDING_SOON_DAYS, agreement_list, agreements_over_quota

URGENT, TODO = "urgent", "todo"


@dataclass(frozen=True)
class WorkItem:
    """One line of the worklist: "12 invoices overdue", linking to the list of them."""

    key: str
    text: str
    count: int
    url: str
    tone: str = TODO


def worklist(actor: User, today: date) -> list[WorkItem]:
    """The items with something waiting, the urgent ones first."""
    items = [item for source in _SOURCES for item in source(actor, today) if item.count]
    return sorted(items, key=lambda item: item.tone != URGENT)


def _agreements(actor: User, today: date) -> Iterator[WorkItem]:
    if not actor.can(Capability.VIEW_SPONSORS):
        return
    ending = agreement_list(actor=actor, ending_within=ENDING_SOON_DAYS, today=today).count()
    yield WorkItem(
        "agreements_ending",
        ngettext(
            "agreement ends within %(days)s days: prepare its renewal",
            "agreements end within %(days)s days: prepare their renewal",
            ending,
        )
        % {"days": ENDING_SOON_DAYS},
        ending,
        reverse("registry:agreement_list") + "?ending=1",
    )
    over = agreements_over_quota(actor=actor, today=today).count()
    yield WorkItem(
        "agreements_over_quota",
        ngettext("agreement has more workers than its quota", "agreements have more workers than their quota", over),
        over,
        reverse("registry:agreement_list") + "?penuh=1",
        URGENT,
    )


def _money(actor: User, today: date) -> Iterator[WorkItem]:
    if not actor.can(Capability.VIEW_CONTRIBUTIONS):
        return
    overdue = overdue_invoices(actor=actor, today=today).count()
    yield WorkItem(
        "invoices_overdue",
        ngettext(
            "invoice is overdue and not fully paid: late payment adds a penalty",
            "invoices are overdue and not fully paid: late payment adds a penalty",
            overdue,
        ),
        overdue,
        reverse("contributions:overdue"),
        URGENT,
    )
    lapsing = self_payers_about_to_lapse(actor=actor, today=today).count()
    yield WorkItem(
        "bpu_lapsing",
        ngettext(
            "self-paying member has not paid for three months: one more and the protection lapses",
            "self-paying members have not paid for three months: one more and the protection lapses",
            lapsing,
        ),
        lapsing,
        reverse("contributions:overdue") + "?mandiri=1",
        URGENT,
    )
    if actor.can(Capability.RECORD_ANY_PAYMENTS):
        unmatched = unmatched_payments(actor=actor).count()
        yield WorkItem(
            "payments_unmatched",
            ngettext(
                "payment is waiting to be matched to its payer",
                "payments are waiting to be matched to their payers",
                unmatched,
            ),
            unmatched,
            reverse("contributions:unmatched"),
        )


def _uploads(actor: User, today: date) -> Iterator[WorkItem]:
    if not actor.can(Capability.ENROL_MEMBERS):
        return
    counts = dict(
        scoped(ImportBatch.objects.filter(status__in=[ImportStatus.CHECKED, ImportStatus.FAILED]), actor=actor)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    waiting = counts.get(ImportStatus.CHECKED, 0)
    yield WorkItem(
        "uploads_checked",
        ngettext(
            "checked upload is waiting for your confirmation", "checked uploads are waiting for confirmation", waiting
        ),
        waiting,
        reverse("registry:import_upload"),
    )
    failed = counts.get(ImportStatus.FAILED, 0)
    yield WorkItem(
        "uploads_failed",
        ngettext("upload failed: see why and upload it again", "uploads failed: see why and upload them again", failed),
        failed,
        reverse("registry:import_upload"),
        URGENT,
    )


# The steps a branch officer takes on a claim, by the status it waits in.
_DECISION_STEPS: dict[str, Callable[[int], str]] = {
    ClaimStatus.SUBMITTED: lambda n: ngettext(
        "claim waits for verification of its documents", "claims wait for verification of their documents", n
    ),
    ClaimStatus.VERIFIED: lambda n: ngettext(
        "verified claim waits for approval (by another officer)",
        "verified claims wait for approval (by another officer)",
        n,
    ),
    ClaimStatus.APPROVED: lambda n: ngettext(
        "approved claim waits to be paid out", "approved claims wait to be paid out", n
    ),
}


def _claims(actor: User, today: date) -> Iterator[WorkItem]:
    if not actor.can(Capability.VIEW_CLAIMS):
        return
    open_claims = claim_queue(actor=actor, open_only=True).order_by()
    counts = dict(open_claims.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    queue = reverse("claims:queue")
    if actor.can(Capability.DECIDE_CLAIMS):
        for status, text in _DECISION_STEPS.items():
            count = counts.get(status, 0)
            yield WorkItem(f"claims_{status}", text(count), count, f"{queue}?status={status}")
        return
    waiting = sum(counts.values())
    yield WorkItem(
        "claims_open",
        ngettext(
            "claim you sent is being decided by the branch", "claims you sent are being decided by the branch", waiting
        ),
        waiting,
        queue,
    )


def _villages(actor: User, today: date) -> Iterator[WorkItem]:
    if not actor.can(Capability.VIEW_MONITORING):
        return
    regions = [""] if actor.sees_all_regions else list(actor.region_codes)
    for code in regions:
        place = place_get(actor=actor, code=code)
        if place.level and place.level >= 4:
            continue  # a kecamatan or village user has its own village's page, not a list
        count = villages_without_protected_officials(place, today)
        # A kabupaten's villages page is the outreach list; above it, the commitment page.
        page = "monitoring:villages" if place.level == codes.REGENCY else "monitoring:commitment"
        yield WorkItem(
            f"villages_{code or 'national'}",
            ngettext(
                "village in %(place)s has no official protected this month",
                "villages in %(place)s have no official protected this month",
                count,
            )
            % {"place": place.name},
            count,
            reverse(page, args=[code or NATIONAL_SLUG]),
        )


_SOURCES: list[Callable[[User, date], Iterator[WorkItem]]] = [_agreements, _money, _uploads, _claims, _villages]
