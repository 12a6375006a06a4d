from typing import Any

from django.core.management.base import BaseCommand

from lindung.accounts.demo import demo_users_ensure


class Command(BaseCommand):
    help = "Create the demo accounts (admin, Siak operator, Dumai operator, Riau monitor) and print their passwords."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("Akun demo (buka http://127.0.0.1:8000/masuk/):")
        for demo, created in demo_users_ensure():
            regions = f"kantor {demo.office}" if demo.office else ", ".join(demo.regions) or "semua wilayah"
            state = "dibuat" if created else "sudah ada"
            self.stdout.write(
                f"  {demo.username:<11} kata sandi: {demo.password:<20} "
                f"peran: {demo.role:<15} wilayah: {regions:<13} ({state})"
            )
