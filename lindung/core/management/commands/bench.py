"""`lindung bench <what>`: measured numbers beside the database's own floor, as one JSON line."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from lindung.core.benches import benches


class Command(BaseCommand):
    help = (
        "Benchmarks: `lindung bench import --rows 100000`, `lindung bench billing --members 1000000`, "
        "`lindung bench dashboard --members 1000000`, `lindung bench writes --members 100000`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        subparsers = parser.add_subparsers(dest="bench", required=True)
        for bench in benches():
            bench.add_arguments(subparsers.add_parser(bench.name, help=bench.help))

    def handle(self, *args: Any, **options: Any) -> None:
        bench = next(bench for bench in benches() if bench.name == options["bench"])
        self.stdout.write(json.dumps(bench.run(options)))
