"""Reading one value as people type it in forms and spreadsheets: dates, rupiah, sex, phone, codes.

Each parser takes what a form or a spreadsheet cell holds (text, number, date or nothing) and returns
the clean value or raises ValueError with the message to show, in the active language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

import phonenumbers
from django.utils import translation
from django.utils.translation import gettext as _

from lindung.core.inputs import MAX_RUPIAH, TOO_MANY_RUPIAH

DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")
SEX_WORDS = {"L": "L", "LK": "L", "LAKI-LAKI": "L", "LAKI LAKI": "L", "P": "P", "PR": "P", "PEREMPUAN": "P"}


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# Control characters come with text pasted from other programs; they mean nothing in a name or an
# address, and Excel refuses them in a cell (so every later export of the value would fail).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(value: object) -> str:
    """The value as text, control characters dropped and runs of white space made one space."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else " ".join(CONTROL_CHARACTERS.sub("", str(value)).split())


DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
YEAR_FIRST = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
MOBILE = re.compile(r"(?:\+62|62|0)(8[1-9]\d{7,10})")


def parse_date(value: object) -> date:
    """A date from a cell (date, datetime) or text in YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value)
    # The two usual forms without strptime, which is slow over 100,000 rows.
    if match := YEAR_FIRST.fullmatch(raw):
        year, month, day = (int(part) for part in match.groups())
    elif match := DAY_FIRST.fullmatch(raw):
        day, month, year = (int(part) for part in match.groups())
    else:
        year = 0
    if year:
        try:
            return date(year, month, day)
        except ValueError:
            raise ValueError(_("Not a date: %(value)s (write 31-12-1990 or 1990-12-31).") % {"value": raw}) from None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            continue
    raise ValueError(_("Not a date: %(value)s (write 31-12-1990 or 1990-12-31).") % {"value": raw})


def parse_rupiah(value: object) -> int:
    """Whole rupiah from 1500000, "1.500.000", "Rp1.500.000" or a spreadsheet number."""
    if isinstance(value, bool):
        raise ValueError(_("Not an amount of rupiah."))
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(_("Give whole rupiah, without cents."))
        amount = int(value)
    else:
        raw = text(value).upper().removeprefix("RP").strip()
        if not re.fullmatch(r"\d{1,3}(\.\d{3})+|\d+", raw):
            raise ValueError(_("Not an amount of rupiah: %(value)s (write 1500000 or 1.500.000).") % {"value": raw})
        amount = int(raw.replace(".", ""))
    if amount <= 0:
        raise ValueError(_("Must be more than zero."))
    if amount > MAX_RUPIAH:
        raise ValueError(str(TOO_MANY_RUPIAH))
    return amount


def parse_sex(value: object) -> str:
    word = text(value).upper()
    if word not in SEX_WORDS:
        raise ValueError(_("Write L (male) or P (female)."))
    return SEX_WORDS[word]


def parse_phone(value: object) -> str:
    """An Indonesian phone number in E.164 form (+6281234567890); "" when not given."""
    raw = text(value)
    if not raw:
        return ""
    # Most numbers are mobiles written 08..., +628... or 628...: no need for the full parser.
    if match := MOBILE.fullmatch(re.sub(r"[\s\-().]", "", raw)):
        return f"+62{match.group(1)}"
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValueError(_("Not a valid phone number: %(value)s.") % {"value": raw})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_code(
    value: object, choices: tuple[str, ...], *, what: object, labels: Iterable[tuple[str, object]] = ()
) -> str:
    """A code from a closed list. Its label is accepted too, in Indonesian or English, in any case
    with spaces or dashes ("non_asn", "Non ASN", "Pegawai non-ASN", "Non-civil-servant staff")."""
    key = _code_key(text(value))
    if key in choices:
        return key
    for code, label in labels:
        if code in choices and key in _label_keys(label):
            return code
    allowed = ", ".join(choices)
    raise ValueError(
        _("Unknown %(what)s %(value)s; use one of: %(allowed)s.")
        % {
            "what": what,
            "value": text(value),
            "allowed": allowed,
        }
    )


def _code_key(written: str) -> str:
    return re.sub(r"[\s\-]+", "_", written.strip().lower())


def _label_keys(label: object) -> set[str]:
    """A label as it reads in each language of the site, in the form codes are compared."""
    keys = set()
    for language in ("id", "en"):
        with translation.override(language):
            keys.add(_code_key(str(label)))
    return keys


def parse_codes(value: object, choices: tuple[str, ...], *, what: object) -> list[str]:
    """Several codes separated by commas, plus signs or spaces ("JKK, JKM"), in the order of `choices`."""
    found = {parse_code(part, choices, what=what) for part in re.split(r"[\s,;+/]+", text(value)) if part}
    return [code for code in choices if code in found]


def parse_int(value: object, *, low: int, high: int) -> int:
    raw = text(value)
    if not re.fullmatch(r"\d+", raw) or not low <= int(raw) <= high:
        raise ValueError(_("Give a whole number from %(low)d to %(high)d.") % {"low": low, "high": high})
    return int(raw)
