"""The home page's cards: each app lists the cards it contributes in its ``cards``
module (``CARDS = [Card(...)]``), found through the app registry like ``demo`` and
``search``.

A card is a template plus a function that returns its context (or None to hide the
card for this user), so the dashboard shows each person what their roles need: one
dashboard per role, made of the cards of that person's roles. Most cards are
figures (``Figure``): a number that links to the filtered list behind it, which shows
the same number. Each card costs a fixed, small number of queries (tested).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Card:
    name: str
    template: str
    context: Callable  # (request) -> dict | None
    order: int = 100


_CARDS: list[Card] = []


def register(card: Card) -> None:
    if all(existing.name != card.name for existing in _CARDS):
        _CARDS.append(card)


def all_cards() -> list[Card]:
    if not _CARDS:
        from .discovery import app_modules

        for module in app_modules("cards"):
            for card in module.CARDS:
                register(card)
    return sorted(_CARDS, key=lambda c: c.order)


def cards_for(request) -> list[dict]:
    shown = []
    for card in all_cards():
        context = card.context(request)
        if context is not None:
            shown.append({"template": card.template, **context})
    return shown


@dataclass(frozen=True)
class Figure:
    """One number on a role's dashboard, linking to the filtered list it counts (the
    list shows the same number: tests compare the two)."""

    key: str  # data-testid, stable for tests
    label: str
    value: int | Decimal
    url: str
    money: bool = False
    tone: str = ""  # a Bootstrap colour for a number that needs attention: danger, warning
    previous: int | Decimal | None = None  # the same period last year
    note: str = ""  # a second line, e.g. "12 contracts"

    @property
    def change(self) -> int | None:
        """Percent change against ``previous`` (None when there is nothing to compare)."""
        if not self.previous:
            return None
        return round((self.value - self.previous) * 100 / self.previous)


def figure_card(
    title, icon: str, figures: list[Figure], *, key: str, chart: dict | None = None, rows=None
) -> dict:
    """The context of ``core/_figure_card.html``: a row of figures, an optional
    ECharts option (see core.charts) and optional rows (label, url, hint, tone)."""
    return {
        "title": title,
        "icon": icon,
        "figures": figures,
        "chart": chart,
        "rows": rows or [],
        "key": key,
    }
