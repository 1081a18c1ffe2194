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


class MessagingSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "messaging.MessagingSettings"


class MessageLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "messaging.MessageLog"

    kind = "receipt"
    channel = "email"
    provider = "sandbox"
    recipient = "s••••@example.com"
    privacy_request = factory.SubFactory(PrivacyRequestFactory)


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "messaging.OutboxMessage"

    to = factory.Sequence(lambda n: f"subject{n}@example.com")
    channel = "email"
    kind = "receipt"
    subject = "We have your request"
    text = "We have your request."


class ApiTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "messaging.ApiToken"

    name = factory.Sequence(lambda n: f"automation {n}")
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    hint = "pp_"


class TwilioConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "connector.TwilioConnection"

    account_sid = "AC" + "0" * 32
    auth_token = "test-auth-token"
    base_url = "http://127.0.0.1:9/sandbox/twilio"


class ExecutionRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "connector.ExecutionRecord"

    privacy_request = factory.SubFactory(PrivacyRequestFactory, status=Status.IN_PROCESSING)
    collection = "conversation_messages"
    record_key = factory.Sequence(lambda n: f"IM{n:032x}")
    links = factory.LazyFunction(lambda: {"conversation_sid": "CH" + "0" * 32})
    digest = factory.LazyFunction(lambda: {"body": "0" * 64})


class ExecutionSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "connector.ExecutionSummary"

    privacy_request = factory.SubFactory(PrivacyRequestFactory, status=Status.IN_PROCESSING)
    others = factory.LazyFunction(lambda: {"conversation_messages": 3})


class SandboxAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "twilio_sandbox.SandboxAccount"

    friendly_name = "Test account"


class SandboxUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "twilio_sandbox.SandboxUser"

    account = factory.SubFactory(SandboxAccountFactory)
    identity = factory.Sequence(lambda n: f"user{n}@example.com")
    friendly_name = factory.Sequence(lambda n: f"User {n}")


class SandboxConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "twilio_sandbox.SandboxConversation"

    account = factory.SubFactory(SandboxAccountFactory)
    friendly_name = factory.Sequence(lambda n: f"Conversation {n}")


class SandboxParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "twilio_sandbox.SandboxParticipant"

    conversation = factory.SubFactory(SandboxConversationFactory)
    identity = factory.Sequence(lambda n: f"user{n}@example.com")


class SandboxMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "twilio_sandbox.SandboxMessage"

    conversation = factory.SubFactory(SandboxConversationFactory)
    index = factory.Sequence(lambda n: n)
    author = "user0@example.com"
    body = factory.Sequence(lambda n: f"message {n}")


class SandboxCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "twilio_sandbox.SandboxCall"

    method = "GET"
    route = "/v1/Users"
    status = 200
