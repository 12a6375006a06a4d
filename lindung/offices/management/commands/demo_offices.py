from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from lindung.offices.demo import demo_offices_fill


class Command(BaseCommand):
    help = "Load the offices that ship with Lindung and give the demo branches a head and a payout account."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("offices", "import", "--default", stdout=self.stdout)
        for line in demo_offices_fill():
            self.stdout.write(line)
