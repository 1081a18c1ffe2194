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
