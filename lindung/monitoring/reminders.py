"""Daily reminders: the items of each user's worklist that became due, told once.

Due items: agreements ending in 90 and in 30 days, invoices due within 7 days and overdue, BPU
self-payers one month from lapsing, claims open longer than the service level (to who decides).
Each item has a key ("invoice:12:overdue"); a (user, key) pair is recorded once, so a second run
the same day (or any later day) tells nothing again. Every user gets the new items in the inbox;
those with an email address who did not switch email off also get one message listing them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lindung.accounts.models import User
from lindung.accounts.roles import Capability
from lindung.claims.selectors import claim_queue
from lindung.contributions.exports import payer_name
from lindung.contributions.models import Invoice
from lindung.contributions.selectors import overdue_invoices, self_payers_about_to_lapse
from lindung.core.scoping import scoped
from lindung.monitoring.models import Reminder
from lindung.registry.models import Agreement, AgreementStatus

EMAIL_LIST_LIMIT = 30  # lines in one email; the rest are in the inbox


@dataclass(frozen=True)
class Due:
    key: str
    text: str
    url: str


@dataclass
class Sent:
    users: int = 0
    reminders: int = 0
    emails: int = 0


def due_items(user: User, today: date) -> Iterator[Due]:
    """What became due for `user` on `today`, inside their regions and their role."""
    if user.can(Capability.VIEW_SPONSORS):
        ending = scoped(Agreement.objects.filter(status=AgreementStatus.ACTIVE), actor=user).filter(
            ends_on__gte=today, ends_on__lte=today + timedelta(days=90)
        )
        for agreement in ending.select_related("sponsor"):
            window = 30 if agreement.ends_on <= today + timedelta(days=30) else 90
            yield Due(
                f"agreement:{agreement.pk}:{window}",
                _("Agreement %(number)s of %(sponsor)s ends on %(day)s (within %(days)s days).")
                % {
                    "number": agreement.number,
                    "sponsor": agreement.sponsor.name,
                    "day": agreement.ends_on.strftime("%d-%m-%Y"),
                    "days": window,
                },
                reverse("registry:agreement_detail", args=[agreement.pk]),
            )
    if user.can(Capability.VIEW_CONTRIBUTIONS):
        soon = scoped(
            Invoice.objects.filter(due_date__gte=today, due_date__lte=today + timedelta(days=7)), actor=user
        ).filter(allocated__lt=F("total"))
        for invoice in soon.select_related("sponsor", "person"):
            yield Due(
                f"invoice:{invoice.pk}:due",
                _("Invoice %(number)s (%(payer)s) is due on %(day)s.")
                % {
                    "number": invoice.number,
                    "payer": payer_name(invoice),
                    "day": invoice.due_date.strftime("%d-%m-%Y"),
                },
                reverse("contributions:invoice", args=[invoice.pk]),
            )
        for invoice in overdue_invoices(actor=user, today=today):
            yield Due(
                f"invoice:{invoice.pk}:overdue",
                _("Invoice %(number)s (%(payer)s) is overdue since %(day)s: late payment adds a penalty.")
                % {
                    "number": invoice.number,
                    "payer": payer_name(invoice),
                    "day": invoice.due_date.strftime("%d-%m-%Y"),
                },
                reverse("contributions:invoice", args=[invoice.pk]),
            )
        month = f"{today:%Y-%m}"
        for row in self_payers_about_to_lapse(actor=user, today=today):
            yield Due(
                f"lapse:{row['person_id']}:{month}",
                _("A self-paying member has not paid for three months: one more and the protection lapses."),
                reverse("registry:person_detail", args=[row["person_id"]]),
            )
    if user.can(Capability.DECIDE_CLAIMS):
        late = today - timedelta(days=settings.CLAIM_SERVICE_DAYS)
        for claim in claim_queue(actor=user, open_only=True).filter(created_at__date__lte=late):
            yield Due(
                f"claim:{claim.pk}:late",
                _("Claim %(number)s has waited more than %(days)s days for a decision.")
                % {"number": claim.number, "days": settings.CLAIM_SERVICE_DAYS},
                reverse("claims:detail", args=[claim.pk]),
            )


def _about(invoice: Invoice) -> dict[str, str]:
    return {"number": invoice.number, "payer": payer_name(invoice), "day": invoice.due_date.strftime("%d-%m-%Y")}


def send_reminders(today: date | None = None) -> Sent:
    """Tell every active user what became due since they were last told; one email each at most."""
    today = today or timezone.localdate()
    sent = Sent()
    connection = get_connection()
    with translation.override(settings.LANGUAGE_CODE):
        for user in User.objects.filter(is_active=True).order_by("pk"):
            new = _new_items(user, today)
            if not new:
                continue
            sent.users += 1
            sent.reminders += len(new)
            if user.email and user.email_reminders:
                _email(user, new, connection)
                Reminder.objects.filter(user=user, key__in=[item.key for item in new]).update(emailed_at=timezone.now())
                sent.emails += 1
    return sent


def _new_items(user: User, today: date) -> list[Due]:
    items = {item.key: item for item in due_items(user, today)}
    told = set(Reminder.objects.filter(user=user, key__in=list(items)).values_list("key", flat=True))
    new = [item for key, item in items.items() if key not in told]
    with transaction.atomic():
        Reminder.objects.bulk_create(
            [Reminder(user=user, key=item.key, text=item.text[:300], url=item.url) for item in new],
            ignore_conflicts=True,  # a run beside this one told it already: still once
        )
    return new


def _email(user: User, items: list[Due], connection: object) -> None:
    site = settings.LINDUNG_SITE_URL.rstrip("/")
    lines = [f"- {item.text}\n  {site}{item.url}" for item in items[:EMAIL_LIST_LIMIT]]
    if len(items) > EMAIL_LIST_LIMIT:
        lines.append(_("... and %(count)s more in your inbox.") % {"count": len(items) - EMAIL_LIST_LIMIT})
    body = "\n".join(
        [
            _("Hello %(name)s,") % {"name": user.get_full_name()},
            "",
            _("These items in Lindung need you:"),
            "",
            *lines,
            "",
            _("Your inbox: %(url)s") % {"url": f"{site}{reverse('monitoring:inbox')}"},
            _("To stop these emails, switch them off in your inbox; reminders stay there."),
        ]
    )
    subject = _("Lindung: %(count)s item(s) need you") % {"count": len(items)}
    EmailMessage(subject, body, to=[user.email], connection=connection).send()
