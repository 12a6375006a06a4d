"""`make run`: SQLite by default, debug on, static files straight from the finders."""

from config import env
from config.settings.base import *  # noqa: F403

DEBUG = env.flag("DJANGO_DEBUG", True)
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

env.data_dir().mkdir(parents=True, exist_ok=True)
