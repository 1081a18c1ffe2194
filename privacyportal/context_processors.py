"""Values every template may show."""

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict:
    return {"ORGANIZATION_NAME": settings.ORGANIZATION_NAME, "SANDBOX": settings.SANDBOX}
