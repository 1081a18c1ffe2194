"""Fill the sandbox: a small, realistic demo account, or a large generated one for benchmarks and drills.

The demo dataset is described in twilio_sandbox/README.md; keep the two in step.
"""

import json
import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import (
    SandboxAccount,
    SandboxCall,
    SandboxConversation,
    SandboxMessage,
    SandboxParticipant,
    SandboxUser,
)
from .sids import new_sid

DEMO_ACCOUNT_SID = "AC" + "de" * 16
# Published in the README on purpose: the fake guards nothing real.
DEMO_AUTH_TOKEN = "sandboxdemotoken0123456789abcdef"  # noqa: S105
DEMO_PROXY_NUMBER = "+15005550006"
DEMO_SMS_SUBJECT_PHONE = "+15005550101"
DEMO_OTHER_SMS_PHONE = "+15005550102"
BATCH = 5000

# identity, friendly name, attributes
DEMO_USERS = [
    ("alice@example.com", "Alice Martin", {"email": "alice@example.com", "city": "Lyon", "plan": "gold"}),
    ("bob@example.com", "Bob Chen", {"email": "bob@example.com", "city": "Toronto"}),
    ("carol@example.com", "Carol Diaz", {"email": "carol@example.com", "team": "support"}),
    ("dave@example.com", "Dave Okafor", {"email": "dave@example.com", "team": "logistics"}),
]

# friendly name, unique name, members ("@identity" is a chat user, "sms:..." a phone), lines as (member, body)
DEMO_CONVERSATIONS = [
    (
        "Order #1001 support",
        "order-1001",
        ["@alice@example.com", "@bob@example.com"],
        [
            ("@alice@example.com", "Hi, my order #1001 has not arrived yet."),
            ("@bob@example.com", "Sorry about that Alice, let me check with the courier."),
            ("@alice@example.com", "Thanks. I'm at 12 Rue de la Paix, Lyon, if that helps."),
            ("@bob@example.com", "It is out for delivery today."),
            ("@alice@example.com", "Great, I'll be home after 5pm."),
            ("@bob@example.com", "Noted. Anything else I can help with?"),
        ],
    ),
    (
        "Weekend hike",
        "weekend-hike",
        ["@alice@example.com", "@carol@example.com", "sms:subject"],
        [
            ("@carol@example.com", "Who's in for the hike on Saturday?"),
            ("@alice@example.com", "Me! Can you pick me up at 8?"),
            ("sms:subject", "Count me in too. This is Erin, texting from my phone."),
            ("@carol@example.com", "Great, I'll bring snacks."),
            ("sms:subject", "My knee is still healing, so the short trail please."),
            ("@alice@example.com", "Short trail works for me."),
            ("@carol@example.com", "Meet at the north car park."),
            ("sms:subject", "See you there!"),
        ],
    ),
    (
        "Delivery update",
        "delivery-2002",
        ["sms:subject", "@bob@example.com"],
        [
            ("@bob@example.com", "Your parcel 2002 will arrive tomorrow between 9 and 12."),
            ("sms:subject", "Can you leave it with my neighbour at number 14?"),
            ("@bob@example.com", "Yes, I've added that to the delivery notes."),
            ("sms:subject", "Thank you!"),
            ("@bob@example.com", "Delivered and signed for by your neighbour."),
        ],
    ),
    (
        "Team standup",
        "team-standup",
        ["@bob@example.com", "@carol@example.com", "@dave@example.com"],
        [
            ("@dave@example.com", "Morning all, trucks are loaded."),
            ("@bob@example.com", "Two escalations open, both in hand."),
            ("@carol@example.com", "Support queue is at 14 tickets."),
            ("@dave@example.com", "Route 7 delayed by roadworks."),
            ("@bob@example.com", "Thanks, I'll warn the customers on route 7."),
        ],
    ),
    (
        "Billing question",
        "billing-3003",
        ["sms:other", "@carol@example.com"],
        [
            ("sms:other", "Hi, this is Frank. I was charged twice this month."),
            ("@carol@example.com", "Sorry Frank, I've refunded the duplicate charge."),
            ("sms:other", "Received, thanks."),
        ],
    ),
]


