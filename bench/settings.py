"""Settings for `make bench`: the project's own, plus the bare baseline endpoints.

The database is a separate SQLite file under var/bench/ (or DATABASE_URL), so a
benchmark never touches the demo data.
"""

from mdss.settings import *  # noqa: F403
from mdss.settings import INSTALLED_APPS, LOGGING

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [*INSTALLED_APPS, "bench.baseline"]
ROOT_URLCONF = "bench.urls"
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}
HUEY = {**HUEY, "immediate": True}  # noqa: F405
