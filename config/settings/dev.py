"""`make run`: SQLite by default, static files straight from the finders.

Debug is off, as in production: the demo shows the friendly error pages, never Django's debug page
with every URL pattern. `DJANGO_DEBUG=1 make run` turns it on for development."""

from config import env
from config.settings.base import *  # noqa: F403

DEBUG = env.flag("DJANGO_DEBUG", False)
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The demo's letterhead and payment details: examples, marked as such on the invoice.
LINDUNG_OFFICE = {
    "name": env.text("LINDUNG_OFFICE_NAME", "BPJS Ketenagakerjaan Kantor Cabang Pekanbaru Kota (demo)"),
    "address": env.text("LINDUNG_OFFICE_ADDRESS", "Jl. Jenderal Sudirman, Pekanbaru, Riau (alamat contoh)"),
    "phone": env.text("LINDUNG_OFFICE_PHONE", "(0761) 000-000 (contoh)"),
}
LINDUNG_PAYMENT = {
    "bank": env.text("LINDUNG_PAYMENT_BANK", "Bank contoh (demo)"),
    "account": env.text("LINDUNG_PAYMENT_ACCOUNT", "000-000-0000 (contoh)"),
    "account_name": env.text("LINDUNG_PAYMENT_ACCOUNT_NAME", "BPJS Ketenagakerjaan (demo)"),
    "virtual_account_prefix": env.text("LINDUNG_PAYMENT_VA_PREFIX", "9999"),
}

env.data_dir().mkdir(parents=True, exist_ok=True)
