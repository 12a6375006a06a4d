from django.apps import AppConfig


class OutreachConfig(AppConfig):
    """Finding the uncovered: lists from the social-affairs office matched against the registry."""

    name = "lindung.outreach"
    label = "outreach"

    def ready(self) -> None:
        from lindung.core.benches import bench_register
        from lindung.outreach import bench

        bench_register(bench.BENCH)
