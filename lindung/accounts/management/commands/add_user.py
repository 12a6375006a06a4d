from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser

from lindung.accounts import services
from lindung.accounts.roles import Role
from lindung.core.commands import input_error


class Command(BaseCommand):
    help = "Create an account with a role and its regions. Prints the password when it was generated."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=f"One of: {', '.join(Role.values)}")
        parser.add_argument(
            "--region",
            action="append",
            default=[],
            dest="regions",
            help="Region code the user serves, e.g. 14.08 (repeat for several; none for admin)",
        )
        parser.add_argument("--password", help="Leave out to generate one")
        parser.add_argument("--full-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user, password = services.user_create(
                actor=None,
                username=options["username"],
                role=options["role"],
                region_codes=options["regions"],
                password=options["password"],
                full_name=options["full_name"],
            )
        except ValidationError as error:
            raise input_error(error) from error
        regions = ", ".join(user.region_codes) or "semua wilayah"
        self.stdout.write(self.style.SUCCESS(f"Pengguna {user.username} dibuat: peran {user.role}, wilayah {regions}."))
        if options["password"] is None:
            self.stdout.write(f"Kata sandi: {password}")
