"""Forms of the registry pages. They only collect input; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.core.forms import Form
from lindung.core.forms_util import PickerChoiceField, set_choices
from lindung.regions.forms import RegionField
from lindung.registry.models import Agreement, Category, Funding, Relation, Segment, Sex, Sponsor, SponsorKind
from lindung.rules.contributions import PROGRAMS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PROGRAM_CHOICES = [(code, code.upper()) for code in PROGRAMS]


class EnrolForm(Form):
    """One person's enrolment: the import's columns as fields (the service reads them the same way)."""

    sponsor = PickerChoiceField(
        label=_("Sponsor"), help_text=_("Type part of the name and choose; empty for a self-paying member")
    )
    nik = forms.CharField(label=_("NIK"), max_length=20)
    name = forms.CharField(label=_("Full name"), max_length=150)
    birth_date = forms.CharField(label=_("Birth date"), widget=DATE)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    village = RegionField(label=_("Address village"), required=False, level=4)
    segment = forms.ChoiceField(
        label=_("Segment"), required=False, choices=[("", _("From the agreement")), *Segment.choices]
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    programs = forms.MultipleChoiceField(
        label=_("Programs"),
        required=False,
        choices=PROGRAM_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: the agreement's"),
    )
    wage = forms.CharField(label=_("Monthly wage or declared income (Rp)"), max_length=20)
    risk_class = forms.ChoiceField(
        label=_("JKK risk class"), required=False, choices=[("", "-"), *[(str(n), str(n)) for n in range(1, 6)]]
    )
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=100)
    work_village = RegionField(label=_("Work village"), required=False, level=4)
    starts_on = forms.CharField(label=_("Start of protection"), widget=DATE)
    funding = forms.ChoiceField(
        label=_("Funding source"), required=False, choices=[("", _("The sponsor's usual")), *Funding.choices]
    )

    def __init__(self, *args: Any, sponsors: list[Sponsor], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self.fields["sponsor"], [("", _("Self-paying (no sponsor)")), *[(str(s.pk), s.name) for s in sponsors]]
        )
        self.fields["sponsor"].required = False

    def values(self) -> dict[str, object]:
        data = dict(self.cleaned_data)
        data.pop("sponsor", None)
        data["programs"] = ",".join(data.get("programs") or [])
        return data


class SponsorForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SponsorKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    region = RegionField(label=_("Region"), help_text=_("A village for a Pemdes; a kabupaten/kota for a Pemda"))
    npwp = forms.CharField(label=_("NPWP"), required=False, max_length=25, help_text=_("Required for a company"))
    address = forms.CharField(label=_("Address"), required=False, max_length=300)


class AgreementForm(Form):
    number = forms.CharField(label=_("Agreement number"), max_length=100)
    starts_on = forms.DateField(label=_("Start"), widget=DATE)
    ends_on = forms.DateField(label=_("End"), widget=DATE)
    segment = forms.ChoiceField(label=_("Segment"), choices=Segment.choices)
    programs = forms.MultipleChoiceField(
        label=_("Programs"), choices=PROGRAM_CHOICES, widget=forms.CheckboxSelectMultiple, initial=["jkk", "jkm"]
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories covered"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    quota = forms.IntegerField(label=_("Quota of workers"), min_value=1)
    budget_ceiling = forms.IntegerField(label=_("Budget ceiling (Rp)"), min_value=0)


class RenewForm(Form):
    number = forms.CharField(label=_("Number of the new agreement"), max_length=100)


class TerminateForm(Form):
    ended_on = forms.DateField(label=_("Terminated on"), widget=DATE)


class RelativeForm(Form):
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    name = forms.CharField(label=_("Name"), max_length=150)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE)
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", "-"), *Sex.choices])
    nik = forms.CharField(label=_("NIK"), required=False, max_length=20)


class UploadForm(Form):
    sponsor = PickerChoiceField(label=_("Sponsor"), help_text=_("Type part of the name and choose"))
    agreement = forms.ChoiceField(label=_("Agreement"), required=False)
    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def __init__(self, *args: Any, sponsors: list[Sponsor], agreements: list[Agreement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["sponsor"], [("", "-"), *[(str(s.pk), s.name) for s in sponsors]])
        set_choices(
            self.fields["agreement"],
            [
                ("", _("The sponsor's agreement in force")),
                *[(str(a.pk), f"{a.number} ({a.sponsor.name})") for a in agreements],
            ],
        )


class PersonForm(Form):
    """A person's name, phone and address village (NIK, birth date and sex follow the NIK)."""

    name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    village = RegionField(label=_("Address village"), required=False, level=4)


class MembershipEndForm(Form):
    ends_on = forms.DateField(label=_("Last protected day"), widget=DATE)


class MembershipChangeForm(Form):
    """New terms from a day: the wage or income, occupation and JKK risk class."""

    effective_from = forms.DateField(label=_("Applies from"), widget=DATE)
    wage = forms.CharField(label=_("Monthly wage or declared income (Rp)"), max_length=20)
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=100)
    risk_class = forms.ChoiceField(
        label=_("JKK risk class"), required=False, choices=[("", "-"), *[(str(n), str(n)) for n in range(1, 6)]]
    )
