"""Message bodies from templates/messages/<kind>.txt, .html and .sms.txt, with the organisation's name."""

from django.conf import settings
from django.template.loader import render_to_string

from .models import Channel, Kind
from .providers import OutgoingMessage

SUBJECTS = {
    Kind.VERIFICATION_CODE: "Your verification code",
    Kind.RECEIPT: "We received your privacy request",
    Kind.REVIEW_APPROVED: "Your privacy request was approved",
    Kind.REVIEW_DENIED: "Your privacy request was denied",
    Kind.COMPLETION: "Your privacy request is complete",
    Kind.TEST: "Test message",
}


def render_message(*, kind: str, channel: str, to: str, context: dict) -> OutgoingMessage:
    context = {**context, "ORGANIZATION_NAME": settings.ORGANIZATION_NAME, "kind": kind}
    subject = f"{settings.ORGANIZATION_NAME}: {SUBJECTS[Kind(kind)]}"
    if channel == Channel.SMS:
        text = render_to_string(f"messages/{kind}.sms.txt", context).strip()
        return OutgoingMessage(to=to, subject=subject, text=text, kind=kind, channel=channel)
    text = render_to_string(f"messages/{kind}.txt", context).strip() + "\n"
    html = render_to_string(f"messages/{kind}.html", {**context, "subject": subject})
    return OutgoingMessage(to=to, subject=subject, text=text, html=html, kind=kind, channel=channel)
