"""The monitoring village list counts a register of village officials when one is loaded (issue 22):
the officials not yet enrolled are counted too, which the registry alone cannot know."""

from __future__ import annotations

import pytest

from lindung.monitoring.rollups import refresh_rollups
from lindung.outreach.tests.test_officials import LAST_MONTH, TODAY, the_register  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_the_monitoring_village_list_counts_the_register(the_register, siak_operator, login):  # noqa: F811
    target_list, first, _second = the_register
    refresh_rollups(first=LAST_MONTH.shifted(-1), today=TODAY)
    page = login(siak_operator).get(f"/pantau/14.08/desa/?periode={LAST_MONTH}").content.decode()
    assert target_list.name in page
    assert f'data-village="{first.code}">' in page
    assert "1 dari 3 perangkat dalam register terlindungi" in page
    assert "0 dari 2 perangkat dalam register terlindungi" in page
