"""Checking and changing the Twilio connection (services behind the admin and `twilio_connection`)."""

from django.db import transaction

from privacyportal import outbound

from . import config as saas_config
from .client import CredentialsRejected, SaasClient, Unreachable
from .models import TwilioConnection
from .runner import CONFIG_NAME, connection_limiter, connection_params


def test_connection(connection: TwilioConnection) -> tuple[bool, str]:
    """Run the saas_config's test request; say plainly whether it works."""
    if not (connection.account_sid and connection.auth_token and connection.base_url):
        return False, "The connection is not set up: account SID, auth token and base URL are needed."
    config = saas_config.load(CONFIG_NAME)
    params = {k: str(v) for k, v in config.connector_params.items() if v is not None}
    params.update(connection_params(connection))
    # One retry: a person is waiting for the answer, and a run's long retry budget would keep them ~20 s.
    client = SaasClient(
        config,
        params,
        limiter=connection_limiter(connection),
        vendor="Twilio",
        policy=outbound.RetryPolicy(retries=1),
    )
    request = config.test_request
    query = [(q.name, q.value) for q in request.query_params]
    try:
        response = client.request(request.method, request.path, params=query)
    except CredentialsRejected as exc:
        return False, str(exc)
    except Unreachable as exc:
        return False, f"Twilio could not be reached: {exc}"
    if response.status_code != 200:
        return False, client.describe_error(response) + "."
    return True, "Connection works."


def set_connection(
    *,
    account_sid: str | None = None,
    auth_token: str | None = None,
    base_url: str | None = None,
    masking_strict: bool | None = None,
    retention_days: int | None = None,
    concurrency: int | None = None,
    page_size: int | None = None,
) -> TwilioConnection:
    """Update the one connection row (created on first use); None leaves a field as it is."""
    with transaction.atomic():
        connection = TwilioConnection.objects.select_for_update().order_by("pk").first() or TwilioConnection()
        values = {
            "account_sid": account_sid,
            "auth_token": auth_token,
            "base_url": base_url.rstrip("/") if base_url else base_url,
            "masking_strict": masking_strict,
            "retention_days": retention_days,
            "concurrency": concurrency,
            "page_size": page_size,
        }
        for name, value in values.items():
            if value is not None:
                setattr(connection, name, value)
        connection.full_clean()
        connection.save()
    return connection
