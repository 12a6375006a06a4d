"""Forms of the contributions pages. They collect input; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lindung.contributions.statements import parse_amount
from lindung.core.forms import Form
from lindung.core.forms_util import set_choices
from lindung.registry.models import Funding, Segment
from lindung.rules.contributions import PROGRAMS
from lindung.rules.periods import Period

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.TextInput(attrs={"placeholder": "2026-06", "pattern": r"\d{4}-\d{2}", "inputmode": "numeric"})


class RupiahField(forms.Field):
    """Whole rupiah typed as 1.250.000 or 1250000."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 20})

    def to_python(self, value: Any) -> int | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return parse_amount(text)
        except ValueError as error:
            raise ValidationError(str(error)) from None


class BillForm(Form):
    period = forms.CharField(label=_("Period"), max_length=7, widget=MONTH)


class MonthField(forms.CharField):
    """A month typed as 2026-06."""

    widget = MONTH

    def to_python(self, value: Any) -> Period | None:  # type: ignore[override]
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return Period.parse(text)
        except ValueError:
            raise ValidationError(_("Write the month as YYYY-MM, for example 2026-06.")) from None


class BillingStartForm(Form):
    bills_from = MonthField(label=_("Lindung bills from (month)"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PaymentForm(Form):
    paid_on = forms.DateField(label=_("Payment date"), widget=DATE)
    amount = RupiahField(label=_("Amount (Rp)"))
    reference = forms.CharField(label=_("Reference"), max_length=140, required=False)
    payer_account = forms.CharField(label=_("Payer account"), max_length=34, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    # Shown only once the service finds the same payment recorded already (see `ask_second_transfer`).
    second_transfer = forms.BooleanField(
        label=_("Second transfer: the money really came twice"), required=False, widget=forms.HiddenInput
    )

    def ask_second_transfer(self) -> None:
        """After a refusal as a possible duplicate: let the officer confirm it is a second transfer."""
        if "second_transfer" in self.errors:
            self.fields["second_transfer"].widget = forms.CheckboxInput()


class ReverseForm(Form):
    reason = forms.CharField(label=_("Reason for the reversal"), max_length=300)


class StatementForm(Form):
    file = forms.FileField(
        label=_("Bank statement (CSV)"), help_text=_("Columns: tanggal, jumlah, keterangan, rekening.")
    )
    region = forms.ChoiceField(label=_("Received by the office of"))

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["region"], regions)


class MatchForm(Form):
    sponsor = forms.ChoiceField(label=_("Sponsor"))
    remember_account = forms.BooleanField(
        label=_("Remember this account for this sponsor"), required=False, initial=True
    )

    def __init__(self, *args: Any, sponsors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["sponsor"], [("", "-"), *sponsors])


class CoverageForm(Form):
    day = forms.DateField(label=_("Covered on"), widget=DATE)


class PlannerForm(Form):
    segment = forms.ChoiceField(label=_("Segment"), choices=Segment.choices, initial="bpu")
    programs = forms.MultipleChoiceField(
        label=_("Programs"),
        choices=[(code, code.upper()) for code in PROGRAMS],
        widget=forms.CheckboxSelectMultiple,
        initial=["jkk", "jkm"],
    )
    wage = RupiahField(label=_("Monthly wage or declared income (Rp)"), initial="1.000.000")
    risk_class = forms.TypedChoiceField(
        label=_("JKK risk class (PU)"),
        choices=[("", "-"), *[(str(n), str(n)) for n in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    funding = forms.ChoiceField(label=_("Funding"), choices=Funding.choices, initial="apbd")
    start = forms.CharField(label=_("First month"), max_length=7, widget=MONTH)
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=36, initial=12)
    phases = forms.CharField(
        label=_("Target workers from each month"),
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2023-10 5000\n2024-01 10000"}),
        help_text=_("One line per step: month and number of workers."),
    )
    agreement = forms.ChoiceField(label=_("Compare with the agreement's budget ceiling"), required=False)

    def __init__(self, *args: Any, agreements: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["agreement"], [("", "-"), *agreements])
