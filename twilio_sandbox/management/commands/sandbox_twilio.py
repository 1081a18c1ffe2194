"""`manage.py sandbox_twilio seed|set|stats|reset-stats`: fill, tune and read the sandbox Twilio."""

import json

from django.core.management.base import BaseCommand, CommandError

from twilio_sandbox import counters, seed
from twilio_sandbox.models import SandboxAccount


class Command(BaseCommand):
    help = "Seed the sandbox Twilio, set its latency and fault rate, or show its call counters."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        seeding = actions.add_parser("seed", help="Create demo data (--demo) or a generated account.")
        seeding.add_argument(
            "--demo", action="store_true", help="The documented demo account (known credentials)."
        )
        seeding.add_argument("--subject-phone", default=None, help="Phone (E.164) of the phone-only subject.")
        seeding.add_argument("--subject-identity", default="subject@example.com")
        seeding.add_argument("--conversations", type=int, default=0)
        seeding.add_argument("--messages", type=int, default=0)
        seeding.add_argument("--subject-share", type=float, default=0.2)
        seeding.add_argument("--account-sid", default=None)
        seeding.add_argument("--auth-token", default=None)
        seeding.add_argument("--reset", action="store_true", help="Delete all sandbox data first.")
        tuning = actions.add_parser(
            "set", help="Set latency and fault injection (all accounts unless --account-sid)."
        )
        tuning.add_argument("--latency-ms", type=int, default=None)
        tuning.add_argument("--fault-rate", type=float, default=None)
        tuning.add_argument("--fault-seed", type=int, default=None)
        tuning.add_argument("--account-sid", default=None)
        stats = actions.add_parser("stats", help="Print the call counters.")
        stats.add_argument("--json", action="store_true")
        actions.add_parser("reset-stats", help="Forget the call counters.")

    def handle(self, *args, **options):
        getattr(self, "_" + options["action"].replace("-", "_"))(options)

    def _seed(self, options):
        if options["reset"]:
            seed.reset_sandbox()
        if options["demo"]:
            result = seed.seed_demo(subject_phone=options["subject_phone"] or seed.DEMO_SMS_SUBJECT_PHONE)
        elif options["conversations"] > 0 and options["messages"] > 0:
            if not 0 <= options["subject_share"] <= 1:
                raise CommandError("--subject-share must be between 0 and 1")
            result = seed.seed_bulk(
                conversations=options["conversations"],
                messages=options["messages"],
                subject_share=options["subject_share"],
                subject_identity=options["subject_identity"],
                subject_phone=options["subject_phone"],
                account_sid=options["account_sid"],
                auth_token=options["auth_token"],
            )
        else:
            raise CommandError("Say what to seed: --demo, or --conversations C --messages M")
        self.stdout.write(f"Account SID: {result.account_sid}")
        self.stdout.write(f"Auth token:  {result.auth_token}")
        self.stdout.write(
            f"{result.conversations} conversations, {result.messages} messages"
            + (f" ({result.subject_messages} the subject's)" if result.subject_messages else "")
        )
        for subject, about in result.subjects.items():
            self.stdout.write(f"Subject {subject}: {about['reachable_by']}, user {about['user_sid'] or '-'}")

    def _set(self, options):
        accounts = SandboxAccount.objects.all()
        if options["account_sid"]:
            accounts = accounts.filter(sid=options["account_sid"])
        if not accounts.exists():
            raise CommandError("No sandbox account to configure: run `sandbox_twilio seed` first")
        changes = {}
        if options["latency_ms"] is not None:
            if options["latency_ms"] < 0:
                raise CommandError("--latency-ms must be 0 or more")
            changes["latency_ms"] = options["latency_ms"]
        if options["fault_rate"] is not None:
            if not 0 <= options["fault_rate"] <= 1:
                raise CommandError("--fault-rate must be between 0 and 1")
            changes["fault_rate"] = options["fault_rate"]
        if options["fault_seed"] is not None:
            changes["fault_seed"] = options["fault_seed"]
        updated = accounts.update(**changes) if changes else 0
        for account in accounts:
            self.stdout.write(
                f"{account.sid}: latency {account.latency_ms} ms, fault rate {account.fault_rate:g}"
                + (f", fault seed {account.fault_seed}" if account.fault_seed is not None else "")
            )
        if not changes:
            self.stdout.write("Nothing changed (give --latency-ms and/or --fault-rate).")
        return updated

    def _stats(self, options):
        calls = counters.call_counts()
        updates = counters.message_update_counts()
        if options["json"]:
            payload = {
                "calls": [{"method": m, "route": r, "count": n} for (m, r), n in sorted(calls.items())],
                "statuses": {str(k): v for k, v in sorted(counters.status_counts().items())},
                "messages_updated": len(updates),
                "messages_updated_more_than_once": sum(1 for n in updates.values() if n > 1),
            }
            self.stdout.write(json.dumps(payload, indent=2))
            return
        for (method, route), count in sorted(calls.items(), key=lambda item: item[0][1]):
            self.stdout.write(f"{count:>8}  {method:<6} {route}")
        statuses = ", ".join(f"{status}: {n}" for status, n in sorted(counters.status_counts().items()))
        self.stdout.write(f"Statuses: {statuses or 'no calls yet'}")
        twice = sum(1 for n in updates.values() if n > 1)
        self.stdout.write(f"Messages updated: {len(updates)} ({twice} more than once)")

    def _reset_stats(self, options):
        counters.reset_calls()
        self.stdout.write("Call counters reset.")
