"""Benchmark: the staff review queue with 100,000 requests (time per page view and queries per page).

    .venv/bin/python tests/bench/admin_queue.py [--requests 100000] [--database-url postgres://...]

Uses its own PostgreSQL database (default pp_bench_admin, created and migrated if missing).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/pp_bench_admin")
    args = parser.parse_args()

    os.environ.update(
        DJANGO_SETTINGS_MODULE="privacyportal.settings",
        READ_DOT_ENV="false",
        DEBUG="true",
        DATABASE_URL=args.database_url,
        ALLOWED_HOSTS="testserver",
    )
    _ensure_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _seed(args.requests)
    _measure()


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            conn.execute(f'create database "{name}"')


def _seed(count: int) -> None:
    import random
    from datetime import timedelta

    from django.utils import timezone

    from requests_app.models import PrivacyRequest, Status, new_public_id

    have = PrivacyRequest.objects.count()
    if have >= count:
        print(f"{have} requests already there")
        return
    statuses = [Status.PENDING] * 2 + [Status.COMPLETE] * 6 + [Status.DENIED, Status.ERROR, Status.APPROVED]
    now = timezone.now()
    rows = []
    for n in range(have, count):
        created = now - timedelta(minutes=n)
        rows.append(
            PrivacyRequest(
                public_id=new_public_id(),
                request_type=random.choice(["access", "erasure"]),
                status=random.choice(statuses),
                email=f"subject{n}@example.com",
                phone=f"+1415555{n % 10000:04d}",
                created_at=created,
                due_date=(created + timedelta(days=30)).date(),
            )
        )
        if len(rows) == 10_000:
            PrivacyRequest.objects.bulk_create(rows)
            rows = []
    PrivacyRequest.objects.bulk_create(rows)
    print(f"seeded {count - have} requests")


def _measure() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    pages = {
        "queue (oldest pending first)": "/admin/requests_app/privacyrequest/",
        "filter: pending": "/admin/requests_app/privacyrequest/?status__exact=pending",
        "filter: overdue": "/admin/requests_app/privacyrequest/?overdue=yes",
        "search: email": "/admin/requests_app/privacyrequest/?q=subject4242@example.com",
        "search: phone, any format": "/admin/requests_app/privacyrequest/?q=%2B1+(415)+555-4242",
        "page 100": "/admin/requests_app/privacyrequest/?p=100",
    }
    print(f"{'page':32} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for label, url in pages.items():
        client.get(url)  # warm
        times = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        print(f"{label:32} {statistics.median(times):10.1f} {max(times):8.1f} {len(queries.captured_queries):8d}")


if __name__ == "__main__":
    main()
