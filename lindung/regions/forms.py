"""A region picked by name: the field people type a name into and choose from what the region
search offers ("Banjar Seminai (14.08.05.2001)"); a bare code is accepted too. The services
still check the code (it exists, is of the right level, lies in the user's regions)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The code in "Name (14.08.05.2001)", or the code alone.
CODE_IN_CHOICE = re.compile(r"(?:^|\()\s*(\d{2}(?:\.\d{2}){0,2}(?:\.\d{4})?)\s*\)?\s*$")


class RegionPickerInput(forms.TextInput):
    """A text box with a list of suggestions filled by the region search as the user types (HTMX)."""

    def __init__(self, level: int | None = None, attrs: dict[str, Any] | None = None) -> None:
        self.level = level
        super().__init__(attrs)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        options_id = f"{context['widget']['attrs'].get('id', name)}-options"
        url = reverse("regions:options") + f"?field={name}" + (f"&tingkat={self.level}" if self.level else "")
        context["widget"]["attrs"].update(
            {
                "list": options_id,
                "autocomplete": "off",
                "hx-get": url,
                "hx-trigger": "input changed delay:300ms",
                "hx-target": f"#{options_id}",
                "hx-swap": "innerHTML",
                "placeholder": str(_("Type a name, e.g. seminai")),
            }
        )
        context["widget"]["options_id"] = options_id
        return context

    template_name = "regions/_picker.html"


class RegionField(forms.CharField):
    """Cleans to the region's code; the label says what to type."""

    def __init__(self, *, level: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("widget", RegionPickerInput(level=level))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        found = CODE_IN_CHOICE.search(text)
        if found is None:
            raise forms.ValidationError(_("Choose a region from the list, or give its code (e.g. 14.08.06.2001)."))
        return found.group(1)
