from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    """Monthly billing, payments, arrears, penalties and coverage."""

    name = "lindung.contributions"
    label = "contributions"
