"""Production settings refuse to start without a secret key and pass `check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from credentials.ld.keys import SigningKey

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 20 + "-production-test-key-" + "z" * 20


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "CACHE_URL"}}
    base.update(DJANGO_SETTINGS_MODULE="mcportal.settings", **env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = _run(
        ["manage.py", "check"], MCPORTAL_ENV="production", ALLOWED_HOSTS="mc.unimas.my", MCPORTAL_VAR_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_refuses_a_short_secret_key(tmp_path):
    result = _run(
        ["manage.py", "check"],
        MCPORTAL_ENV="production",
        SECRET_KEY="short",
        ALLOWED_HOSTS="mc.unimas.my",
        MCPORTAL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr
    assert "short" not in result.stderr.replace("SECRET_KEY", "")  # the secret is never echoed


def test_production_refuses_to_start_without_identity_key(tmp_path):
    result = _run(
        ["manage.py", "check"],
        MCPORTAL_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="mc.unimas.my",
        MCPORTAL_VAR_DIR=str(tmp_path),
        IDENTITY_ENCRYPTION_KEY="",
    )
    assert result.returncode != 0
    assert "IDENTITY_ENCRYPTION_KEY" in result.stderr


PRODUCTION_ENV = {
    "MCPORTAL_ENV": "production",
    "SECRET_KEY": STRONG_KEY,
    "IDENTITY_ENCRYPTION_KEY": "i" * 40,
    "ALLOWED_HOSTS": "mc.unimas.my",
    "PUBLIC_BASE_URL": "https://mc.unimas.my",
    # Never connected to by `check`: the settings only name it.
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}


def test_production_passes_check_deploy_with_nothing_silenced(tmp_path):
    """Issue 12: `check --deploy` passes at WARNING level with production settings, and no check
    is silenced (django-ratelimit's shared-cache checks used to be)."""
    env = {
        **PRODUCTION_ENV,
        "CREDENTIAL_SIGNING_KEYS": SigningKey.generate("key-test").config_entry(),
        "MCPORTAL_VAR_DIR": str(tmp_path),
    }
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
    assert "(0 silenced)" in result.stdout
    shown = _run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(repr(s.SILENCED_SYSTEM_CHECKS), s.CACHES['default']['BACKEND'], s.ADMIN_REQUIRE_2FA, "
            "s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_AGE)",
        ],
        **env,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == ["[]", "django_redis.cache.RedisCache", "True", "True", str(12 * 3600)]


def test_production_refuses_to_start_without_a_shared_cache(tmp_path):
    for cache_url in ("", "locmem://"):
        result = _run(
            ["manage.py", "check"],
            **{**PRODUCTION_ENV, "CACHE_URL": cache_url},
            CREDENTIAL_SIGNING_KEYS=SigningKey.generate("key-test").config_entry(),
            MCPORTAL_VAR_DIR=str(tmp_path),
        )
        assert result.returncode != 0
        assert "CACHE_URL must name a Redis cache" in result.stderr


def test_development_defaults_need_nothing(tmp_path):
    result = _run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.DEBUG, s.EMAIL_BACKEND)",
        ],
        MCPORTAL_VAR_DIR=str(tmp_path),
        DATABASE_URL="",
        CELERY_BROKER_URL="",
    )
    assert result.returncode == 0, result.stderr
    engine, broker, debug, email = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://localhost//"
    assert debug == "True"
    assert email == "django.core.mail.backends.console.EmailBackend"


def test_database_url_selects_postgresql(tmp_path):
    result = _run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "d = s.DATABASES['default']; print(d['ENGINE'], d['NAME'], d['HOST'])",
        ],
        MCPORTAL_VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/mcportal",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "mcportal", "127.0.0.1"]


@pytest.mark.parametrize("bad", ["staging", "prod"])
def test_unknown_environment_name_is_refused(tmp_path, bad):
    result = _run(["manage.py", "check"], MCPORTAL_ENV=bad, MCPORTAL_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "MCPORTAL_ENV" in result.stderr
