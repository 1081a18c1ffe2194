"""factory-boy factories for every model; tests build data through these."""

import factory
from django.utils import timezone

from requests_app.models import AuditEvent, PrivacyRequest, RequestType, Status, VerificationCode


class PrivacyRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrivacyRequest

    request_type = RequestType.ACCESS
    email = factory.Sequence(lambda n: f"subject{n}@example.com")
    phone = ""
    status = Status.IDENTITY_UNVERIFIED

    class Params:
        # Set a status directly for fixtures; production code only moves it through lifecycle.py.
        pending = factory.Trait(status=Status.PENDING, verified_at=factory.LazyFunction(timezone.now))


class VerificationCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VerificationCode

    privacy_request = factory.SubFactory(PrivacyRequestFactory)
    code_hash = "0" * 64
    channel = "email"
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(minutes=10))


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    privacy_request = factory.SubFactory(PrivacyRequestFactory)
    actor_kind = "system"
    actor_label = "system"
    message = "note"


class MessagingConfigFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "messaging.MessagingConfig"
        django_get_or_create = ("service_type",)

    service_type = "sandbox"
    name = factory.LazyAttribute(lambda o: f"Test {o.service_type}")
    key = factory.LazyAttribute(lambda o: f"test_{o.service_type}")
    details = factory.LazyFunction(dict)
    secrets = factory.LazyFunction(dict)
