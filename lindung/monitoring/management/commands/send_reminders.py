"""`lindung send_reminders`: tell each user, once, what became due (monitoring.reminders). Daily:
deploy/lindung-reminders.timer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lindung.monitoring.reminders import send_reminders


class Command(BaseCommand):
    help = "Put the worklist items that became due in each user's inbox and send one email per user."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders()
        self.stdout.write(f"{sent.reminders} pengingat baru untuk {sent.users} pengguna; {sent.emails} email terkirim.")
