"""No link answers 403 or 404 (issue 15): for each demo user of the permission world
(every role, the customer, a rep of another team), open the dashboard, every page of
the sidebar and the first record each list links to, collect every internal
``<a href>`` on them and follow it as that user. A link the user may not follow is a
bug: hide it, or point it at something the user may open.

Bounded so it stays fast: one detail page per list, links compared by path and the
names (not values) of their query parameters (``?page=2`` and ``?page=3`` are one
link), at most ``PER_ROUTE`` links per kind of page (three customer pages, not the
thirty a list shows), downloads and the admin skipped, at most ``MAX_LINKS`` checks
per user.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client

from tests.permission_world import CALLERS, caller_user, world

pytestmark = pytest.mark.django_db

MAX_LINKS = 300
PER_ROUTE = 3  # links checked per page kind (URL name and parameter names)
# Downloads (files, exports, PDFs), the admin (its own tests), the API documentation,
# and doors that are not pages of the application.
SKIP = re.compile(
    r"(\.xlsx$|\.pdf$|/file/|/files/|/proof/$|/materials/$|^/admin/|^/api/|"
    r"^/accounts/logout/|^/i18n/|^/static/|^/media/)"
)
SKIP_QUERY = {"template"}  # ?template=1: a download of an import layout
# A list's first record: a path ending in a number (the detail page).
DETAIL = re.compile(r"/\d+/$")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def internal_links(page_url: str, html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        if href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urljoin(page_url, href)
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver"):
            continue
        if SKIP.search(parts.path):
            continue
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if SKIP_QUERY & query.keys():
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def link_key(url: str) -> tuple:
    parts = urlsplit(url)
    return parts.path, tuple(sorted({name for name, _ in parse_qsl(parts.query, True)}))


def route_of(url: str) -> tuple:
    """The page a link opens (its URL name) and the names of its parameters: a list of
    30 customers links 30 customer pages, the same door for 30 rows of one scope."""
    from django.urls import Resolver404, resolve

    path, names = link_key(url)
    try:
        return resolve(path).view_name, names
    except Resolver404:
        return path, names


def _get(client, url):
    with transaction.atomic():
        response = client.get(url)
        transaction.set_rollback(True)
    return response


def crawl(caller: str) -> tuple[list[str], int]:
    from mdss.core.navigation import nav_for_user

    user = caller_user(caller)
    client = Client()
    client.force_login(user)
    problems: list[str] = []
    nav = [item["url"] for section in nav_for_user(user, "/") for item in section["items"]]
    pages: list[str] = ["/", *[url for url in nav if not SKIP.search(url)]]
    opened: dict[str, int] = {}
    links: dict[tuple, tuple[str, str]] = {}  # key → (link, the page it is on)
    per_route: dict[tuple, int] = {}

    def open_page(url: str, *, expect_ok: bool) -> list[str]:
        response = _get(client, url)
        opened[url] = response.status_code
        if response.status_code != 200:
            if expect_ok:
                problems.append(f"{caller}: {url} answers {response.status_code}")
            return []
        if "text/html" not in response.get("Content-Type", ""):
            return []
        found = internal_links(url, response.content.decode())
        for link in found:
            key = link_key(link)
            if key in links:
                continue
            route = route_of(link)
            if per_route.get(route, 0) >= PER_ROUTE:
                continue
            per_route[route] = per_route.get(route, 0) + 1
            links[key] = (link, url)
        return found

    details = []
    for url in pages:
        found = open_page(url, expect_ok=True)
        first = next((u for u in found if DETAIL.search(urlsplit(u).path) and u not in pages), None)
        if url != "/" and first and first not in details:
            details.append(first)
    for url in details:
        open_page(url, expect_ok=False)  # its own status is checked as a link below
    checked = 0
    for link, page in links.values():
        if checked >= MAX_LINKS:
            break
        status = opened.get(link)
        if status is None:
            status = _get(client, link).status_code
            opened[link] = status
            checked += 1
        if status in (403, 404) or status >= 500:
            problems.append(f"{caller}: {page} links to {link}, which answers {status}")
    return problems, checked


@pytest.mark.parametrize("half", [0, 1])
def test_no_link_answers_403_or_404(half, settings):
    settings.AXES_ENABLED = False
    world()
    problems = []
    callers = [c for c in CALLERS if c != "anonymous"]
    for caller in callers[half::2]:
        found, _checked = crawl(caller)
        problems += found
    assert not problems, "\n".join(problems)
