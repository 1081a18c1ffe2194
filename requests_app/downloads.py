"""Signed, expiring links to a completed access request's data package."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "privacyportal.package-download"


def make_token(privacy_request) -> str:
    return signing.dumps({"r": privacy_request.public_id, "p": privacy_request.package_name}, salt=SALT)


def download_url(privacy_request) -> str:
    return settings.PORTAL_BASE_URL + reverse("portal:download", args=[make_token(privacy_request)])


class LinkRefused(Exception):
    """Why a download link cannot be honoured, in words for the subject."""


def read_token(token: str) -> dict:
    max_age = settings.DOWNLOAD_LINK_DAYS * 24 * 3600
    try:
        return signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkRefused(
            f"This download link has expired (links last {settings.DOWNLOAD_LINK_DAYS} days). "
            "Open your request's status page to get a new one."
        ) from None
    except signing.BadSignature:
        raise LinkRefused("This download link is not valid. Check that you copied all of it.") from None
