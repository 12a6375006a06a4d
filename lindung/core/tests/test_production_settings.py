"""The production settings pass Django's deployment check with no warning, from the environment alone."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

LINDUNG = str(Path(sys.executable).with_name("lindung"))


def _run(extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment |= {"DJANGO_SETTINGS_MODULE": "config.settings.prod"} | extra
    return subprocess.run(  # noqa: S603 (our own command)
        [LINDUNG, "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_no_warning(tmp_path):
    result = _run(
        {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_ALLOWED_HOSTS": "lindung.example.go.id",
            "DJANGO_CSRF_TRUSTED_ORIGINS": "https://lindung.example.go.id",
            "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
            "LINDUNG_DATA_DIR": str(tmp_path),
        }
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_its_hosts(tmp_path):
    result = _run({"DJANGO_SECRET_KEY": secrets.token_urlsafe(60), "LINDUNG_DATA_DIR": str(tmp_path)})

    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr
