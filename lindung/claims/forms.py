"""Forms of the claims pages: they collect input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.claims.models import ClaimType, JkkKind
from lindung.core.forms import Form
from lindung.registry.models import Relation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IntakeForm(Form):
    nik = forms.CharField(label=_("Member's NIK"), max_length=20)
    claim_type = forms.ChoiceField(label=_("Type of claim"), choices=ClaimType.choices)
    jkk_kind = forms.ChoiceField(label=_("JKK benefit"), choices=[("", "-"), *JkkKind.choices], required=False)
    event_date = forms.DateField(label=_("Event date"), widget=DATE)
    event_time = forms.TimeField(label=_("Event time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    chronology = forms.CharField(label=_("Chronology"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    stage1_reported_at = forms.DateTimeField(
        label=_("Stage I report (JKK)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    claimant_name = forms.CharField(label=_("Claimant"), max_length=150)
    claimant_relation = forms.ChoiceField(
        label=_("Claimant's relation"), choices=[("", _("The member")), *Relation.choices], required=False
    )
    wage = forms.IntegerField(label=_("Last reported wage (JKK, Rp)"), required=False, min_value=0)
    months = forms.IntegerField(label=_("Months unable to work (STMB)"), required=False, min_value=1)
    medical_costs = forms.IntegerField(label=_("Medical and transport receipts (JKK, Rp)"), required=False, min_value=0)
    percentage = forms.DecimalField(label=_("Disability %"), required=False, min_value=0, max_value=100)


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class PayForm(Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)


class HeirForm(Form):
    name = forms.CharField(label=_("Heir's name"), max_length=150)
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    bank = forms.CharField(label=_("Bank"), max_length=60, required=False)
    account = forms.CharField(label=_("Account"), max_length=34, required=False)
    reason = forms.CharField(label=_("Reason for the change"), max_length=300)


class DocumentForm(Form):
    kind = forms.ChoiceField(label=_("Document"))
    file = forms.FileField(label=_("File (PDF, JPG or PNG, at most 5 MB)"))
