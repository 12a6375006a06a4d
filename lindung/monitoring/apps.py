from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Coverage, money and commitment per region: the figures officials ask for."""

    name = "lindung.monitoring"
    label = "monitoring"

    def ready(self) -> None:
        # The rollups follow every announced write (lindung.core.changes); the writers never import us.
        from lindung.core.benches import bench_register
        from lindung.core.changes import follower_register
        from lindung.monitoring import bench, bench_lists, bench_national, bench_serve, bench_writes
        from lindung.monitoring.follower import RollupFollower

        follower_register("monitoring.rollups", RollupFollower())
        bench_register(bench.BENCH)
        bench_register(bench_writes.BENCH)
        bench_register(bench_lists.BENCH)
        bench_register(bench_national.BENCH)
        bench_register(bench_serve.BENCH)
