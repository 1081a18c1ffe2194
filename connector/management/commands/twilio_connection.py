"""`twilio_connection test` runs the test request; `twilio_connection set ...` changes the connection.

The auth token is read from standard input or TWILIO_AUTH_TOKEN, never from the command line (it would
land in the shell history and the process list) and never printed.
"""

import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from connector.connection import set_connection, test_connection
from connector.models import TwilioConnection


class Command(BaseCommand):
    help = "Test or set the Twilio Conversations connection."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("test", help="Run the test request (GET /v1/Users?PageSize=1) and say how it went.")
        s = sub.add_parser("set", help="Change the connection; the auth token comes from stdin or TWILIO_AUTH_TOKEN.")
        s.add_argument("--account-sid")
        s.add_argument("--base-url")
        strict = s.add_mutually_exclusive_group()
        strict.add_argument("--masking-strict", dest="masking_strict", action="store_true", default=None)
        strict.add_argument("--no-masking-strict", dest="masking_strict", action="store_false")
        s.add_argument("--retention-days", type=int)
        s.add_argument("--concurrency", type=int)
        s.add_argument("--page-size", type=int)
        s.add_argument("--keep-token", action="store_true", help="Do not read a new auth token.")

    def handle(self, *args, **options):
        if options["action"] == "test":
            ok, message = test_connection(TwilioConnection.current())
            if not ok:
                raise CommandError(message)
            self.stdout.write(self.style.SUCCESS(message))
            return
        token = None if options["keep_token"] else self._read_token()
        try:
            connection = set_connection(
                account_sid=options["account_sid"],
                auth_token=token,
                base_url=options["base_url"],
                masking_strict=options["masking_strict"],
                retention_days=options["retention_days"],
                concurrency=options["concurrency"],
                page_size=options["page_size"],
            )
        except ValidationError as exc:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            raise CommandError(f"The connection was not saved: {details}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Saved: account {connection.account_sid}, base URL {connection.base_url}, "
                f"auth token {'set' if connection.auth_token else 'not set'}, "
                f"masking_strict {'on' if connection.masking_strict else 'off'}, "
                f"retention {connection.retention_days} days, concurrency {connection.concurrency}, "
                f"page size {connection.page_size}."
            )
        )

    def _read_token(self) -> str | None:
        token = os.environ.get("TWILIO_AUTH_TOKEN", "")
        if not token and not sys.stdin.isatty():
            token = sys.stdin.readline().strip()
        return token or None
