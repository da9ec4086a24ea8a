"""Dashboard cards: each app registers the cards it contributes.

A card is a template plus a function that returns its context (or None to hide the
card for this user), so the dashboard shows each person what their roles need.
Each card should cost a fixed, small number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


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


def cards_for(request) -> list[dict]:
    shown = []
    for card in sorted(_CARDS, key=lambda c: c.order):
        context = card.context(request)
        if context is not None:
            shown.append({"template": card.template, **context})
    return shown
