"""Twilio list pagination: `PageSize`, `Page`, `PageToken` in; `meta` with absolute page URLs out.

Tokens are keyset positions (`PT<key>`: after key, `PB<key>`: before key), so following
`next_page_url` costs one indexed range query however deep the page, and pages stay stable while
records are updated. `Page` alone (no token) falls back to an offset, as old Twilio clients send it.
A `PageSize` above the endpoint's maximum is refused with 400, as the spec's `maximum` declares.
"""

from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest

from .errors import invalid_parameter

DEFAULT_PAGE_SIZE = 50


def _int_param(request: HttpRequest, name: str, default: int, minimum: int, maximum: int | None) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid_parameter(f"Invalid {name}: {raw!r} is not an integer") from None
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and {maximum}" if maximum is not None else ""
        raise invalid_parameter(f"Invalid {name}: must be between {minimum}{upper}, not {value}")
    return value


def _token(request: HttpRequest) -> tuple[str, int] | None:
    raw = request.GET.get("PageToken")
    if not raw:
        return None
    direction, position = raw[:2], raw[2:]
    if direction not in ("PT", "PB") or not position.isdigit():
        raise invalid_parameter(f"Invalid PageToken: {raw!r}")
    return direction, int(position)


def base_url(request: HttpRequest) -> str:
    """Absolute URL of the fake's root (what https://conversations.twilio.com is for Twilio)."""
    prefix = request.path[: request.path.find("/v1/")]
    return request.build_absolute_uri(prefix or "/").rstrip("/")


def paginate(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    key: str,
    maximum: int,
    list_key: str,
    render: Callable[[object], dict],
    filters: Iterable[tuple[str, str]] = (),
    descending: bool = False,
) -> dict:
    """One page of `queryset` (model instances or `.values()` dicts) ordered by the unique integer column
    `key`, as Twilio's list body."""
    page_size = _int_param(request, "PageSize", DEFAULT_PAGE_SIZE, 1, maximum)
    page = _int_param(request, "Page", 0, 0, None)
    token = _token(request)
    forward = "-" if descending else ""
    backward = "" if descending else "-"
    after, before = ("lt", "gt") if descending else ("gt", "lt")

    if token and token[0] == "PB":
        rows = list(
            queryset.filter(**{f"{key}__{before}": token[1]}).order_by(f"{backward}{key}")[: page_size + 1]
        )
        has_previous = len(rows) > page_size
        rows = rows[:page_size][::-1]
        has_next = True
    else:
        ordered = queryset.order_by(f"{forward}{key}")
        if token:
            ordered = ordered.filter(**{f"{key}__{after}": token[1]})
            window = ordered[: page_size + 1]
        else:
            window = ordered[page * page_size : page * page_size + page_size + 1]
        rows = list(window)
        has_next = len(rows) > page_size
        rows = rows[:page_size]
        has_previous = page > 0 or token is not None

    root = base_url(request) + request.path[request.path.find("/v1/") :]
    filters = list(filters)

    def url(page_number: int, page_token: str | None) -> str:
        params = [*filters, ("PageSize", page_size), ("Page", page_number)]
        if page_token:
            params.append(("PageToken", page_token))
        return f"{root}?{urlencode(params)}"

    current_token = request.GET.get("PageToken") or None
    first_key = _position(rows[0], key) if rows else None
    last_key = _position(rows[-1], key) if rows else None
    meta = {
        "page": page,
        "page_size": page_size,
        "first_page_url": url(0, None),
        "previous_page_url": url(max(page - 1, 0), f"PB{first_key}") if has_previous and rows else None,
        "url": url(page, current_token),
        "next_page_url": url(page + 1, f"PT{last_key}") if has_next and rows else None,
        "key": list_key,
    }
    return {list_key: [render(row) for row in rows], "meta": meta}


def _position(row, key: str) -> int:
    # Rows are model instances, or dicts from `.values()` where building instances would cost too much.
    return row[key] if isinstance(row, dict) else getattr(row, key)
