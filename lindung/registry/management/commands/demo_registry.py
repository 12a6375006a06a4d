"""`lindung demo_registry`: load the demo registry (Siak, Dumai, companies) once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lindung.registry.demo import demo_registry_ensure


class Command(BaseCommand):
    help = "Load the demo registry for `make run` (does nothing when it is already there)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_registry_ensure()
        if result is None:
            self.stdout.write("Data demo registri sudah ada.")
            return
        persons, sponsors = (f"{result[key]:,}".replace(",", ".") for key in ("persons", "sponsors"))
        self.stdout.write(f"Data demo registri dimuat: {persons} orang, {sponsors} pemberi kerja.")
