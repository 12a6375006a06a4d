"""Forms of the claims pages: they collect input; the services decide."""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.claims.models import ClaimType, JkkKind, TransportMode
from lindung.core.forms import Form
from lindung.registry.models import Relation

JHT_REASONS = [
    ("pensiun", _("Pension age")),
    ("cacat_total", _("Total permanent disability")),
    ("meninggal", _("Death")),
    ("berhenti_bekerja", _("Resigned")),
    ("phk", _("Dismissed (PHK)")),
    ("kontrak_selesai", _("End of a fixed-term contract")),
    ("bpu_berhenti", _("A self-employed worker who stops working")),
    ("wna_pulang", _("A foreigner leaving Indonesia")),
    ("sebagian_perumahan", _("Partial, for housing (30%)")),
    ("sebagian_lainnya", _("Partial, other needs (10%)")),
]
SCHOOL_LEVELS = [
    ("belum_sekolah", _("not yet at school")),
    ("tk", _("kindergarten (TK)")),
    ("sd", _("primary school (SD)")),
    ("smp", _("junior high (SMP)")),
    ("sma", _("senior high (SMA/SMK)")),
    ("s1", _("university (S1) or training")),
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IntakeForm(Form):
    """Fields of every claim type; `SHOWN_FOR` says which types (and JKK benefits) each belongs to, so
    the page shows only the chosen type's fields."""

    nik = forms.CharField(label=_("Member's NIK"), max_length=20)
    claim_type = forms.ChoiceField(label=_("Type of claim"), choices=ClaimType.choices)
    jkk_kind = forms.ChoiceField(label=_("JKK benefit"), choices=[("", "-"), *JkkKind.choices], required=False)
    event_date = forms.DateField(label=_("Event date"), widget=DATE)
    filed_on = forms.DateField(
        label=_("Filing date"),
        widget=DATE,
        required=False,
        help_text=_("The day the claim was lodged at the branch; today if empty."),
    )
    event_time = forms.TimeField(label=_("Event time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    chronology = forms.CharField(label=_("Chronology"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    stage1_reported_at = forms.DateTimeField(
        label=_("Stage I report (JKK)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text=_("When the employer reported the accident; leave empty if not known."),
    )
    claimant_name = forms.CharField(label=_("Claimant"), max_length=150)
    claimant_relation = forms.ChoiceField(
        label=_("Claimant's relation"), choices=[("", _("The member")), *Relation.choices], required=False
    )
    wage = forms.IntegerField(label=_("Last reported wage (JKK, Rp)"), required=False, min_value=0)
    months = forms.IntegerField(label=_("Months unable to work (STMB)"), required=False, min_value=1)
    percentage = forms.DecimalField(label=_("Disability %"), required=False, min_value=0, max_value=100)
    medical_costs = forms.IntegerField(label=_("Medical care receipts (Rp)"), required=False, min_value=0)
    transport_costs = forms.IntegerField(label=_("Transport receipts (Rp)"), required=False, min_value=0)
    transport_mode = forms.ChoiceField(
        label=_("Transport by"), choices=[("", "-"), *TransportMode.choices], required=False
    )
    home_care_costs = forms.IntegerField(label=_("Home care receipts (Rp)"), required=False, min_value=0)
    school_year = forms.IntegerField(
        label=_("School year (first year, e.g. 2026 for 2026/2027)"), required=False, min_value=2015, max_value=2100
    )
    work_accident = forms.BooleanField(label=_("The member died from a work accident (JKK)"), required=False)
    jht_reason = forms.ChoiceField(label=_("JHT payout reason"), choices=[("", "-"), *JHT_REASONS], required=False)
    jht_balance = forms.IntegerField(label=_("JHT balance (Rp)"), required=False, min_value=0)
    payee_bank = forms.CharField(label=_("Payee's bank"), max_length=60, required=False)
    payee_account = forms.CharField(
        label=_("Payee's account"),
        max_length=34,
        required=False,
        help_text=_("For a death claim, the heirs' accounts are recorded with the heirs."),
    )

    # Which claim types (and, for JKK, which benefits) each field belongs to; absent: every type.
    SHOWN_FOR: ClassVar[dict[str, str]] = {
        "jkk_kind": "jkk",
        "event_time": "jkk",
        "place": "jkk",
        "stage1_reported_at": "jkk",
        "wage": "jkk",
        "months": "jkk",
        "percentage": "jkk",
        "medical_costs": "jkk",
        "transport_costs": "jkk",
        "transport_mode": "jkk",
        "home_care_costs": "jkk",
        "school_year": "beasiswa",
        "work_accident": "beasiswa",
        "jht_reason": "jht",
        "jht_balance": "jht",
    }
    SHOWN_FOR_KIND: ClassVar[dict[str, str]] = {
        "wage": "stmb disability total_disability death",
        "months": "stmb",
        "percentage": "disability",
        "medical_costs": "medical",
        "transport_costs": "medical",
        "transport_mode": "medical",
        "home_care_costs": "medical",
    }

    def groups(self) -> list[tuple[forms.BoundField, str, str]]:
        """Each field with the types and JKK benefits it is shown for (for the page's data attributes)."""
        return [(self[name], self.SHOWN_FOR.get(name, ""), self.SHOWN_FOR_KIND.get(name, "")) for name in self.fields]


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class PayForm(Form):
    reference = forms.CharField(label=_("Bank transfer reference"), max_length=60)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)


class PayoutAccountForm(Form):
    payee = forms.CharField(label=_("Payee"), max_length=150)
    bank = forms.CharField(label=_("Bank"), max_length=60)
    account = forms.CharField(label=_("Account"), max_length=34)


class ReissueForm(PayoutAccountForm):
    reason = forms.CharField(label=_("What was corrected"), max_length=300)


class WaiverForm(Form):
    kind = forms.ChoiceField(label=_("Document"))
    reason = forms.CharField(label=_("Why it is not needed"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class BatchReissueForm(Form):
    reason = forms.CharField(label=_("Why the file is needed again"), max_length=300)


class ReturnFileForm(Form):
    file = forms.FileField(label=_("The bank's return file (CSV or XLSX)"))


class PaidOutsideForm(Form):
    nik = forms.CharField(label=_("Member's NIK"), max_length=20)
    claim_type = forms.ChoiceField(label=_("Type of claim"), choices=ClaimType.choices)
    jkk_kind = forms.ChoiceField(label=_("JKK benefit"), choices=[("", "-"), *JkkKind.choices], required=False)
    event_date = forms.DateField(label=_("Event date"), widget=DATE)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    amount = forms.IntegerField(label=_("Amount paid (Rp)"), min_value=1)
    claimant_name = forms.CharField(label=_("Paid to"), max_length=150, required=False)
    reference = forms.CharField(label=_("Agency reference"), max_length=60, required=False)


class HistoryFileForm(Form):
    file = forms.FileField(label=_("File of paid claims (CSV or XLSX)"))


class HeirForm(Form):
    name = forms.CharField(label=_("Heir's name"), max_length=150)
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    bank = forms.CharField(label=_("Bank"), max_length=60, required=False)
    account = forms.CharField(label=_("Account"), max_length=34, required=False)
    reason = forms.CharField(label=_("Reason for the change"), max_length=300)


class DocumentForm(Form):
    kind = forms.ChoiceField(label=_("Document"))
    file = forms.FileField(label=_("File (PDF, JPG or PNG, at most 5 MB)"))
