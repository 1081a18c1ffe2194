from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.request_form, name="request"),
    path("requests/<str:public_id>/", views.status, name="status"),
    path("requests/<str:public_id>/verify/", views.verify, name="verify"),
    path("requests/<str:public_id>/verify/resend/", views.resend_code, name="resend"),
    path("requests/<str:public_id>/download/", views.fresh_download_link, name="fresh_download"),
    path("download/<str:token>/", views.download, name="download"),
]
