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

env.data_dir().mkdir(parents=True, exist_ok=True)
