from django.apps import AppConfig


class CalculatorConfig(AppConfig):
    """The doors to lindung.rules: the `lindung rules` command, /api/v1/rules and the public simulation page."""

    name = "lindung.calculator"
    label = "calculator"
