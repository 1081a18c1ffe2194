"""Test settings: the product's settings in demo mode (DEBUG, SANDBOX), loopback fakes only."""

import os

# The suite never reads a developer's demo .env: it runs the same on every machine.
os.environ["READ_DOT_ENV"] = "false"
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SANDBOX", "true")

from privacyportal.settings import *  # noqa: E402, F403

# Fast password hashing: tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Jobs run inline unless a test asks for the real Redis (the `redis_url` fixture sets REDIS_URL);
# RQ_QUEUES above already point at the environment's Redis for those tests.
REDIS_URL = ""
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# pytest-django runs tests with DEBUG off, where a real key is required: use a fixed test-only key.
TEST_FERNET_KEY = "3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
FIELD_ENCRYPTION_KEYS = [TEST_FERNET_KEY]

# Data packages go to a scratch folder of this test run (worker processes are given the same folder).
import tempfile  # noqa: E402

PACKAGE_STORAGE_DIR = tempfile.mkdtemp(prefix="privacyportal-test-packages-")
STORAGES["packages"] = {  # noqa: F405
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PACKAGE_STORAGE_DIR},
}
