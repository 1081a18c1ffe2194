"""Print a demo .env with fresh random keys (run once by `make run`)."""

import secrets

from cryptography.fernet import Fernet

print(
    f"""# Demo settings written by `make run`; see .env.example for every variable.
DEBUG=true
SANDBOX=true
SECRET_KEY={secrets.token_urlsafe(50)}
FIELD_ENCRYPTION_KEY={Fernet.generate_key().decode()}
PORTAL_BASE_URL=http://127.0.0.1:8000
ORGANIZATION_NAME=Example Company"""
)
