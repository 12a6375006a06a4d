"""A family member recorded (every check with its message, the audit entry) and a membership ended
(before its start refused, a past end ends it now, a future end keeps it running, audited, scoped)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lindung.core.models import AuditEntry
from lindung.registry.models import MembershipStatus, Relative
from lindung.registry.services import membership_end, relative_add
from lindung.registry.tests.factories import DUMAI, enrol, sponsor

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 15)


@pytest.fixture
def member():
    return enrol(sponsor(), 801, starts_on="2026-01-01")


def test_a_child_is_recorded_with_its_birth_date_and_audited(member, siak_operator):
    child = relative_add(
        actor=siak_operator,
        person=member.person,
        relation="child",
        name="  Putri   Aminah ",
        birth_date=date(2015, 4, 2),
        sex="P",
    )
    assert (child.person, child.relation, child.name, child.birth_date, child.sex) == (
        member.person,
        "child",
        "Putri Aminah",
        date(2015, 4, 2),
        "P",
    )
    entry = AuditEntry.objects.get(object_type="registry.relative", object_id=str(child.pk))
    assert (entry.action, entry.actor) == ("create", siak_operator)
    assert entry.after is not None
    assert entry.after["name"] == "Putri Aminah"


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"relation": "cousin", "name": "A"}, "relation", "Pilih salah satu"),
        ({"relation": "spouse", "name": "   "}, "name", "Wajib diisi."),
        ({"relation": "child", "name": "A"}, "birth_date", "Tanggal lahir anak diperlukan untuk beasiswa."),
        ({"relation": "spouse", "name": "A", "sex": "X"}, "sex", "Tulis L (laki-laki) atau P (perempuan)."),
        (
            {"relation": "parent", "name": "A", "birth_date": date(1960, 1, 1), "died_on": date(1959, 12, 31)},
            "died_on",
            "Sebelum tanggal lahir.",
        ),
        ({"relation": "spouse", "name": "A", "nik": "123"}, "nik", "NIK"),
    ],
)
def test_a_bad_relative_names_the_field_and_records_nothing(member, siak_operator, values, field, message):
    with pytest.raises(ValidationError) as refused:
        relative_add(actor=siak_operator, person=member.person, **values)
    assert list(refused.value.message_dict) == [field]
    assert message in " ".join(refused.value.message_dict[field])
    assert not Relative.objects.filter(person=member.person).exists()


def test_a_monitor_may_not_record_relatives(member, riau_monitor):
    with pytest.raises(PermissionDenied):
        relative_add(actor=riau_monitor, person=member.person, relation="spouse", name="A")


def test_a_membership_ended_in_the_past_is_ended_and_audited(member, siak_operator):
    ended = membership_end(actor=siak_operator, membership=member, ends_on=date(2026, 5, 31), today=TODAY)
    ended.refresh_from_db()
    assert (ended.ends_on, ended.status) == (date(2026, 5, 31), MembershipStatus.ENDED)
    entry = AuditEntry.objects.filter(object_type="registry.membership", object_id=str(member.pk)).latest("id")
    assert entry.before == {"ends_on": None, "status": "active"}
    assert entry.after == {"ends_on": "2026-05-31", "status": "ended"}


def test_a_membership_ending_today_or_later_keeps_running_until_then(member, siak_operator):
    kept = membership_end(actor=siak_operator, membership=member, ends_on=TODAY, today=TODAY)
    assert kept.status == MembershipStatus.ACTIVE
    assert kept.ends_on == TODAY
    later = membership_end(actor=siak_operator, membership=member, ends_on=date(2026, 12, 31), today=TODAY)
    assert later.status == MembershipStatus.ACTIVE


def test_an_end_before_the_start_or_outside_the_region_is_refused(member, siak_operator, dumai_operator):
    with pytest.raises(ValidationError) as early:
        membership_end(actor=siak_operator, membership=member, ends_on=date(2025, 12, 31), today=TODAY)
    assert early.value.message_dict == {"ends_on": ["Sebelum tanggal mulai."]}
    on_start = membership_end(actor=siak_operator, membership=member, ends_on=date(2026, 1, 1), today=TODAY)
    assert on_start.status == MembershipStatus.ENDED
    other = enrol(sponsor("Pemerintah Kota Dumai", region=DUMAI), 802, starts_on="2026-01-01")
    with pytest.raises(PermissionDenied):
        membership_end(actor=siak_operator, membership=other, ends_on=date(2026, 5, 31), today=TODAY)
    membership_end(actor=dumai_operator, membership=other, ends_on=date(2026, 5, 31), today=TODAY)
