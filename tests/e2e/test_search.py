"""The global search in the top bar (issue 15): "/" focuses the box, typing shows the
grouped results under it (htmx), Enter opens the full page, a hit opens its record."""

import re

from playwright.sync_api import expect


def test_slash_focuses_the_search_and_typing_shows_grouped_results(
    page, live_server, demo_data, login, screenshot
):
    login("sun.li")
    page.goto(f"{live_server.url}/")
    box = page.locator("[data-testid=search-input]")
    expect(box).not_to_be_focused()
    page.locator("main h1").click()  # a neutral spot: the dashboard's figures are links
    page.keyboard.press("/")
    expect(box).to_be_focused()
    expect(box).to_have_value("")  # the slash is not typed into the box

    # Contract numbers carry the year they were drafted in (the demo's is today's).
    page.keyboard.type("HT-")
    dropdown = page.locator("[data-testid=search-dropdown]")
    expect(dropdown).to_be_visible()
    expect(dropdown.locator("[data-testid=search-group][data-kind=contracts]")).to_be_visible()
    screenshot("search-dropdown")

    page.keyboard.press("Escape")
    expect(dropdown).to_have_count(0)

    # "/" typed into a field is a character, not the shortcut.
    box.fill("")
    box.type("a/b")
    expect(box).to_have_value("a/b")

    box.fill("HT-")
    with page.expect_navigation():
        box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=HT-"))
    hit = page.locator("[data-kind=contracts] [data-testid=search-hit]").first
    with page.expect_navigation():
        hit.click()
    expect(page).to_have_url(re.compile(r"/contracts/\d+/$"))
