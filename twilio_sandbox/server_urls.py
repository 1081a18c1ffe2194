"""Only the sandbox Twilio, at the same path as in the product (see server_settings.py)."""

from django.urls import include, path

urlpatterns = [path("sandbox/twilio/", include("twilio_sandbox.urls"))]
