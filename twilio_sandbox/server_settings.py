"""Settings for a process that serves only the sandbox Twilio (the benchmark's fake server).

The fake answers machine clients with basic auth: sessions, CSRF, messages and the rest of the portal's
middleware are per-request CPU it does not need. `DJANGO_SETTINGS_MODULE=twilio_sandbox.server_settings`.
"""

from privacyportal.settings import *  # noqa: F403

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "twilio_sandbox.server_urls"
