"""Daily reminders against a real SMTP server (aiosmtpd, started by the test): the right people get
the right items once; a second run the same day sends nothing; a user who switched email off gets
only the inbox (issue 21)."""

from __future__ import annotations

import socket
from datetime import timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from lindung.accounts import services as account_services
from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import UserFactory
from lindung.monitoring.models import Reminder
from lindung.monitoring.reminders import send_reminders
from lindung.monitoring.tests.test_worklist import make_siak_work

pytestmark = pytest.mark.django_db


def account(username: str, role: str, regions: list[str], email: str) -> User:
    UserFactory(username=username, role=role, regions=regions, email=email)
    return User.objects.get(username=username)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str, str]] = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        payload = message.get_payload(decode=True)
        body = payload.decode() if isinstance(payload, bytes) else str(payload)
        self.messages.append((list(envelope.rcpt_tos), str(message["Subject"]), body))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.LINDUNG_SITE_URL = "https://lindung.example.go.id"
    yield inbox
    controller.stop()


def test_the_right_people_get_the_right_items_once(smtp):
    branch = account("cabang-r", Role.PETUGAS_CABANG, ["14.08"], "cabang@example.go.id")
    dumai = account("dumai-r", Role.OPERATOR_PEMDA, ["14.72"], "dumai@example.go.id")
    quiet = account("siak-r", Role.OPERATOR_PEMDA, ["14.08"], "siak@example.go.id")
    account_services.reminders_by_email_set(actor=quiet, on=False)
    make_siak_work()

    first = send_reminders()

    recipients = [to for to, _subject, _body in smtp.messages]
    assert recipients == [["cabang@example.go.id"]]  # Dumai has nothing; Siak's operator switched email off
    _to, subject, body = smtp.messages[0]
    assert "Lindung" in subject
    assert "PKS/AKHIR" in body  # the agreement ending within 30 days
    assert "https://lindung.example.go.id/perjanjian/" in body
    assert "lewat jatuh tempo" in body  # overdue invoices
    keys = set(Reminder.objects.filter(user=branch).values_list("key", flat=True))
    assert any(key.startswith("agreement:") and key.endswith(":30") for key in keys)
    assert any(key.endswith(":overdue") for key in keys)
    assert Reminder.objects.filter(user=quiet).exists()  # the inbox, without email
    assert not Reminder.objects.filter(user=quiet, emailed_at__isnull=False).exists()
    assert not Reminder.objects.filter(user=dumai).exists()
    assert first.emails == 1

    second = send_reminders()
    assert (second.reminders, second.emails) == (0, 0)
    assert len(smtp.messages) == 1


def test_a_claim_waiting_beyond_the_service_level_is_reminded_to_who_decides(smtp, settings):
    from lindung.claims.models import Claim

    decider = account("cabang-k", Role.PETUGAS_CABANG, ["14.08"], "k@example.go.id")
    make_siak_work()
    Claim.objects.update(created_at=timezone.now() - timedelta(days=settings.CLAIM_SERVICE_DAYS + 1))
    send_reminders()
    assert Reminder.objects.filter(user=decider, key__startswith="claim:").count() == 1


def test_the_inbox_shows_reminders_and_switches_email(login, smtp):
    user = account("cabang-i", Role.PETUGAS_CABANG, ["14.08"], "i@example.go.id")
    make_siak_work()
    send_reminders()
    client = login(user)
    page = client.get("/pantau/kotak-masuk/").content.decode()
    assert "PKS/AKHIR" in page
    assert page.count("<strong>Baru</strong>") >= 2
    assert "<strong>Baru</strong>" not in client.get("/pantau/kotak-masuk/").content.decode()  # seen
    client.post("/pantau/kotak-masuk/", {"email": "0"})
    user.refresh_from_db()
    assert user.email_reminders is False
