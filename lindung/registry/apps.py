from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """Persons by NIK, families, sponsors, agreements, memberships and bulk enrolment."""

    name = "lindung.registry"
    label = "registry"

    def ready(self) -> None:
        from lindung.core.benches import bench_register
        from lindung.registry.bench import BENCH

        bench_register(BENCH)
