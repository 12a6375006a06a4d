from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lindung.core.forms import Form


class OfficeForm(Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    head_name = forms.CharField(label=_("Head of office"), max_length=150, required=False)
    head_title = forms.CharField(
        label=_("Head's title"),
        max_length=150,
        required=False,
        help_text=_("As printed above the signature, e.g. Kepala Kantor Cabang Siak."),
    )
    bank_name = forms.CharField(label=_("Bank"), max_length=60, required=False)
    bank_account = forms.CharField(
        label=_("Account number"), max_length=34, required=False, help_text=_("The account benefits are paid from.")
    )
    bank_account_name = forms.CharField(label=_("Account holder"), max_length=150, required=False)
    active = forms.BooleanField(label=_("Active"), required=False)


class AreaForm(Form):
    region = forms.CharField(
        label=_("Region code"),
        max_length=13,
        help_text=_("A kabupaten/kota for a branch or KCP (14.08), a province for a Kanwil (14)."),
    )
    valid_from = forms.DateField(
        label=_("Served from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The first day it serves it."),
    )


class OfficeFileForm(Form):
    file = forms.FileField(
        label=_("Office file (CSV or XLSX)"),
        help_text=_(
            "Columns: kode_kantor, jenis, nama_kantor, kode_induk, alamat, telepon, email, kepala, jabatan_kepala, "
            "bank, nomor_rekening, nama_rekening, kode_wilayah, berlaku_mulai."
        ),
    )
