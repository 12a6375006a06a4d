"""`lindung add_user` and `lindung api_token`: success, and exit code 2 with nothing written on bad input."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from lindung.accounts.models import ApiToken, User
from lindung.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_add_user_creates_the_account_with_its_regions(capsys) -> None:
    call_command(
        "add_user",
        "budi",
        "--role",
        "operator_pemda",
        "--region",
        "14.08",
        "--region",
        "14.72",
        "--password",
        "rahasia-yang-panjang-1",
    )

    user = User.objects.get(username="budi")
    assert (user.role, user.region_codes) == ("operator_pemda", ("14.08", "14.72"))
    assert user.check_password("rahasia-yang-panjang-1")
    assert "Pengguna budi dibuat" in capsys.readouterr().out


def test_add_user_without_password_prints_a_generated_one(capsys) -> None:
    call_command("add_user", "sari", "--role", "pemantau", "--region", "14")

    password = capsys.readouterr().out.split("Kata sandi: ")[1].strip()
    assert User.objects.get(username="sari").check_password(password)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        (["--role", "raja", "--region", "14.08"], "role"),
        (["--role", "operator_pemda", "--region", "99.99"], "regions"),
        (["--role", "operator_pemda", "--region", "14.8"], "regions"),
        (["--role", "operator_pemda"], "regions"),
        (["--role", "operator_desa", "--region", "14.08"], "regions"),
        (["--role", "admin", "--region", "14"], "regions"),
        (["--role", "pemantau", "--region", "14", "--password", "123"], "password"),
    ],
)
def test_add_user_refuses_bad_input_with_exit_code_2_and_writes_nothing(arguments: list[str], field: str) -> None:
    before = (User.objects.count(), AuditEntry.objects.count())

    with pytest.raises(CommandError) as refused:
        call_command("add_user", "tono", *arguments)

    assert refused.value.returncode == 2
    assert str(refused.value).startswith(f"{field}:")
    assert (User.objects.count(), AuditEntry.objects.count()) == before


def test_add_user_refuses_a_taken_username(siak_operator) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("add_user", "SIAK", "--role", "pemantau", "--region", "14")

    assert refused.value.returncode == 2
    assert "sudah dipakai" in str(refused.value)


def test_api_token_prints_a_token_that_authenticates(siak_operator, capsys) -> None:
    from django.test import Client

    call_command("api_token", "siak", "--name", "integrasi")

    raw = capsys.readouterr().out.strip()
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json() == {
        "username": "siak",
        "full_name": siak_operator.full_name,
        "role": "operator_pemda",
        "regions": ["14.08"],
    }
    token = ApiToken.objects.get(user=siak_operator)
    assert token.digest != raw
    assert raw.startswith(token.prefix)


def test_api_token_for_an_unknown_user_is_exit_code_2() -> None:
    with pytest.raises(CommandError) as refused:
        call_command("api_token", "siapa")

    assert refused.value.returncode == 2
    assert ApiToken.objects.count() == 0


def test_demo_users_are_created_once(capsys) -> None:
    call_command("demo_offices", stdout=io.StringIO())  # the demo's agency staff belong to its offices
    call_command("demo_users")
    call_command("demo_users")

    out = capsys.readouterr().out
    assert User.objects.filter(username__in=["admin", "siak", "dumai", "riau", "cabang"]).count() == 5
    assert out.count("(dibuat)") == 7
    assert out.count("(sudah ada)") == 7
    assert User.objects.get(username="siak").check_password("siak-lindung-demo")
