from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    """Monthly billing, payments, arrears, penalties and coverage."""

    name = "lindung.contributions"
    label = "contributions"

    def ready(self) -> None:
        from lindung.contributions.bench import BENCH
        from lindung.core.benches import bench_register

        bench_register(BENCH)
