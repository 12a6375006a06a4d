"""The one error the rules raise for bad input: which field, and why (as translatable text)."""

from __future__ import annotations

from lindung.rules.text import Text


class RuleInputError(ValueError):
    """Input the rules cannot compute with. `field` is the parameter name (period, wage, risk_class...)."""

    def __init__(self, field: str, message: Text) -> None:
        super().__init__(f"{field}: {message.msgid}")
        self.field = field
        self.message = message
