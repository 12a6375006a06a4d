from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lindung.accounts import services
from lindung.accounts.models import User


class Command(BaseCommand):
    help = "Issue a new API token for a user and print it (it is shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for, e.g. 'SIAK integration'")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"username: pengguna {options['username']} tidak ada.", returncode=2)
        if not user.is_active:
            raise CommandError(f"username: pengguna {user.username} tidak aktif.", returncode=2)
        _token, raw = services.api_token_create(actor=None, user=user, name=options["name"])
        # Only the token on stdout, so scripts can capture it: TOKEN=$(lindung api_token siak)
        self.stdout.write(raw)
        self.stderr.write("Simpan token ini sekarang; token tidak bisa ditampilkan lagi.")
