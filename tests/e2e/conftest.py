"""End-to-end harness: Playwright (Python) driving Debian's Chromium, headless.

No browser is downloaded: Playwright launches /usr/bin/chromium (`apt-get install
chromium`; `.ci/run` installs it when missing). Without it the e2e tests are skipped
with a message saying so. Screenshots go to test-artifacts/e2e/.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
# the test itself (creating data) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]


def chromium_path() -> str | None:
    explicit = os.environ.get("MDSS_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip(
            "e2e: no Chromium found. Install it with `apt-get install chromium` "
            "(or set MDSS_CHROMIUM=/path/to/chrome)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                # This machine has no network: stop Chromium from calling home.
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser context per test, phone-sized when the test asks for it."""
    marker = request.node.get_closest_marker("mobile")
    viewport = {"width": 390, "height": 844} if marker else {"width": 1366, "height": 860}
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15000)
    # Every page of every e2e test runs under the Content-Security-Policy: a script or
    # style the policy blocks is reported on the console and fails the test.
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not blocked, f"blocked by the Content-Security-Policy: {blocked[:3]}"


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def demo_data(transactional_db):
    """The same organisation `make run` shows: regions and a user for every role."""
    from tests.demo_copy import seed_demo

    return seed_demo()


@pytest.fixture
def login(page, live_server):
    from mdss.accounts.demo import DEMO_PASSWORD

    def do(username: str, password: str = DEMO_PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("[data-testid=login-submit]")

    return do
