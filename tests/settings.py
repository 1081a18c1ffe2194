"""Test settings: the product's settings in demo mode (DEBUG, SANDBOX), loopback fakes only."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SANDBOX", "true")

from privacyportal.settings import *  # noqa: E402, F403

# Fast password hashing: tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
