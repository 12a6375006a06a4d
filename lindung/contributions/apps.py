from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    """Monthly billing, payments, arrears, penalties and coverage."""

    name = "lindung.contributions"
    label = "contributions"

    def ready(self) -> None:
        from lindung.contributions.bench import BENCH
        from lindung.contributions.models import LineKind, PaymentSource
        from lindung.core import labels
        from lindung.core.benches import bench_register

        bench_register(BENCH)
        labels.register("line_kind", LineKind.choices)
        labels.register("payment_source", PaymentSource.choices)
