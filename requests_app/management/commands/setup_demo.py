"""One-shot demo setup for `make run`: a staff login, sandbox messaging, a seeded sandbox Twilio."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Set up the demo: staff user, sandbox messaging, sandbox Twilio with demo data (safe to run again)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", default="", help="Default: a new random password, printed")
        parser.add_argument("--reseed", action="store_true", help="Recreate the sandbox Twilio demo data")

    def handle(self, *args, username: str, password: str, reseed: bool, **options) -> None:
        from connector.connection import set_connection
        from messaging.setup import configure_sandbox
        from twilio_sandbox.models import SandboxAccount
        from twilio_sandbox.seed import DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN, seed_demo

        if not settings.SANDBOX:
            raise CommandError("setup_demo needs SANDBOX=true (it points the product at its own fakes)")

        password = password or secrets.token_urlsafe(9)
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com"}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()

        configure_sandbox()
        if reseed or not SandboxAccount.objects.filter(sid=DEMO_ACCOUNT_SID).exists():
            seed_demo()
        base_url = f"{settings.PORTAL_BASE_URL}/sandbox/twilio"
        set_connection(account_sid=DEMO_ACCOUNT_SID, auth_token=DEMO_AUTH_TOKEN, base_url=base_url)

        self.stdout.write(
            "\n".join(
                [
                    "",
                    "Demo ready:",
                    f"  portal        {settings.PORTAL_BASE_URL}/",
                    f"  staff admin   {settings.PORTAL_BASE_URL}/admin/   login: {username} / {password}",
                    f"  outbox        {settings.PORTAL_BASE_URL}/sandbox/outbox/   (codes and notifications)",
                    f"  sandbox data  {settings.PORTAL_BASE_URL}/admin/twilio_sandbox/   (what Twilio holds)",
                    "  demo subjects alice@example.com (chat user), +15005550101 (phone only)",
                    "",
                ]
            )
        )
