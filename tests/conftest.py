"""Shared fixtures: named actors, internet blocked for the whole run, a clean cache per test."""

import ipaddress
import os
import socket

import pytest

_real_connect = socket.socket.connect


def _loopback_only(self, address):
    # A forgotten fake must fail loudly instead of reaching a real Twilio, Mailgun or SendGrid host.
    if isinstance(address, tuple) and self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            allowed = ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = host == "localhost"
        if not allowed:
            raise ConnectionRefusedError(f"tests may not connect to {host}: point the base URL at a local fake")
    return _real_connect(self, address)


socket.socket.connect = _loopback_only


@pytest.fixture(autouse=True)
def _clean_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reviewer(django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("reviewer", "reviewer@example.com", "pw-reviewer-1", is_staff=True)
    perms = Permission.objects.filter(
        content_type__app_label="requests_app",
        codename__in=["review_privacyrequest", "view_privacyrequest", "change_privacyrequest", "view_auditevent"],
    )
    user.user_permissions.add(*perms)
    return user


@pytest.fixture
def outsider(django_user_model):
    """Staff who may look at requests but not review them."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("outsider", "outsider@example.com", "pw-outsider-1", is_staff=True)
    perms = Permission.objects.filter(
        content_type__app_label="requests_app", codename__in=["view_privacyrequest", "change_privacyrequest"]
    )
    user.user_permissions.add(*perms)
    return user


@pytest.fixture
def sandbox_messaging(db):
    """Codes and notifications delivered to the sandbox outbox, as in the demo."""
    from messaging.setup import configure_sandbox

    configure_sandbox()


def latest_code(recipient: str) -> str:
    """The newest one-time code the sandbox outbox holds for a recipient."""
    import re

    from messaging.models import OutboxMessage

    message = OutboxMessage.objects.filter(to=recipient, kind="verification_code").order_by("-id").first()
    assert message is not None, f"no code in the sandbox outbox for {recipient}"
    return re.search(r"\b(\d{6})\b", message.text).group(1)


# ---- CI: nothing is skipped silently --------------------------------------------------------------
_MUST_RUN_IN_CI = {"browser", "redis"}
_skipped_in_ci: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and os.environ.get("CI") == "true" and _MUST_RUN_IN_CI & set(report.keywords):
        _skipped_in_ci.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if _skipped_in_ci:
        print(f"\nCI: {len(_skipped_in_ci)} browser/Redis test(s) were skipped; CI requires them to run:")
        for nodeid in _skipped_in_ci:
            print(f"  {nodeid}")
        session.exitstatus = 1


# ---- a real RQ worker on Redis ----------------------------------------------------------------------


def _test_database_url() -> str:
    from django.db import connection

    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    return (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}"
        f"/{settings_dict['NAME']}"
    )


@pytest.fixture
def redis_url(settings):
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("REDIS_URL is not set: this test needs a real Redis server")
    settings.REDIS_URL = url
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()


def worker_env(redis_url: str, **extra: str) -> dict[str, str]:
    """The environment of a real worker process on this run's test database, Redis and package folder."""
    from tests.settings import PACKAGE_STORAGE_DIR, TEST_FERNET_KEY

    return {
        **os.environ,
        # The product's own settings (not tests.settings): the worker uses Redis like a deployed one.
        "DJANGO_SETTINGS_MODULE": "privacyportal.settings",
        "READ_DOT_ENV": "false",
        "DEBUG": "true",
        "SANDBOX": "true",
        "FIELD_ENCRYPTION_KEY": TEST_FERNET_KEY,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": redis_url,
        "PACKAGE_STORAGE_DIR": PACKAGE_STORAGE_DIR,
        **extra,
    }


@pytest.fixture
def rq_worker(redis_url, transactional_db, live_server, settings):
    """A real `manage.py rqworker --with-scheduler` process on the test database and Redis."""
    import subprocess
    import sys
    from pathlib import Path

    settings.PORTAL_BASE_URL = live_server.url
    process = subprocess.Popen(
        [sys.executable, "manage.py", "rqworker", "default", "messaging", "--with-scheduler"],
        cwd=Path(__file__).resolve().parent.parent,
        env=worker_env(redis_url, PORTAL_BASE_URL=live_server.url),
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
