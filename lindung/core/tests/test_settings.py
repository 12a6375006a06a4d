"""Database settings read from the environment."""

from config import env


def test_a_sqlite_database_url_gets_wal_a_busy_timeout_and_immediate_transactions(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/lindung.sqlite3")

    settings = env.database()

    assert settings["OPTIONS"] == {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    assert settings["NAME"] == f"{tmp_path}/lindung.sqlite3"


def test_postgresql_keeps_its_own_options(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lindung")

    settings = env.database()

    assert (settings["ENGINE"], settings.get("OPTIONS", {})) == ("django.db.backends.postgresql", {})
