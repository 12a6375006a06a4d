from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.contributions.forms import MONTH, RupiahField
from lindung.core.forms import Form
from lindung.core.forms_util import set_choices
from lindung.outreach.models import TO_PROTECT, TargetClass, TargetSource
from lindung.outreach.selection import WORKING_AGE
from lindung.regions.forms import RegionField


class TargetListForm(Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"), help_text=_("Columns NIK and NAMA at least"))
    region = RegionField(label=_("Region of the list"), help_text=_("The kabupaten/kota the list is for"))
    source = forms.ChoiceField(label=_("Source"), choices=TargetSource.choices)
    source_date = forms.DateField(
        label=_("Date of the data"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=200, help_text=_("E.g. DTKS Siak Juni 2026"))


class SelectionForm(Form):
    """Who to protect from a list, and the terms to price them by (the planner's, for BPU and APBD)."""

    classes = forms.MultipleChoiceField(
        label=_("Result"),
        choices=[(c, TargetClass(c).label) for c in (TargetClass.NOT_REGISTERED, TargetClass.REGISTERED)],
        widget=forms.CheckboxSelectMultiple,
        initial=list(TO_PROTECT),
    )
    deciles = forms.TypedMultipleChoiceField(
        label=_("Welfare deciles"),
        choices=[(str(n), str(n)) for n in range(1, 11)],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: every decile"),
    )
    districts = forms.MultipleChoiceField(
        label=_("Kecamatan"), widget=forms.CheckboxSelectMultiple, required=False, help_text=_("None ticked: all")
    )
    min_age = forms.IntegerField(
        label=_("Age from"), min_value=0, max_value=120, required=False, initial=WORKING_AGE[0]
    )
    max_age = forms.IntegerField(
        label=_("Age up to"), min_value=0, max_value=120, required=False, initial=WORKING_AGE[1]
    )
    programs = forms.MultipleChoiceField(
        label=_("Programs"),
        choices=[("jkk", "JKK"), ("jkm", "JKM"), ("jht", "JHT")],
        widget=forms.CheckboxSelectMultiple,
        initial=["jkk", "jkm"],
    )
    income = RupiahField(label=_("Declared income (Rp)"), initial="1.000.000")
    start = forms.CharField(label=_("First month"), max_length=7, widget=MONTH)
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=36, initial=12)
    phases = forms.CharField(
        label=_("Phased target (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "2027-01 5000\n2027-07 10000"}),
        help_text=_("One line per step: month and number of workers. Empty: everyone selected from the first month."),
    )
    agreement = forms.ChoiceField(label=_("Compare with the agreement's budget ceiling"), required=False)

    def __init__(
        self, *args: Any, districts: list[tuple[str, str]], agreements: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["districts"], districts)
        set_choices(self.fields["agreement"], [("", "-"), *agreements])


class ProtectForm(Form):
    """The guided flow's own fields; the selection and terms come from the costing above it."""

    sponsor = forms.ChoiceField(label=_("Sponsor (the regional government that pays)"))
    number = forms.CharField(label=_("Agreement number"), max_length=100)
    starts_on = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args: Any, sponsors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["sponsor"], [("", "-"), *sponsors])