@dataclass
class SeedResult:
    account_sid: str
    auth_token: str
    subjects: dict = field(default_factory=dict)
    conversations: int = 0
    messages: int = 0
    subject_messages: int = 0


def reset_sandbox() -> None:
    """Delete every sandbox account (with all its data) and the call log."""
    SandboxMessage.objects.all().delete()
    SandboxAccount.objects.all().delete()
    SandboxCall.objects.all().delete()


def _fresh_account(sid: str | None, auth_token: str | None, name: str) -> SandboxAccount:
    if sid:
        SandboxMessage.objects.filter(conversation__account__sid=sid).delete()
        SandboxAccount.objects.filter(sid=sid).delete()
    kwargs = {"friendly_name": name}
    if sid:
        kwargs["sid"] = sid
    if auth_token:
        kwargs["auth_token"] = auth_token
    return SandboxAccount.objects.create(**kwargs)


@transaction.atomic
def seed_demo(*, subject_phone: str = DEMO_SMS_SUBJECT_PHONE) -> SeedResult:
    """(Re)create the demo account with known credentials; other accounts are left alone."""
    account = _fresh_account(DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN, "Demo Twilio account")
    start = timezone.now() - timedelta(days=20)
    users = {}
    for number, (identity, name, attributes) in enumerate(DEMO_USERS):
        moment = start + timedelta(minutes=number)
        users[identity] = SandboxUser.objects.create(
            account=account,
            identity=identity,
            friendly_name=name,
            attributes=json.dumps(attributes),
            date_created=moment,
            date_updated=moment,
        )
    phones = {"sms:subject": subject_phone, "sms:other": DEMO_OTHER_SMS_PHONE}
    result = SeedResult(account.sid, account.auth_token)
    for day, (name, unique_name, members, lines) in enumerate(DEMO_CONVERSATIONS):
        moment = start + timedelta(days=day + 1)
        chat = SandboxConversation.objects.create(
            account=account,
            friendly_name=name,
            unique_name=unique_name,
            attributes=json.dumps({"topic": unique_name}),
            date_created=moment,
            date_updated=moment,
        )
        participants = {}
        for member in members:
            if member.startswith("@"):
                identity = member[1:]
                participants[member] = SandboxParticipant.objects.create(
                    conversation=chat,
                    identity=identity,
                    user=users[identity],
                    attributes=json.dumps({"display_name": users[identity].friendly_name}),
                    date_created=moment,
                    date_updated=moment,
                )
            else:
                phone = phones[member]
                participants[member] = SandboxParticipant.objects.create(
                    conversation=chat,
                    address=phone,
                    attributes=json.dumps({"phone": phone}),
                    messaging_binding={"type": "sms", "address": phone, "proxy_address": DEMO_PROXY_NUMBER},
                    date_created=moment,
                    date_updated=moment,
                )
        for index, (member, body) in enumerate(lines):
            sent = moment + timedelta(minutes=5 * index)
            participant = participants[member]
            SandboxMessage.objects.create(
                conversation=chat,
                index=index,
                author=participant.identity or participant.address,
                body=body,
                attributes=json.dumps({"channel": "sms" if participant.address else "chat"}),
                participant_sid=participant.sid,
                date_created=sent,
                date_updated=sent,
            )
        result.conversations += 1
        result.messages += len(lines)
    result.subjects = {
        "alice@example.com": {
            "reachable_by": "email (chat identity)",
            "user_sid": users["alice@example.com"].sid,
        },
        subject_phone: {"reachable_by": "phone only (SMS participant, no user)", "user_sid": None},
    }
    return result


