from django.urls import path

from . import api, views

app_name = "messaging"

urlpatterns = [
    path("api/v1/messaging/default", api.put_default_config, name="api-default"),
    path("api/v1/messaging/default/status", api.get_status, name="api-status"),
    path("api/v1/messaging/default/<str:service_type>/secret", api.put_default_secrets, name="api-secret"),
    path("api/v1/config", api.patch_config, name="api-config"),
    path("messaging/status/", views.status_page, name="status"),
    path("sandbox/outbox/", views.outbox, name="outbox"),
]
