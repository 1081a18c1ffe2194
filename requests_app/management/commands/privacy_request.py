"""Operators' command line for privacy requests: create, show, approve, deny, resume, run, run-due."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from requests_app import lifecycle
from requests_app.identities import normalize_email, normalize_phone
from requests_app.models import PrivacyRequest, RequestType, Status

OPERATOR = lifecycle.Actor.system("command line")


def _find(public_id: str) -> PrivacyRequest:
    privacy_request = PrivacyRequest.objects.filter(public_id=public_id).first()
    if privacy_request is None:
        raise CommandError(f"No privacy request with id {public_id!r}")
    return privacy_request


class Command(BaseCommand):
    help = "Create, inspect, review and run privacy requests."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        create = sub.add_parser("create", help="Create a verified request entered by staff; prints its id")
        create.add_argument("--type", required=True, choices=RequestType.values, dest="request_type")
        create.add_argument("--email", default="")
        create.add_argument("--phone", default="")
        create.add_argument("--twilio-user", default="", help="A Twilio user SID or identity to start from")
        create.add_argument("--approve", action="store_true", help="Approve it at once")

        show = sub.add_parser("show", help="Status, masked identities, due date and audit trail")
        show.add_argument("id")
        show.add_argument("--json", action="store_true")

        approve = sub.add_parser("approve")
        approve.add_argument("id")

        deny = sub.add_parser("deny")
        deny.add_argument("id")
        deny.add_argument("--reason", required=True)

        run = sub.add_parser(
            "run", help="Run (or retry, if in error) a request's job in the foreground, with a progress bar"
        )
        run.add_argument("id")

        resume = sub.add_parser("resume", help="Queue a request left in processing by a dead worker again")
        resume.add_argument("id")

        sub.add_parser("run-due", help="Run scheduled erasures whose time has come (for setups without Redis)")

    def handle(self, *args, action: str, **options) -> None:
        try:
            getattr(self, "handle_" + action.replace("-", "_"))(**options)
        except lifecycle.TransitionError as exc:
            raise CommandError(str(exc)) from None

    def handle_create(self, *, request_type, email, phone, twilio_user, approve, **_) -> None:
        try:
            email = normalize_email(email) if email else ""
            phone = normalize_phone(phone) if phone else ""
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if not (email or phone):
            raise CommandError("Give --email or --phone (--twilio-user may be added besides them)")
        if len(twilio_user) > 256:
            raise CommandError("--twilio-user is too long")
        privacy_request = lifecycle.create(request_type=request_type, email=email, phone=phone, actor=OPERATOR)
        if twilio_user:
            PrivacyRequest.objects.filter(pk=privacy_request.pk).update(twilio_user=twilio_user)
        lifecycle.verify(privacy_request, actor=OPERATOR, message="Entered by staff (identity checked by staff)")
        if approve:
            privacy_request.refresh_from_db()
            if privacy_request.status == Status.PENDING:
                lifecycle.approve(privacy_request, reviewer=OPERATOR)
        self.stdout.write(privacy_request.public_id)

    def handle_show(self, *, id, **options) -> None:  # noqa: A002
        privacy_request = _find(id)
        events = [
            {
                "at": event.created_at.isoformat(),
                "actor": event.actor_label or event.actor_kind,
                "from": event.from_status,
                "to": event.to_status,
                "message": event.message,
            }
            for event in privacy_request.events.all()
        ]
        data = {
            "id": privacy_request.public_id,
            "type": privacy_request.request_type,
            "status": privacy_request.status,
            "identity": privacy_request.masked_identity,
            "due_date": privacy_request.due_date.isoformat(),
            "days_left": privacy_request.days_left,
            "denial_reason": privacy_request.denial_reason,
            "failure_reason": privacy_request.failure_reason,
            "events": events,
        }
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2))
            return
        self.stdout.write(f"{data['id']}  {privacy_request.get_request_type_display()}")
        self.stdout.write(f"status:   {privacy_request.get_status_display()}")
        self.stdout.write(f"identity: {data['identity']}")
        self.stdout.write(f"due:      {data['due_date']} ({data['days_left']} days left)")
        if data["denial_reason"]:
            self.stdout.write(f"denied:   {data['denial_reason']}")
        if data["failure_reason"]:
            self.stdout.write(f"failure:  {data['failure_reason']}")
        self.stdout.write("audit trail:")
        for event in events:
            change = f"{event['from'] or '·'} -> {event['to']}" if event["to"] else "note"
            self.stdout.write(f"  {event['at'][:19]}  {event['actor']:<14} {change:<34} {event['message']}")

    def handle_approve(self, *, id, **_) -> None:  # noqa: A002
        lifecycle.approve(_find(id), reviewer=OPERATOR)
        self.stdout.write(f"approved {id}")

    def handle_deny(self, *, id, reason, **_) -> None:  # noqa: A002
        lifecycle.deny(_find(id), reviewer=OPERATOR, reason=reason)
        self.stdout.write(f"denied {id}")

    def handle_resume(self, *, id, **_) -> None:  # noqa: A002
        lifecycle.resume(_find(id), actor=OPERATOR)
        self.stdout.write(f"queued {id} to resume from its checkpoints")

    def handle_run(self, *, id, **_) -> None:  # noqa: A002
        from tqdm import tqdm

        from connector.runner import run_request

        privacy_request = _find(id)
        if privacy_request.status == Status.ERROR:
            lifecycle.retry(privacy_request, reviewer=OPERATOR, enqueue=False)
        bars: dict[str, tqdm] = {}

        def progress(collection: str, done: int, total: int | None) -> None:
            bar = bars.get(collection)
            if bar is None:
                bar = bars[collection] = tqdm(desc=collection, total=total, unit="rec", file=self.stderr._out)
            if total is not None and bar.total != total:
                bar.total = total
            bar.n = done
            bar.refresh()

        run_request(privacy_request.pk, progress=progress)
        for bar in bars.values():
            bar.close()
        privacy_request.refresh_from_db()
        self.stdout.write(f"{id}: {privacy_request.get_status_display()}")
        if privacy_request.status != Status.COMPLETE:
            raise CommandError(privacy_request.failure_reason or f"request is {privacy_request.get_status_display()}")

    def handle_run_due(self, **_) -> None:
        from connector.runner import run_request

        due = PrivacyRequest.objects.filter(status=Status.SCHEDULED, scheduled_for__lte=timezone.now())
        count = 0
        for privacy_request in due:
            run_request(privacy_request.pk)
            count += 1
        self.stdout.write(f"ran {count} scheduled request(s)")
