"""Settings for the test suite: the normal settings, with a separate var/ folder so tests never
share a database file or a broker folder with a portal running beside them."""

import os
from pathlib import Path

os.environ.setdefault("MCPORTAL_VAR_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test"))

from mcportal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
