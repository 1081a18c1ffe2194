"""WSGI entry point (gunicorn privacyportal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "privacyportal.settings")
application = get_wsgi_application()
