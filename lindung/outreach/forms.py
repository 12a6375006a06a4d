from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.core.forms import Form
from lindung.outreach.models import TargetSource
from lindung.regions.forms import RegionField


class TargetListForm(Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"), help_text=_("Columns NIK and NAMA at least"))
    region = RegionField(label=_("Region of the list"), help_text=_("The kabupaten/kota the list is for"))
    source = forms.ChoiceField(label=_("Source"), choices=TargetSource.choices)
    source_date = forms.DateField(
        label=_("Date of the data"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=200, help_text=_("E.g. DTKS Siak Juni 2026"))
