"""A small stateful fake of Twilio Conversations on a real loopback server (pytest-httpserver).

Shapes follow the spec (list bodies under `meta.key`, absolute `next_page_url`, form-encoded
updates, 204 deletes, Twilio error bodies). It refuses a PageSize above the spec's maximum, so an
engine that asks for too much fails loudly. Faults: `fail_next` queues statuses to answer with.
"""

import json
import re
import threading
from base64 import b64decode
from itertools import count
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "fake-auth-token"
MAX_PAGE = {
    "Users": 50,
    "UserConversations": 50,
    "ParticipantConversations": 50,
    "Messages": 100,
    "Participants": 100,
}


class FakeTwilio:
    def __init__(self, httpserver):
        self.server = httpserver
        self.users: dict[str, dict] = {}
        self.conversations: dict[str, dict] = {}
        self.participants: dict[str, list[dict]] = {}
        self.messages: dict[str, list[dict]] = {}
        self.calls: list[tuple[str, str]] = []
        self.fail_next: list[int] = []
        self.page_sizes: list[int] = []
        self.on_request = None
        self._ids = count(1)
        self._lock = threading.Lock()
        httpserver.expect_request(re.compile(r"/v1/.*")).respond_with_handler(self.handle)

    @property
    def base_url(self) -> str:
        return self.server.url_for("").rstrip("/")

    def _sid(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):032x}"

    # seeding

    def add_user(self, identity: str, friendly_name: str = "", attributes: str = "{}") -> dict:
        sid = self._sid("US")
        user = {
            "sid": sid,
            "account_sid": ACCOUNT_SID,
            "identity": identity,
            "friendly_name": friendly_name,
            "attributes": attributes,
            "url": f"{self.base_url}/v1/Users/{sid}",
        }
        self.users[sid] = user
        return user

    def add_conversation(self, friendly_name: str = "Support") -> str:
        sid = self._sid("CH")
        self.conversations[sid] = {"sid": sid, "friendly_name": friendly_name, "attributes": "{}"}
        self.participants[sid] = []
        self.messages[sid] = []
        return sid

    def add_participant(self, conversation: str, *, identity=None, address=None, attributes="{}") -> dict:
        sid = self._sid("MB")
        binding = {"type": "sms", "address": address, "proxy_address": "+15550000000"} if address else None
        participant = {
            "sid": sid,
            "conversation_sid": conversation,
            "account_sid": ACCOUNT_SID,
            "identity": identity,
            "messaging_binding": binding,
            "attributes": attributes,
        }
        self.participants[conversation].append(participant)
        return participant

    def add_message(self, conversation: str, participant: dict, body: str, attributes: str = "{}") -> dict:
        sid = self._sid("IM")
        author = participant["identity"] or (participant["messaging_binding"] or {}).get("address")
        message = {
            "sid": sid,
            "conversation_sid": conversation,
            "account_sid": ACCOUNT_SID,
            "index": len(self.messages[conversation]),
            "author": author,
            "body": body,
            "attributes": attributes,
            "participant_sid": participant["sid"],
            "media": None,
        }
        self.messages[conversation].append(message)
        return message

    def updates(self) -> list[tuple[str, str]]:
        return [c for c in self.calls if c[0] == "POST"]

    # serving

    def handle(self, request: Request) -> Response:
        with self._lock:
            self.calls.append((request.method, request.path))
            if self.on_request:
                self.on_request(self, request)
            if self.fail_next:
                status = self.fail_next.pop(0)
                return _error(status, {429: 20429, 500: 20500, 503: 20503}.get(status, status))
            auth = request.headers.get("Authorization", "")
            if not auth.startswith("Basic ") or b64decode(auth[6:]).decode() != f"{ACCOUNT_SID}:{AUTH_TOKEN}":
                return _error(401, 20003, "Authenticate")
            return self._route(request)

    def _route(self, request: Request) -> Response:
        parts = request.path.strip("/").split("/")[1:]
        m = request.method
        if parts == ["Users"] and m == "GET":
            return self._page(request, "Users", "users", list(self.users.values()))
        if len(parts) >= 2 and parts[0] == "Users":
            user = self._user(parts[1])
            if user is None:
                return _error(404, 20404)
            if len(parts) == 3 and parts[2] == "Conversations":
                return self._page(request, "UserConversations", "conversations", self._user_conversations(user))
            if m == "GET":
                return _json(user)
            if m == "POST":
                user.update(_form(request, {"FriendlyName": "friendly_name", "Attributes": "attributes"}))
                return _json(user)
            if m == "DELETE":
                del self.users[user["sid"]]
                return Response(status=204)
        if parts == ["ParticipantConversations"]:
            identity, address = request.args.get("Identity"), request.args.get("Address")
            if bool(identity) == bool(address):
                return _error(400, 50000, "Exactly one of Identity or Address")
            rows = [
                {
                    "participant_sid": p["sid"],
                    "conversation_sid": c,
                    "participant_identity": p["identity"],
                    "participant_messaging_binding": p["messaging_binding"],
                    "conversation_friendly_name": self.conversations[c]["friendly_name"],
                }
                for c, ps in self.participants.items()
                for p in ps
                if (identity and p["identity"] == identity)
                or (address and (p["messaging_binding"] or {}).get("address") == address)
            ]
            return self._page(request, "ParticipantConversations", "conversations", rows)
        if len(parts) >= 3 and parts[0] == "Conversations" and parts[2] in ("Messages", "Participants"):
            conversation, kind = parts[1], parts[2]
            if conversation not in self.conversations:
                return _error(404, 20404)
            rows = self.messages[conversation] if kind == "Messages" else self.participants[conversation]
            if len(parts) == 3 and m == "GET":
                return self._page(request, kind, kind.lower(), rows)
            record = next((r for r in rows if r["sid"] == parts[3]), None) if len(parts) == 4 else None
            if record is None:
                return _error(404, 20404)
            if m == "DELETE":
                rows.remove(record)
                return Response(status=204)
            if m == "POST":
                record.update(_form(request, {"Body": "body", "Attributes": "attributes", "Author": "author"}))
                return _json(record)
            return _json(record)
        return _error(404, 20404)

    def _user(self, sid_or_identity: str) -> dict | None:
        return self.users.get(sid_or_identity) or next(
            (u for u in self.users.values() if u["identity"] == sid_or_identity), None
        )

    def _user_conversations(self, user: dict) -> list[dict]:
        return [
            {
                "conversation_sid": c,
                "participant_sid": p["sid"],
                "user_sid": user["sid"],
                "friendly_name": self.conversations[c]["friendly_name"],
            }
            for c, ps in self.participants.items()
            for p in ps
            if p["identity"] == user["identity"]
        ]

    def _page(self, request: Request, kind: str, key: str, rows: list[dict]) -> Response:
        size = int(request.args.get("PageSize", 50))
        if size > MAX_PAGE[kind]:
            return _error(400, 20001, f"PageSize must be at most {MAX_PAGE[kind]}")
        self.page_sizes.append(size)
        offset = int(request.args.get("PageToken", "PT0")[2:])
        chunk = rows[offset : offset + size]
        args = {k: v for k, v in request.args.items() if k not in ("PageToken", "Page")}
        nxt = None
        if offset + size < len(rows):
            nxt = f"{self.base_url}{request.path}?{urlencode({**args, 'PageToken': f'PT{offset + size}'})}"
        meta = {
            "page": offset // size,
            "page_size": size,
            "key": key,
            "next_page_url": nxt,
            "previous_page_url": None,
            "first_page_url": None,
            "url": None,
        }
        return _json({key: [dict(r) for r in chunk], "meta": meta})


def _form(request: Request, mapping: dict[str, str]) -> dict:
    assert request.mimetype == "application/x-www-form-urlencoded", request.mimetype
    return {field: request.form[name] for name, field in mapping.items() if name in request.form}


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _error(status: int, code: int, message: str = "error") -> Response:
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return _json(body, status)
