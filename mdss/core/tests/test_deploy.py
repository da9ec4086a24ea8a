"""Production settings pass Django's deployment checks; migrations match the models."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[3]


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-0123456789",
    "DJANGO_ALLOWED_HOSTS": "mdss.example.com",
    "MDSS_AUDIT_KEY": "audit-key-kept-outside-the-database-0123456789",
    "MDSS_TESTING": "0",
}


def _manage(tmp_path, *args, drop=(), **env):
    """``manage.py ARGS`` in a fresh process with production settings (less ``drop``)."""
    environment = {**os.environ, **PRODUCTION, "MDSS_VAR_DIR": str(tmp_path), **env}
    for name in (*drop, "PYTEST_XDIST_WORKER", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_production_settings_is_clean(tmp_path):
    result = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_the_development_secret(tmp_path):
    result = _manage(tmp_path, "check", drop=["DJANGO_SECRET_KEY"])
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_refuse_to_start_without_an_audit_key(tmp_path):
    result = _manage(tmp_path, "check", drop=["MDSS_AUDIT_KEY"])
    assert result.returncode != 0
    assert "MDSS_AUDIT_KEY must be set" in result.stderr


def test_migrations_match_the_models(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_with_debug_on_only_this_machine_is_served(rf):
    from mdss.core.middleware import DebugOnlyOnLoopbackMiddleware

    middleware = DebugOnlyOnLoopbackMiddleware(lambda request: "served")
    assert middleware(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "served"
    assert middleware(rf.get("/", REMOTE_ADDR="::1")) == "served"
    refused = middleware(rf.get("/", REMOTE_ADDR="192.0.2.10"))
    assert refused.status_code == 503 and b"DJANGO_DEBUG=0" in refused.content


def test_the_guard_is_installed_whenever_debug_is_on(tmp_path):
    env = {**os.environ, "DJANGO_DEBUG": "1", "MDSS_VAR_DIR": str(tmp_path), "MDSS_TESTING": "0"}
    env.pop("PYTEST_XDIST_WORKER", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-c", "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='mdss.settings';"
         "django.setup();from django.conf import settings;print(settings.MIDDLEWARE[0])"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.stdout.strip() == "mdss.core.middleware.DebugOnlyOnLoopbackMiddleware"