@transaction.atomic
def seed_bulk(
    *,
    conversations: int,
    messages: int,
    subject_share: float = 0.2,
    subject_identity: str = "subject@example.com",
    subject_phone: str | None = None,
    others: int = 5,
    account_sid: str | None = None,
    auth_token: str | None = None,
    seed: int = 1,
) -> SeedResult:
    """A generated account: the subject in every conversation, writing about `subject_share` of the messages.

    With `subject_phone` the subject is an SMS participant with no user; otherwise a chat user.
    Rows go in with bulk_create in batches, so 100,000 messages take seconds, not minutes.
    """
    rng = random.Random(seed)
    account = _fresh_account(account_sid, auth_token, f"Generated {conversations}x{messages}")
    start = timezone.now() - timedelta(days=30)
    people = [f"person{n}@example.com" for n in range(others)]
    identities = people if subject_phone else [subject_identity, *people]
    users = SandboxUser.objects.bulk_create(
        [
            SandboxUser(
                account=account,
                identity=identity,
                friendly_name=identity.split("@")[0].title(),
                attributes=json.dumps({"email": identity}),
                date_created=start,
                date_updated=start,
            )
            for identity in identities
        ]
    )
    users_by_identity = {user.identity: user for user in users}
    SandboxConversation.objects.bulk_create(
        [
            SandboxConversation(
                account=account,
                friendly_name=f"Conversation {n}",
                unique_name=f"generated-{n}",
                attributes="{}",
                date_created=start,
                date_updated=start,
            )
            for n in range(conversations)
        ],
        batch_size=BATCH,
    )
    chats = list(SandboxConversation.objects.filter(account=account).order_by("id"))
    participants, batch = [], []
    result = SeedResult(account.sid, account.auth_token, conversations=conversations)
    for chat in chats:
        if subject_phone:
            subject = SandboxParticipant(
                conversation=chat,
                sid=new_sid("MB"),
                address=subject_phone,
                attributes="{}",
                messaging_binding={
                    "type": "sms",
                    "address": subject_phone,
                    "proxy_address": DEMO_PROXY_NUMBER,
                },
                date_created=start,
                date_updated=start,
            )
        else:
            subject = SandboxParticipant(
                conversation=chat,
                sid=new_sid("MB"),
                identity=subject_identity,
                user=users_by_identity[subject_identity],
                attributes="{}",
                date_created=start,
                date_updated=start,
            )
        company = [
            SandboxParticipant(
                conversation=chat,
                sid=new_sid("MB"),
                identity=identity,
                user=users_by_identity[identity],
                attributes="{}",
                date_created=start,
                date_updated=start,
            )
            for identity in rng.sample(people, min(2, len(people)))
        ]
        participants += [subject, *company]
        for index in range(messages):
            author = subject if rng.random() < subject_share else rng.choice(company)
            result.subject_messages += author is subject
            sent = start + timedelta(seconds=index)
            batch.append(
                SandboxMessage(
                    conversation=chat,
                    sid=new_sid("IM"),
                    index=index,
                    author=author.identity or author.address,
                    body=f"Message {index} in {chat.friendly_name}",
                    attributes="{}",
                    participant_sid=author.sid,
                    date_created=sent,
                    date_updated=sent,
                )
            )
            if len(batch) >= BATCH:
                SandboxMessage.objects.bulk_create(batch)
                result.messages += len(batch)
                batch = []
        if len(participants) >= BATCH:
            SandboxParticipant.objects.bulk_create(participants)
            participants = []
    SandboxParticipant.objects.bulk_create(participants, batch_size=BATCH)
    SandboxMessage.objects.bulk_create(batch, batch_size=BATCH)
    result.messages += len(batch)
    subject_key = subject_phone or subject_identity
    result.subjects = {
        subject_key: {
            "reachable_by": "phone only" if subject_phone else "chat identity",
            "user_sid": None if subject_phone else users_by_identity[subject_identity].sid,
        }
    }
    return result
