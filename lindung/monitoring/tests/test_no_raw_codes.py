"""Words, not codes: the main pages, in Indonesian and in English, show no raw code of the project's
choice lists (`non_asn`, `lump_sum`, `akta_kematian`...) in the text people read (issue 20)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db.models import TextChoices

from lindung.accounts.roles import Role
from lindung.accounts.tests.factories import UserFactory
from lindung.monitoring.tests.test_phone_width import main_flow_pages
from lindung.rules import entitlements

pytestmark = pytest.mark.django_db

# Codes of the rules' results (benefit components) that are not in a model's choices.
RULE_CODES = {
    "lump_sum",
    "periodic",
    "funeral",
    *entitlements.LEVELS,
    *entitlements.JHT_REASONS,
    *entitlements.RELATIVES,
}


def project_codes() -> set[str]:
    """Every coded value of the project's choice lists that a person could mistake for a word: those
    written with an underscore, or in lower case where the label differs."""
    from lindung.claims.documents import CHECKLIST
    from lindung.core import labels

    found = {code for code in RULE_CODES if "_" in code}
    found.update(code for choices in labels.kinds().values() for code in choices if "_" in code)
    found.update(kind for kinds in CHECKLIST.values() for kind, _label in kinds if "_" in kind)
    for model in apps.get_models():
        if not model.__module__.startswith("lindung."):
            continue
        for field in model._meta.get_fields():
            for code, label in getattr(field, "choices", None) or []:
                if isinstance(code, str) and "_" in code and code != str(label):
                    found.add(code)
    for choices in TextChoices.__subclasses__():
        if choices.__module__.startswith("lindung."):
            found.update(code for code in choices.values if "_" in code)
    return found


class VisibleText(HTMLParser):
    """The text a person reads: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_main_pages_show_words_not_codes(client, language: str) -> None:
    UserFactory(username="cabang", role=Role.PETUGAS_CABANG, regions=["14"])
    pages = main_flow_pages()
    client.force_login(UserFactory._meta.model.objects.get(username="cabang"))
    client.cookies["django_language"] = language
    codes = project_codes()
    assert {"non_asn", "pekerja_rentan", "akta_kematian"} <= codes  # the check knows the codes
    pattern = re.compile(
        r"(?<![\w/.-])(" + "|".join(sorted(map(re.escape, codes), key=len, reverse=True)) + r")(?![\w/.-])"
    )
    raw = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        found = sorted(set(pattern.findall(visible_text(response.content.decode()))))
        if found:
            raw[url] = found
    assert raw == {}


def test_the_api_gives_each_code_its_words_in_the_requests_language(api, siak_operator):
    from datetime import date

    from lindung.registry.tests.factories import agreement, sponsor

    pks = agreement(sponsor(), number="PKS/LABEL/2026", starts_on=date(2026, 1, 1), categories=["non_asn"])
    client = api(siak_operator)
    indonesian = client.get(f"/api/v1/agreements/{pks.pk}", HTTP_ACCEPT_LANGUAGE="id").json()
    english = client.get(f"/api/v1/agreements/{pks.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert indonesian["categories"] == ["non_asn"]
    assert indonesian["category_labels"] == ["Pegawai non-ASN"]
    assert english["category_labels"] == ["Non-ASN government staff"]
    assert (indonesian["status_label"], english["status_label"]) == ("Aktif", "Active")
