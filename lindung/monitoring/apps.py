from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Coverage, money and commitment per region: the figures officials ask for."""

    name = "lindung.monitoring"
    label = "monitoring"
