"""Signed package links: a good link downloads and is audited; tampered, expired or foreign links are refused."""

from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from requests_app.downloads import SALT, download_url, make_token
from requests_app.models import AuditEvent, Status
from tests.factories import PrivacyRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed():
    privacy_request = PrivacyRequestFactory(status=Status.COMPLETE)
    name = storages["packages"].save(f"{privacy_request.public_id}.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    privacy_request.package_name = name
    privacy_request.save(update_fields=["package_name"])
    return privacy_request


def test_signed_link_downloads_the_zip_and_is_audited(client, completed):
    response = client.get(urlsplit(download_url(completed)).path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content).startswith(b"PK")
    assert AuditEvent.objects.filter(privacy_request=completed, message="Data package downloaded").exists()


def test_tampered_link_is_refused_with_a_clear_page(client, completed):
    token = make_token(completed)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.get(reverse("portal:download", args=[tampered]))
    assert response.status_code == 410
    assert "not valid" in response.content.decode()


def test_expired_link_is_refused_and_says_how_to_get_a_new_one(client, completed, settings, monkeypatch):
    token = make_token(completed)
    settings.DOWNLOAD_LINK_DAYS = 1
    import time

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 2 * 86400)
    response = client.get(reverse("portal:download", args=[token]))
    assert response.status_code == 410
    assert "expired" in response.content.decode() and "status page" in response.content.decode()


def test_link_for_another_package_is_refused(client, completed):
    other = PrivacyRequestFactory(status=Status.COMPLETE, package_name="other.zip")
    forged = signing.dumps({"r": other.public_id, "p": completed.package_name}, salt=SALT)
    response = client.get(reverse("portal:download", args=[forged]))
    assert response.status_code == 410


def test_status_page_offers_a_fresh_link(client, completed):
    page = client.get(reverse("portal:status", args=[completed.public_id])).content.decode()
    assert "Download your data" in page
    response = client.post(reverse("portal:fresh_download", args=[completed.public_id]))
    assert response.status_code == 302 and "/download/" in response.url
