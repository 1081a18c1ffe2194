from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Privacy Portal administration"
admin.site.site_title = "Privacy Portal"
admin.site.index_title = "Privacy requests, messaging and the Twilio connection"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("django-rq/", include("django_rq.urls")),
    path("", include("messaging.urls")),
    path("", include("requests_app.urls")),
]

if settings.SANDBOX:
    urlpatterns.append(path("sandbox/twilio/", include("twilio_sandbox.urls")))
