"""Production settings: `manage.py check --deploy` is clean with production values, and refuses unsafe ones."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "privacyportal.settings",
    "READ_DOT_ENV": "false",
    "DEBUG": "false",
    "SECRET_KEY": "x7Jq0-production-like-secret-key-with-enough-entropy-4f9c2b7e1d6a3c8e5b0f",
    "ALLOWED_HOSTS": "privacy.example.com",
    "FIELD_ENCRYPTION_KEY": "3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # A clean environment: nothing the test run itself set (DATABASE_URL, DJANGO_ALLOW_ASYNC_UNSAFE, ...).
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=60
    )


def test_deploy_check_is_clean_with_production_values(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_stops_start_up_with_a_clear_message():
    env = {**PRODUCTION, "SECRET_KEY": ""}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_yes_ish_booleans_are_refused():
    result = manage("check", **{**PRODUCTION, "AUTO_APPROVE": "sure"})
    assert result.returncode != 0
    assert "AUTO_APPROVE must be true or false" in result.stderr
