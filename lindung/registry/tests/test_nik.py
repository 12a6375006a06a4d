"""NIK checks: python-stdnum's form, date and province rules, plus the person's date, sex and kecamatan."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lindung.registry.enrolment import LookupCodes
from lindung.registry.models import Person
from lindung.registry.nik import check_nik, make_nik
from lindung.registry.tests.factories import DAYUN, enrol, sponsor

pytestmark = pytest.mark.django_db
BORN = date(1990, 5, 17)
KNOWN = {"140806"}


def check(raw: str, *, born: date | None = BORN, sex: str | None = "L"):
    return check_nik(raw, birth_date=born, sex=sex, known_districts=KNOWN)


def test_valid_nik_of_a_man_and_of_a_woman():
    man, woman = check("1408061705900001"), check("1408065705900002", sex="P")
    assert (man.ok, man.nik, man.warnings) == (True, "1408061705900001", [])
    assert (woman.ok, woman.nik) == (True, "1408065705900002")


def test_separators_are_removed():
    assert check("1408.0617-0590 0001").nik == "1408061705900001"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("140806170590001", "A NIK has 16 digits; this one has 15."),
        ("14080617059000012", "A NIK has 16 digits; this one has 17."),
        ("14080617059A0001", "A NIK has only digits."),
        ("1408063213900001", "Digits 7 to 12 of the NIK are not a birth date (DDMMYY, day + 40 for women)."),
        ("9908061705900001", "The NIK's province or kabupaten code 99.08 is unknown."),
        ("", "The NIK is required."),
    ],
)
def test_malformed_nik_is_refused_with_its_reason(raw, message, settings):
    settings.LANGUAGE_CODE = "en"
    result = check(raw)
    assert (result.ok, result.errors) == (False, [message])


def test_birth_date_must_match_the_nik():
    result = check("1408061705900001", born=date(1990, 5, 18))
    assert result.errors == ["Tanggal lahir 18-05-1990 tidak cocok dengan NIK, yang berisi 17-05-..90."]


def test_sex_must_match_the_nik():
    assert check("1408061705900001", sex="P").errors == [
        "Jenis kelamin tidak cocok dengan NIK: NIK ini milik laki-laki (pada perempuan tanggal lahir ditambah 40)."
    ]
    assert check("1408065705900002", sex="L").errors == [
        "Jenis kelamin tidak cocok dengan NIK: NIK ini milik perempuan (tanggal lahir + 40)."
    ]


def test_unknown_kecamatan_is_a_warning_only():
    result = check("1408991705900001")
    assert result.ok
    assert result.warnings == [
        "Kode kecamatan 14.08.99 pada NIK tidak ada di pohon wilayah "
        "(mungkin sudah dimekarkan sejak NIK terbit); periksa NIK."
    ]


def test_kecamatan_is_checked_against_the_real_region_tree():
    nik = make_nik(DAYUN, BORN, "L", 1)
    assert check_nik(nik, birth_date=BORN, sex="L", known_districts=LookupCodes(level=3)).warnings == []


def test_one_person_per_nik_in_the_database():
    siak = sponsor()
    first = enrol(siak, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(nik=first.person.nik, name="Orang Lain", birth_date=BORN, sex="L")
    assert Person.objects.filter(nik=first.person.nik).count() == 1


def test_the_same_person_enrolled_by_a_second_sponsor_is_not_registered_twice():
    company = sponsor("PT Sawit Siak Lestari", kind="company", npwp="013000666091000")
    first = enrol(sponsor(), 1)
    second = enrol(company, 1, category="karyawan")
    assert second.person_id == first.person_id
    assert Person.objects.count() == 1


def test_enrolment_names_the_field_of_a_nik_problem():
    with pytest.raises(ValidationError) as refused:
        enrol(sponsor(), 1, sex="P", nik=make_nik(DAYUN, BORN, "L", 1))
    assert list(refused.value.message_dict) == ["nik"]
    assert Person.objects.count() == 0
