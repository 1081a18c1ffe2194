"""Playwright driving Debian's Chromium against the live server; a screenshot is saved on failure."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls there are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        page = item.funcargs.get("page")
        if page is not None:
            ARTIFACTS.mkdir(exist_ok=True)
            path = ARTIFACTS / f"{item.name}.png"
            try:
                page.screenshot(path=str(path), full_page=True)
                report.sections.append(("screenshot", str(path)))
            except Exception as exc:  # a crashed page must not hide the real failure
                report.sections.append(("screenshot", f"could not save: {exc}"))


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (make test installs it with apt when it can)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


class Demo:
    """The demo world the README walks through, served by the live server."""

    phone_subject = "+15005550101"
    phone_subject_display = "+1 500-555-0101"
    email_subject = "alice@example.com"

    def __init__(self, base_url: str):
        from twilio_sandbox.models import SandboxMessage

        self.base_url = base_url
        mine = SandboxMessage.objects.filter(author=self.email_subject)
        self.subject_sids = list(mine.values_list("sid", flat=True))
        self.email_subject_message_bodies = list(mine.values_list("body", flat=True))
        others = SandboxMessage.objects.filter(conversation__in=mine.values("conversation")).exclude(
            author=self.email_subject
        )
        self.other_sids = list(others.values_list("sid", flat=True))
        self.other_people_message_bodies = list(others.values_list("body", flat=True))

    def subject_bodies_left(self) -> int:
        from twilio_sandbox.models import SandboxMessage

        return SandboxMessage.objects.filter(
            sid__in=self.subject_sids, body__in=self.email_subject_message_bodies
        ).count()

    def other_bodies_left(self) -> int:
        from twilio_sandbox.models import SandboxMessage

        return SandboxMessage.objects.filter(sid__in=self.other_sids, body__in=self.other_people_message_bodies).count()


@pytest.fixture
def demo(request, live_server, transactional_db, settings):
    """What `make run` sets up, against the live server; a real RQ worker runs the jobs when Redis is there."""
    from connector.connection import set_connection
    from messaging.setup import configure_sandbox
    from twilio_sandbox.seed import DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN, seed_demo

    settings.PORTAL_BASE_URL = live_server.url
    configure_sandbox()
    seed_demo()
    set_connection(
        account_sid=DEMO_ACCOUNT_SID, auth_token=DEMO_AUTH_TOKEN, base_url=f"{live_server.url}/sandbox/twilio"
    )
    if os.environ.get("REDIS_URL"):
        request.getfixturevalue("rq_worker")
    return Demo(live_server.url)


@pytest.fixture
def staff_login(reviewer, live_server):
    def login(page) -> None:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "reviewer")
        page.fill("#id_password", "pw-reviewer-1")
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")

    return login
