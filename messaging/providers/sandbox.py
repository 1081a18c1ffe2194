"""The sandbox: messages land in the outbox table (admin and /sandbox/outbox/) instead of the internet."""

from .base import OutgoingMessage, Provider


class SandboxProvider(Provider):
    service_type = "sandbox"
    label = "Sandbox outbox (demo and tests)"
    channels = frozenset({"email", "sms"})
    inline = True

    def send(self, message: OutgoingMessage) -> str:
        from ..models import OutboxMessage

        row = OutboxMessage.objects.create(
            to=message.to,
            channel=message.channel or ("sms" if message.to.startswith("+") else "email"),
            kind=message.kind,
            subject=message.subject,
            text=message.text,
            html=message.html,
        )
        return f"sandbox-{row.pk}"
