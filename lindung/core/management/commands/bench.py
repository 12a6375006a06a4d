"""`lindung bench <what>`: measured numbers beside the database's own floor, as one JSON line."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Benchmarks: `lindung bench import --rows 100000`, `lindung bench billing --members 1000000`, "
        "`lindung bench dashboard --members 1000000`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        benches = parser.add_subparsers(dest="bench", required=True)
        imports = benches.add_parser("import", help="Generate an enrolment file, import it, compare with COPY.")
        imports.add_argument("--rows", type=int, default=100_000)
        imports.add_argument("--seed", type=int, default=None, help="Generator seed (default: from the clock).")
        imports.add_argument("--keep", action="store_true", help="Keep the imported rows instead of removing them.")
        billing = benches.add_parser(
            "billing", help="Bill one period for N memberships, compare with INSERT ... SELECT."
        )
        billing.add_argument("--members", type=int, default=1_000_000)
        billing.add_argument("--period", default="2026-06", help="YYYY-MM (default 2026-06).")
        dashboard = benches.add_parser(
            "dashboard", help="Time the national, province and kabupaten monitoring pages over N memberships."
        )
        dashboard.add_argument("--members", type=int, default=1_000_000)
        dashboard.add_argument("--months", type=int, default=12, help="Months of rollups to build (default 12).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["bench"] == "import":
            from lindung.registry.bench import bench_import

            if options["rows"] <= 0:
                raise CommandError("--rows: must be more than zero.", returncode=2)
            seed = options["seed"] if options["seed"] is not None else _clock_seed()
            result = bench_import(rows=options["rows"], seed=seed, keep=options["keep"])
        elif options["bench"] == "dashboard":
            from lindung.monitoring.bench import bench_dashboard

            if options["members"] <= 0 or options["months"] <= 0:
                raise CommandError("--members, --months: must be more than zero.", returncode=2)
            result = bench_dashboard(members=options["members"], months=options["months"])
        else:
            from lindung.contributions.bench import bench_billing
            from lindung.rules.periods import Period

            if options["members"] <= 0:
                raise CommandError("--members: must be more than zero.", returncode=2)
            try:
                Period.parse(options["period"])
            except ValueError:
                raise CommandError("--period: write it as YYYY-MM.", returncode=2) from None
            result = bench_billing(members=options["members"], period=options["period"])
        self.stdout.write(json.dumps(result))


def _clock_seed() -> int:
    import time

    return int(time.time())
